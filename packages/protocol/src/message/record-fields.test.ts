import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { encodeMessageRecord } from './message-record.js';
import type { MessageRecordInput } from './message-record.js';
import {
  BLANK_MAGIC_CODE,
  MESSAGE_MAGIC_CODE_V1,
  MESSAGE_MAGIC_CODE_V2,
  bodyLengthPosition,
  readRecordBodyCrc,
  readRecordBornTimestamp,
  readRecordMagicCode,
  readRecordPhyOffset,
  readRecordPropertiesString,
  readRecordQueueId,
  readRecordQueueOffset,
  readRecordStoreTimestamp,
  readRecordSysFlag,
  readRecordTopic,
  readRecordTotalSize,
  recordPropertiesOffset,
  recordTopicOffset,
  storeTimestampPosition,
  writeRecordPhyOffset,
  writeRecordQueueOffset,
  writeRecordStoreTimestamp,
} from './record-fields.js';

const input: MessageRecordInput = {
  topic: 'TopicTest',
  body: Buffer.from('hello'),
  queueId: 2,
  queueOffset: 17,
  phyOffset: 2 ** 40 + 5,
  bornTimestamp: 1_700_000_000_000,
  bornHost: { host: '10.0.0.9', port: 40000 },
  storeTimestamp: 1_700_000_000_500,
  storeHost: { host: '10.0.0.1', port: 10911 },
  properties: { TAGS: 'TagA' },
};

describe('record field readers', () => {
  it('uses the magic codes of RocketMQ as signed int32 values', () => {
    expect(MESSAGE_MAGIC_CODE_V1).toBe(-626843481);
    expect(MESSAGE_MAGIC_CODE_V2).toBe(-626843477);
    expect(BLANK_MAGIC_CODE).toBe(-875286124);
  });

  it('places STORETIMESTAMP and BODYLENGTH by host family', () => {
    expect(storeTimestampPosition(0)).toBe(56);
    expect(storeTimestampPosition(0x10)).toBe(68);
    expect(bodyLengthPosition(0)).toBe(84);
    expect(bodyLengthPosition(0x10)).toBe(96);
    expect(bodyLengthPosition(0x20)).toBe(96);
    expect(bodyLengthPosition(0x30)).toBe(108);
  });

  it('reads single fields of a record sitting at an offset inside a larger buffer', () => {
    const record = encodeMessageRecord(input);
    const buf = Buffer.concat([Buffer.alloc(13), record, Buffer.alloc(7)]);
    expect(readRecordTotalSize(buf, 13)).toBe(record.length);
    expect(readRecordMagicCode(buf, 13)).toBe(MESSAGE_MAGIC_CODE_V1);
    expect(readRecordBodyCrc(buf, 13)).toBe(record.readInt32BE(8));
    expect(readRecordQueueId(buf, 13)).toBe(2);
    expect(readRecordQueueOffset(buf, 13)).toBe(17);
    expect(readRecordPhyOffset(buf, 13)).toBe(2 ** 40 + 5);
    expect(readRecordSysFlag(buf, 13)).toBe(0);
    expect(readRecordBornTimestamp(buf, 13)).toBe(1_700_000_000_000);
    expect(readRecordStoreTimestamp(buf, 13)).toBe(1_700_000_000_500);
    expect(recordTopicOffset(buf, 13)).toBe(13 + 84 + 4 + 5);
    expect(readRecordTopic(buf, 13)).toBe('TopicTest');
    expect(recordPropertiesOffset(buf, 13)).toBe(13 + 84 + 4 + 5 + 1 + 9);
    expect(readRecordPropertiesString(buf, 13)).toBe('TAGS\u0001TagA\u0002');
  });

  it('reads the topic and store timestamp of IPv6 and V2 records', () => {
    const topic = 'x'.repeat(130);
    const buf = encodeMessageRecord({ ...input, topic, bornHost: { host: '::1', port: 1 } });
    expect(readRecordMagicCode(buf)).toBe(MESSAGE_MAGIC_CODE_V2);
    expect(readRecordStoreTimestamp(buf)).toBe(1_700_000_000_500);
    expect(readRecordTopic(buf)).toBe(topic);
    expect(readRecordPropertiesString(buf)).toBe('TAGS\u0001TagA\u0002');
  });

  it('patches queue offset, physical offset and store timestamp in place', () => {
    const buf = encodeMessageRecord({ ...input, storeHost: { host: '2001:db8::5', port: 10911 } });
    writeRecordQueueOffset(buf, 0, 99);
    writeRecordPhyOffset(buf, 0, 2 ** 52);
    writeRecordStoreTimestamp(buf, 0, 1_800_000_000_000);
    expect(readRecordQueueOffset(buf)).toBe(99);
    expect(readRecordPhyOffset(buf)).toBe(2 ** 52);
    expect(readRecordStoreTimestamp(buf)).toBe(1_800_000_000_000);
    expect(readRecordTopic(buf)).toBe('TopicTest');
  });

  it('throws a ProtocolError when a field lies outside the buffer', () => {
    const buf = encodeMessageRecord(input);
    expect(() => readRecordPhyOffset(buf.subarray(0, 30))).toThrow(ProtocolError);
    expect(() => readRecordTotalSize(buf, buf.length - 2)).toThrow(/outside the/);
    expect(() => readRecordTopic(buf.subarray(0, 95))).toThrow(ProtocolError);
    const negative = Buffer.from(buf);
    negative.writeInt32BE(-1, 84);
    expect(() => recordTopicOffset(negative)).toThrow(/negative body length -1 at offset 84/);
  });
});
