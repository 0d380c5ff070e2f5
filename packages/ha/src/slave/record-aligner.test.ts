import { MESSAGE_MAGIC_CODE_V2 } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { recordLog } from '../../test/ha-test-stores.js';
import { HADivergenceError } from '../errors.js';
import { RecordAligner } from './record-aligner.js';

const SEGMENT = 4096;
const RECORDS = { segmentBytes: SEGMENT, magicCode: MESSAGE_MAGIC_CODE_V2, fillByte: 0x62 };

/** V2 records of `sizes` from `start`, then a filler to the segment end if asked. */
function log(start: number, sizes: number[], fillToSegmentEnd = false): Buffer {
  return recordLog({ ...RECORDS, start, sizes, fillToSegmentEnd });
}

function aligner(storeEnd: number, maxMessageSize = 1 << 20): RecordAligner {
  return new RecordAligner({ storeEnd, segmentBytes: SEGMENT, maxMessageSize });
}

/** Feeds `bytes` (at `start`) in pieces of `pieceBytes`; returns the appends as [offset, length]. */
function feed(
  a: RecordAligner,
  { bytes, start }: { bytes: Buffer; start: number },
  pieceBytes: number,
): number[][] {
  const appends: number[][] = [];
  for (let i = 0; i < bytes.length; i += pieceBytes) {
    expect(a.expectedOffset ?? start + i).toBe(start + i);
    const out = a.push(start + i, bytes.subarray(i, i + pieceBytes));
    if (out) appends.push([out.phyOffset, out.bytes.length]);
  }
  return appends;
}

describe('RecordAligner', () => {
  it('appends whole records only, holding back a split record', () => {
    const a = aligner(0);
    expect(a.expectedOffset).toBeUndefined();
    const bytes = log(0, [100, 150, 120]);
    expect(feed(a, { bytes, start: 0 }, 130)).toEqual([
      [0, 100],
      [100, 150],
      [250, 120],
    ]);
    expect(a.held).toBe(0);
    expect(a.expectedOffset).toBe(370);
  });

  it('reassembles a record split into many pieces and its filler up to the segment end', () => {
    const start = SEGMENT - 1500;
    const a = aligner(start);
    const bytes = log(start, [1200], true);
    const appends = feed(a, { bytes, start }, 7);
    expect(appends).toEqual([
      [start, 1200],
      [start + 1200, 300],
    ]);
  });

  it('starts an empty store where the first frame starts', () => {
    const a = aligner(0);
    const bytes = log(SEGMENT, [200]);
    expect(feed(a, { bytes, start: SEGMENT }, 1000)).toEqual([[SEGMENT, 200]]);
  });

  it('refuses bytes that are not records, or records claiming another offset, before any append', () => {
    const garbage = aligner(500);
    expect(() => garbage.push(500, Buffer.alloc(64, 0x5a))).toThrow(HADivergenceError);
    const elsewhere = aligner(500);
    const misplaced = log(700, [100]);
    const error = (() => {
      try {
        elsewhere.push(500, misplaced);
      } catch (e) {
        return e as HADivergenceError;
      }
      return undefined;
    })();
    expect(error?.reason).toBe('not-a-record');
    expect(error?.message).toContain('belongs at 700');
  });

  it('refuses a record header claiming more than the size limit', () => {
    const a = new RecordAligner({ storeEnd: 0, segmentBytes: 1 << 20, maxMessageSize: 100 });
    const header = log(0, [64]);
    header.writeInt32BE(100 + 64 * 1024 + 1, 0);
    expect(() => a.push(0, header)).toThrow(/exceeds the limit/);
    const fits = new RecordAligner({ storeEnd: 0, segmentBytes: 1 << 20, maxMessageSize: 100 });
    header.writeInt32BE(100 + 64 * 1024, 0);
    expect(fits.push(0, header)).toBeUndefined();
    expect(fits.held).toBe(64);
  });
});
