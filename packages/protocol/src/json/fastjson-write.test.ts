import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RocketMQError } from '../errors.js';
import { ObjectKeyMap, parseFastjson } from './fastjson-parse.js';
import {
  FastjsonDouble,
  encodeFastjson,
  formatJavaDouble,
  writeFastjson,
} from './fastjson-write.js';

describe('formatJavaDouble', () => {
  it('writes doubles as Java Double.toString does', () => {
    expect(formatJavaDouble(0)).toBe('0.0');
    expect(formatJavaDouble(-0)).toBe('-0.0');
    expect(formatJavaDouble(12)).toBe('12.0');
    expect(formatJavaDouble(12.5)).toBe('12.5');
    expect(formatJavaDouble(0.001)).toBe('0.001');
    expect(formatJavaDouble(0.0001)).toBe('1.0E-4');
    expect(formatJavaDouble(1.25e-5)).toBe('1.25E-5');
    expect(formatJavaDouble(9999999)).toBe('9999999.0');
    expect(formatJavaDouble(1e7)).toBe('1.0E7');
    expect(formatJavaDouble(-1.5e21)).toBe('-1.5E21');
    expect(formatJavaDouble(NaN)).toBe('NaN');
    expect(formatJavaDouble(-Infinity)).toBe('-Infinity');
  });

  it('produces text that parses back to the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(Number(formatJavaDouble(d).replace('E', 'e'))).toBe(d);
      }),
      { numRuns: 300 },
    );
  });
});

describe('writeFastjson', () => {
  it('sorts plain object properties and omits undefined and null ones', () => {
    expect(writeFastjson({ topic: 't', brokerName: 'b', queueId: 0, x: undefined, y: null })).toBe(
      '{"brokerName":"b","queueId":0,"topic":"t"}',
    );
  });

  it('quotes number keys of a Map and keeps its insertion order', () => {
    expect(
      writeFastjson(
        new Map([
          [1, 'b'],
          [0, 'a'],
        ]),
      ),
    ).toBe('{"1":"b","0":"a"}');
  });

  it('writes object keys in fastjson form', () => {
    const m = new ObjectKeyMap<object, unknown>([
      [{ topic: 'TopicTest', queueId: 0, brokerName: 'broker-a' }, { maxOffset: 42 }],
    ]);
    expect(writeFastjson({ offsetTable: m })).toBe(
      '{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"TopicTest"}:{"maxOffset":42}}}',
    );
    expect(writeFastjson(new Map([[{ a: 1 }, 2]]))).toBe('{{"a":1}:2}');
  });

  it('writes FastjsonDouble like Java and non-finite numbers as null', () => {
    expect(writeFastjson({ consumeTps: new FastjsonDouble(0) })).toBe('{"consumeTps":0.0}');
    expect(writeFastjson([NaN, new FastjsonDouble(Infinity), 1.5, 10n, undefined])).toBe(
      '[null,null,1.5,10,null]',
    );
  });

  it('writes sets as arrays and escapes strings as JSON', () => {
    expect(writeFastjson(new Set(['a"b', 'é\n']))).toBe('["a\\"b","é\\n"]');
  });

  it('refuses functions, symbols and cycles with a RocketMQError', () => {
    expect(() => writeFastjson({ f: () => 1 })).toThrow(RocketMQError);
    expect(() => writeFastjson([Symbol('x')])).toThrow(RocketMQError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => writeFastjson(cyclic)).toThrow(/nesting deeper/);
  });

  it('round-trips JSON values through the parser, minus null properties', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        const normalized: unknown = JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
          v !== null && typeof v === 'object' && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null))
            : v,
        );
        expect(parseFastjson(encodeFastjson(normalized))).toEqual(normalized);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips object-keyed maps through the parser', () => {
    const mq = fc.record({ brokerName: fc.string(), queueId: fc.nat(), topic: fc.string() });
    fc.assert(
      fc.property(fc.array(fc.tuple(mq, fc.nat()), { minLength: 1, maxLength: 5 }), (entries) => {
        const parsed = parseFastjson(writeFastjson(new ObjectKeyMap<object, unknown>(entries)));
        expect(parsed).toBeInstanceOf(ObjectKeyMap);
        expect((parsed as ObjectKeyMap).entries).toEqual(entries);
      }),
      { numRuns: 200 },
    );
  });
});
