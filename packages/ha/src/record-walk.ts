/**
 * Finds record boundaries in raw commit-log bytes by their headers alone (no decoding): the master cuts frames at
 * them, the slave appends only whole records. A record starts with int32 TOTALSIZE and int32 MAGICCODE (V1/V2),
 * and carries its own PHYSICALOFFSET at byte 28; an end-of-segment filler is int32 size + BLANK magic and runs to
 * the segment end (store-format.md §2.2).
 */
import {
  BLANK_MAGIC_CODE,
  MESSAGE_MAGIC_CODE_V1,
  MESSAGE_MAGIC_CODE_V2,
  RecordPosition,
} from '@rocketmq-ts/protocol';

/** Bytes of a record header up to and including PHYSICALOFFSET. */
export const RECORD_HEADER_BYTES = RecordPosition.PHYSICAL_OFFSET + 8;
/** Size and magic: what identifies a record or a filler. */
export const RECORD_PREFIX_BYTES = 8;

/** Commit-log bytes and the offset of their first byte. */
export interface CommitLogBytes {
  readonly bytes: Buffer;
  readonly phyOffset: number;
}

/**
 * What starts at a record boundary:
 * - `record`/`blank`: a record or filler ending at `end`; `verified` when its PHYSICALOFFSET was in the bytes and
 *   matched (always true for a filler);
 * - `short`: fewer than 8 bytes are there;
 * - `invalid`: the bytes are no record (why in `why`).
 */
export type RecordStep =
  | { readonly kind: 'record' | 'blank'; readonly end: number; readonly verified: boolean }
  | { readonly kind: 'short' }
  | { readonly kind: 'invalid'; readonly why: string };

/** Start offset of the segment after the one holding `phyOffset`. */
export function segmentEndOf(phyOffset: number, segmentBytes: number): number {
  return (Math.floor(phyOffset / segmentBytes) + 1) * segmentBytes;
}

/** Reads the header at `phyOffset` (a record boundary inside `data`). See {@link RecordStep}. */
export function stepRecord(
  data: CommitLogBytes,
  phyOffset: number,
  segmentBytes: number,
): RecordStep {
  const at = phyOffset - data.phyOffset;
  const have = data.bytes.length - at;
  if (have < RECORD_PREFIX_BYTES) return { kind: 'short' };
  const size = data.bytes.readInt32BE(at + RecordPosition.TOTAL_SIZE);
  const magic = data.bytes.readInt32BE(at + RecordPosition.MAGIC_CODE);
  const segmentEnd = segmentEndOf(phyOffset, segmentBytes);
  if (magic === BLANK_MAGIC_CODE) return { kind: 'blank', end: segmentEnd, verified: true };
  if (magic !== MESSAGE_MAGIC_CODE_V1 && magic !== MESSAGE_MAGIC_CODE_V2) {
    return { kind: 'invalid', why: `magic ${magic} at ${phyOffset} is no record magic` };
  }
  if (size < RECORD_HEADER_BYTES || phyOffset + size > segmentEnd) {
    return { kind: 'invalid', why: `record size ${size} at ${phyOffset} is impossible` };
  }
  if (have < RECORD_HEADER_BYTES) return { kind: 'record', end: phyOffset + size, verified: false };
  const hi = data.bytes.readInt32BE(at + RecordPosition.PHYSICAL_OFFSET);
  const own = hi * 2 ** 32 + data.bytes.readUInt32BE(at + RecordPosition.PHYSICAL_OFFSET + 4);
  if (own !== phyOffset) {
    return { kind: 'invalid', why: `record at ${phyOffset} says it belongs at ${own}` };
  }
  return { kind: 'record', end: phyOffset + size, verified: true };
}
