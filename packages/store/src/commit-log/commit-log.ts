/**
 * The commit log: one append-only log of message records for every topic and queue, split into fixed-size segment
 * files named by their start offset (store-format.md §2).
 *
 * Write path (group commit): records appended during one event-loop turn are encoded back to back into a pooled
 * memory chunk; at the end of the turn the new bytes become one run per segment (a view, no copy), written with one
 * positional write each — on the event loop's thread while writes are fast (SyncWriteGate), else up to
 * MAX_WRITES_IN_FLIGHT in libuv's pool — and then kept in the read cache. A record never spans two
 * segments: when `size + 8` does not fit, an 8-byte end-of-file filler (remaining bytes, BLANK_MAGIC_CODE) is
 * written and the record goes to the start of the next segment, as RocketMQ does.
 */
import { mkdir, readdir, stat, truncate } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { BLANK_MAGIC_CODE, writeRecordPhyOffset } from '@rocketmq-ts/protocol';
import type { Logger, MessageRecordWriter, RecordFields } from '@rocketmq-ts/protocol';
import { StoreError } from '../errors.js';
import { ChunkPool } from './chunk-pool.js';
import { SpanCache } from './span-cache.js';
import { ReadCache } from './read-cache.js';
import type { CachedRun } from './read-cache.js';
import { SegmentFile, isSegmentFileName } from './segment-file.js';
import { SyncWriteGate } from './sync-write-gate.js';

/**
 * A copy of `source[start, end)` in its own memory. (`Buffer.from(view)` takes a slow element-by-element path for
 * Buffer views on Node 20; `copy` is a memcpy.)
 */
function copyOf(source: Buffer, start: number, end: number): Buffer {
  const target = Buffer.allocUnsafeSlow(end - start);
  source.copy(target, 0, start, end);
  return target;
}

/** Commit-log writes issued at once. */
const MAX_WRITES_IN_FLIGHT = 4;
/** Three synchronous writes slower than this within a second move writes to libuv's pool for 10 s. */
const SLOW_SYNC_WRITE_MS = 20;
const SLOW_SYNC_WRITES_TO_POOL = 3;
/** A read on the thread slower than this counts as slow (its pages were not resident), ms. */
const SLOW_THREAD_READ_MS = 5;
/** Share of physical memory assumed to hold the newest commit-log bytes (RocketMQ's accessMessageInMemoryMaxRatio). */
const RESIDENT_MEMORY_RATIO = 0.4;
/**
 * A group-commit fdatasync on the thread slower than this counts as slow, ms. They take ~1 ms on an idle disk and
 * now and then ~12 ms (a journal commit); only repeated longer ones mean the disk is congested.
 */
const SLOW_THREAD_SYNC_MS = 20;
const SLOW_SYNC_WRITE_WINDOW_MS = 1000;
const POOL_WRITES_FOR_MS = 10_000;
/** Pending bytes of one turn that are sealed and written at once, so writing overlaps encoding. */
const EAGER_WRITE_BYTES = 128 * 1024;
/** Spans of older data kept for pulls (see span-cache.ts); a span is at most 1 MiB (get-message.ts). */
const PULL_SPANS = 16;
/**
 * Span reads up to this size go into buffers of exactly this size, reused once the cache drops their span: pulls read
 * windows of 1 MiB (get-message.ts).
 */
const SPAN_BUFFER_BYTES = 1024 * 1024;
const MAX_SPARE_SPAN_BUFFERS = 4;

/** RocketMQ's END_FILE_MIN_BLANK_LENGTH: a segment always keeps room for the 8-byte filler. */
export const END_FILE_MIN_BLANK_LENGTH = 8;

/** Options of {@link CommitLog.open}. */
export interface CommitLogOptions {
  dir: string;
  /** Bytes per segment file (`mappedFileSizeCommitLog`). */
  segmentBytes: number;
  /** Largest record accepted, in bytes; the scratch buffer always has room for one. */
  maxRecordBytes: number;
  /** Recently written bytes kept in memory for reads. */
  readCacheBytes: number;
  logger: Logger;
  /**
   * Write on the event loop's thread while writes are fast (see SyncWriteGate); false = always in libuv's pool.
   * Default true.
   */
  syncWrites?: boolean;
}

/** Records appended as one unit (never split across segments). */
export interface AppendUnit {
  /** Number of records. */
  readonly count: number;
  /** Upper bound of the unit's total size in bytes. */
  readonly maxBytes: number;
  /** Encodes record `index` at `offset` of `target`; returns its size. phyOffset is patched in afterwards. */
  encode(index: number, target: Buffer, offset: number): number;
}

