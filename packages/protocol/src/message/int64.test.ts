import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RocketMQError } from '../errors.js';
import { checkInt32, readInt64, writeInt64 } from './int64.js';

describe('int64 as number', () => {
  it('writes the same bytes as BigInt64 for every safe integer', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (value) => {
        const ours = Buffer.alloc(8);
        const big = Buffer.alloc(8);
        writeInt64(ours, value, 0);
        big.writeBigInt64BE(BigInt(value), 0);
        expect(ours).toEqual(big);
        expect(readInt64(big, 0)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses values that are not safe integers', () => {
    const buf = Buffer.alloc(8);
    expect(() => writeInt64(buf, 2 ** 53, 0)).toThrow(RocketMQError);
    expect(() => writeInt64(buf, 1.5, 0)).toThrow(RocketMQError);
    expect(() => writeInt64(buf, Number.NaN, 0)).toThrow(RocketMQError);
  });

  it('accepts int32 values and names the field of anything else', () => {
    expect(() => checkInt32('flag', -0x80000000)).not.toThrow();
    expect(() => checkInt32('flag', 0x80000000)).toThrow(/flag 2147483648 is not an int32/);
    expect(() => checkInt32('queueId', 0.5)).toThrow(/queueId/);
  });
});
