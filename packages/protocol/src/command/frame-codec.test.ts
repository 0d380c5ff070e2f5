import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { FrameDecoder, decodeFrameContent, encodeFrame, encodeFrameParts } from './frame-codec.js';
import { encodeJsonHeader } from './json-header.js';
import { RemotingCommand, SerializeType } from './remoting-command.js';
import type { SerializeTypeValue } from './remoting-command.js';

function sample(serializeType: SerializeTypeValue, bodyBytes = 5): RemotingCommand {
  return new RemotingCommand({
    code: 310,
    opaque: 42,
    flag: 0,
    remark: 'héllo',
    extFields: { a: 'PG', b: 'TopicTest', i: 'KEYS\u0001k1\u0002TAGS\u0001TagA\u0002' },
    body: Buffer.alloc(bodyBytes, 7),
    serializeType,
  });
}

function decodeAll(bytes: Buffer, chunkSize: number): RemotingCommand[] {
  const decoder = new FrameDecoder();
  const out: RemotingCommand[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) {
    out.push(...decoder.push(bytes.subarray(i, i + chunkSize)));
  }
  return out;
}

describe('frame codec', () => {
  it.each([SerializeType.JSON, SerializeType.ROCKETMQ])(
    'round-trips every field with serialize type %i',
    (serializeType) => {
      const [decoded] = decodeAll(encodeFrame(sample(serializeType)), 1 << 20);
      expect(decoded).toBeDefined();
      expect(decoded!.code).toBe(310);
      expect(decoded!.opaque).toBe(42);
      expect(decoded!.remark).toBe('héllo');
      expect(decoded!.language).toBe('JAVA');
      expect(decoded!.version).toBe(409);
      expect(decoded!.serializeType).toBe(serializeType);
      expect(decoded!.extFields).toEqual(sample(serializeType).extFields);
      expect(decoded!.body).toEqual(Buffer.alloc(5, 7));
    },
  );

  it('writes the header length in the low 24 bits and the serialize type in the high byte', () => {
    const frame = encodeFrame(sample(SerializeType.ROCKETMQ));
    const headerField = frame.readUInt32BE(4);
    expect(headerField >>> 24).toBe(1);
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    expect(8 + (headerField & 0xffffff) + 5).toBe(frame.length);
  });

  it('decodes frames split at every possible byte boundary and several frames in one chunk', () => {
    const one = encodeFrame(sample(SerializeType.JSON));
    const three = Buffer.concat([one, encodeFrame(sample(SerializeType.ROCKETMQ)), one]);
    for (const chunk of [1, 2, 3, 7, 64, three.length]) {
      const decoded = decodeAll(three, chunk);
      expect(decoded.map((c) => c.serializeType)).toEqual([0, 1, 0]);
    }
  });

  it('keeps large bodies out of the header buffer and decodes them intact', () => {
    const cmd = sample(SerializeType.JSON, 100_000);
    const parts = encodeFrameParts(cmd);
    expect(parts).toHaveLength(2);
    expect(parts[1]).toBe(cmd.body);
    const [decoded] = decodeAll(Buffer.concat(parts), 4096);
    expect(decoded!.body!.length).toBe(100_000);
  });

  it('refuses to encode a frame over the limit', () => {
    expect(() => encodeFrame(sample(SerializeType.JSON, 2000), 1024)).toThrow(ProtocolError);
  });

  it('refuses a code that does not fit the binary header', () => {
    const cmd = new RemotingCommand({ code: 200050, serializeType: SerializeType.ROCKETMQ });
    expect(() => encodeFrame(cmd)).toThrow(/does not fit/);
  });

  it('rejects an over-limit length before buffering the frame', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 1024 });
    const prefix = Buffer.alloc(8);
    prefix.writeInt32BE(5000, 0);
    expect(() => decoder.push(prefix)).toThrow(/outside 4\.\.1020/);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('rejects negative and too-small lengths', () => {
    for (const length of [-1, 0, 3]) {
      const frame = Buffer.alloc(8);
      frame.writeInt32BE(length, 0);
      expect(() => new FrameDecoder().push(frame)).toThrow(ProtocolError);
    }
  });

  it('rejects an unknown serialize type and a header longer than its frame', () => {
    const unknown = Buffer.from([0, 0, 0, 6, 2, 0, 0, 2, 0x7b, 0x7d]);
    expect(() => new FrameDecoder().push(unknown)).toThrow(/unknown serialize type 2/);
    const overlong = Buffer.from([0, 0, 0, 6, 0, 0, 0, 9, 0x7b, 0x7d]);
    expect(() => new FrameDecoder().push(overlong)).toThrow(/header length 9/);
  });

  it('stays failed after an error', () => {
    const decoder = new FrameDecoder();
    expect(() => decoder.push(Buffer.from([0, 0, 0, 6, 0, 0, 0, 2, 0x7b, 0x78]))).toThrow(
      ProtocolError,
    );
    expect(() => decoder.push(encodeFrame(sample(SerializeType.JSON)))).toThrow(ProtocolError);
  });

  it('decodes frame content without a body as an undefined body', () => {
    const cmd = new RemotingCommand({ code: 34, opaque: 1 });
    const decoded = decodeFrameContent(encodeFrame(cmd).subarray(4));
    expect(decoded.body).toBeUndefined();
    expect(decoded.extFields).toBeUndefined();
  });
});

