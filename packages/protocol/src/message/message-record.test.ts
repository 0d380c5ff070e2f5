import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError, RocketMQError } from '../errors.js';
import { formatIpAddress } from './host-address.js';
import { decodeMessageRecord, decodeMessageRecords } from './message-record-decoder.js';
import {
  encodeMessageRecord,
  encodeMessageRecordInto,
  messageRecordSize,
} from './message-record.js';
import type { MessageRecord, MessageRecordInput } from './message-record.js';
import { MessageSysFlag } from './message-sys-flag.js';
import { MESSAGE_MAGIC_CODE_V1, MESSAGE_MAGIC_CODE_V2 } from './record-fields.js';

const hasNoSeparator = (s: string): boolean => !s.includes('\u0001') && !s.includes('\u0002');

/** The record of the §6.1 table, written field by field at the documented offsets (IPv4 hosts, V1). */
const HAND_BUILT = Buffer.from(
  [
    '00000069', //           0 TOTALSIZE = 91 + 2 + 2 + 10 = 105
    'daa320a7', //           4 MAGICCODE V1
    '58932aac', //           8 BODYCRC = crc32("hi") & 0x7FFFFFFF
    '00000003', //          12 QUEUEID 3
    '00000007', //          16 FLAG 7
    '000000000000002a', //  20 QUEUEOFFSET 42
    '0000000000001f40', //  28 PHYSICALOFFSET 8000
    '00000000', //          36 SYSFLAG
    '0000018bcfe56800', //  40 BORNTIMESTAMP 1700000000000
    'c0a80102', //          48 BORNHOST 192.168.1.2
    '0000c350', //          52 port 50000
    '0000018bcfe5687b', //  56 STORETIMESTAMP 1700000000123
    '0a000001', //          64 STOREHOST 10.0.0.1
    '00002a9f', //          68 port 10911
    '00000001', //          72 RECONSUMETIMES 1
    '0000000000000000', //  76 PREPARED TRANSACTION OFFSET
    '00000002', //          84 BODYLENGTH 2
    '6869', //              88 "hi"
    '02', //                90 TOPICLENGTH 2
    '5431', //              91 "T1"
    '000a', //              93 PROPERTIESLENGTH 10
    '54414753015461674102', // 95 "TAGS\u0001TagA\u0002"
  ].join(''),
  'hex',
);

const HAND_INPUT: MessageRecordInput = {
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
  properties: new Map([['TAGS', 'TagA']]),
};

function expectDecodesOrProtocolError(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ProtocolError);
  }
}

