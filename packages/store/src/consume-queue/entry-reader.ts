import type { EntryBuffer, RawRun } from './entry-buffer.js';
import { readInt64 } from '../int64.js';
import { CQ_STORE_UNIT_SIZE, isFillerEntry, isWrittenEntry } from './entry-codec.js';
import { ioError } from './segment-files.js';
import type { SegmentFiles } from './segment-files.js';

/** Entries per disk read while scanning (64 KiB). */
const SCAN_ENTRIES = 3276;
/** Entries read per disk read for forward readers (20 KiB). */
const READ_AHEAD_ENTRIES = 1024;

/** Tests an entry at byte `pos` of `run.buf`. */
export type EntryPredicate = (run: RawRun, pos: number) => boolean;

/**
 * Finds a queue's raw entries wherever they are: in its EntryBuffer when held there, else in the segment file
 * (one positional read through the segment's cached FileHandle). Also the forward/backward scans that loading,
 * truncation and retention need.
 */
export class EntryReader {
  private readonly files: SegmentFiles;
  private readonly mem: EntryBuffer;
  private readonly segmentEntries: number;

  constructor(parts: { files: SegmentFiles; mem: EntryBuffer; segmentEntries: number }) {
    this.files = parts.files;
    this.mem = parts.mem;
    this.segmentEntries = parts.segmentEntries;
  }

  /** Queue offset of the first entry of the segment holding `queueOffset`. */
  segmentStart(queueOffset: number): number {
    return Math.floor(queueOffset / this.segmentEntries) * this.segmentEntries;
  }

  /** First segment's first entry offset, or the buffer start when nothing is on disk yet. */
  lowestOffset(): number {
    const first = this.files.bases[0];
    return first === undefined ? this.mem.start : first / CQ_STORE_UNIT_SIZE;
  }

  /**
   * Up to `count` raw entries from `from` (below the max offset), from memory when held, else from `from`'s
   * segment file (stopping at the memory start and the segment end). Count 0 when the segment is gone.
   */
  async entries(from: number, count: number): Promise<RawRun> {
    const n = Math.max(0, Math.min(count, this.mem.end - from));
    if (from >= this.mem.start) return this.mem.view(from, n);
    return this.diskEntries(from, Math.min(n, this.mem.start - from));
  }

  /**
   * Like {@link EntryReader.entries}, for consumers reading forward: serves from the last block read off disk and
   * reads a whole block when it misses. Only `ConsumeQueue.read` uses it; scans for recovery and retention read the
   * files directly, so they never see a block cached before the files changed.
   */
  async entriesForRead(from: number, count: number): Promise<RawRun> {
    const n = Math.max(0, Math.min(count, this.mem.end - from));
    if (from >= this.mem.start) return this.mem.view(from, n);
    const wanted = Math.min(n, this.mem.start - from);
    const ahead = this.readAhead;
    if (
      ahead &&
      from >= ahead.from &&
      from < ahead.from + ahead.run.count &&
      this.files.has(ahead.base)
    ) {
      const skip = from - ahead.from;
      return {
        buf: ahead.run.buf,
        pos: ahead.run.pos + skip * CQ_STORE_UNIT_SIZE,
        count: Math.min(wanted, ahead.run.count - skip),
      };
    }
    const block = await this.diskEntries(
      from,
      Math.max(wanted, Math.min(READ_AHEAD_ENTRIES, this.mem.start - from)),
    );
    this.readAhead = { from, base: this.segmentStart(from) * CQ_STORE_UNIT_SIZE, run: block };
    return { buf: block.buf, pos: block.pos, count: Math.min(wanted, block.count) };
  }

  /** The last block of entries read from a segment file (read-ahead for forward readers). */
  private readAhead: { from: number; base: number; run: RawRun } | undefined;

  /** Forgets the read-ahead block (files were truncated or deleted). */
  invalidate(): void {
    this.readAhead = undefined;
  }

