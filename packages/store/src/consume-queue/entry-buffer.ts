import { writeInt64 } from '../int64.js';
import { CQ_FILLER_SIZE, CQ_STORE_UNIT_SIZE } from './entry-codec.js';

/** A run of raw entries: `count` entries starting at byte `pos` of `buf`. Decode before the next await. */
export interface RawRun {
  buf: Buffer;
  pos: number;
  count: number;
}

const MIN_BUFFER_BYTES = 1024;

/**
 * The in-memory tail of one consume queue as raw 20-byte entries: queue offsets [start, end), where
 * [flushed, end) are pending (not yet written to the files) and [start, flushed) is a bounded cache of recently
 * flushed entries, so reads at the tail need no syscall.
 *
 * Bytes below `end` are never rewritten in place while they are live: growth copies into a new Buffer, so a flush
 * may write from a captured Buffer while appends continue.
 */
export class EntryBuffer {
  /** First queue offset held. */
  start = 0;
  /** One past the last entry (the queue's max offset). */
  end = 0;
  /** Entries below this are written to the files. */
  flushed = 0;
  /** Flushed entries kept behind the pending ones. */
  readonly cacheEntries: number;
  private buf: Buffer = Buffer.alloc(0);

  /** `cacheEntries`: flushed entries kept behind the pending ones. */
  constructor(cacheEntries: number) {
    this.cacheEntries = cacheEntries;
  }

  /** Empties the buffer and places it at `offset` (everything below is on disk or does not exist). */
  reset(offset: number): void {
    this.start = this.end = this.flushed = offset;
  }

  /** Holds `entries` (flushed, read from the files) as the cache ending at `end`. */
  loadFlushed(end: number, entries: Buffer): void {
    this.buf = entries;
    this.end = this.flushed = end;
    this.start = end - entries.length / CQ_STORE_UNIT_SIZE;
  }

  /** Appends one entry at `end`. */
  put(phyOffset: number, size: number, tagsCode: number): void {
    this.ensureCapacity(1);
    const pos = (this.end - this.start) * CQ_STORE_UNIT_SIZE;
    const buf = this.buf;
    writeInt64(buf, phyOffset, pos);
    buf.writeInt32BE(size, pos + 8);
    writeInt64(buf, tagsCode, pos + 12);
    this.end++;
  }

  /** Appends `n` filler entries `(0, 0x7FFFFFFF, 0)`. */
  putFillers(n: number): void {
    if (n <= 0) return;
    this.ensureCapacity(n);
    let pos = (this.end - this.start) * CQ_STORE_UNIT_SIZE;
    const buf = this.buf;
    buf.fill(0, pos, pos + n * CQ_STORE_UNIT_SIZE);
    for (let i = 0; i < n; i++, pos += CQ_STORE_UNIT_SIZE)
      buf.writeInt32BE(CQ_FILLER_SIZE, pos + 8);
    this.end += n;
  }

  /** Up to `count` held entries from `from` (≥ start). */
  view(from: number, count: number): RawRun {
    return {
      buf: this.buf,
      pos: (from - this.start) * CQ_STORE_UNIT_SIZE,
      count: Math.max(0, Math.min(count, this.end - from)),
    };
  }

  /** The pending entries [flushed, end) as a run of the current Buffer (safe to write from across awaits). */
  pending(): RawRun & { from: number } {
    return { ...this.view(this.flushed, this.end - this.flushed), from: this.flushed };
  }

  /** Records that entries below `upTo` reached the files; shrinks the Buffer after a burst. */
  markFlushed(upTo: number): void {
    this.flushed = Math.max(this.flushed, Math.min(upTo, this.end));
    const { keepFrom, keepBytes } = this.retained();
    const target = Math.max(MIN_BUFFER_BYTES, keepBytes * 2);
    if (this.buf.length > target * 2) this.moveTo({ keepFrom, capacity: target });
  }

  /** Drops the entries from `newEnd` on (recovery). */
  truncate(newEnd: number): void {
    if (newEnd >= this.end) return;
    if (newEnd < this.start) this.start = newEnd;
    this.end = newEnd;
    this.flushed = Math.min(this.flushed, newEnd);
  }

  private ensureCapacity(n: number): void {
    const used = (this.end - this.start) * CQ_STORE_UNIT_SIZE;
    if (used + n * CQ_STORE_UNIT_SIZE <= this.buf.length) return;
    const { keepFrom, keepBytes } = this.retained();
    const need = keepBytes + n * CQ_STORE_UNIT_SIZE;
    // Growth by half keeps appends amortized O(1) while bounding the slack.
    this.moveTo({ keepFrom, capacity: Math.max(MIN_BUFFER_BYTES, need + (need >> 1)) });
  }

  /** What must stay: the pending entries plus up to cacheEntries flushed ones before them. */
  private retained(): { keepFrom: number; keepBytes: number } {
    const keepFrom = Math.max(this.start, this.flushed - this.cacheEntries);
    return { keepFrom, keepBytes: (this.end - keepFrom) * CQ_STORE_UNIT_SIZE };
  }

  /** Copies the retained entries into a new Buffer (never in place: a flush may be writing from the old one). */
  private moveTo(target: { keepFrom: number; capacity: number }): void {
    const next = Buffer.allocUnsafe(target.capacity);
    const from = (target.keepFrom - this.start) * CQ_STORE_UNIT_SIZE;
    this.buf.copy(next, 0, from, (this.end - this.start) * CQ_STORE_UNIT_SIZE);
    this.buf = next;
    this.start = target.keepFrom;
  }
}