describe('message record layout', () => {
  it('encodes the hand-built record byte for byte', () => {
    expect(HAND_BUILT.length).toBe(105);
    expect(encodeMessageRecord(HAND_INPUT).toString('hex')).toBe(HAND_BUILT.toString('hex'));
  });

  it('decodes every field of the hand-built record', () => {
    const entry = decodeMessageRecord(HAND_BUILT);
    expect(entry.kind).toBe('message');
    if (entry.kind !== 'message') return;
    expect(entry.size).toBe(105);
    const r = entry.record;
    expect(r).toMatchObject({
      totalSize: 105,
      magicCode: MESSAGE_MAGIC_CODE_V1,
      bodyCrc: 0x58932aac,
      queueId: 3,
      flag: 7,
      queueOffset: 42,
      phyOffset: 8000,
      sysFlag: 0,
      bornTimestamp: 1_700_000_000_000,
      bornHost: { host: '192.168.1.2', port: 50000 },
      storeTimestamp: 1_700_000_000_123,
      storeHost: { host: '10.0.0.1', port: 10911 },
      reconsumeTimes: 1,
      preparedTransactionOffset: 0,
      topic: 'T1',
      propertiesString: 'TAGS\u0001TagA\u0002',
    });
    expect(r.body.toString()).toBe('hi');
    expect(r.properties).toEqual(new Map([['TAGS', 'TagA']]));
  });

  it('computes record sizes like CommitLog.calMsgLength', () => {
    const base = { bodyLength: 2, topicLength: 2, propertiesLength: 10 };
    expect(messageRecordSize({ ...base, sysFlag: 0 })).toBe(105);
    expect(messageRecordSize({ ...base, sysFlag: MessageSysFlag.BORNHOST_V6_FLAG })).toBe(117);
    expect(messageRecordSize({ ...base, sysFlag: 0x30 })).toBe(129);
    expect(messageRecordSize({ ...base, sysFlag: 0, magicCode: MESSAGE_MAGIC_CODE_V2 })).toBe(106);
  });

  it('writes IPv6 hosts as 16 + 4 bytes and sets the matching sysFlag bits', () => {
    const buf = encodeMessageRecord({
      ...HAND_INPUT,
      sysFlag: MessageSysFlag.COMPRESSED_FLAG,
      bornHost: { host: '2001:db8::1', port: 1234 },
      storeHost: { host: 'fe80::2', port: 10911 },
    });
    expect(buf.length).toBe(129);
    expect(buf.readInt32BE(36)).toBe(0x31);
    expect(buf.subarray(48, 64).toString('hex')).toBe('20010db8000000000000000000000001');
    expect(buf.readInt32BE(64)).toBe(1234);
    expect(buf.readInt32BE(108)).toBe(2); // BODYLENGTH shifted by 24
    const entry = decodeMessageRecord(buf);
    if (entry.kind !== 'message') throw new Error('expected a message');
    expect(entry.record.bornHost).toEqual({ host: '2001:db8::1', port: 1234 });
    expect(entry.record.storeHost).toEqual({ host: 'fe80::2', port: 10911 });
    expect(entry.record.storeTimestamp).toBe(1_700_000_000_123);
  });

  it('clears stale IPv6 bits when both hosts are IPv4, and maps ::ffff: peers to IPv4', () => {
    const buf = encodeMessageRecord({
      ...HAND_INPUT,
      sysFlag: 0x30,
      bornHost: { host: '::ffff:192.168.1.2', port: 50000 },
    });
    expect(buf.toString('hex')).toBe(HAND_BUILT.toString('hex'));
  });

  it('switches to the V2 magic for a topic longer than 127 bytes', () => {
    const topic = 't'.repeat(128);
    const buf = encodeMessageRecord({ ...HAND_INPUT, topic });
    expect(buf.readInt32BE(4)).toBe(MESSAGE_MAGIC_CODE_V2);
    expect(buf.length).toBe(92 + 2 + 128 + 10);
    expect(buf.readInt16BE(90)).toBe(128);
    const entry = decodeMessageRecord(buf);
    expect(entry.kind === 'message' && entry.record.topic).toBe(topic);
  });

  it('keeps the V1 magic for a topic of exactly 127 bytes', () => {
    const buf = encodeMessageRecord({ ...HAND_INPUT, topic: 't'.repeat(127) });
    expect(buf.readInt32BE(4)).toBe(MESSAGE_MAGIC_CODE_V1);
    expect(buf.readUInt8(90)).toBe(127);
  });

  it('writes V2 for a short topic when asked and decodes it', () => {
    const buf = encodeMessageRecord({ ...HAND_INPUT, magicCode: MESSAGE_MAGIC_CODE_V2 });
    expect(buf.length).toBe(106);
    const entry = decodeMessageRecord(buf);
    expect(entry.kind === 'message' && entry.record.magicCode).toBe(MESSAGE_MAGIC_CODE_V2);
    expect(entry.kind === 'message' && entry.record.topic).toBe('T1');
  });

  it('refuses a topic that does not fit the chosen layout and oversized properties', () => {
    expect(() =>
      encodeMessageRecord({
        ...HAND_INPUT,
        topic: 't'.repeat(128),
        magicCode: MESSAGE_MAGIC_CODE_V1,
      }),
    ).toThrow(RocketMQError);
    expect(() =>
      encodeMessageRecord({ ...HAND_INPUT, properties: { A: 'x'.repeat(40000) } }),
    ).toThrow(/exceed 32767/);
    expect(() => encodeMessageRecord({ ...HAND_INPUT, queueId: 2 ** 31 })).toThrow(/queueId/);
    expect(() => encodeMessageRecord({ ...HAND_INPUT, phyOffset: 2 ** 53 })).toThrow(RocketMQError);
    expect(() =>
      encodeMessageRecord({ ...HAND_INPUT, bornHost: { host: 'example.com', port: 1 } }),
    ).toThrow(ProtocolError);
  });

  it('writes a given body CRC and a raw properties string unchanged', () => {
    const buf = encodeMessageRecord({ ...HAND_INPUT, bodyCrc: 5, properties: 'X\u0001\u0002junk' });
    const entry = decodeMessageRecord(buf);
    if (entry.kind !== 'message') throw new Error('expected a message');
    expect(entry.record.bodyCrc).toBe(5);
    expect(entry.record.propertiesString).toBe('X\u0001\u0002junk');
    expect(entry.record.properties.size).toBe(0);
  });

  it('encodes into a larger buffer at an offset and refuses when it does not fit', () => {
    const target = Buffer.alloc(200, 0xee);
    expect(encodeMessageRecordInto(HAND_INPUT, target, 50)).toBe(105);
    expect(target.subarray(50, 155)).toEqual(HAND_BUILT);
    expect(target[49]).toBe(0xee);
    expect(target[155]).toBe(0xee);
    const small = Buffer.alloc(150, 0xee);
    expect(() => encodeMessageRecordInto(HAND_INPUT, small, 50)).toThrow(/does not fit/);
    expect(small.every((b) => b === 0xee)).toBe(true);
    expect(() => encodeMessageRecordInto({ ...HAND_INPUT, queueOffset: 0.5 }, small, 0)).toThrow(
      /queueOffset 0.5/,
    );
    expect(small.every((b) => b === 0xee)).toBe(true);
  });
});

