import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Js, messageBodyCrc } from './body-crc.js';

describe('body crc', () => {
  it('computes the IEEE CRC-32 check value of "123456789"', () => {
    const data = Buffer.from('123456789');
    expect(crc32Js(data)).toBe(0xcbf43926);
    expect(crc32(data)).toBe(0xcbf43926);
  });

  it('masks the CRC to a non-negative int32 like Java UtilAll.crc32', () => {
    expect(messageBodyCrc(Buffer.from('123456789'))).toBe(0x4bf43926);
    expect(messageBodyCrc(Buffer.alloc(0))).toBe(0);
  });

  it('gives the same value from the table fallback and the native implementation', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        expect(crc32Js(bytes)).toBe(crc32(bytes));
      }),
      { numRuns: 200 },
    );
  });
});
