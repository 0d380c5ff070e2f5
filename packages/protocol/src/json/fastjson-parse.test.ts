import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { ObjectKeyMap, parseFastjson } from './fastjson-parse.js';

function syntaxError(
  input: Buffer | string,
  options?: Parameters<typeof parseFastjson>[1],
): ProtocolError {
  try {
    parseFastjson(input, options);
  } catch (err) {
    if (err instanceof ProtocolError) return err;
    throw err;
  }
  throw new Error('expected a ProtocolError');
}

describe('parseFastjson', () => {
  it('parses standard JSON the same way as JSON.parse', () => {
    const text = '{"a":[1,2.5,-3e2,true,false,null],"b":{"c":"d\\n\\u00e9"}}';
    expect(parseFastjson(text)).toEqual(JSON.parse(text));
    expect(parseFastjson(text, { fastPath: false })).toEqual(JSON.parse(text));
  });

  it('accepts UTF-8 buffers', () => {
    expect(parseFastjson(Buffer.from('{"topic":"主题"}', 'utf8'))).toEqual({ topic: '主题' });
  });

  it('turns unquoted integer keys into their decimal text', () => {
    expect(parseFastjson('{0:"10.0.0.1:10911",1:"10.0.0.2:10911",-1:"x"}')).toEqual({
      '0': '10.0.0.1:10911',
      '1': '10.0.0.2:10911',
      '-1': 'x',
    });
  });

  it('keeps the digits of unquoted long keys beyond 2^53', () => {
    expect(Object.keys(parseFastjson('{9007199254740993:1}') as object)).toEqual([
      '9007199254740993',
    ]);
  });

  it('decodes object keys into an ObjectKeyMap keeping pairs in order', () => {
    const v = parseFastjson(
      '{"offsetTable":{{"brokerName":"b","queueId":1,"topic":"t"}:5, {"brokerName":"b","queueId":0,"topic":"t"} : 7}}',
    ) as { offsetTable: ObjectKeyMap };
    expect(v.offsetTable).toBeInstanceOf(ObjectKeyMap);
    expect(v.offsetTable.entries).toEqual([
      [{ brokerName: 'b', queueId: 1, topic: 't' }, 5],
      [{ brokerName: 'b', queueId: 0, topic: 't' }, 7],
    ]);
  });

  it('keeps ordinary string keys as strings inside an object-keyed map', () => {
    const v = parseFastjson('{{"a":1}:1,"b":2}') as ObjectKeyMap;
    expect(v.entries).toEqual([
      [{ a: 1 }, 1],
      ['b', 2],
    ]);
  });

  it('stores a __proto__ key as an own property without changing the prototype', () => {
    for (const fastPath of [true, false]) {
      const v = parseFastjson('{"__proto__":{"polluted":true}}', { fastPath }) as Record<
        string,
        unknown
      >;
      expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
      expect(Object.keys(v)).toEqual(['__proto__']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it('reports the byte offset of a syntax error in a buffer', () => {
    const err = syntaxError(Buffer.from('{"é":1,}', 'utf8'));
    expect(err.offset).toBe(8);
    expect(err.message).toMatch(/offset 8/);
  });

  it('reports the offset of an unterminated string at its opening quote', () => {
    expect(syntaxError('[1, "abc').offset).toBe(4);
  });

  it('refuses non-integer numbers and literals as object keys', () => {
    expect(syntaxError('{1.5:1}').message).toMatch(/non-integer/);
    expect(syntaxError('{true:1}').offset).toBe(1);
  });

  it('refuses an object key whose own keys are objects', () => {
    expect(syntaxError('{{{"a":1}:1}:2}').offset).toBe(1);
  });

  it('refuses nesting deeper than maxDepth on both paths', () => {
    const deep = '['.repeat(65) + ']'.repeat(65);
    expect(syntaxError(deep).message).toMatch(/nesting deeper than 64/);
    expect(syntaxError(deep, { fastPath: false }).message).toMatch(/nesting deeper than 64/);
    expect(parseFastjson('['.repeat(64) + ']'.repeat(64))).toBeDefined();
    const deepKeys = '{'.repeat(40) + '{"a":1}:1' + '}'.repeat(40);
    expect(syntaxError(deepKeys, { maxDepth: 16 }).message).toMatch(/nesting/);
  });

  it('refuses a million nested brackets quickly without overflowing the stack', () => {
    const hostile = '{"a":'.repeat(1_000_000);
    expect(syntaxError(hostile)).toBeInstanceOf(ProtocolError);
    expect(syntaxError('{0:'.repeat(1_000_000))).toBeInstanceOf(ProtocolError);
  });

  it('refuses trailing data, bad escapes, raw control characters and empty input', () => {
    for (const bad of [
      '{} x',
      '"\\q"',
      '"a\u0001"',
      '',
      '   ',
      '[1,]',
      '{"a"1}',
      '-',
      '01',
      '"\\u12"',
    ]) {
      expect(syntaxError(bad, { fastPath: false })).toBeInstanceOf(ProtocolError);
      expect(syntaxError(bad)).toBeInstanceOf(ProtocolError);
    }
  });

  it('returns a value or throws ProtocolError for any string, never another error', () => {
    const alphabet = fc.constantFrom(...'{}[]:,"\\0123456789-+.eEtruefalsn \n\tu'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 60 })), (s) => {
        for (const fastPath of [true, false]) {
          try {
            parseFastjson(s, { fastPath });
          } catch (err) {
            expect(err).toBeInstanceOf(ProtocolError);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('returns a value or throws ProtocolError for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          parseFastjson(Buffer.from(bytes), { fastPath: false });
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips any JSON.stringify-able value through the lenient parser', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        expect(parseFastjson(text, { fastPath: false })).toEqual(JSON.parse(text));
        expect(parseFastjson(Buffer.from(text))).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });
});