export class CommitLog {
  private readonly segments: SegmentFile[] = [];
  private readonly readCache: ReadCache;
  /** Spans of older data pulls read lately (see {@link CommitLog.spanView}). */
  private readonly spanCache = new SpanCache(PULL_SPANS);
  /** Memory of spans the cache dropped, read into by the next span reads. */
  private readonly spareSpanBuffers: Buffer[] = [];
  /** Bumped whenever the log is cut, so a span read that straddled a cut is not kept. */
  private cutEpoch = 0;
  private readonly pool: ChunkPool;
  /** Runs (cached or waiting to be written) that still point into each chunk. */
  private readonly chunkRefs = new Map<Buffer, number>();
  /** The chunk records are encoded into. */
  private scratch: Buffer;
  /** Bytes of `scratch` in use. */
  private scratchUsed = 0;
  /** Start of the bytes of `scratch` not yet sealed into a run. */
  private unsealedStart = 0;
  /** Commit-log offset of `scratch[unsealedStart]`. */
  private unsealedPhy: number;
  private sealed: CachedRun[] = [];
  private writeScheduled = false;
  /** Completions of a write made in this callback may still be settling (see {@link CommitLog.scheduleWrite}). */
  private settlingWrites = false;
  /** Runs issued for writing, in log order, with whether their write has completed. */
  private issued: { run: CachedRun; done: boolean }[] = [];
  private writesRunning = 0;
  /** Segment files are created one at a time, in log order. */
  private segmentCreation: Promise<unknown> = Promise.resolve();
  /** End of everything appended (pending writes included). */
  private appendOffset: number;
  /** End of what has been written to the files (readable). */
  private writtenEnd: number;
  /** End of what an fdatasync has covered. */
  private flushedEnd: number;
  private dirtySegments = new Set<SegmentFile>();
  private syncInFlight: Promise<void> | undefined;
  private writeFailure: StoreError | undefined;
  private readonly writtenListeners: ((writtenEnd: number) => void)[] = [];
  private drainWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private closed = false;
  private readonly syncGate: SyncWriteGate | undefined;
  /**
   * Decides whether reads of recent data run on the thread (see {@link CommitLog.read}): recent means within
   * `residentBytes` of the end, RocketMQ's guess of what the page cache holds (accessMessageInMemoryMaxRatio, 40 % of
   * physical memory). Such a read is a copy from the page cache, and a pool read's two thread hand-offs cost more;
   * older data, or reads that keep blocking (evicted pages), go through libuv's pool.
   */
  private readonly readGate: SyncWriteGate | undefined;
  private readonly residentBytes = Math.floor(totalmem() * RESIDENT_MEMORY_RATIO);
  /** Decides whether group-commit fdatasyncs run on the thread (see {@link CommitLog.flush}). */
  private readonly flushGate: SyncWriteGate | undefined;

  private constructor(
    private readonly options: CommitLogOptions,
    endOffset: number,
  ) {
    this.readCache = new ReadCache(options.readCacheBytes);
    const chunkBytes = Math.max(
      4 * 1024 * 1024,
      2 * (options.maxRecordBytes + END_FILE_MIN_BLANK_LENGTH),
    );
    // Readers get copies (see read/readCached), so a chunk can be reused as soon as no cached run points into it.
    this.pool = new ChunkPool(chunkBytes, {
      cooldownMs: 0,
      maxPooled: Math.max(4, Math.ceil(options.readCacheBytes / chunkBytes) + 4),
    });
    this.pool.prefill(Math.ceil(options.readCacheBytes / chunkBytes) + 2);
    this.scratch = this.pool.take(chunkBytes);
    // Without syncWrites every write, read and sync goes through libuv's pool.
    const threadGate = (slowMs: number, what: string): SyncWriteGate | undefined =>
      options.syncWrites === false
        ? undefined
        : new SyncWriteGate({
            slowWriteMs: slowMs,
            slowWritesToClose: SLOW_SYNC_WRITES_TO_POOL,
            windowMs: SLOW_SYNC_WRITE_WINDOW_MS,
            poolForMs: POOL_WRITES_FOR_MS,
            onClose: (tookMs, bytes) =>
              options.logger.warn(
                `commit-log ${what} keep blocking; using the thread pool for a while`,
                {
                  tookMs: Math.round(tookMs),
                  bytes,
                  poolForMs: POOL_WRITES_FOR_MS,
                },
              ),
          });
    this.syncGate = threadGate(SLOW_SYNC_WRITE_MS, 'writes');
    this.readGate = threadGate(SLOW_THREAD_READ_MS, 'reads (data not in the page cache)');
    this.flushGate = threadGate(SLOW_THREAD_SYNC_MS, 'fdatasyncs');
    this.appendOffset = endOffset;
    this.writtenEnd = endOffset;
    this.flushedEnd = endOffset;
    this.unsealedPhy = endOffset;
  }

