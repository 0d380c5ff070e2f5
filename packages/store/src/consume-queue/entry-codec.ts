/**
 * Consume-queue entry layout (RocketMQ `ConsumeQueue`, `CQ_STORE_UNIT_SIZE = 20`), all big-endian:
 *
 * ```
 * [0..8)   phyOffset  int64  commit-log offset of the record
 * [8..12)  size       int32  record size in bytes
 * [12..20) tagsCode   int64  tags hash (signed), or a delivery time for SCHEDULE_TOPIC_XXXX
 * ```
 *
 * int64 values are JS numbers (`hi * 2**32 + lo`), exact within ±2^53.
 */

/** Bytes per consume-queue entry. */
export const CQ_STORE_UNIT_SIZE = 20;

/**
 * Record size of a filler entry `(0, 0x7FFFFFFF, 0)`: written before the first real entry of a queue whose first
 * segment starts below that entry (RocketMQ `ConsumeQueue.fillPreBlank`) and, here, across a dispatch gap.
 * Fillers point at no message; readers skip them.
 */
export const CQ_FILLER_SIZE = 0x7fffffff;

/**
 * True when the entry at byte `pos` is written: phyOffset ≥ 0 and size > 0. The first entry failing this (the zeros
 * after the last entry of a sparse segment) is the end of the queue, as in RocketMQ `ConsumeQueue.recover`.
 */
export function isWrittenEntry(buf: Buffer, pos: number): boolean {
  return buf.readInt32BE(pos) >= 0 && buf.readInt32BE(pos + 8) > 0;
}

/** True when the entry at byte `pos` is a filler `(0, 0x7FFFFFFF, 0)`. */
export function isFillerEntry(buf: Buffer, pos: number): boolean {
  return (
    buf.readInt32BE(pos + 8) === CQ_FILLER_SIZE &&
    buf.readInt32BE(pos) === 0 &&
    buf.readUInt32BE(pos + 4) === 0 &&
    buf.readInt32BE(pos + 12) === 0 &&
    buf.readUInt32BE(pos + 16) === 0
  );
}

/** A segment's file name: the byte offset of its first entry as a 20-digit zero-padded decimal. */
export function segmentFileName(baseBytes: number): string {
  return String(baseBytes).padStart(20, '0');
}
