import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeaderFieldError } from '../errors.js';
import type { ExtFields } from '../ext-fields.js';
import {
  ExtFieldsWriter,
  formatJavaInt,
  formatJavaLong,
  parseJavaBoolean,
  parseJavaInt,
  parseJavaLong,
  readOptionalBoolean,
  readOptionalInt,
  readOptionalLong,
  readOptionalString,
  readRaw,
  readRequiredBoolean,
  readRequiredInt,
  readRequiredLong,
  readRequiredString,
} from './header-fields.js';

function fieldError(fn: () => unknown): HeaderFieldError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HeaderFieldError) return e;
    throw e;
  }
  throw new Error('expected a HeaderFieldError');
}

describe('parseJavaInt', () => {
  it.each([
    ['0', 0],
    ['-1', -1],
    ['+7', 7],
    ['007', 7],
    ['-0', 0],
    ['2147483647', 2147483647],
    ['-2147483648', -2147483648],
  ])('accepts %j as Integer.parseInt does', (raw, value) => {
    expect(Object.is(parseJavaInt('queueId', raw), value)).toBe(true);
  });

  it.each(['1.5', ' 1', '1 ', '', '+', '-', '0x10', '1e3', '2147483648', '-2147483649', '١'])(
    'rejects %j as Integer.parseInt does, naming the field',
    (raw) => {
      const err = fieldError(() => parseJavaInt('queueId', raw));
      expect(err.field).toBe('queueId');
      expect(err.message).toContain('queueId');
    },
  );
});

describe('parseJavaLong', () => {
  it.each([
    ['-1', -1],
    ['1795545972421', 1795545972421],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ['-9007199254740991', Number.MIN_SAFE_INTEGER],
  ])('accepts %j', (raw, value) => {
    expect(parseJavaLong('queueOffset', raw)).toBe(value);
  });

  it.each([
    '1.0',
    '',
    ' -1',
    '9007199254740992',
    '-9007199254740993',
    '99999999999999999999',
    'NaN',
  ])('rejects %j naming the field', (raw) => {
    expect(fieldError(() => parseJavaLong('queueOffset', raw)).field).toBe('queueOffset');
  });

  it('reads back every safe integer it formats', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        (n) => parseJavaLong('x', formatJavaLong('x', n)) === n,
      ),
      { numRuns: 300 },
    );
  });
});

