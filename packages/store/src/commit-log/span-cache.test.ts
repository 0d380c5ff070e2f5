import { describe, expect, it } from 'vitest';
import { SpanCache } from './span-cache.js';

const bytes = (length: number, first: number) =>
  Buffer.from(Array.from({ length }, (_, i) => (first + i) & 0xff));
const held = (cache: SpanCache, starts: number[]) =>
  starts.map((start) => cache.get(start, 1) !== undefined);

describe('SpanCache', () => {
  it('answers views of bytes wholly inside one cached span, and nothing across its end', () => {
    const cache = new SpanCache(4);
    cache.add(200, bytes(100, 200));
    cache.add(300, bytes(50, 300));
    expect([...cache.get(210, 3)!]).toEqual([210, 211, 212]);
    expect(cache.get(295, 5)).toHaveLength(5);
    // Contiguous spans are not joined: a record across their boundary is read again.
    expect(cache.get(298, 5)).toBeUndefined();
    expect([...cache.get(349, 1)!]).toEqual([349 & 0xff]);
    expect(cache.get(199, 1)).toBeUndefined();
    expect(cache.get(350, 1)).toBeUndefined();
  });

  it('drops the least recently used span past its limit and hands its bytes back for reuse', () => {
    const cache = new SpanCache(2);
    const second = bytes(10, 10);
    expect(cache.add(0, bytes(10, 0))).toBeUndefined();
    expect(cache.add(10, second)).toBeUndefined();
    expect(cache.get(1, 1)).toBeDefined();
    expect(cache.add(20, bytes(10, 20))).toBe(second);
    expect(held(cache, [0, 10, 20])).toEqual([true, false, true]);
  });

  it('forgets spans past a cut and spans of deleted segments', () => {
    const cache = new SpanCache(8);
    for (const start of [0, 10, 20, 30]) cache.add(start, bytes(10, start));
    cache.dropFrom(25);
    expect(held(cache, [0, 10, 20, 30])).toEqual([true, true, false, false]);
    cache.dropBelow(10);
    expect(held(cache, [0, 10])).toEqual([false, true]);
  });

  it('keeps nothing when it may hold no span', () => {
    const cache = new SpanCache(0);
    cache.add(0, bytes(10, 0));
    expect(cache.get(0, 1)).toBeUndefined();
  });
});