describe('frame decoder under hostile input', () => {
  const isProtocolErrorOrCommands = (run: () => RemotingCommand[]): boolean => {
    try {
      return Array.isArray(run());
    } catch (error) {
      return error instanceof ProtocolError;
    }
  };

  it('turns random bytes into commands or a ProtocolError, never another error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) =>
        isProtocolErrorOrCommands(() =>
          new FrameDecoder({ maxFrameBytes: 4096 }).push(Buffer.from(bytes)),
        ),
      ),
      { numRuns: 300 },
    );
  });

  it('turns corrupted valid frames into commands or a ProtocolError', () => {
    const frames = [SerializeType.JSON, SerializeType.ROCKETMQ].map((t) => encodeFrame(sample(t)));
    fc.assert(
      fc.property(
        fc.constantFrom(...frames),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.nat(),
        (frame, flips, cut) => {
          const bytes = Buffer.from(frame);
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          const truncated = bytes.subarray(0, cut % (bytes.length + 1));
          return isProtocolErrorOrCommands(() => decodeAll(truncated, 3));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('buffers a truncated frame without returning it and completes it when the rest arrives', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (cutSeed) => {
        const frame = encodeFrame(sample(SerializeType.ROCKETMQ));
        const cut = cutSeed % frame.length;
        const decoder = new FrameDecoder();
        const first = decoder.push(frame.subarray(0, cut));
        const second = decoder.push(frame.subarray(cut));
        return first.length === 0 && second.length === 1 && second[0]!.code === 310;
      }),
      { numRuns: 200 },
    );
  });

  it('with reusedChunks, keeps bodies and split frames intact after the caller overwrites its buffer', () => {
    const bodySizes = fc.constantFrom(0, 1, 5, 1000, 70_000, 200_000);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(bodySizes, fc.constantFrom(SerializeType.JSON, SerializeType.ROCKETMQ)), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(fc.integer({ min: 1, max: 90_000 }), { minLength: 1, maxLength: 20 }),
        (specs, readSizes) => {
          const sent = specs.map(([bodyBytes, type], i) => {
            const cmd = sample(type, bodyBytes);
            cmd.opaque = i;
            if (cmd.body)
              for (let b = 0; b < cmd.body.length; b++) cmd.body[b] = (b * 31 + i) & 0xff;
            return cmd;
          });
          const wire = Buffer.concat(sent.map((cmd) => encodeFrame(cmd)));
          const decoder = new FrameDecoder({ reusedChunks: true });
          const readBuffer = Buffer.alloc(90_000);
          const received: RemotingCommand[] = [];
          let at = 0;
          for (let i = 0; at < wire.length; i++) {
            const size = Math.min(readSizes[i % readSizes.length]!, wire.length - at);
            wire.copy(readBuffer, 0, at, at + size);
            at += size;
            received.push(...decoder.push(readBuffer.subarray(0, size)));
            // What a socket's next read does to the one buffer.
            readBuffer.fill(0xee);
          }
          expect(decoder.pendingBytes).toBe(0);
          expect(received.map((cmd) => cmd.opaque)).toEqual(sent.map((cmd) => cmd.opaque));
          received.forEach((cmd, i) => {
            expect(cmd.remark).toBe('héllo');
            expect(cmd.extFields).toEqual(sent[i]!.extFields);
            const none = Buffer.alloc(0);
            expect((cmd.body ?? none).equals(sent[i]!.body ?? none)).toBe(true);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('counts a split length field and a partly received frame as pending bytes', () => {
    const frame = encodeFrame(sample(SerializeType.JSON, 100_000));
    const decoder = new FrameDecoder();
    expect(decoder.push(frame.subarray(0, 2))).toEqual([]);
    expect(decoder.pendingBytes).toBe(2);
    expect(decoder.push(frame.subarray(2, 70_000))).toEqual([]);
    expect(decoder.pendingBytes).toBe(70_000);
    const done = decoder.push(frame.subarray(70_000));
    expect(done).toHaveLength(1);
    expect(done[0]!.body!.length).toBe(100_000);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('refuses an oversized length split across chunks before buffering the frame', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 1024 });
    const length = Buffer.alloc(4);
    length.writeInt32BE(5000);
    expect(decoder.push(length.subarray(0, 3))).toEqual([]);
    expect(() => decoder.push(Buffer.concat([length.subarray(3), Buffer.alloc(10)]))).toThrow(
      ProtocolError,
    );
    expect(() => decoder.push(Buffer.alloc(1))).toThrow(ProtocolError);
  });

  it('encodes Java-style JSON frames as the header text followed by the body', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 20 })),
        fc.integer({ min: 0, max: 20_000 }),
        (remark, extFields, bodyBytes) => {
          const cmd = new RemotingCommand({ code: 310, opaque: 9, remark, extFields });
          cmd.body = bodyBytes > 0 ? Buffer.alloc(bodyBytes, 3) : undefined;
          const header = Buffer.from(encodeJsonHeader(cmd), 'utf8');
          const expected = Buffer.alloc(8 + header.length);
          expected.writeInt32BE(4 + header.length + bodyBytes, 0);
          expected.writeInt32BE(header.length, 4);
          header.copy(expected, 8);
          const frame = encodeFrame(cmd);
          expect(frame.equals(Buffer.concat([expected, cmd.body ?? Buffer.alloc(0)]))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