describe('parseJavaInt and parseJavaLong fast path', () => {
  /** Java's syntax and ranges, checked the long way (what both parsers did for every value before). */
  function reference(raw: string, kind: 'int' | 'long'): number | 'error' {
    if (!/^[+-]?[0-9]+$/.test(raw)) return 'error';
    const n = Number(raw);
    if (kind === 'int' && (n < -2_147_483_648 || n > 2_147_483_647)) return 'error';
    if (kind === 'long' && !Number.isSafeInteger(n)) return 'error';
    return n === 0 ? 0 : n;
  }
  function actual(raw: string, kind: 'int' | 'long'): number | 'error' {
    try {
      return kind === 'int' ? parseJavaInt('f', raw) : parseJavaLong('f', raw);
    } catch (error) {
      if (error instanceof HeaderFieldError) return 'error';
      throw error;
    }
  }
  const digitsArb = fc.oneof(
    fc.stringMatching(/^[+-]?[0-9]{1,20}$/),
    fc.constantFrom('', '0', '-0', '+0', '007', '2147483647', '2147483648', '9007199254740991'),
    fc.string(),
  );

  it('gives what the syntax check and range check give, for every string', () => {
    fc.assert(
      fc.property(digitsArb, fc.constantFrom('int' as const, 'long' as const), (raw, kind) => {
        expect(Object.is(actual(raw, kind), reference(raw, kind))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseJavaBoolean', () => {
  it('treats only a case-insensitive "true" as true, like Boolean.parseBoolean', () => {
    expect(['true', 'TRUE', 'True', 'tRuE'].map(parseJavaBoolean)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['false', '', '1', 'yes', ' true', 'true ', 'on'].map(parseJavaBoolean)).toEqual(
      Array(7).fill(false),
    );
  });
});

describe('formatJavaInt and formatJavaLong', () => {
  it('write decimal strings that parse back to the same int', () => {
    fc.assert(
      fc.property(fc.integer(), (n) => parseJavaInt('x', formatJavaInt('x', n)) === n),
      { numRuns: 300 },
    );
  });

  it('refuse values Java could not parse, naming the field', () => {
    expect(fieldError(() => formatJavaInt('flag', 1.5)).field).toBe('flag');
    expect(fieldError(() => formatJavaInt('flag', 2 ** 31)).field).toBe('flag');
    expect(fieldError(() => formatJavaInt('flag', Number.NaN)).field).toBe('flag');
    expect(fieldError(() => formatJavaLong('offset', 2 ** 53)).field).toBe('offset');
    expect(fieldError(() => formatJavaLong('offset', Infinity)).field).toBe('offset');
  });

  it('write negative zero as "0"', () => {
    expect(formatJavaInt('x', -0)).toBe('0');
    expect(formatJavaLong('x', -0)).toBe('0');
  });
});

describe('readers', () => {
  const ext: ExtFields = { topic: 'T', queueId: '3', offset: '-1', order: 'TRUE', empty: '' };

  it('read present values with their Java types', () => {
    expect(readRequiredString(ext, 'topic')).toBe('T');
    expect(readRequiredString(ext, 'empty')).toBe('');
    expect(readRequiredInt(ext, 'queueId')).toBe(3);
    expect(readRequiredLong(ext, 'offset')).toBe(-1);
    expect(readRequiredBoolean(ext, 'order')).toBe(true);
    expect(readOptionalString(ext, 'topic')).toBe('T');
    expect(readOptionalInt(ext, 'queueId')).toBe(3);
    expect(readOptionalLong(ext, 'offset')).toBe(-1);
    expect(readOptionalBoolean(ext, 'empty')).toBe(false);
  });

  it('return undefined for a missing optional key', () => {
    expect(readOptionalString(ext, 'nope')).toBeUndefined();
    expect(readOptionalInt(ext, 'nope')).toBeUndefined();
    expect(readOptionalLong(ext, 'nope')).toBeUndefined();
    expect(readOptionalBoolean(ext, 'nope')).toBeUndefined();
  });

  it('throw a HeaderFieldError naming a missing required key', () => {
    for (const read of [
      readRequiredString,
      readRequiredInt,
      readRequiredLong,
      readRequiredBoolean,
    ]) {
      const err = fieldError(() => read(ext, 'consumerGroup'));
      expect(err.field).toBe('consumerGroup');
      expect(err.message).toBe('header field consumerGroup: is missing');
    }
  });

  it('throw a HeaderFieldError for an empty int, as parseInt("") does', () => {
    expect(fieldError(() => readOptionalInt(ext, 'empty')).field).toBe('empty');
  });

  it('ignore inherited properties and treat null as absent', () => {
    const inherited = Object.create({ topic: 'T' }) as ExtFields;
    expect(readRaw(inherited, 'topic')).toBeUndefined();
    expect(readRaw(inherited, 'toString')).toBeUndefined();
    const withNull = JSON.parse('{"topic":null}') as ExtFields;
    expect(readRaw(withNull, 'topic')).toBeUndefined();
  });

  it('refuse a value that was not coerced to a string', () => {
    const raw = JSON.parse('{"queueId":0}') as ExtFields;
    expect(fieldError(() => readRaw(raw, 'queueId')).field).toBe('queueId');
  });
});

describe('ExtFieldsWriter', () => {
  it('writes typed values as Java strings and leaves undefined ones out', () => {
    const ext = new ExtFieldsWriter()
      .string('topic', 'T')
      .string('subscription', undefined)
      .int('queueId', 0)
      .long('queueOffset', 1795545972421)
      .boolean('unitMode', false)
      .boolean('batch', true)
      .int('reconsumeTimes', undefined)
      .build();
    expect(ext).toEqual({
      topic: 'T',
      queueId: '0',
      queueOffset: '1795545972421',
      unitMode: 'false',
      batch: 'true',
    });
    expect(Object.keys(ext)).toEqual(['topic', 'queueId', 'queueOffset', 'unitMode', 'batch']);
  });

  it('throws a HeaderFieldError for a number Java could not parse', () => {
    expect(fieldError(() => new ExtFieldsWriter().int('queueId', 0.5)).field).toBe('queueId');
  });
});
