import { connect } from 'node:net';
import type { Socket } from 'node:net';
import {
  FrameDecoder,
  RemotingCommand,
  RequestCode,
  SerializeType,
  encodeFrame,
  encodeMessageProperties,
} from '@rocketmq-ts/protocol';
import type { ExtFields } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { onTestCleanup, startTestBroker } from '../test/broker-test-context.js';

/*
 * What the 4.9.8 Java client needs on the wire, checked on raw frames (remoting-protocol.md §1, §4.2, §4.3):
 * - a send response always carries extFields (the client dereferences the map unconditionally), with msgId, queueId,
 *   queueOffset, MSG_REGION and TRACE_ON as JSON strings (Java's extFields is HashMap<String, String>);
 * - pull responses carry all four header fields for 0, 19, 20 and 21;
 * - a request in the ROCKETMQ binary serialization is answered in it (clients set -Drocketmq.serialize.type).
 */

async function startBroker(): Promise<number> {
  return (await startTestBroker()).port;
}

/** Sends raw frames on one socket, one at a time, and returns each raw response frame (length prefix included). */
async function exchange(port: number, requests: readonly RemotingCommand[]): Promise<Buffer[]> {
  const socket: Socket = connect({ port, host: '127.0.0.1' });
  onTestCleanup(() => Promise.resolve(socket.destroy()));
  let pending = Buffer.alloc(0);
  const arrived: Buffer[] = [];
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    // Split raw frames by their length prefix, keeping the bytes exactly as the broker wrote them.
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const size = 4 + pending.readInt32BE(0);
      arrived.push(pending.subarray(0, size));
      pending = pending.subarray(size);
    }
    wake?.();
  });
  const frames: Buffer[] = [];
  for (const request of requests) {
    socket.write(encodeFrame(request));
    const deadline = Date.now() + 5000;
    while (arrived.length === 0) {
      if (Date.now() > deadline) throw new Error('no answer within 5 s');
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 50);
      });
    }
    frames.push(arrived.shift()!);
  }
  return frames;
}

/** The JSON header text of a raw frame (serialize type 0). */
function jsonHeaderOf(frame: Buffer): { extFields?: ExtFields; code: number } {
  const headerLength = frame.readUInt32BE(4) & 0xffffff;
  expect(frame[4]).toBe(0);
  return JSON.parse(frame.subarray(8, 8 + headerLength).toString('utf8')) as {
    extFields?: ExtFields;
    code: number;
  };
}

function send(topic: string, opaque: number): RemotingCommand {
  const request = RemotingCommand.request(
    RequestCode.SEND_MESSAGE_V2,
    {
      a: 'PG',
      b: topic,
      c: 'TBW102',
      d: '4',
      e: '0',
      f: '0',
      g: String(Date.now()),
      h: '0',
      i: encodeMessageProperties({ UNIQ_KEY: 'AC110001000078308DB1745C9E6D0000' }),
    },
    Buffer.from('wire'),
  );
  request.opaque = opaque;
  return request;
}

function pull(queueOffset: number, opaque: number): RemotingCommand {
  const request = RemotingCommand.request(RequestCode.PULL_MESSAGE, {
    consumerGroup: 'CG',
    topic: 'Wire',
    queueId: '0',
    queueOffset: String(queueOffset),
    maxMsgNums: '32',
    sysFlag: '4',
    commitOffset: '0',
    suspendTimeoutMillis: '0',
    subscription: '*',
    subVersion: '0',
  });
  request.opaque = opaque;
  return request;
}

describe('the wire as the Java client reads it', () => {
  it('answers sends with string extFields, refusals included', async () => {
    const port = await startBroker();
    const [ok, refused] = await exchange(port, [send('Wire', 1), send('SCHEDULE_TOPIC_XXXX', 2)]);
    const okHeader = jsonHeaderOf(ok!);
    expect(okHeader.code).toBe(0);
    expect(okHeader.extFields).toEqual({
      msgId: expect.stringMatching(/^7F000001[0-9A-F]{24}$/) as unknown,
      queueId: '0',
      queueOffset: '0',
      MSG_REGION: 'DefaultRegion',
      TRACE_ON: 'true',
    });
    for (const value of Object.values(okHeader.extFields ?? {}))
      expect(typeof value).toBe('string');
    const refusedHeader = jsonHeaderOf(refused!);
    expect(refusedHeader.code).toBe(16);
    expect(refusedHeader.extFields).toEqual({ MSG_REGION: 'DefaultRegion', TRACE_ON: 'true' });
  });

  it('answers pulls with all four header fields for FOUND, NOT_FOUND and OFFSET_MOVED', async () => {
    const port = await startBroker();
    const [, found, notFound, moved] = await exchange(port, [
      send('Wire', 1),
      pull(0, 2),
      pull(1, 3),
      pull(9, 4),
    ]);
    const expectFields = (frame: Buffer | undefined, code: number): void => {
      const header = jsonHeaderOf(frame!);
      expect(header.code).toBe(code);
      expect(Object.keys(header.extFields ?? {}).sort()).toEqual([
        'maxOffset',
        'minOffset',
        'nextBeginOffset',
        'suggestWhichBrokerId',
      ]);
    };
    expectFields(found, 0);
    expectFields(notFound, 19);
    expectFields(moved, 21);
  });

  it('answers a ROCKETMQ binary request in the binary serialization', async () => {
    const port = await startBroker();
    const request = send('Wire', 7);
    request.serializeType = SerializeType.ROCKETMQ;
    const [frame] = await exchange(port, [request]);
    expect(frame![4]).toBe(1);
    const [decoded] = new FrameDecoder().push(frame!);
    expect(decoded?.code).toBe(0);
    expect(decoded?.opaque).toBe(7);
    expect(decoded?.extFields?.queueId).toBe('0');
  });
});