  /**
   * Opens the segment files in `dir` (creating `dir`). The end of data is not known yet: call
   * {@link CommitLog.setEndOffset} after recovery has found it. Throws StoreError 'corrupt' for a segment of the
   * wrong size or a gap between segments.
   */
  static async open(options: CommitLogOptions): Promise<CommitLog> {
    await mkdir(options.dir, { recursive: true });
    const names = (await readdir(options.dir)).filter(isSegmentFileName).sort();
    const log = new CommitLog(options, 0);
    for (const name of names) {
      const startOffset = Number(name);
      const previous = log.segments.at(-1);
      if (previous && previous.endOffset !== startOffset) {
        throw new StoreError(
          'corrupt',
          `commit log segment ${join(options.dir, name)} does not follow ${previous.path} (gap or overlap at offset ${previous.endOffset})`,
          { file: join(options.dir, name), phyOffset: previous.endOffset },
        );
      }
      if (name === names.at(-1)) await sizeInterruptedSegment(join(options.dir, name), options);
      log.segments.push(
        await SegmentFile.open({
          path: join(options.dir, name),
          startOffset,
          size: options.segmentBytes,
        }),
      );
    }
    const first = log.segments[0];
    if (first) log.setEndOffset(first.startOffset);
    return log;
  }

  /** Loaded segment files, oldest first. */
  get segmentFiles(): readonly SegmentFile[] {
    return this.segments;
  }

  /** Smallest offset still stored (start of the oldest segment), 0 when empty. */
  get minOffset(): number {
    return this.segments[0]?.startOffset ?? 0;
  }

  /** End of all appended data, pending writes included (RocketMQ's max offset once written). */
  get maxOffset(): number {
    return this.appendOffset;
  }

  /** End of the data written to the files: readable by getMessage and replication. */
  get writtenOffset(): number {
    return this.writtenEnd;
  }

  /** End of the data an fdatasync has covered. */
  get flushedOffset(): number {
    return this.flushedEnd;
  }

  /** Segment size in bytes. */
  get segmentBytes(): number {
    return this.options.segmentBytes;
  }

  /** Sets where data ends (after recovery). Everything before it counts as written and flushed. */
  setEndOffset(endOffset: number): void {
    if (
      this.appendOffset !== this.writtenEnd ||
      this.sealed.length > 0 ||
      this.scratchUsed > this.unsealedStart
    ) {
      throw new StoreError('io', 'cannot move the end of a commit log with pending writes');
    }
    this.appendOffset = endOffset;
    this.writtenEnd = endOffset;
    this.flushedEnd = endOffset;
    this.unsealedPhy = endOffset;
    for (const run of this.readCache.truncateFrom(endOffset)) this.unref(run.chunk);
    this.spanCache.dropFrom(endOffset);
    this.cutEpoch++;
  }

  /** Calls `listener(writtenEnd)` after each completed write. */
  onWritten(listener: (writtenEnd: number) => void): void {
    this.writtenListeners.push(listener);
  }

  /**
   * Appends `unit.count` records as one unit that never spans segments (a single message, or a batch), encoding
   * each with `unit.encode(i, target, offset)` (which returns the record's size). `unit.maxBytes` bounds the
   * unit's total size. Returns each record's phyOffset (already patched into the record). The records become
   * readable when the write completes ({@link CommitLog.onWritten}). Throws StoreError when closed or after a
   * failed write.
   */
  append(unit: AppendUnit): number[] {
    this.assertWritable();
    const room = unit.maxBytes + END_FILE_MIN_BLANK_LENGTH;
    this.sealAtSegmentStart(this.appendOffset);
    if (this.scratch.length - this.scratchUsed < room) this.switchChunk(room);
    const start = this.scratchUsed;
    const sizes: number[] = new Array<number>(unit.count);
    let end = start;
    for (let i = 0; i < unit.count; i++) {
      const size = unit.encode(i, this.scratch, end);
      sizes[i] = size;
      end += size;
    }
    const total = end - start;
    if (total > this.options.segmentBytes - END_FILE_MIN_BLANK_LENGTH) {
      throw new StoreError('io', `a unit of ${total} bytes cannot fit any commit-log segment`);
    }
    const phy = this.phyAt(start);
    const segmentEnd = this.segmentEndOf(phy);
    let recordStart = start;
    if (phy + total + END_FILE_MIN_BLANK_LENGTH > segmentEnd) {
      // Does not fit: an end-of-file filler here, and the whole unit at the start of the next segment. The room
      // check above left space for both in this chunk.
      const unitBytes = copyOf(this.scratch, start, end);
      this.scratchUsed = start;
      this.endSegment(segmentEnd);
      recordStart = this.scratchUsed;
      unitBytes.copy(this.scratch, recordStart);
    }
    const phyOffsets: number[] = new Array<number>(unit.count);
    let pos = recordStart;
    for (let i = 0; i < unit.count; i++) {
      const phyOffset = this.phyAt(pos);
      phyOffsets[i] = phyOffset;
      writeRecordPhyOffset(this.scratch, pos, phyOffset);
      pos += sizes[i]!;
    }
    this.scratchUsed = recordStart + total;
    this.appendOffset = this.phyAt(this.scratchUsed);
    if (this.scratchUsed - this.unsealedStart >= EAGER_WRITE_BYTES) this.eagerPump();
    else this.scheduleWrite();
    return phyOffsets;
  }

