import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RocketMQError } from '../errors.js';
import { ResponseCode } from '../codes/response-code.js';
import {
  javaStringHashCode,
  parseSubscriptionExpression,
  tagsString2tagsCode,
} from './tags-hash.js';

describe('tags hash', () => {
  it('hashes "TagA" to 2598919 like Java String.hashCode', () => {
    expect(javaStringHashCode('TagA')).toBe(2598919);
    expect(tagsString2tagsCode('TagA')).toBe(2598919);
  });

  it('wraps around to negative values like a Java int', () => {
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
    expect(javaStringHashCode('hello world, this is a long tag')).toBe(
      [...'hello world, this is a long tag'].reduce(
        (h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0,
        0,
      ),
    );
  });

  it('hashes UTF-16 code units, so astral characters count twice', () => {
    // '😀' is U+D83D U+DE00: 0xD83D * 31 + 0xDE00
    expect(javaStringHashCode('😀')).toBe(0xd83d * 31 + 0xde00);
  });

  it('gives tags code 0 for a missing or empty tag', () => {
    expect(tagsString2tagsCode(undefined)).toBe(0);
    expect(tagsString2tagsCode(null)).toBe(0);
    expect(tagsString2tagsCode('')).toBe(0);
  });

  it('always returns a signed int32', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const h = javaStringHashCode(s);
        expect(h).toBe(h | 0);
      }),
      { numRuns: 200 },
    );
  });
});

describe('subscription expressions', () => {
  it('treats "*", "" and null as subscribing to everything', () => {
    for (const expr of ['*', '', null, undefined]) {
      expect(parseSubscriptionExpression(expr)).toEqual({
        subString: '*',
        tagsSet: [],
        codeSet: [],
      });
    }
  });

  it('splits at "||", trims, and hashes each tag', () => {
    expect(parseSubscriptionExpression('TagA || TagB||TagA|| ')).toEqual({
      subString: 'TagA || TagB||TagA|| ',
      tagsSet: ['TagA', 'TagB'],
      codeSet: [2598919, javaStringHashCode('TagB')],
    });
  });

  it('keeps a single tag as it is', () => {
    expect(parseSubscriptionExpression('TagA').codeSet).toEqual([2598919]);
  });

  it('trims only characters up to U+0020 like Java String.trim', () => {
    expect(parseSubscriptionExpression('\u00a0TagA\t').tagsSet).toEqual(['\u00a0TagA']);
  });

  it('refuses an expression made only of separators like Java', () => {
    try {
      parseSubscriptionExpression('||||');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RocketMQError);
      expect((e as RocketMQError).code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
    }
    expect(parseSubscriptionExpression(' || ').tagsSet).toEqual([]);
  });
});