const ipv4 = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => formatIpAddress(b, 0, 4));
const ipv6 = fc
  .uint8Array({ minLength: 16, maxLength: 16 })
  .filter((b) => !b.subarray(0, 12).every((x, i) => (i < 10 ? x === 0 : x === 0xff)))
  .map((b) => formatIpAddress(b, 0, 16));
const host = fc.record({ host: fc.oneof(ipv4, ipv6), port: fc.integer({ min: 0, max: 65535 }) });
const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const propName = fc.string({ minLength: 1, maxLength: 10, unit: 'binary' }).filter(hasNoSeparator);
const recordInput: fc.Arbitrary<MessageRecordInput> = fc.record({
  topic: fc.oneof(
    fc.string({ maxLength: 20, unit: 'binary' }),
    fc.string({ minLength: 120, maxLength: 200 }),
  ),
  body: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  queueId: int32,
  flag: int32,
  queueOffset: fc.maxSafeInteger(),
  phyOffset: fc.maxSafeNat(),
  sysFlag: int32,
  bornTimestamp: fc.maxSafeNat(),
  bornHost: host,
  storeTimestamp: fc.maxSafeNat(),
  storeHost: host,
  reconsumeTimes: int32,
  preparedTransactionOffset: fc.maxSafeInteger(),
  properties: fc
    .dictionary(propName, propName, { maxKeys: 5 })
    .map((d) => new Map(Object.entries(d))),
});

function decodeOne(buf: Buffer): MessageRecord {
  const entry = decodeMessageRecord(buf, 0, { verifyBodyCrc: true });
  if (entry.kind !== 'message') throw new Error('expected a message');
  return entry.record;
}

describe('message record properties', () => {
  it('decodes every field it encodes and re-encodes the same bytes', () => {
    fc.assert(
      fc.property(recordInput, (input) => {
        const buf = encodeMessageRecord(input);
        const r = decodeOne(buf);
        expect(r.totalSize).toBe(buf.length);
        expect(r.topic).toBe(input.topic);
        expect(Buffer.compare(r.body, Buffer.from(input.body))).toBe(0);
        expect(r.properties).toEqual(input.properties);
        expect(r.bornHost).toEqual(input.bornHost);
        expect(r.storeHost).toEqual(input.storeHost);
        for (const k of [
          'queueId',
          'flag',
          'queueOffset',
          'phyOffset',
          'bornTimestamp',
          'storeTimestamp',
          'reconsumeTimes',
          'preparedTransactionOffset',
        ] as const) {
          expect(r[k]).toBe(input[k]);
        }
        const v6 =
          (input.bornHost.host.includes(':') ? 0x10 : 0) |
          (input.storeHost.host.includes(':') ? 0x20 : 0);
        expect(r.sysFlag).toBe(((input.sysFlag ?? 0) & ~0x30) | v6);
        expect(encodeMessageRecord({ ...r, properties: r.propertiesString })).toEqual(buf);
      }),
      { numRuns: 200 },
    );
  });

  it('either decodes random bytes or throws a ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (bytes, magic) => {
        const buf = Buffer.from(bytes);
        if (magic && buf.length >= 8) buf.writeInt32BE(MESSAGE_MAGIC_CODE_V1, 4);
        expectDecodesOrProtocolError(() => decodeMessageRecord(buf));
        expectDecodesOrProtocolError(() => decodeMessageRecords(buf, { verifyBodyCrc: true }));
      }),
      { numRuns: 300 },
    );
  });

  it('either decodes truncated or corrupted valid records or throws a ProtocolError', () => {
    fc.assert(
      fc.property(
        fc.array(recordInput, { minLength: 1, maxLength: 3 }),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        (inputs, cut, flips) => {
          const whole = Buffer.concat(inputs.map((i) => encodeMessageRecord(i)));
          const truncated = whole.subarray(0, cut % whole.length);
          expectDecodesOrProtocolError(() => decodeMessageRecords(truncated));
          const corrupted = Buffer.from(whole);
          for (const [at, value] of flips) corrupted[at % corrupted.length] = value;
          expectDecodesOrProtocolError(() =>
            decodeMessageRecords(corrupted, { verifyBodyCrc: true }),
          );
          expectDecodesOrProtocolError(() =>
            decodeMessageRecord(corrupted, cut % corrupted.length),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