  /**
   * Appends one record of exactly `size` bytes (measured by `writer.measure(fields)`), written by `writer` straight
   * into the write buffer at its final position — the single-message fast path of {@link CommitLog.append}: the
   * size is known up front, so a segment end is handled before encoding and nothing is copied. Returns the
   * record's phyOffset. Throws StoreError when closed, after a failed write, or when no segment could hold it.
   */
  appendRecord(size: number, fields: RecordFields, writer: MessageRecordWriter): number {
    this.assertWritable();
    if (size > this.options.segmentBytes - END_FILE_MIN_BLANK_LENGTH) {
      throw new StoreError('io', `a unit of ${size} bytes cannot fit any commit-log segment`);
    }
    const room = size + END_FILE_MIN_BLANK_LENGTH;
    this.sealAtSegmentStart(this.appendOffset);
    if (this.scratch.length - this.scratchUsed < room) this.switchChunk(room);
    let phyOffset = this.phyAt(this.scratchUsed);
    const segmentEnd = this.segmentEndOf(phyOffset);
    if (phyOffset + room > segmentEnd) {
      // Does not fit: an end-of-file filler here, the record at the start of the next segment.
      this.endSegment(segmentEnd);
      if (this.scratch.length - this.scratchUsed < room) this.switchChunk(room);
      phyOffset = this.phyAt(this.scratchUsed);
    }
    fields.phyOffset = phyOffset;
    writer.write(this.scratch, this.scratchUsed, fields);
    this.scratchUsed += size;
    this.appendOffset = phyOffset + size;
    if (this.scratchUsed - this.unsealedStart >= EAGER_WRITE_BYTES) this.eagerPump();
    else this.scheduleWrite();
    return phyOffset;
  }

  /**
   * Replication: appends raw commit-log bytes at exactly `phyOffset` (must equal {@link CommitLog.maxOffset}); the
   * bytes may not cross a segment end. Throws StoreError otherwise.
   */
  appendRaw(phyOffset: number, bytes: Buffer): void {
    this.assertWritable();
    if (phyOffset !== this.appendOffset) {
      throw new StoreError(
        'corrupt',
        `raw append at ${phyOffset} does not continue the commit log, which ends at ${this.appendOffset}`,
        { phyOffset },
      );
    }
    if (phyOffset + bytes.length > this.segmentEndOf(phyOffset)) {
      throw new StoreError(
        'corrupt',
        `raw append at ${phyOffset} of ${bytes.length} bytes crosses a segment end`,
        {
          phyOffset,
        },
      );
    }
    this.sealAtSegmentStart(phyOffset);
    if (this.scratch.length - this.scratchUsed < bytes.length) this.switchChunk(bytes.length);
    bytes.copy(this.scratch, this.scratchUsed);
    this.scratchUsed += bytes.length;
    this.appendOffset = this.phyAt(this.scratchUsed);
    this.scheduleWrite();
  }

  /**
   * Reads `size` bytes at `phyOffset` from written data into a buffer of its own. Returns undefined when the range
   * is not (or no longer) stored. Recent data is copied from memory, older data read from the segment file.
   */
  async read(phyOffset: number, size: number, into?: Buffer): Promise<Buffer | undefined> {
    if (phyOffset < this.minOffset || phyOffset + size > this.writtenEnd || size <= 0)
      return undefined;
    const cached = this.readCache.get(phyOffset, size);
    if (cached) return copyOf(cached, 0, cached.length);
    const segment = this.segmentAt(phyOffset);
    if (!segment || phyOffset + size > segment.endOffset) return undefined;
    const position = phyOffset - segment.startOffset;
    let data: Buffer;
    if (this.readGate?.open === true && this.writtenEnd - phyOffset <= this.residentBytes) {
      const startedMs = performance.now();
      data = segment.readSync(position, size, into);
      this.readGate.record(performance.now() - startedMs, size);
    } else {
      data = await segment.read(position, size, into);
    }
    return data.length === size ? data : undefined;
  }

