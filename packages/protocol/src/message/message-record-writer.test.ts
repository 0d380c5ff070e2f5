import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RocketMQError } from '../errors.js';
import { encodeMessageRecord } from './message-record.js';
import { MessageRecordWriter } from './message-record-writer.js';
import type { RecordFields } from './message-record-writer.js';

function fieldsOf(overrides: Partial<RecordFields> = {}): RecordFields {
  const properties = overrides.properties ?? 'TAGS\u0001TagA\u0002KEYS\u0001k1\u0002';
  return {
    topic: 'T1',
    body: Buffer.from('hello'),
    queueId: 3,
    flag: 7,
    queueOffset: 42,
    sysFlag: 0,
    bornTimestamp: 1_700_000_000_000,
    bornHost: { host: '192.168.1.2', port: 50000 },
    storeTimestamp: 1_700_000_000_123,
    storeHost: { host: '10.0.0.1', port: 10911 },
    reconsumeTimes: 1,
    preparedTransactionOffset: 0,
    propertiesBytes: Buffer.byteLength(properties, 'utf8'),
    phyOffset: 0,
    ...overrides,
    properties,
  };
}

/** The writer's bytes for `fields` at phyOffset, written at a non-zero offset of a larger buffer. */
function written(writer: MessageRecordWriter, fields: RecordFields, phyOffset: number): Buffer {
  const size = writer.measure(fields);
  const target = Buffer.alloc(size + 16, 0xee);
  fields.phyOffset = phyOffset;
  writer.write(target, 7, fields);
  expect(target.subarray(0, 7).every((b) => b === 0xee)).toBe(true);
  expect(target.subarray(7 + size).every((b) => b === 0xee)).toBe(true);
  return target.subarray(7, 7 + size);
}

describe('MessageRecordWriter', () => {
  it('writes the same bytes as encodeMessageRecord', () => {
    const writer = new MessageRecordWriter();
    const fields = fieldsOf();
    expect(written(writer, fields, 8000)).toEqual(
      encodeMessageRecord({ ...fields, phyOffset: 8000 }),
    );
  });

  it('matches encodeMessageRecord for IPv6 hosts, long topics, unicode and random integers', () => {
    const writer = new MessageRecordWriter();
    const host = fc.constantFrom('127.0.0.1', '::1', 'fe80::1:2', '::ffff:10.1.2.3', '10.0.0.200');
    fc.assert(
      fc.property(
        fc.record({
          topic: fc.oneof(
            fc.constantFrom('T', 'Topic-ü', 'x'.repeat(128), 'y'.repeat(300)),
            fc.string({ minLength: 1, maxLength: 20 }),
          ),
          body: fc.uint8Array({ maxLength: 64 }),
          queueId: fc.integer({ min: 0, max: 0x7fffffff }),
          flag: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
          queueOffset: fc.maxSafeNat(),
          sysFlag: fc.integer({ min: 0, max: 0xff }),
          bornTimestamp: fc.maxSafeNat(),
          born: host,
          storeTimestamp: fc.maxSafeNat(),
          store: host,
          port: fc.integer({ min: 0, max: 65535 }),
          reconsumeTimes: fc.integer({ min: 0, max: 16 }),
          preparedTransactionOffset: fc.maxSafeNat(),
          properties: fc.constantFrom('', 'A\u00011\u0002', 'KEYS\u0001ключ\u0002'),
          phyOffset: fc.maxSafeNat(),
        }),
        (r) => {
          const fields = fieldsOf({
            ...r,
            bornHost: { host: r.born, port: r.port },
            storeHost: { host: r.store, port: 10911 },
            propertiesBytes: Buffer.byteLength(r.properties, 'utf8'),
          });
          expect(written(writer, fields, r.phyOffset)).toEqual(
            encodeMessageRecord({ ...fields, phyOffset: r.phyOffset }),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses bad fields in measure, before anything is written', () => {
    const writer = new MessageRecordWriter();
    expect(() => writer.measure(fieldsOf({ queueId: 2 ** 31 }))).toThrow(RocketMQError);
    expect(() => writer.measure(fieldsOf({ queueOffset: 2 ** 53 }))).toThrow(/queueOffset/);
    expect(() => writer.measure(fieldsOf({ topic: 't'.repeat(32768) }))).toThrow(/topic/);
    expect(() => writer.measure(fieldsOf({ propertiesBytes: 32768 }))).toThrow(/properties/);
    expect(() => writer.measure(fieldsOf({ bornHost: { host: 'not-a-host', port: 1 } }))).toThrow();
  });

  it('keeps working past its cache bound of distinct hosts and topics', () => {
    const writer = new MessageRecordWriter();
    for (let i = 0; i < 5000; i++) {
      const fields = fieldsOf({
        topic: `T${i}`,
        bornHost: { host: `10.${(i >> 8) & 0xff}.${i & 0xff}.1`, port: i },
      });
      if (i % 1000 === 999) {
        expect(written(writer, fields, i)).toEqual(
          encodeMessageRecord({ ...fields, phyOffset: i }),
        );
      } else {
        writer.measure(fields);
      }
    }
  });
});
