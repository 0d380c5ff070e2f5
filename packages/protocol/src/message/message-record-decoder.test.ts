import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { decodeMessageRecord, decodeMessageRecords } from './message-record-decoder.js';
import { encodeMessageRecord } from './message-record.js';
import { BLANK_MAGIC_CODE } from './record-fields.js';

/** The 105-byte record of message-record.test.ts: IPv4 hosts, V1, topic "T1", body "hi", TAGS=TagA. */
const HAND_BUILT = encodeMessageRecord({
  topic: 'T1',
  body: Buffer.from('hi'),
  queueId: 3,
  flag: 7,
  queueOffset: 42,
  phyOffset: 8000,
  bornTimestamp: 1_700_000_000_000,
  bornHost: { host: '192.168.1.2', port: 50000 },
  storeTimestamp: 1_700_000_000_123,
  storeHost: { host: '10.0.0.1', port: 10911 },
  reconsumeTimes: 1,
  properties: { TAGS: 'TagA' },
});

describe('message record validation', () => {
  it('reports the commit-log end-of-file filler distinctly, from its 8 header bytes', () => {
    const blank = Buffer.alloc(8);
    blank.writeInt32BE(4096, 0);
    blank.writeInt32BE(BLANK_MAGIC_CODE, 4);
    expect(decodeMessageRecord(blank)).toEqual({ kind: 'blank', size: 4096 });
    expect(() => decodeMessageRecords(Buffer.concat([HAND_BUILT, blank]))).toThrow(
      /blank filler at offset 105/,
    );
  });

  it('refuses an unknown magic code naming the offset', () => {
    const bad = Buffer.from(HAND_BUILT);
    bad.writeInt32BE(0x12345678, 4);
    expect(() => decodeMessageRecord(bad)).toThrow(/unknown magic code 0x12345678 at offset 0/);
  });

  it('refuses a record whose total size disagrees with its fields', () => {
    const longer = Buffer.concat([HAND_BUILT, Buffer.alloc(1)]);
    longer.writeInt32BE(106, 0);
    expect(() => decodeMessageRecord(longer)).toThrow(/differs from the computed size 105/);
  });

  it('refuses a truncated record', () => {
    expect(() => decodeMessageRecord(HAND_BUILT.subarray(0, 104))).toThrow(
      /exceeds the 104 bytes available/,
    );
    expect(() => decodeMessageRecord(HAND_BUILT.subarray(0, 5))).toThrow(ProtocolError);
  });

  it('refuses a V1 topic length byte above 127 as Java does', () => {
    const bad = Buffer.from(HAND_BUILT);
    bad.writeUInt8(0x80, 90);
    expect(() => decodeMessageRecord(bad)).toThrow(/topic length -128 at offset 90/);
  });

  it('checks the body CRC only when asked', () => {
    const bad = Buffer.from(HAND_BUILT);
    bad.writeInt32BE(1, 8);
    expect(decodeMessageRecord(bad).kind).toBe('message');
    try {
      decodeMessageRecord(bad, 0, { verifyBodyCrc: true });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ProtocolError);
      expect((e as ProtocolError).offset).toBe(0);
      expect((e as ProtocolError).message).toMatch(/body crc 1 .* computed 1486039724/);
    }
    expect(decodeMessageRecord(HAND_BUILT, 0, { verifyBodyCrc: true }).kind).toBe('message');
  });

  it('walks back-to-back records and names the offset of a bad one', () => {
    const three = Buffer.concat([HAND_BUILT, HAND_BUILT, HAND_BUILT]);
    expect(decodeMessageRecords(three).map((r) => r.totalSize)).toEqual([105, 105, 105]);
    expect(decodeMessageRecords(Buffer.alloc(0))).toEqual([]);
    const broken = Buffer.from(three);
    broken.writeInt32BE(0, 214);
    try {
      decodeMessageRecords(broken);
      expect.unreachable();
    } catch (e) {
      expect((e as ProtocolError).offset).toBe(210);
    }
  });
});