  private keepSpareSpanBuffer(buffer: Buffer): void {
    if (this.spareSpanBuffers.length < MAX_SPARE_SPAN_BUFFERS) this.spareSpanBuffers.push(buffer);
  }

  /**
   * For pulls: a view of [phyOffset, phyOffset + size) from a span of older data a pull read lately, or undefined.
   * The view is valid only until the caller's next await: copy it out at once.
   */
  spanView(phyOffset: number, size: number): Buffer | undefined {
    if (phyOffset < this.minOffset) return undefined;
    return this.spanCache.get(phyOffset, size);
  }

  /**
   * {@link CommitLog.read} for a pull's span: the bytes are also kept for the pulls of other queues. Valid until the
   * caller's next await, like {@link CommitLog.spanView}: the memory of a span the cache drops is read into again.
   */
  async readSpan(phyOffset: number, size: number): Promise<Buffer | undefined> {
    const epoch = this.cutEpoch;
    // A drain reads the whole log through spans: a new buffer per span (up to 1 MiB each, outside the V8 heap) made
    // V8 run a full GC every ~50 ms for "external memory"; so spans reuse the memory of the ones dropped.
    const into =
      size <= SPAN_BUFFER_BYTES
        ? (this.spareSpanBuffers.pop() ?? Buffer.allocUnsafeSlow(SPAN_BUFFER_BYTES))
        : undefined;
    const bytes = await this.read(phyOffset, size, into);
    if (bytes !== undefined && epoch === this.cutEpoch && phyOffset >= this.minOffset) {
      const dropped = this.spanCache.add(phyOffset, bytes);
      // Only whole buffers made here: a span copied out of the read cache is of another size.
      if (dropped?.buffer.byteLength === SPAN_BUFFER_BYTES && dropped.byteOffset === 0) {
        this.keepSpareSpanBuffer(Buffer.from(dropped.buffer, 0, SPAN_BUFFER_BYTES));
      }
    } else if (into !== undefined && bytes?.buffer !== into.buffer) {
      // Not kept and `into` unused (nothing read, or the bytes were copied from the read cache): next span's.
      this.keepSpareSpanBuffer(into);
    }
    return bytes;
  }

  /**
   * Like {@link CommitLog.read} but only from memory, synchronously; undefined when not cached. The result is a
   * view into a reused chunk: copy it before the current turn ends.
   */
  readCached(phyOffset: number, size: number): Buffer | undefined {
    if (phyOffset < this.minOffset || phyOffset + size > this.writtenEnd) return undefined;
    return this.readCache.get(phyOffset, size);
  }

  /** Up to `maxBytes` of written data from `phyOffset`, never crossing a segment end (replication source). */
  async readRaw(phyOffset: number, maxBytes: number): Promise<Buffer | undefined> {
    const segment = this.segmentAt(phyOffset);
    if (!segment) return undefined;
    const size = Math.min(maxBytes, this.writtenEnd - phyOffset, segment.endOffset - phyOffset);
    return size > 0 ? this.read(phyOffset, size) : undefined;
  }

