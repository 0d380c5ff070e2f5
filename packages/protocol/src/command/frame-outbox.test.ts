import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { FrameDecoder, encodeFrame } from './frame-codec.js';
import { FrameOutbox } from './frame-outbox.js';
import { RemotingCommand, SerializeType } from './remoting-command.js';

function command(opaque: number, bodyBytes: number, binary = false): RemotingCommand {
  return new RemotingCommand({
    code: 310,
    opaque,
    extFields: { a: 'PG', b: 'TopicTest', i: 'KEYS\u0001k1\u0002TAGS\u0001TagA\u0002' },
    body: bodyBytes > 0 ? Buffer.alloc(bodyBytes, opaque & 0xff) : undefined,
    serializeType: binary ? SerializeType.ROCKETMQ : SerializeType.JSON,
  });
}

function expectedBytes(commands: RemotingCommand[]): Buffer {
  return Buffer.concat(commands.map((cmd) => encodeFrame(cmd)));
}

/** Byte equality without a deep comparison per byte (large buffers). */
function expectSameBytes(actual: Buffer, expected: Buffer): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.equals(expected)).toBe(true);
}

describe('FrameOutbox', () => {
  it('queues frames added back to back as one buffer holding exactly their encoded bytes', () => {
    const outbox = new FrameOutbox();
    const commands = [command(1, 1024), command(2, 0), command(3, 10, true)];
    for (const cmd of commands) outbox.add(cmd);
    const expected = expectedBytes(commands);
    expect(outbox.bytes).toBe(expected.length);
    const parts = outbox.take();
    expect(parts).toHaveLength(1);
    expectSameBytes(parts[0]!, expected);
    expect(outbox.bytes).toBe(0);
    expect(outbox.take()).toEqual([]);
  });

  it("keeps each outbox's frames in order when outboxes add in turns", () => {
    const first = new FrameOutbox();
    const second = new FrameOutbox();
    const a = [command(1, 100), command(3, 300)];
    const b = [command(2, 200), command(4, 400)];
    first.add(a[0]!);
    second.add(b[0]!);
    first.add(a[1]!);
    second.add(b[1]!);
    const firstParts = first.take();
    expect(firstParts).toHaveLength(2);
    expectSameBytes(Buffer.concat(firstParts), expectedBytes(a));
    expectSameBytes(Buffer.concat(second.take()), expectedBytes(b));
  });

  it('writes a large body from its own buffer instead of copying it', () => {
    const outbox = new FrameOutbox();
    const large = command(1, 64 * 1024);
    const after = command(2, 10);
    outbox.add(large);
    outbox.add(after);
    const parts = outbox.take();
    expect(parts).toHaveLength(3);
    expect(parts[1]).toBe(large.body);
    expectSameBytes(Buffer.concat(parts), expectedBytes([large, after]));
  });

  it('queues nothing for a frame it cannot encode and keeps what was queued', () => {
    const outbox = new FrameOutbox();
    const ok = command(1, 10);
    outbox.add(ok);
    const before = outbox.bytes;
    expect(() => outbox.add(command(2, 2048), 1024)).toThrow(ProtocolError);
    expect(outbox.bytes).toBe(before);
    expectSameBytes(Buffer.concat(outbox.take()), expectedBytes([ok]));
  });

  it('never writes again into bytes it handed out, across many chunks', () => {
    const outbox = new FrameOutbox();
    outbox.add(command(1, 4000));
    const taken = outbox.take();
    const copies = taken.map((part) => Buffer.from(part));
    // About 2 MiB more: several fresh chunks.
    for (let i = 0; i < 500; i++) {
      outbox.add(command(i + 2, 4000));
      if (i % 7 === 0) outbox.take();
    }
    taken.forEach((part, i) => expectSameBytes(part, copies[i]!));
  });

  it('gives a frame head larger than a chunk a chunk of its own', () => {
    const outbox = new FrameOutbox();
    const small = command(1, 10);
    const hugeHeader = new RemotingCommand({ code: 0, opaque: 2, remark: 'x'.repeat(300 * 1024) });
    outbox.add(small);
    outbox.add(hugeHeader);
    outbox.add(small);
    expectSameBytes(Buffer.concat(outbox.take()), expectedBytes([small, hugeHeader, small]));
  });

  it('matches encodeFrame byte for byte for random commands spread over several outboxes', () => {
    const commandArb = fc.record({
      outbox: fc.integer({ min: 0, max: 2 }),
      opaque: fc.integer({ min: 0, max: 0x7fffffff }),
      bodyBytes: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 1, max: 2048 }),
        fc.integer({ min: 16 * 1024, max: 40 * 1024 }),
      ),
      binary: fc.boolean(),
      remark: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
      take: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 60 }), (steps) => {
        const outboxes = [new FrameOutbox(), new FrameOutbox(), new FrameOutbox()];
        const written: Buffer[][] = [[], [], []];
        const expected: RemotingCommand[][] = [[], [], []];
        for (const step of steps) {
          const cmd = command(step.opaque, step.bodyBytes, step.binary);
          cmd.remark = step.remark;
          outboxes[step.outbox]!.add(cmd);
          expected[step.outbox]!.push(cmd);
          if (step.take) written[step.outbox]!.push(...outboxes[step.outbox]!.take());
        }
        for (let i = 0; i < outboxes.length; i++) {
          written[i]!.push(...outboxes[i]!.take());
          expectSameBytes(Buffer.concat(written[i]!), expectedBytes(expected[i]!));
          const decoded = new FrameDecoder().push(Buffer.concat(written[i]!));
          expect(decoded.map((cmd) => cmd.opaque)).toEqual(expected[i]!.map((cmd) => cmd.opaque));
        }
      }),
      { numRuns: 100 },
    );
  });
});
