import { encodeMessageRecord, ResponseCode } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { Sql92FilterCache, compileSql92, isTagExpressionType } from './sql92-filter.js';
import { SqlParseError } from './sql-tokenizer.js';
import { decodeCheckClientRequestBody } from './check-client-body.js';

function props(entries: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(entries));
}

function match(expression: string, entries: Record<string, string>): boolean {
  return compileSql92(expression).matches(props(entries));
}

describe('compileSql92: evaluation', () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['a = 3', { a: '3' }, true],
    ['a = 3', { a: '3.0' }, true],
    ['a = 3', { a: '4' }, false],
    ['a = 3', {}, false],
    ['a <> 3', { a: '4' }, true],
    ['a <> 3', { a: '3' }, false],
    ['a <> 3', {}, false],
    ['a <> 3', { a: 'x' }, true],
    ['a = 3', { a: 'x' }, false],
    ['a > 3', { a: '4' }, true],
    ['a > 3', { a: '3' }, false],
    ['a >= 3', { a: '3' }, true],
    ['a < 3', { a: '2.5' }, true],
    ['a <= 3', { a: '3' }, true],
    ['a <= 3', { a: 'abc' }, false],
    ['a > 3', {}, false],
    ['a > -1', { a: '0' }, true],
    ['a > +1', { a: '2' }, true],
    ['-a < -3', { a: '4' }, true],
    ['a > 1.5e1', { a: '16' }, true],
    ['a > 10L', { a: '11' }, true],
    ['a > .5', { a: '0.75' }, true],
    ['a BETWEEN 3 AND 6', { a: '3' }, true],
    ['a BETWEEN 3 AND 6', { a: '6' }, true],
    ['a BETWEEN 3 AND 6', { a: '7' }, false],
    ['a BETWEEN 3 AND 6', {}, false],
    ['a NOT BETWEEN 3 AND 6', { a: '7' }, true],
    ['a NOT BETWEEN 3 AND 6', { a: '2' }, true],
    ['a NOT BETWEEN 3 AND 6', { a: '4' }, false],
    ['a NOT BETWEEN 3 AND 6', {}, false],
    ["TAGS IN ('TagA', 'TagB')", { TAGS: 'TagA' }, true],
    ["TAGS IN ('TagA', 'TagB')", { TAGS: 'TagC' }, false],
    ["TAGS IN ('TagA', 'TagB')", {}, false],
    ["TAGS NOT IN ('TagA', 'TagB')", { TAGS: 'TagC' }, true],
    ["TAGS NOT IN ('TagA', 'TagB')", { TAGS: 'TagA' }, false],
    ["TAGS NOT IN ('TagA')", {}, false],
    ['a IS NULL', {}, true],
    ['a IS NULL', { a: '1' }, false],
    ['a IS NOT NULL', { a: '1' }, true],
    ['a is not null', {}, false],
    ["b = 'x'", { b: 'x' }, true],
    ["b = 'x'", { b: 'X' }, false],
    ["b <> 'x'", { b: 'y' }, true],
    ["b = 'it''s'", { b: "it's" }, true],
    ["b = ''", { b: '' }, true],
    ['a = b', { a: '1', b: '1.0' }, false],
    ['a = b', { a: 'q', b: 'q' }, true],
    ['a > b', { a: '2', b: '10' }, false],
    ['a > b', { a: 'x', b: '1' }, false],
    ['TRUE', {}, true],
    ['FALSE', {}, false],
    ['NOT FALSE', {}, true],
    ['NULL', {}, false],
    ["a = 1 AND b = 'x'", { a: '1', b: 'x' }, true],
    ["a = 1 AND b = 'x'", { a: '1', b: 'y' }, false],
    ["a = 1 OR b = 'x'", { a: '2', b: 'x' }, true],
    ["a = 1 OR b = 'x'", { b: 'x' }, true],
    ["a = 1 OR b = 'x'", {}, false],
    ['NOT (a > 3)', { a: '2' }, true],
    ['NOT (a > 3)', {}, false],
    ['a = 1 OR a = 2 AND b = 3', { a: '1' }, true],
    ['(a = 1 OR a = 2) AND b = 3', { a: '1' }, false],
    ['(a = 1 OR a = 2) AND b = 3', { a: '2', b: '3' }, true],
    [
      "(TAGS is not null and TAGS in ('TagA', 'TagB')) and (a is not null and a between 0 and 3)",
      { TAGS: 'TagB', a: '2' },
      true,
    ],
    [
      "(TAGS is not null and TAGS in ('TagA', 'TagB')) and (a is not null and a between 0 and 3)",
      { TAGS: 'TagB', a: '5' },
      false,
    ],
    ['flag', { flag: 'true' }, false],
    ['x.y_z$ = 1', { x: '1', 'x.y_z$': '1' }, true],
    ['a = TRUE', { a: 'true' }, false],
    ['(a > 1) = TRUE', { a: '2' }, true],
  ];
  for (const [expression, entries, expected] of cases) {
    it(`${expression} with ${JSON.stringify(entries)} → ${expected}`, () => {
      expect(match(expression, entries)).toBe(expected);
    });
  }

  it('keywords are case-insensitive', () => {
    expect(match('a between 1 and 2 AnD b iS nOt NuLl', { a: '1', b: 'z' })).toBe(true);
  });
});

