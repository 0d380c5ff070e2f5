import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  FrameDecoder,
  PullSysFlag,
  RequestCode,
  SerializeType,
  decodeHeartbeatData,
  decodePullMessageRequestHeader,
  decodeQueryConsumerOffsetRequestHeader,
  decodeSendMessageRequestHeader,
  decodeUnregisterClientRequestHeader,
  decodeUpdateConsumerOffsetRequestHeader,
  encodeFrame,
  hasPullSysFlag,
} from '../src/index.js';

// Frames captured from the real ali-ons 3.12.0 client; how: test/fixtures/ali-ons/README.md.
const FIXTURES = new URL('./fixtures/ali-ons/', import.meta.url);

interface Captured {
  code: number;
  bodyLength: number;
  header: {
    code: number;
    language: string;
    opaque: number;
    flag: number;
    version: number;
    extFields?: Record<string, string | number | boolean>;
  };
}
const captured = JSON.parse(readFileSync(new URL('captured.json', FIXTURES), 'utf8')) as {
  files: Record<string, Captured>;
};
const hexFiles = readdirSync(FIXTURES).filter((name) => name.endsWith('.hex'));

function frameOf(name: string): Buffer {
  return Buffer.from(readFileSync(new URL(name, FIXTURES), 'utf8').trim(), 'hex');
}

function decodeOne(bytes: Buffer) {
  const commands = new FrameDecoder().push(bytes);
  expect(commands).toHaveLength(1);
  return commands[0]!;
}

describe('golden frames from ali-ons 3.12.0', () => {
  it('covers send, pull, heartbeat, route query, offset query/update and unregister', () => {
    const codes = new Set(hexFiles.map((name) => captured.files[name]!.code));
    for (const code of [
      RequestCode.SEND_MESSAGE_V2,
      RequestCode.PULL_MESSAGE,
      RequestCode.HEART_BEAT,
      RequestCode.GET_ROUTEINFO_BY_TOPIC,
      RequestCode.QUERY_CONSUMER_OFFSET,
      RequestCode.UPDATE_CONSUMER_OFFSET,
      RequestCode.UNREGISTER_CLIENT,
    ]) {
      expect(codes).toContain(code);
    }
  });

  it.each(hexFiles)('%s decodes to the values ali-ons sent', (name) => {
    const expected = captured.files[name]!;
    const command = decodeOne(frameOf(name));
    expect(command.serializeType).toBe(SerializeType.JSON);
    expect(command.code).toBe(expected.header.code);
    expect(command.opaque).toBe(expected.header.opaque);
    expect(command.flag).toBe(expected.header.flag);
    expect(command.version).toBe(121);
    expect(command.language).toBe('JAVA');
    expect(command.isOneway).toBe(false);
    const asStrings = Object.fromEntries(
      Object.entries(expected.header.extFields ?? {}).map(([k, v]) => [k, String(v)]),
    );
    expect(command.extFields ?? {}).toEqual(asStrings);
    expect(command.body?.length ?? 0).toBe(expected.bodyLength);
  });

  it.each(hexFiles)('%s re-encodes byte for byte', (name) => {
    const bytes = frameOf(name);
    expect(encodeFrame(decodeOne(bytes)).equals(bytes)).toBe(true);
  });

  it('decodes when the frames arrive one byte at a time, back to back', () => {
    const all = Buffer.concat(hexFiles.map(frameOf));
    const decoder = new FrameDecoder();
    let count = 0;
    for (let i = 0; i < all.length; i++) count += decoder.push(all.subarray(i, i + 1)).length;
    expect(count).toBe(hexFiles.length);
  });
});

describe('typed headers and bodies of the ali-ons frames', () => {
  it('reads SEND_MESSAGE_V2 one-letter fields as a send header', () => {
    const command = decodeOne(frameOf('send-message-v2.hex'));
    const header = decodeSendMessageRequestHeader(command.extFields!, command.code);
    expect(header.producerGroup).toBe('PG_CAPTURE');
    expect(header.topic).toBe('TopicTest');
    expect(header.defaultTopic).toBe('TBW102');
    expect(header.defaultTopicQueueNums).toBe(4);
    expect(header.queueId).toBe(0);
    expect(header.unitMode).toBe(false);
    expect(header.properties).toContain('TAGS\u0001TagA\u0002');
    expect(command.body?.toString('utf8')).toBe('hello rocketmq-ts');
  });

  it('reads the first pull: suspend and subscription set, commit bit clear with commitOffset -1', () => {
    const command = decodeOne(frameOf('pull-message.hex'));
    const header = decodePullMessageRequestHeader(command.extFields!);
    expect(header.consumerGroup).toBe('CG_CAPTURE');
    expect(header.maxMsgNums).toBe(32);
    expect(header.subscription).toBe('TagA');
    expect(hasPullSysFlag(header.sysFlag, PullSysFlag.SUSPEND)).toBe(true);
    expect(hasPullSysFlag(header.sysFlag, PullSysFlag.SUBSCRIPTION)).toBe(true);
    expect(hasPullSysFlag(header.sysFlag, PullSysFlag.COMMIT_OFFSET)).toBe(false);
    expect(header.commitOffset).toBe(-1);
  });

  it('reads offset query/update and unregister headers', () => {
    const query = decodeOne(frameOf('query-consumer-offset.hex'));
    expect(decodeQueryConsumerOffsetRequestHeader(query.extFields!)).toMatchObject({
      topic: 'TopicTest',
      consumerGroup: 'CG_CAPTURE',
      queueId: 0,
    });
    const update = decodeOne(frameOf('update-consumer-offset.hex'));
    expect(decodeUpdateConsumerOffsetRequestHeader(update.extFields!).commitOffset).toBe(1);
    const unregister = decodeOne(frameOf('unregister-client.hex'));
    expect(decodeUnregisterClientRequestHeader(unregister.extFields!)).toEqual({
      clientID: '127.0.0.1@capture-consumer',
      consumerGroup: 'CG_CAPTURE',
    });
  });

  it('reads the consumer heartbeat body with both subscriptions', () => {
    const command = decodeOne(frameOf('heart-beat.hex'));
    const heartbeat = decodeHeartbeatData(command.body!);
    expect(heartbeat.clientID).toBe('127.0.0.1@capture-consumer');
    const consumer = heartbeat.consumerDataSet[0]!;
    expect(consumer.groupName).toBe('CG_CAPTURE');
    expect(consumer.messageModel).toBe('CLUSTERING');
    const topics = consumer.subscriptionDataSet.map((s) => s.topic).sort();
    expect(topics).toEqual(['%RETRY%CG_CAPTURE', 'TopicTest']);
    const tagA = consumer.subscriptionDataSet.find((s) => s.topic === 'TopicTest')!;
    expect(tagA.codeSet).toEqual([2598919]);
  });
});