  /** Up to `count` entries from the segment file holding `from`, not past that segment's end. */
  async diskEntries(from: number, count: number): Promise<RawRun> {
    const segStart = this.segmentStart(from);
    const n = Math.min(count, segStart + this.segmentEntries - from);
    const base = segStart * CQ_STORE_UNIT_SIZE;
    const empty: RawRun = { buf: Buffer.alloc(0), pos: 0, count: 0 };
    if (n <= 0) return empty;
    try {
      const fh = await this.files.handle(base);
      if (!fh) return empty;
      const buf = Buffer.allocUnsafe(n * CQ_STORE_UNIT_SIZE);
      const { bytesRead } = await fh.read(buf, 0, buf.length, from * CQ_STORE_UNIT_SIZE - base);
      return { buf, pos: 0, count: Math.floor(bytesRead / CQ_STORE_UNIT_SIZE) };
    } catch (err) {
      // Retention may delete (and close) the segment while a reader is on it: that is "no entries".
      if (!this.files.has(base)) return empty;
      throw ioError(err, this.files.path(base));
    }
  }

  /** Entries written from `start` (a segment start) up to the first unwritten one, within that segment. */
  async countWritten(start: number): Promise<number> {
    let from = start;
    const segEnd = start + this.segmentEntries;
    while (from < segEnd) {
      const run = await this.diskEntries(from, Math.min(SCAN_ENTRIES, segEnd - from));
      for (let i = 0; i < run.count; i++) {
        if (!isWrittenEntry(run.buf, run.pos + i * CQ_STORE_UNIT_SIZE)) return from + i - start;
      }
      if (run.count === 0) break;
      from += run.count;
    }
    return from - start;
  }

  /** Entries [from, end) read from the files into one Buffer, or undefined when a read comes up short. */
  async readRange(from: number, end: number): Promise<Buffer | undefined> {
    const out = Buffer.allocUnsafe((end - from) * CQ_STORE_UNIT_SIZE);
    let at = from;
    while (at < end) {
      const run = await this.diskEntries(at, end - at);
      if (run.count === 0) return undefined;
      run.buf.copy(
        out,
        (at - from) * CQ_STORE_UNIT_SIZE,
        run.pos,
        run.pos + run.count * CQ_STORE_UNIT_SIZE,
      );
      at += run.count;
    }
    return out;
  }

  /** First offset in [from, max offset) whose entry satisfies `match`; the max offset when none. */
  async findFirst(from: number, match: EntryPredicate): Promise<number> {
    let at = from;
    while (at < this.mem.end) {
      const run = await this.entries(at, SCAN_ENTRIES);
      for (let i = 0; i < run.count; i++) {
        if (match(run, run.pos + i * CQ_STORE_UNIT_SIZE)) return at + i;
      }
      // count 0: a missing segment (retention hole); continue at the next one.
      at = run.count === 0 ? this.segmentStart(at) + this.segmentEntries : at + run.count;
    }
    return this.mem.end;
  }

  /** Scans back from `end` (exclusive) to the first segment for the last entry `keep` accepts; its offset or -1. */
  async findLast(end: number, keep: EntryPredicate): Promise<number> {
    const low = this.lowestOffset();
    let hi = end;
    while (hi > low) {
      // One chunk lies wholly in memory or wholly in one segment file, so one run covers it.
      const floor = hi > this.mem.start ? this.mem.start : this.segmentStart(hi - 1);
      const from = Math.max(low, hi - SCAN_ENTRIES, floor);
      const run = await this.entries(from, hi - from);
      for (let i = run.count - 1; i >= 0; i--) {
        if (keep(run, run.pos + i * CQ_STORE_UNIT_SIZE)) return from + i;
      }
      hi = from;
    }
    return -1;
  }

  /** phyOffset + size of the last non-filler entry below `end`, or -1. */
  async lastRealEnd(end: number): Promise<number> {
    let phyEnd = -1;
    await this.findLast(end, (run, pos) => {
      if (!isWrittenEntry(run.buf, pos) || isFillerEntry(run.buf, pos)) return false;
      phyEnd = readInt64(run.buf, pos) + run.buf.readInt32BE(pos + 8);
      return true;
    });
    return phyEnd;
  }
}
