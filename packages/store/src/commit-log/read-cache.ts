/** A written commit-log run: `data` is a view into `chunk`, holding the bytes from `phyStart`. */
export interface CachedRun {
  phyStart: number;
  data: Buffer;
  chunk: Buffer;
}

/**
 * The most recently written commit-log bytes, kept in memory so pulls of fresh messages (the common case: consumers
 * keep up) need no file read. Holds whole written runs in write order and drops the oldest past `maxBytes`.
 */
export class ReadCache {
  private runs: CachedRun[] = [];
  private head = 0;
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Adds a run written at `run.phyStart` (runs arrive in increasing order); returns the runs it evicted. */
  add(run: CachedRun): CachedRun[] {
    if (this.maxBytes === 0 || run.data.length === 0) return [run];
    this.runs.push(run);
    this.bytes += run.data.length;
    const evicted: CachedRun[] = [];
    while (this.bytes > this.maxBytes && this.head < this.runs.length - 1) {
      const old = this.runs[this.head]!;
      this.bytes -= old.data.length;
      this.runs[this.head++] = undefined as never;
      evicted.push(old);
    }
    if (this.head > 1024 && this.head * 2 > this.runs.length) {
      this.runs = this.runs.slice(this.head);
      this.head = 0;
    }
    return evicted;
  }

  /** The bytes [phyOffset, phyOffset + size) when one cached run holds all of them (a view, not a copy). */
  get(phyOffset: number, size: number): Buffer | undefined {
    let lo = this.head;
    let hi = this.runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const run = this.runs[mid]!;
      if (phyOffset < run.phyStart) hi = mid - 1;
      else if (phyOffset >= run.phyStart + run.data.length) lo = mid + 1;
      else {
        const at = phyOffset - run.phyStart;
        return at + size <= run.data.length ? run.data.subarray(at, at + size) : undefined;
      }
    }
    return undefined;
  }

  /** Forgets everything at or past `phyOffset` (the log was cut there); returns the runs dropped whole. */
  truncateFrom(phyOffset: number): CachedRun[] {
    const dropped: CachedRun[] = [];
    while (this.runs.length > this.head) {
      const last = this.runs[this.runs.length - 1]!;
      if (last.phyStart < phyOffset) break;
      this.bytes -= last.data.length;
      dropped.push(this.runs.pop()!);
    }
    const last = this.runs[this.runs.length - 1];
    if (last && last.phyStart + last.data.length > phyOffset) {
      const keep = phyOffset - last.phyStart;
      this.bytes -= last.data.length - keep;
      last.data = last.data.subarray(0, keep);
    }
    return dropped;
  }

  /** Cached bytes. */
  get size(): number {
    return this.bytes;
  }
}
