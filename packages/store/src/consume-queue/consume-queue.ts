import { join } from 'node:path';
import { NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type { Logger } from '@rocketmq-ts/protocol';
import { StoreError } from '../errors.js';
import { EntryBuffer } from './entry-buffer.js';
import type { RawRun } from './entry-buffer.js';
import { EntryReader } from './entry-reader.js';
import {
  CQ_FILLER_SIZE,
  CQ_STORE_UNIT_SIZE,
  isFillerEntry,
  isWrittenEntry,
} from './entry-codec.js';
import { readInt64 } from '../int64.js';
import { SegmentFiles, ioError } from './segment-files.js';
import { searchOffsetByTimestamp } from './search-by-timestamp.js';
import type { StoreTimeOf } from './search-by-timestamp.js';

/** Options of {@link ConsumeQueue.open}. */
export interface ConsumeQueueOptions {
  /** Store root (`storePathRootDir`); files live in `<rootDir>/consumequeue/<topic>/<queueId>/`. */
  rootDir: string;
  /** Topic; used as a directory name as is (ConsumeQueueTable validates it). */
  topic: string;
  /** Queue id, a non-negative integer. */
  queueId: number;
  /** Bytes per segment file (`mappedFileSizeConsumeQueue`), a positive multiple of 20. */
  segmentBytes: number;
  /** Default no-op. */
  logger?: Logger;
  /**
   * Flushed entries kept in memory behind the pending ones so tail reads need no syscall, in bytes. Default 64 KiB.
   */
  cacheBytes?: number;
}

/**
 * Entries read from a consume queue, as parallel arrays (no object per entry). Entry `i` has queue offset
 * `queueOffset + i`. Filler entries (size {@link CQ_FILLER_SIZE}) are included; they point at no message.
 */
export interface ConsumeQueueEntries {
  /** Queue offset of the first entry. */
  queueOffset: number;
  /** Number of entries. */
  count: number;
  /** Commit-log offsets. */
  phyOffsets: number[];
  /** Record sizes in bytes. */
  sizes: number[];
  /** Tags codes (signed). */
  tagsCodes: number[];
}

/** One consume-queue entry. */
export interface ConsumeQueueEntry {
  /** Commit-log offset of the record. */
  phyOffset: number;
  /** Record size in bytes. */
  size: number;
  /** Tags code (signed). */
  tagsCode: number;
}

/** An entry to append at `queueOffset` (the fields of RocketMQ's DispatchRequest that the queue stores). */
export interface ConsumeQueueAppend extends ConsumeQueueEntry {
  /** Queue offset the entry belongs at. */
  queueOffset: number;
}

/** Default {@link ConsumeQueueOptions.cacheBytes}. */
export const CONSUME_QUEUE_CACHE_BYTES = 64 * 1024;

/** Entries zeroed per write when truncating (64 KiB). */
const ZERO_CHUNK_ENTRIES = 3276;

type State = 'open' | 'closing' | 'closed';

/**
 * The consume queue of one (topic, queueId): a dense array of 20-byte entries `(phyOffset, size, tagsCode)` in
 * segment files named by the byte offset of their first entry, byte-compatible with RocketMQ's
 * `consumequeue/<topic>/<queueId>/` files (see store-format.md §3).
 *
 * Appends are synchronous and go to an in-memory buffer; {@link flush} writes them with positional writes. The
 * buffer also keeps the most recently flushed entries (`cacheBytes`) so reads at the tail need no syscall.
 * Mutating disk operations (flush, truncation, retention, close, destroy) run one at a time.
 */
export class ConsumeQueue {
  /** Topic of this queue. */
  readonly topic: string;
  /** Queue id of this queue. */
  readonly queueId: number;
  /** Directory holding the segment files. */
  readonly dir: string;

  private readonly files: SegmentFiles;
  private readonly segmentBytes: number;
  private readonly segmentEntries: number;
  private readonly logger: Logger;

  /** Pending entries and the cached tail; `mem.end` is the max offset. */
  private readonly mem: EntryBuffer;
  private readonly reader: EntryReader;
  private minOff = 0;
  private lastPhyEnd = -1;
  private readonly unsynced = new Set<number>();
  private createdUnsynced = false;

  private state: State = 'open';
  private closing: Promise<void> | undefined;
  private lockTail: Promise<void> = Promise.resolve();
  private queuedFlush: { sync: boolean; promise: Promise<void> } | undefined;

  private constructor(options: ConsumeQueueOptions, files: SegmentFiles) {
    this.topic = options.topic;
    this.queueId = options.queueId;
    this.dir = files.dir;
    this.files = files;
    this.segmentBytes = options.segmentBytes;
    this.segmentEntries = options.segmentBytes / CQ_STORE_UNIT_SIZE;
    this.mem = new EntryBuffer(
      Math.floor((options.cacheBytes ?? CONSUME_QUEUE_CACHE_BYTES) / CQ_STORE_UNIT_SIZE),
    );
    this.reader = new EntryReader({ files, mem: this.mem, segmentEntries: this.segmentEntries });
    this.logger = (options.logger ?? NOOP_LOGGER).child({
      topic: options.topic,
      queueId: options.queueId,
    });
  }

  /**
   * Opens a queue: lists its segments, finds the end (first entry with phyOffset < 0 or size ≤ 0, scanning back from
   * the last segment while it is empty), deletes segments wholly past the end (as RocketMQ's truncateDirtyFiles),
   * finds the min offset (first non-filler entry of the first segment) and loads the tail into memory.
   * Throws StoreError 'corrupt' naming the file when a segment's size is not `segmentBytes` (before changing
   * anything), StoreError 'io' on I/O failure.
   */
  static async open(options: ConsumeQueueOptions): Promise<ConsumeQueue> {
    checkSegmentBytes(options.segmentBytes);
    const dir = consumeQueueDir(options);
    const logger = options.logger ?? NOOP_LOGGER;
    const files = await SegmentFiles.load({ dir, segmentBytes: options.segmentBytes, logger });
    const queue = new ConsumeQueue(options, files);
    try {
      await queue.load();
    } catch (err) {
      await files.closeAll();
      throw err;
    }
    return queue;
  }

  /**
   * A new, empty queue without touching the disk: its directory and first segment appear on the first flush.
   * Only for a queue that has no segment files yet (ConsumeQueueTable loads the existing ones first).
   */
  static createEmpty(options: ConsumeQueueOptions): ConsumeQueue {
    checkSegmentBytes(options.segmentBytes);
    const logger = options.logger ?? NOOP_LOGGER;
    const files = SegmentFiles.empty({
      dir: consumeQueueDir(options),
      segmentBytes: options.segmentBytes,
      logger,
    });
    return new ConsumeQueue(options, files);
  }

  /** One past the last entry (entries ever written, pending ones included). */
  get maxOffset(): number {
    return this.mem.end;
  }

  /** First readable queue offset (past fillers and entries below the commit log's minimum). */
  get minOffset(): number {
    return this.minOff;
  }

  /** Queue offset up to which entries are written to the files (the rest are pending in memory). */
  get flushedQueueOffset(): number {
    return this.mem.flushed;
  }

  /**
   * Commit-log end (phyOffset + size) of the last non-filler entry, or -1 when there is none: how far the commit log
   * was dispatched into this queue.
   */
  lastPhyOffsetEnd(): number {
    return this.lastPhyEnd;
  }

  /**
   * Appends the entry for `entry.queueOffset` in memory (written by the next {@link flush}); pass one reused object
   * (e.g. the dispatch request) to keep this allocation-free. Returns false, writing nothing, when the offset is
   * already present (a re-dispatch after restart). When it is past the end, logs a warning and writes filler entries
   * up to it first (an empty queue instead starts at the segment holding it, as RocketMQ's fillPreBlank). Throws
   * RangeError on a negative phyOffset or a size outside 1..2^31-1 (such an entry would read as the end of the
   * queue), StoreError 'closed' after close.
   */
  append(entry: ConsumeQueueAppend): boolean {
    const { queueOffset, phyOffset, size, tagsCode } = entry;
    if (this.state !== 'open') throw this.closedError();
    if (queueOffset < this.mem.end) return false;
    const valid = phyOffset >= 0 && size > 0 && size <= CQ_FILLER_SIZE;
    if (!valid || !Number.isSafeInteger(queueOffset)) {
      throw new RangeError(
        `invalid consume-queue entry: queueOffset ${queueOffset}, phyOffset ${phyOffset}, size ${size}`,
      );
    }
    if (queueOffset > this.mem.end) this.fillGap(queueOffset);
    this.mem.put(phyOffset, size, tagsCode);
    const filler = size === CQ_FILLER_SIZE && phyOffset === 0 && tagsCode === 0;
    if (!filler) this.lastPhyEnd = phyOffset + size;
    return true;
  }

  /**
   * Writes pending entries to their segments (creating segments at full size as needed); with `sync`, also
   * fdatasyncs every segment written since the last sync. Flushes run one at a time; a call made while one runs
   * joins the next one. Resolves at once after close. Throws StoreError 'io' / 'disk-full'; the entries stay
   * pending and a later flush retries them.
   */
  flush(options?: { sync?: boolean }): Promise<void> {
    const sync = options?.sync ?? false;
    if (this.state === 'closed') return Promise.resolve();
    const queued = this.queuedFlush;
    if (queued) {
      if (sync) queued.sync = true;
      return queued.promise;
    }
    const request = { sync, promise: Promise.resolve() };
    request.promise = this.exclusive(() => {
      if (this.queuedFlush === request) this.queuedFlush = undefined;
      return this.flushNow(request.sync);
    });
    this.queuedFlush = request;
    return request.promise;
  }

  /**
   * Up to `maxEntries` entries from `queueOffset`, stopping at the queue end or the end of `queueOffset`'s segment.
   * Pending entries are readable. Count 0 when `queueOffset` is outside [minOffset, maxOffset).
   * Throws StoreError 'closed' after close, 'io' on a failed read.
   */
  async read(queueOffset: number, maxEntries: number): Promise<ConsumeQueueEntries> {
    if (this.state === 'closed') throw this.closedError();
    const out: ConsumeQueueEntries = {
      queueOffset,
      count: 0,
      phyOffsets: [],
      sizes: [],
      tagsCodes: [],
    };
    const inRange = queueOffset >= this.minOff && queueOffset < this.mem.end;
    if (!inRange || !(maxEntries > 0)) return out;
    const end = Math.min(
      this.mem.end,
      queueOffset + Math.floor(maxEntries),
      this.reader.segmentStart(queueOffset) + this.segmentEntries,
    );
    let from = queueOffset;
    while (from < end) {
      const run = await this.reader.entriesForRead(from, end - from);
      const decoded = decodeInto(out, run);
      if (decoded < run.count || run.count === 0) break;
      from += decoded;
    }
    return out;
  }

  /** The entry at `queueOffset`, or undefined outside [minOffset, maxOffset). Throws like {@link read}. */
  async entryAt(queueOffset: number): Promise<ConsumeQueueEntry | undefined> {
    const entries = await this.read(queueOffset, 1);
    const phyOffset = entries.phyOffsets[0];
    const size = entries.sizes[0];
    const tagsCode = entries.tagsCodes[0];
    if (phyOffset === undefined || size === undefined || tagsCode === undefined) return undefined;
    return { phyOffset, size, tagsCode };
  }

  /**
   * Recovery: drops every entry whose phyOffset ≥ `phyOffset` (the commit-log end; they point at data that was cut)
   * and everything after the first of them, zeroes them on disk and deletes the segments past the new end.
   * Returns how many entries were dropped. Call while no appends run. Throws StoreError 'io', 'closed'.
   */
  truncateFromPhyOffset(phyOffset: number): Promise<number> {
    if (this.state !== 'open') return Promise.reject(this.closedError());
    return this.exclusive(async () => {
      try {
        return await this.truncateNow(phyOffset);
      } finally {
        this.reader.invalidate();
      }
    });
  }

  /**
   * Retention: deletes whole segments, oldest first, whose last entry's phyOffset is below `minPhyOffset` (never the
   * last segment), then moves minOffset to the first entry with phyOffset ≥ `minPhyOffset` (maxOffset when none).
   * Returns the number of segments deleted. Throws StoreError 'io', 'closed'.
   */
  deleteSegmentsBelowPhyOffset(minPhyOffset: number): Promise<number> {
    if (this.state !== 'open') return Promise.reject(this.closedError());
    return this.exclusive(async () => {
      try {
        return await this.deleteBelowNow(minPhyOffset);
      } finally {
        this.reader.invalidate();
      }
    });
  }

  /**
   * The queue offset whose message was stored at `timestampMs`, by binary search over [minOffset, maxOffset) with
   * `storeTimeOf` reading each probed message's store time (RocketMQ 4.9.8 `getOffsetInQueueByTime`): an exact match
   * wins, otherwise the entry with the nearest store time (ties → the earlier one). Entries whose time cannot be
   * read (`undefined`, e.g. below the commit log's minimum) and fillers steer the search later. Returns 0 when no
   * store time could be read. Throws StoreError 'closed', 'io', or what `storeTimeOf` throws.
   */
  searchOffsetByTimestamp(timestampMs: number, storeTimeOf: StoreTimeOf): Promise<number> {
    if (this.state === 'closed') return Promise.reject(this.closedError());
    return searchOffsetByTimestamp({
      timestampMs,
      storeTimeOf,
      range: { from: this.minOff, to: this.mem.end, entryAt: (offset) => this.entryAt(offset) },
    });
  }

  /** Flushes pending entries and closes the files. Idempotent; later appends and reads throw StoreError 'closed'. */
  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  /** Closes the queue without flushing and deletes its directory (topic deletion). Throws StoreError 'io'. */
  async destroy(): Promise<void> {
    this.state = 'closing';
    await this.exclusive(async () => {
      this.state = 'closed';
      this.queuedFlush = undefined;
      await this.files.removeAll();
    });
    this.closing ??= Promise.resolve();
  }

  // ---- loading -------------------------------------------------------------------------------------------------

  private async load(): Promise<void> {
    const bases = this.files.bases;
    const last = bases[bases.length - 1];
    if (last === undefined) return;
    // Find the end: scan the last segment; an empty one means the end may lie in the one before.
    let end = last / CQ_STORE_UNIT_SIZE;
    for (let i = bases.length - 1; i >= 0; i--) {
      const start = (bases[i] ?? 0) / CQ_STORE_UNIT_SIZE;
      const written = await this.reader.countWritten(start);
      end = start + written;
      if (written > 0 || i === 0) break;
    }
    // The buffer must describe the disk (nothing held, end known) before reading through the reader.
    this.mem.reset(end);
    const endBase = this.reader.segmentStart(end) * CQ_STORE_UNIT_SIZE;
    for (const base of [...bases]) {
      if (base > endBase) {
        this.logger.warn('deleting a consume-queue segment past the end of the queue', {
          file: this.files.path(base),
          maxOffset: end,
        });
        await this.files.delete(base);
      }
    }
    const first = (bases[0] ?? 0) / CQ_STORE_UNIT_SIZE;
    this.minOff = await this.reader.findFirst(first, (run, pos) => !isFillerEntry(run.buf, pos));
    const tailFrom = Math.max(first, end - this.mem.cacheEntries);
    const tail = await this.reader.readRange(tailFrom, end);
    // A short read leaves nothing cached; reads then go to the files.
    if (tail) this.mem.loadFlushed(end, tail);
    this.lastPhyEnd = await this.reader.lastRealEnd(end);
  }

  // ---- appending -----------------------------------------------------------------------------------------------

  private fillGap(queueOffset: number): void {
    if (this.files.count === 0 && this.mem.end === this.mem.start) {
      // Nothing on disk or pending: start at the segment holding queueOffset (RocketMQ fillPreBlank), e.g. a queue
      // recreated after its files were deleted.
      const start = this.reader.segmentStart(queueOffset);
      this.mem.reset(start);
      this.minOff = queueOffset;
      if (start < queueOffset) {
        this.logger.info('consume queue starts past its first segment start; writing fillers', {
          queueOffset,
          segmentStart: start,
        });
      }
    } else {
      this.logger.warn('consume-queue gap; writing filler entries', {
        expected: this.mem.end,
        queueOffset,
      });
      if (this.minOff === this.mem.end) this.minOff = queueOffset;
    }
    this.mem.putFillers(queueOffset - this.mem.end);
  }

  // ---- serialized disk operations -------------------------------------------------------------------------------

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lockTail.then(task);
    this.lockTail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async flushNow(sync: boolean): Promise<void> {
    if (this.state === 'closed') return;
    // Captured: appends during the awaits below grow into a new Buffer and leave these bytes alone.
    const run = this.mem.pending();
    const end = run.from + run.count;
    let at = run.from;
    while (at < end) {
      const segStart = this.reader.segmentStart(at);
      const stop = Math.min(end, segStart + this.segmentEntries);
      const base = segStart * CQ_STORE_UNIT_SIZE;
      const file = this.files.path(base);
      try {
        const { fh, created } = await this.files.handleForWrite(base);
        if (created) this.createdUnsynced = true;
        let off = run.pos + (at - run.from) * CQ_STORE_UNIT_SIZE;
        const stopByte = run.pos + (stop - run.from) * CQ_STORE_UNIT_SIZE;
        let position = at * CQ_STORE_UNIT_SIZE - base;
        while (off < stopByte) {
          const { bytesWritten } = await fh.write(run.buf, off, stopByte - off, position);
          off += bytesWritten;
          position += bytesWritten;
        }
      } catch (err) {
        throw ioError(err, file);
      }
      this.unsynced.add(base);
      at = stop;
    }
    this.mem.markFlushed(end);
    if (sync) await this.syncNow();
  }

  private async syncNow(): Promise<void> {
    for (const base of [...this.unsynced]) {
      const file = this.files.path(base);
      try {
        const fh = await this.files.handle(base);
        await fh?.datasync();
      } catch (err) {
        throw ioError(err, file);
      }
      this.unsynced.delete(base);
    }
    if (this.createdUnsynced) {
      await this.files.syncDir();
      this.createdUnsynced = false;
    }
  }

  private async truncateNow(phyOffset: number): Promise<number> {
    // Keep up to the last entry that points below the cut, or is a filler (fillers point at nothing).
    const keptLast = await this.reader.findLast(
      this.mem.end,
      (run, pos) =>
        isWrittenEntry(run.buf, pos) &&
        (isFillerEntry(run.buf, pos) || readInt64(run.buf, pos) < phyOffset),
    );
    const newEnd = keptLast >= 0 ? keptLast + 1 : this.reader.lowestOffset();
    const dropped = this.mem.end - newEnd;
    if (dropped <= 0) return 0;
    const oldFlushed = this.mem.flushed;
    this.mem.truncate(newEnd);
    this.minOff = Math.min(this.minOff, newEnd);
    const segStart = this.reader.segmentStart(newEnd);
    const endBase = segStart * CQ_STORE_UNIT_SIZE;
    if (oldFlushed > newEnd && this.files.has(endBase)) {
      await this.zeroOnDisk(newEnd, Math.min(oldFlushed, segStart + this.segmentEntries));
    }
    for (const base of [...this.files.bases]) {
      if (base > endBase) {
        this.unsynced.delete(base);
        await this.files.delete(base);
      }
    }
    this.lastPhyEnd = await this.reader.lastRealEnd(newEnd);
    this.logger.warn('consume queue truncated', { phyOffset, dropped, maxOffset: newEnd });
    return dropped;
  }

  /** Zeroes entries [from, to) of one segment and syncs it: recovery must not resurrect them after a crash. */
  private async zeroOnDisk(from: number, to: number): Promise<void> {
    const base = this.reader.segmentStart(from) * CQ_STORE_UNIT_SIZE;
    const file = this.files.path(base);
    const zeros = Buffer.alloc(Math.min(to - from, ZERO_CHUNK_ENTRIES) * CQ_STORE_UNIT_SIZE);
    try {
      const fh = await this.files.handle(base);
      if (!fh) return;
      let position = from * CQ_STORE_UNIT_SIZE - base;
      const endPosition = to * CQ_STORE_UNIT_SIZE - base;
      while (position < endPosition) {
        const { bytesWritten } = await fh.write(
          zeros,
          0,
          Math.min(zeros.length, endPosition - position),
          position,
        );
        position += bytesWritten;
      }
      await fh.datasync();
    } catch (err) {
      throw ioError(err, file);
    }
  }

  private async deleteBelowNow(minPhyOffset: number): Promise<number> {
    let deleted = 0;
    while (this.files.count > 1) {
      const base = this.files.bases[0] ?? 0;
      const lastOfSegment = (base + this.segmentBytes) / CQ_STORE_UNIT_SIZE - 1;
      const run = await this.reader.entries(lastOfSegment, 1);
      if (run.count === 0) break;
      // RocketMQ ConsumeQueue.deleteExpiredFile: the segment goes when its last entry points below the minimum.
      if (readInt64(run.buf, run.pos) >= minPhyOffset) break;
      this.unsynced.delete(base);
      await this.files.delete(base);
      this.logger.info('deleted an expired consume-queue segment', {
        file: this.files.path(base),
        minPhyOffset,
      });
      deleted++;
    }
    const from = Math.max(this.minOff, this.reader.lowestOffset());
    this.minOff = await this.reader.findFirst(
      from,
      (run, pos) =>
        isWrittenEntry(run.buf, pos) &&
        !isFillerEntry(run.buf, pos) &&
        readInt64(run.buf, pos) >= minPhyOffset,
    );
    return deleted;
  }

  private async closeNow(): Promise<void> {
    this.state = 'closing';
    try {
      await this.exclusive(() => this.flushNow(false));
    } finally {
      await this.exclusive(async () => {
        this.state = 'closed';
        await this.files.closeAll();
      });
    }
  }

  private closedError(): StoreError {
    return new StoreError('closed', `consume queue ${this.topic}/${this.queueId} is closed`);
  }
}

/** The directory of one queue: `<rootDir>/consumequeue/<topic>/<queueId>`. */
export function consumeQueueDir(options: {
  rootDir: string;
  topic: string;
  queueId: number;
}): string {
  return join(options.rootDir, 'consumequeue', options.topic, String(options.queueId));
}

function checkSegmentBytes(segmentBytes: number): void {
  if (
    !Number.isSafeInteger(segmentBytes) ||
    segmentBytes <= 0 ||
    segmentBytes % CQ_STORE_UNIT_SIZE !== 0
  ) {
    throw new RangeError(
      `consume-queue segmentBytes ${segmentBytes} must be a positive multiple of 20`,
    );
  }
}

/** Decodes a run into `out` up to the first unwritten entry; returns how many were decoded. */
function decodeInto(out: ConsumeQueueEntries, run: RawRun): number {
  const { buf } = run;
  let pos = run.pos;
  for (let i = 0; i < run.count; i++, pos += CQ_STORE_UNIT_SIZE) {
    if (!isWrittenEntry(buf, pos)) return i;
    out.phyOffsets.push(readInt64(buf, pos));
    out.sizes.push(buf.readInt32BE(pos + 8));
    out.tagsCodes.push(readInt64(buf, pos + 12));
    out.count++;
  }
  return run.count;
}