  /**
   * fdatasync of every segment written since the last sync; resolves when `flushedOffset` covers everything
   * written when it started. Concurrent callers share one sync.
   *
   * With `onThread` (SYNC_FLUSH group commits) the fdatasync runs on the calling thread while fdatasyncs have been
   * fast and none is running in the pool: the group's puts wait for it anyway, and on small VMs the two thread
   * hand-offs of a pool sync (wake a pool thread, wake the event loop) cost more than a fdatasync of a few hundred
   * KiB. Slow ones send syncs back to the pool for a while, as slow writes do (SyncWriteGate). Periodic ASYNC_FLUSH
   * syncs of many MiB stay in the pool.
   */
  flush(options?: { onThread?: boolean }): Promise<void> {
    if (options?.onThread === true && this.syncInFlight === undefined && this.flushGate?.open) {
      try {
        this.flushOnThread();
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    return this.flushInPool();
  }

  private flushOnThread(): void {
    if (this.flushedEnd >= this.writtenEnd) return;
    const target = this.writtenEnd;
    const startedMs = performance.now();
    try {
      for (const segment of this.dirtySegments) segment.syncNow();
    } catch (cause) {
      throw new StoreError('io', 'commit log fdatasync failed', { cause });
    }
    this.dirtySegments.clear();
    this.flushGate!.record(performance.now() - startedMs, target - this.flushedEnd);
    this.flushedEnd = target;
  }

  private async flushInPool(): Promise<void> {
    while (this.syncInFlight) await this.syncInFlight;
    if (this.flushedEnd >= this.writtenEnd) return;
    const target = this.writtenEnd;
    const dirty = [...this.dirtySegments];
    this.dirtySegments.clear();
    this.syncInFlight = (async () => {
      try {
        await Promise.all(dirty.map((segment) => segment.sync()));
        this.flushedEnd = Math.max(this.flushedEnd, target);
      } catch (cause) {
        for (const segment of dirty) this.dirtySegments.add(segment);
        throw new StoreError('io', 'commit log fdatasync failed', { cause });
      } finally {
        this.syncInFlight = undefined;
      }
    })();
    await this.syncInFlight;
  }

  /** Waits until every appended record has been written (not necessarily synced). Rejects after a write failure. */
  drain(): Promise<void> {
    if (this.writeFailure) return Promise.reject(this.writeFailure);
    if (this.writtenEnd >= this.appendOffset) return Promise.resolve();
    return new Promise<void>((resolve, reject) => this.drainWaiters.push({ resolve, reject }));
  }

  /** The segment holding `phyOffset`, if loaded. */
  segmentAt(phyOffset: number): SegmentFile | undefined {
    const first = this.segments[0];
    if (!first || phyOffset < first.startOffset) return undefined;
    return this.segments[Math.floor((phyOffset - first.startOffset) / this.options.segmentBytes)];
  }

  /**
   * Deletes the oldest segments while `shouldDelete(segment)` says so, never the segment being written. Returns the
   * deleted segments' paths.
   */
  async deleteOldestSegments(shouldDelete: (segment: SegmentFile) => boolean): Promise<string[]> {
    const deleted: string[] = [];
    while (this.segments.length > 1) {
      const oldest = this.segments[0]!;
      if (oldest.endOffset > this.writtenEnd || !shouldDelete(oldest)) break;
      this.segments.shift();
      this.dirtySegments.delete(oldest);
      this.spanCache.dropBelow(oldest.endOffset);
      await oldest.destroy();
      deleted.push(oldest.path);
    }
    return deleted;
  }

  /** Deletes segments that start at or after `phyOffset` (recovery of a cut tail); returns their paths. */
  async deleteSegmentsFrom(phyOffset: number): Promise<string[]> {
    this.spanCache.dropFrom(phyOffset);
    this.cutEpoch++;
    const deleted: string[] = [];
    while (this.segments.length > 0 && this.segments.at(-1)!.startOffset >= phyOffset) {
      const segment = this.segments.pop()!;
      await segment.destroy();
      deleted.push(segment.path);
    }
    return deleted;
  }

  /** Writes pending data, syncs, and closes every file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.drain().catch(() => undefined);
    await this.flush().catch(() => undefined);
    this.closed = true;
    for (const segment of this.segments) await segment.close();
  }

  private segmentEndOf(phyOffset: number): number {
    const size = this.options.segmentBytes;
    return (Math.floor(phyOffset / size) + 1) * size;
  }

  private assertWritable(): void {
    if (this.closed) throw new StoreError('closed', 'commit log is closed');
    if (this.writeFailure) throw this.writeFailure;
  }

  /** Commit-log offset of `scratch[index]` for an index in the unsealed region. */
  private phyAt(index: number): number {
    return this.unsealedPhy + (index - this.unsealedStart);
  }

  /**
   * Writes the end-of-file filler (bytes left in the segment, BLANK_MAGIC_CODE) at the end of the scratch bytes,
   * seals them, and continues at `segmentEnd`, the start of the next segment. The caller made room for the filler.
   */
  private endSegment(segmentEnd: number): void {
    const at = this.scratchUsed;
    this.scratch.writeInt32BE(segmentEnd - this.phyAt(at), at);
    this.scratch.writeInt32BE(BLANK_MAGIC_CODE, at + 4);
    this.scratchUsed = at + END_FILE_MIN_BLANK_LENGTH;
    this.sealScratch();
    this.unsealedPhy = segmentEnd;
  }

  /**
   * A run is written into the one segment holding its start, so it must never cross a segment end. Appended records
   * leave a filler before a segment end (which seals), but raw bytes from replication may end exactly at one: seal
   * before appending at `phyOffset` when the pending bytes belong to an earlier segment.
   */
  private sealAtSegmentStart(phyOffset: number): void {
    if (this.scratchUsed > this.unsealedStart && phyOffset >= this.segmentEndOf(this.unsealedPhy)) {
      this.sealScratch();
    }
  }

  /** Turns the unsealed bytes of the chunk into a run to write (a view into the chunk). */
  private sealScratch(): void {
    if (this.scratchUsed === this.unsealedStart) return;
    const data = this.scratch.subarray(this.unsealedStart, this.scratchUsed);
    this.sealed.push({ phyStart: this.unsealedPhy, data, chunk: this.scratch });
    this.chunkRefs.set(this.scratch, (this.chunkRefs.get(this.scratch) ?? 0) + 1);
    this.unsealedPhy += data.length;
    this.unsealedStart = this.scratchUsed;
  }

  /** Seals what is pending and continues in a fresh chunk with at least `room` bytes. */
  private switchChunk(room: number): void {
    this.sealScratch();
    const old = this.scratch;
    this.scratch = this.pool.take(room);
    this.scratchUsed = 0;
    this.unsealedStart = 0;
    if ((this.chunkRefs.get(old) ?? 0) === 0) this.pool.release(old);
  }

  /** One run less points into `chunk`; the last one returns it to the pool. */
  private unref(chunk: Buffer): void {
    const refs = (this.chunkRefs.get(chunk) ?? 1) - 1;
    if (refs > 0) {
      this.chunkRefs.set(chunk, refs);
      return;
    }
    this.chunkRefs.delete(chunk);
    if (chunk !== this.scratch) this.pool.release(chunk);
  }

  private scheduleWrite(): void {
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    // nextTick, not setImmediate: the appends of this callback and of its promise continuations go out together, and
    // their puts complete before the next socket read is processed (see the connection's flush). But a write asked
    // for while the completions of a thread write are still settling (a writer that puts again as soon as its put
    // resolves) waits for the check phase: such a loop would otherwise never yield to timers (flushes, checkpoints)
    // or I/O.
    if (this.settlingWrites) setImmediate(this.runScheduledWrite);
    else process.nextTick(this.runScheduledWrite);
  }

  private readonly runScheduledWrite = (): void => {
    this.writeScheduled = false;
    this.markSettling();
    // While a write is running, what gathers meanwhile waits for its completion (which pumps again) and then goes
    // out as one larger write: fewer syscalls and thread wake-ups per byte under load, no delay when idle.
    if (this.writesRunning === 0) this.pumpWrites();
  };

  /**
   * Marks the current callback as settling write completions until its promise continuations have all run: a tick
   * queued from a microtask runs only once the microtask queue is empty.
   */
  private markSettling(): void {
    if (this.settlingWrites) return;
    this.settlingWrites = true;
    queueMicrotask(() => process.nextTick(() => (this.settlingWrites = false)));
  }

  /**
   * Issues sealed runs as positional writes, up to {@link MAX_WRITES_IN_FLIGHT} at once (they go to disjoint ranges,
   * so libuv's pool can run them in parallel). Completion is accounted in log order: `writtenOffset` only moves
   * over a contiguous prefix of completed runs.
   */
  private pumpWrites(): void {
    this.sealScratch();
    // On the thread only when nothing is in the pool: completion stays in log order.
    if (this.issued.length === 0 && this.syncGate?.open === true) this.writeSealedNow();
    while (
      this.sealed.length > 0 &&
      this.writesRunning < MAX_WRITES_IN_FLIGHT &&
      !this.writeFailure
    ) {
      const slot = { run: this.coalesceSealed(), done: false };
      this.issued.push(slot);
      this.writesRunning++;
      void this.writeRun(slot);
    }
  }

  /**
   * A batch of pending bytes large enough to write now. While writes run on the thread this only schedules the
   * end-of-turn write: a synchronous completion inside append() would report records written before their put is
   * registered, and a pool write started here would keep later writes in the pool (they wait for it). Otherwise the
   * pool write starts at once.
   */
  private eagerPump(): void {
    if (this.syncGate?.open === true) this.scheduleWrite();
    else this.pumpWrites();
  }

  /**
   * Writes sealed runs synchronously while the gate stays open and their segment exists (a new segment is created
   * by the pool path), then reports the new written end.
   */
  private writeSealedNow(): void {
    const gate = this.syncGate!;
    let advanced = false;
    while (this.sealed.length > 0 && !this.writeFailure && gate.open) {
      const segment = this.segmentAt(this.sealed[0]!.phyStart);
      if (!segment) break;
      const run = this.coalesceSealed();
      const startedMs = performance.now();
      try {
        segment.writeSync(run.data, run.phyStart - segment.startOffset);
      } catch (cause) {
        this.failWrite(run, cause);
        break;
      }
      gate.record(performance.now() - startedMs, run.data.length);
      this.dirtySegments.add(segment);
      for (const evicted of this.readCache.add(run)) this.unref(evicted.chunk);
      this.writtenEnd = run.phyStart + run.data.length;
      advanced = true;
    }
    this.afterWrites(advanced);
  }

  /** Records a failed write: the store refuses writes from now on. */
  private failWrite(run: CachedRun, cause: unknown): void {
    this.writeFailure ??= new StoreError('io', `commit log write failed at ${run.phyStart}`, {
      cause,
      phyOffset: run.phyStart,
    });
    this.options.logger.error('commit log write failed; the store refuses further writes', {
      phyOffset: run.phyStart,
      error: String(cause),
    });
  }

  /**
   * Takes the first sealed run, merged with the runs that continue it in the same chunk and the same segment (runs
   * sealed while writes were busy): one write instead of several.
   */
  private coalesceSealed(): CachedRun {
    let run = this.sealed.shift()!;
    for (let next = this.sealed[0]; next !== undefined; next = this.sealed[0]) {
      const end = run.phyStart + run.data.length;
      if (
        next.chunk !== run.chunk ||
        next.phyStart !== end ||
        next.data.byteOffset !== run.data.byteOffset + run.data.length ||
        next.phyStart + next.data.length > this.segmentEndOf(run.phyStart)
      ) {
        break;
      }
      this.sealed.shift();
      const dataStart = run.data.byteOffset - run.chunk.byteOffset;
      run = {
        phyStart: run.phyStart,
        data: run.chunk.subarray(dataStart, dataStart + run.data.length + next.data.length),
        chunk: run.chunk,
      };
      // Two runs became one: one reference to the chunk less.
      this.unref(run.chunk);
    }
    return run;
  }

  private async writeRun(slot: { run: CachedRun; done: boolean }): Promise<void> {
    const { run } = slot;
    try {
      const segment = await this.segmentFor(run.phyStart);
      await segment.write(run.data, run.phyStart - segment.startOffset);
      this.dirtySegments.add(segment);
      slot.done = true;
    } catch (cause) {
      this.failWrite(run, cause);
    } finally {
      this.writesRunning--;
    }
    this.completeWrites();
    this.pumpWrites();
  }

  private completeWrites(): void {
    let advanced = false;
    while (this.issued.length > 0 && this.issued[0]!.done) {
      const { run } = this.issued.shift()!;
      for (const evicted of this.readCache.add(run)) this.unref(evicted.chunk);
      this.writtenEnd = run.phyStart + run.data.length;
      advanced = true;
    }
    this.afterWrites(advanced);
  }

  /** Tells listeners about a new written end (or a failure) and settles drain() once everything is written. */
  private afterWrites(advanced: boolean): void {
    if (advanced || this.writeFailure) {
      for (const listener of this.writtenListeners) listener(this.writtenEnd);
    }
    if (this.writeFailure || (this.writtenEnd >= this.appendOffset && this.issued.length === 0)) {
      this.settleDrainWaiters();
    }
  }

  private settleDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const waiter of waiters) {
      if (this.writeFailure) waiter.reject(this.writeFailure);
      else waiter.resolve();
    }
  }