describe('compileSql92: malformed expressions', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['', 0, /empty/],
    ['   ', 0, /empty/],
    ['a >', 3, /end of expression/],
    ['a > > 3', 4, /unexpected ">"/],
    ['a = 3 b = 4', 6, /unexpected "b"/],
    ['(a = 3', 6, /expected "\)"/],
    ['a = 3)', 5, /unexpected "\)"/],
    ["b = 'open", 4, /unterminated/],
    ['a # 3', 2, /unexpected character "#"/],
    ['a != 3', 2, /unexpected character "!"/],
    ['a BETWEEN 6 AND 3', 16, /lower bound \(6\) must be less than or equal/],
    ['a BETWEEN 1', 11, /expected AND/],
    ['a BETWEEN NULL AND 3', 10, /cannot be NULL/],
    ["a BETWEEN 'x' AND 'y'", 10, /cannot be compared/],
    ["a > 'x'", 4, /cannot be compared/],
    ['a > TRUE', 4, /cannot be compared/],
    ['a = NULL', 4, /NULL cannot be compared/],
    ["TRUE = 'x'", 5, /cannot be compared with/],
    ['TAGS IN ()', 9, /expected a string literal/],
    ['TAGS IN (1, 2)', 9, /expected a string literal/],
    ["TAGS IN ('a' 'b')", 13, /expected "," or "\)"/],
    ["TAGS IN 'a'", 8, /expected "\("/],
    ["'x' IN ('a')", 4, /expected a property for IN/],
    ['3', 0, /will not result in a boolean value/],
    ["'x'", 0, /will not result in a boolean value/],
    ['a = 1 AND 3', 10, /will not result in a boolean value/],
    ['NOT 3', 4, /will not result in a boolean value/],
    ["-'x' = 1", 0, /cannot be negated/],
    ['a IS 3', 5, /expected NULL/],
    ['a NOT 3', 2, /unexpected "NOT"/],
    ['12abc = 1', 0, /bad number/],
    ['AND', 0, /unexpected "AND"/],
    // NOT binds tighter than comparisons (Java's unaryExpr): (NOT a) > 3.
    ['NOT a > 3', 6, /cannot be compared/],
  ];
  for (const [expression, position, reason] of cases) {
    it(`refuses ${JSON.stringify(expression)} at ${position}`, () => {
      let caught: unknown;
      try {
        compileSql92(expression);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(SqlParseError);
      const error = caught as SqlParseError;
      expect(error.position).toBe(position);
      expect(error.expression).toBe(expression);
      expect(error.code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
      expect(error.message).toMatch(reason);
      expect(error.message).toContain(`"${expression}"`);
    });
  }
});

describe('compileSql92: records', () => {
  it('reads TAGS and user properties from a stored record', () => {
    const record = encodeMessageRecord({
      topic: 'T',
      queueId: 0,
      body: Buffer.from('hi'),
      properties: { TAGS: 'TagA', a: '4' },
      bornTimestamp: 1,
      bornHost: { host: '127.0.0.1', port: 1 },
      storeTimestamp: 2,
      storeHost: { host: '127.0.0.1', port: 2 },
    });
    expect(compileSql92("a BETWEEN 3 AND 6 AND TAGS IN ('TagA')").matchesRecord(record)).toBe(true);
    expect(compileSql92("TAGS = 'TagB'").matchesRecord(record)).toBe(false);
  });

  it('a record whose properties cannot be read does not match', () => {
    expect(compileSql92('TRUE').matchesRecord(Buffer.alloc(8))).toBe(false);
  });
});

describe('Sql92FilterCache', () => {
  it('compiles once per (group, topic, expression) and stays bounded', () => {
    const cache = new Sql92FilterCache({ maxEntries: 2 });
    const first = cache.get('g', 't', 'a > 1');
    expect(cache.get('g', 't', 'a > 1')).toBe(first);
    expect(cache.get('g', 't2', 'a > 1')).not.toBe(first);
    cache.get('g2', 't', 'a > 1');
    expect(cache.size).toBe(2);
    expect(cache.get('g', 't', 'a > 1')).not.toBe(first);
  });

  it('does not cache a malformed expression', () => {
    const cache = new Sql92FilterCache();
    expect(() => cache.get('g', 't', 'a >')).toThrow(SqlParseError);
    expect(cache.size).toBe(0);
  });
});

describe('helpers', () => {
  it('isTagExpressionType', () => {
    expect(isTagExpressionType(undefined)).toBe(true);
    expect(isTagExpressionType('')).toBe(true);
    expect(isTagExpressionType('TAG')).toBe(true);
    expect(isTagExpressionType('SQL92')).toBe(false);
  });

  it('decodes a CHECK_CLIENT_CONFIG body', () => {
    const body = Buffer.from(
      JSON.stringify({
        clientId: 'c1',
        group: 'g',
        subscriptionData: {
          topic: 'T',
          subString: 'a > 1',
          expressionType: 'SQL92',
          subVersion: 5,
        },
      }),
    );
    const decoded = decodeCheckClientRequestBody(body);
    expect(decoded.clientId).toBe('c1');
    expect(decoded.group).toBe('g');
    expect(decoded.subscriptionData?.expressionType).toBe('SQL92');
    expect(decoded.subscriptionData?.subString).toBe('a > 1');
    expect(decodeCheckClientRequestBody(undefined)).toEqual({});
  });
});
