import { describe, expect, it } from 'vitest';
import { BlockCache } from './block-cache.js';

const bytes = (length: number, first: number) =>
  Buffer.from(Array.from({ length }, (_, i) => (first + i) & 0xff));

describe('BlockCache', () => {
  it('aligns blocks on offsets and cuts them at segment starts and ends', () => {
    const cache = new BlockCache(100, 4);
    expect({ ...cache.blockAt(250, 0, 1000) }).toEqual({ start: 200, end: 300 });
    // A segment of 150 bytes starting at 150: blocks never cross into the neighbours.
    expect({ ...cache.blockAt(160, 150, 300) }).toEqual({ start: 150, end: 200 });
    expect({ ...cache.blockAt(290, 150, 300) }).toEqual({ start: 200, end: 300 });
    expect({ ...cache.blockAt(260, 150, 270) }).toEqual({ start: 200, end: 270 });
  });

  it('answers views of bytes wholly inside a cached block, and nothing across its end', () => {
    const cache = new BlockCache(100, 4);
    cache.add(200, bytes(100, 200));
    expect([...cache.get(200, 210, 3)!]).toEqual([210, 211, 212]);
    expect(cache.get(200, 295, 5)).toHaveLength(5);
    expect(cache.get(200, 298, 5)).toBeUndefined();
    expect(cache.get(300, 300, 1)).toBeUndefined();
  });

  it('drops the least recently used block past its limit', () => {
    const cache = new BlockCache(10, 2);
    cache.add(0, bytes(10, 0));
    cache.add(10, bytes(10, 10));
    expect(cache.get(0, 1, 1)).toBeDefined();
    cache.add(20, bytes(10, 20));
    expect(cache.get(10, 11, 1)).toBeUndefined();
    expect(cache.get(0, 1, 1)).toBeDefined();
    expect(cache.get(20, 21, 1)).toBeDefined();
  });

  it('forgets blocks past a cut and blocks of deleted segments', () => {
    const cache = new BlockCache(10, 8);
    for (const start of [0, 10, 20, 30]) cache.add(start, bytes(10, start));
    cache.dropFrom(25);
    expect([0, 10, 20, 30].map((s) => cache.get(s, s, 1) !== undefined)).toEqual([
      true,
      true,
      false,
      false,
    ]);
    cache.dropBelow(10);
    expect([0, 10].map((s) => cache.get(s, s, 1) !== undefined)).toEqual([false, true]);
  });

  it('keeps nothing when it may hold no block', () => {
    const cache = new BlockCache(10, 0);
    cache.add(0, bytes(10, 0));
    expect(cache.get(0, 0, 1)).toBeUndefined();
  });
});
