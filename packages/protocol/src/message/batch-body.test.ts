import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { decodeBatchBody, encodeBatchBody } from './batch-body.js';

const hasNoSeparator = (s: string): boolean => !s.includes('\u0001') && !s.includes('\u0002');

describe('batch body', () => {
  it('writes each entry as size, zero magic, zero crc, flag, body and properties', () => {
    const buf = encodeBatchBody([
      { body: Buffer.from('ab'), flag: 5, properties: { KEYS: 'k' } },
      { body: Buffer.alloc(0) },
    ]);
    expect(buf.toString('hex')).toBe(
      [
        '0000001f', // TOTALSIZE = 22 + 2 + 7
        '00000000', // MAGICCODE
        '00000000', // BODYCRC
        '00000005', // FLAG
        '00000002', // BODYLENGTH
        '6162', //     "ab"
        '0007', //     PROPERTIESLENGTH
        '4b455953016b02', // "KEYS\u0001k\u0002"
        '00000016', // second entry: TOTALSIZE = 22
        '00000000',
        '00000000',
        '00000000', // FLAG defaults to 0
        '00000000', // empty body
        '0000', //     no properties
      ].join(''),
    );
  });

  it('decodes what it encodes, keeping the raw properties string', () => {
    const entries = decodeBatchBody(
      encodeBatchBody([
        {
          body: Buffer.from('one'),
          flag: -1,
          properties: new Map([
            ['UNIQ_KEY', 'U1'],
            ['TAGS', 'T'],
          ]),
        },
        { body: Buffer.from('two'), properties: 'WAIT\u0001true\u0002' },
      ]),
    );
    expect(entries).toHaveLength(2);
    expect(entries[0]?.flag).toBe(-1);
    expect(entries[0]?.body.toString()).toBe('one');
    expect(entries[0]?.properties).toEqual(
      new Map([
        ['UNIQ_KEY', 'U1'],
        ['TAGS', 'T'],
      ]),
    );
    expect(entries[1]?.propertiesString).toBe('WAIT\u0001true\u0002');
    expect(entries[1]?.size).toBe(22 + 3 + 10);
    expect(decodeBatchBody(Buffer.alloc(0))).toEqual([]);
  });

  it('refuses an entry whose size disagrees with its lengths, naming the offset', () => {
    const buf = encodeBatchBody([{ body: Buffer.from('a') }, { body: Buffer.from('b') }]);
    buf.writeInt32BE(24, 23);
    try {
      decodeBatchBody(buf);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ProtocolError);
      expect((e as ProtocolError).offset).toBe(23);
    }
    expect(() => decodeBatchBody(buf.subarray(0, 30))).toThrow(/truncated/);
  });

  it('either decodes random, truncated or corrupted bodies or throws a ProtocolError', () => {
    const entry = fc.record({
      body: fc.uint8Array({ maxLength: 40 }),
      flag: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
      properties: fc.dictionary(
        fc.string({ minLength: 1, maxLength: 6 }).filter(hasNoSeparator),
        fc.string({ minLength: 1, maxLength: 6 }).filter(hasNoSeparator),
        { maxKeys: 3 },
      ),
    });
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 4 }),
        fc.uint8Array({ maxLength: 100 }),
        fc.tuple(fc.nat(), fc.nat()),
        (msgs, noise, [cut, flip]) => {
          const buf = encodeBatchBody(msgs);
          const back = decodeBatchBody(buf);
          expect(back.map((e) => e.flag)).toEqual(msgs.map((m) => m.flag));
          expect(back.map((e) => Object.fromEntries(e.properties))).toEqual(
            msgs.map((m) => m.properties),
          );
          for (const candidate of [
            Buffer.from(noise),
            buf.subarray(0, buf.length === 0 ? 0 : cut % buf.length),
            (() => {
              const c = Buffer.from(buf);
              if (c.length > 0) c[flip % c.length] = cut & 0xff;
              return c;
            })(),
          ]) {
            try {
              decodeBatchBody(candidate);
            } catch (e) {
              expect(e).toBeInstanceOf(ProtocolError);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
