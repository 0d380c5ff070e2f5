import { MESSAGE_MAGIC_CODE_V1 } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { recordLog } from '../../test/ha-test-stores.js';
import { cutFrames } from './frame-cutter.js';

const SEGMENT = 4096;
const RECORDS = { segmentBytes: SEGMENT, magicCode: MESSAGE_MAGIC_CODE_V1, fillByte: 0x61 };

/** Commit-log bytes from `start`: V1 records of `sizes`, then a filler to the segment end if asked. */
function log(start: number, sizes: number[], fillToSegmentEnd = false): Buffer {
  return recordLog({ ...RECORDS, start, sizes, fillToSegmentEnd });
}

function cuts(lengths: number[], from: number): number[] {
  const ends: number[] = [];
  for (const length of lengths) ends.push((from += length));
  return ends;
}

describe('cutFrames', () => {
  it('cuts at the last record boundary within the batch size', () => {
    const chunk = log(0, [100, 100, 300, 50]);
    const result = cutFrames({
      chunk,
      phyOffset: 0,
      nextBoundary: 0,
      maxBodyBytes: 250,
      segmentBytes: SEGMENT,
      chunkIsTail: true,
    });
    expect(cuts(result.bodyLengths, 0)).toEqual([200, 450, 550]);
    expect(result.nextBoundary).toBe(550);
  });

  it('keeps a partial record at the end of a non-tail chunk for the next round', () => {
    const full = log(0, [100, 100, 100]);
    const chunk = full.subarray(0, 250);
    const result = cutFrames({
      chunk,
      phyOffset: 0,
      nextBoundary: 0,
      maxBodyBytes: 1000,
      segmentBytes: SEGMENT,
      chunkIsTail: false,
    });
    expect(result.bodyLengths).toEqual([200]);
    expect(result.nextBoundary).toBe(200);
    const tail = cutFrames({
      chunk,
      phyOffset: 0,
      nextBoundary: 0,
      maxBodyBytes: 1000,
      segmentBytes: SEGMENT,
      chunkIsTail: true,
    });
    expect(tail.bodyLengths).toEqual([200, 50]);
    expect(tail.nextBoundary).toBe(300);
  });

  it('follows a filler to the segment end and continues from an offset inside the log', () => {
    const start = SEGMENT - 700;
    const chunk = log(start, [200, 200], true);
    const result = cutFrames({
      chunk,
      phyOffset: start,
      nextBoundary: start,
      maxBodyBytes: 450,
      segmentBytes: SEGMENT,
      chunkIsTail: true,
    });
    expect(cuts(result.bodyLengths, start)).toEqual([start + 400, SEGMENT]);
    expect(result.nextBoundary).toBe(SEGMENT);
  });

  it('splits a record larger than a frame and finds the boundary after it', () => {
    const chunk = log(0, [1000, 100]);
    const result = cutFrames({
      chunk,
      phyOffset: 0,
      nextBoundary: 0,
      maxBodyBytes: 300,
      segmentBytes: SEGMENT,
      chunkIsTail: true,
    });
    expect(cuts(result.bodyLengths, 0)).toEqual([300, 600, 900, 1100]);
    expect(result.bodyLengths.every((n) => n <= 300)).toBe(true);
  });

  it('cuts plainly when the bytes are no records or the boundary is unknown', () => {
    const chunk = Buffer.alloc(1000, 0x5a);
    for (const nextBoundary of [0, undefined]) {
      const result = cutFrames({
        chunk,
        phyOffset: 0,
        nextBoundary,
        maxBodyBytes: 400,
        segmentBytes: SEGMENT,
        chunkIsTail: false,
      });
      expect(result.bodyLengths).toEqual([400, 400, 200]);
      expect(result.nextBoundary).toBeUndefined();
    }
  });

  it('starts mid-record from a known next boundary', () => {
    const full = log(0, [300, 100, 100]);
    const result = cutFrames({
      chunk: full.subarray(120),
      phyOffset: 120,
      nextBoundary: 300,
      maxBodyBytes: 250,
      segmentBytes: SEGMENT,
      chunkIsTail: true,
    });
    expect(cuts(result.bodyLengths, 120)).toEqual([300, 500]);
  });
});