  /** Write failure, if any: puts after it fail, pending ones learn it from here. */
  get failure(): StoreError | undefined {
    return this.writeFailure;
  }

  private segmentFor(phyOffset: number): Promise<SegmentFile> {
    const existing = this.segmentAt(phyOffset);
    if (existing) return Promise.resolve(existing);
    const creating = this.segmentCreation.then(
      () => this.segmentAt(phyOffset) ?? this.createSegment(phyOffset),
    );
    this.segmentCreation = creating.catch(() => undefined);
    return creating;
  }

  private async createSegment(phyOffset: number): Promise<SegmentFile> {
    const size = this.options.segmentBytes;
    const startOffset = Math.floor(phyOffset / size) * size;
    const last = this.segments.at(-1);
    if (last && last.endOffset !== startOffset) {
      throw new StoreError(
        'corrupt',
        `commit log would skip from ${last.endOffset} to ${startOffset}`,
        {
          phyOffset: startOffset,
        },
      );
    }
    const segment = await SegmentFile.create({ dir: this.options.dir, startOffset, size });
    this.segments.push(segment);
    return segment;
  }
}

/**
 * A segment file is created, then sized: a crash in between leaves an empty last segment. It holds no data, so it
 * is sized now as its creation would have; a segment of any other wrong size is still refused by SegmentFile.open.
 */
async function sizeInterruptedSegment(path: string, options: CommitLogOptions): Promise<void> {
  if ((await stat(path)).size !== 0) return;
  options.logger.warn('sizing an empty last commit-log segment left by an interrupted creation', {
    file: path,
  });
  await truncate(path, options.segmentBytes);
}
