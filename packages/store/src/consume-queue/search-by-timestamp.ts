import { CQ_FILLER_SIZE } from './entry-codec.js';

/**
 * Reads the store time (ms) of the message at (`phyOffset`, `size`) in the commit log; undefined when it cannot be
 * read (e.g. already deleted by retention).
 */
export type StoreTimeOf = (phyOffset: number, size: number) => Promise<number | undefined>;

/** The searched range [from, to) of queue offsets and how to read one entry. */
export interface SearchRange {
  from: number;
  to: number;
  entryAt: (queueOffset: number) => Promise<{ phyOffset: number; size: number } | undefined>;
}

/**
 * Binary search for the queue offset stored closest to `timestampMs`, mirroring RocketMQ 4.9.8
 * `ConsumeQueue.getOffsetInQueueByTime`: an exact match wins (whichever the search probes first), otherwise the
 * nearest of the last probes on either side, ties to the earlier one. Unreadable entries and fillers are treated
 * like RocketMQ's entries below the commit log's minimum: the search moves past them. 0 when no time was read.
 */
export async function searchOffsetByTimestamp(options: {
  timestampMs: number;
  storeTimeOf: StoreTimeOf;
  range: SearchRange;
}): Promise<number> {
  const { timestampMs, storeTimeOf, range } = options;
  let low = range.from;
  let high = range.to - 1;
  let leftOffset = -1;
  let leftTime: number | undefined;
  let rightOffset = -1;
  let rightTime: number | undefined;
  let exactOffset = -1;
  while (high >= low) {
    const mid = Math.floor((low + high) / 2);
    const entry = await range.entryAt(mid);
    const time =
      entry === undefined || (entry.size === CQ_FILLER_SIZE && entry.phyOffset === 0)
        ? undefined
        : await storeTimeOf(entry.phyOffset, entry.size);
    if (time === undefined) {
      low = mid + 1;
    } else if (time === timestampMs) {
      // Keep going left: several messages can share a millisecond, and the first of them is the useful answer
      // (Java 4.9.8 returns whichever one the bisection lands on).
      exactOffset = mid;
      high = mid - 1;
    } else if (time > timestampMs) {
      high = mid - 1;
      rightOffset = mid;
      rightTime = time;
    } else {
      low = mid + 1;
      leftOffset = mid;
      leftTime = time;
    }
  }
  if (exactOffset >= 0) return exactOffset;
  if (leftTime === undefined) return rightTime === undefined ? 0 : rightOffset;
  if (rightTime === undefined) return leftOffset;
  return Math.abs(timestampMs - leftTime) > Math.abs(timestampMs - rightTime)
    ? rightOffset
    : leftOffset;
}
