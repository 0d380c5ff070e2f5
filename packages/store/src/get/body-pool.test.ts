import { describe, expect, it } from 'vitest';
import { BodyPool } from './body-pool.js';

describe('BodyPool', () => {
  it('hands out a buffer of at least the size asked, 64 KiB at the least', () => {
    const pool = new BodyPool({ maxPooled: 4, maxBufferBytes: 1024 * 1024 });
    expect(pool.take(100).length).toBe(64 * 1024);
    expect(pool.take(100_000).length).toBe(100_000);
  });

  it('hands a given-back buffer out again when it is large enough', () => {
    const pool = new BodyPool({ maxPooled: 4, maxBufferBytes: 1024 * 1024 });
    const first = pool.take(1000);
    pool.give(first);
    expect(pool.size).toBe(1);
    expect(pool.take(2000)).toBe(first);
    expect(pool.size).toBe(0);
  });

  it('drops a pooled buffer too small for the body asked and makes a new one', () => {
    const pool = new BodyPool({ maxPooled: 4, maxBufferBytes: 1024 * 1024 });
    const small = pool.take(10);
    pool.give(small);
    const big = pool.take(200_000);
    expect(big).not.toBe(small);
    expect(big.length).toBe(200_000);
    expect(pool.size).toBe(0);
  });

  it('keeps at most maxPooled buffers and none larger than maxBufferBytes', () => {
    const pool = new BodyPool({ maxPooled: 2, maxBufferBytes: 128 * 1024 });
    pool.give(pool.take(10));
    pool.give(Buffer.allocUnsafeSlow(64 * 1024));
    pool.give(Buffer.allocUnsafeSlow(64 * 1024));
    expect(pool.size).toBe(2);
    const pool2 = new BodyPool({ maxPooled: 2, maxBufferBytes: 128 * 1024 });
    pool2.give(Buffer.allocUnsafeSlow(256 * 1024));
    expect(pool2.size).toBe(0);
  });
});
