import type { Database } from 'lmdb';
import type { MetaEnv } from '../metadata/meta-env.js';
import { createIndexCodec } from './index-codec.js';
import type { IndexCodec, RowSegment } from './index-codec.js';

/*
 * Maintenance of index-batches rows. Every function here but lastRowKey runs inside an lmdb write transaction (a
 * `root.transaction` or `transactionSync` callback), so its reads see every earlier write and its writes commit
 * together.
 *
 * Invariant kept by every writer: rows are keyed by the largest phyOffset of their entries, and the row with key K
 * lists every entry whose phyOffset lies in (previous row's key, K]. So the rows below p hold only entries below p, and
 * only the first row at or above p can also hold entries below p.
 */

/** The sub-databases a batch-row writer touches: the main thread's MetaEnv, or the writer thread's own handles. */
export type IndexDbs = Pick<MetaEnv, 'indexByKey' | 'indexBatches'>;

/** One batch row read from index-batches. */
interface Row {
  /** Its key: the largest phyOffset of its entries. */
  phyOffset: number;
  /** Its packed index-by-key keys. */
  value: Buffer;
}

/** Result of one bounded removal transaction. */
export interface PruneChunk {
  /** Index-by-key entries deleted. */
  removed: number;
  /** True when the bound stopped the chunk: call again. */
  more: boolean;
}

interface PickedRows {
  rows: Row[];
  /** True when rows past the picked ones may still be in range. */
  more: boolean;
}

/** Which entries a removal drops, and how many it may visit in one transaction. */
interface PruneRule {
  drop: (phyOffset: number) => boolean;
  budget: number;
}

/**
 * Builds the batch-row functions over `codec`. Self-contained on purpose: it refers to nothing but its argument and
 * globals, so the index writer thread can be started from its source text (index-writer-thread.ts) and run the very
 * same code as the main thread's migration.
 */
export function createBatchRows(codec: IndexCodec) {
  const {
    asBuffer,
    isTruncatedKey,
    packSegments,
    readU16,
    readU64,
    rowSegments,
    SEGMENT_HEADER_BYTES,
    u64,
  } = codec;
  const EMPTY = Buffer.alloc(0);

  /** The largest row key (= the largest indexed phyOffset), or -1 without rows. */
  function lastRowKey(rows: Database<Buffer, Buffer>): number {
    for (const k of rows.getKeys({ reverse: true, limit: 1 })) return readU64(k, 0);
    return -1;
  }

  /**
   * Links the packed index-by-key keys of one batch into rows, keeping the invariant: entries past the last row form a
   * new row; entries at or below it join the row that covers them unless already listed (a re-added batch changes
   * nothing). With `longValues`, the entries themselves are written too (values: empty, or the next of `longValues` for
   * each truncated key in order); without, they are already in index-by-key (migration).
   */
  function linkBatchInTxn(
    env: IndexDbs,
    packed: Buffer,
    longValues: readonly Buffer[] | undefined,
  ): void {
    new BatchLinker(env, packed, longValues).link();
  }

  /** One batch being linked into rows inside a write transaction. */
  class BatchLinker {
    private readonly segments: RowSegment[];
    /** index-by-key value per segment; undefined when the entries are already stored. */
    private readonly values: Buffer[] | undefined;

    constructor(
      private readonly env: IndexDbs,
      private readonly packed: Buffer,
      longValues: readonly Buffer[] | undefined,
    ) {
      this.segments = rowSegments(packed);
      this.values = longValues ? this.segmentValues(longValues) : undefined;
    }

    link(): void {
      const last = lastRowKey(this.env.indexBatches);
      const tail: number[] = [];
      const overlap: number[] = [];
      this.segments.forEach((s, i) => (s.phyOffset > last ? tail : overlap).push(i));
      if (overlap.length > 0) this.mergeIntoRows(overlap);
      if (tail.length === 0) return;
      let max = -1;
      for (const i of tail) {
        max = Math.max(max, this.segment(i).phyOffset);
        this.storeEntry(i);
      }
      const tailSegments = tail.map((i) => this.segment(i));
      this.env.indexBatches.putSync(u64(max), packSegments(this.packed, tailSegments));
    }

    private segment(i: number): RowSegment {
      return this.segments[i] as RowSegment;
    }

    private storeEntry(i: number): void {
      if (!this.values) return;
      const s = this.segment(i);
      this.env.indexByKey.putSync(this.packed.subarray(s.start, s.end), this.values[i] ?? EMPTY);
    }

    private segmentValues(longValues: readonly Buffer[]): Buffer[] {
      let next = 0;
      return this.segments.map((s) => {
        if (!isTruncatedKey(this.packed.subarray(s.start, s.end))) return EMPTY;
        const value = longValues[next++];
        if (value === undefined) {
          throw new RangeError('index batch lacks the full key of a truncated key');
        }
        return value;
      });
    }

    /** Adds each overlapping entry to the first row at or above its phyOffset. */
    private mergeIntoRows(overlap: number[]): void {
      const phyOf = (i: number): number => this.segment(i).phyOffset;
      overlap.sort((a, b) => phyOf(a) - phyOf(b));
      const lowest = phyOf(overlap[0] as number);
      const highest = phyOf(overlap[overlap.length - 1] as number);
      // Collect before writing: lmdb cursors of a write transaction must not outlive writes to their database.
      const rows: Row[] = [];
      for (const { key, value } of this.env.indexBatches.getRange({ start: u64(lowest) })) {
        const phyOffset = readU64(key, 0);
        rows.push({ phyOffset, value: asBuffer(value) });
        if (phyOffset >= highest) break;
      }
      let r = 0;
      let i = 0;
      while (i < overlap.length) {
        const row = rows[r++];
        if (row === undefined) throw new RangeError('index batch rows end before the last row key');
        const bucket: number[] = [];
        while (i < overlap.length && phyOf(overlap[i] as number) <= row.phyOffset) {
          bucket.push(overlap[i++] as number);
        }
        if (bucket.length > 0) this.addToRow(row, bucket);
      }
    }

    /** Appends the bucket's entries that `row` does not list yet, writing those entries too. */
    private addToRow(row: Row, bucket: readonly number[]): void {
      const listed = new Set<string>();
      for (const s of rowSegments(row.value))
        listed.add(row.value.toString('latin1', s.start, s.end));
      const added: RowSegment[] = [];
      for (const i of bucket) {
        const s = this.segment(i);
        const id = this.packed.toString('latin1', s.start, s.end);
        if (listed.has(id)) continue;
        listed.add(id);
        added.push(s);
        this.storeEntry(i);
      }
      if (added.length === 0) return;
      const value = Buffer.concat([row.value, packSegments(this.packed, added)]);
      this.env.indexBatches.putSync(u64(row.phyOffset), value);
    }
  }

  /** Drops entries with phyOffset ≥ `phyOffset` from at most `budget` entries' worth of rows at or above it. */
  function pruneFromInTxn(env: IndexDbs, phyOffset: number, budget: number): PruneChunk {
    const picked = collectRows(env.indexBatches, { start: u64(phyOffset) }, budget);
    return pruneRows(env, picked, { drop: (p) => p >= phyOffset, budget });
  }

  /**
   * Drops entries with phyOffset < `minPhyOffset`: whole rows below it, then the entries below it of the first row at
   * or above it (the only other row that can hold such entries).
   */
  function pruneBelowInTxn(env: IndexDbs, minPhyOffset: number, budget: number): PruneChunk {
    const bound = u64(minPhyOffset);
    const picked = collectRows(env.indexBatches, { end: bound }, budget);
    if (!picked.more) {
      for (const { key, value } of env.indexBatches.getRange({ start: bound, limit: 1 })) {
        picked.rows.push({ phyOffset: readU64(key, 0), value: asBuffer(value) });
      }
    }
    return pruneRows(env, picked, { drop: (p) => p < minPhyOffset, budget });
  }

  function collectRows(
    rows: Database<Buffer, Buffer>,
    range: { start?: Buffer; end?: Buffer },
    budget: number,
  ): PickedRows {
    const picked: PickedRows = { rows: [], more: false };
    let entries = 0;
    for (const { key, value } of rows.getRange(range)) {
      const row = { phyOffset: readU64(key, 0), value: asBuffer(value) };
      picked.rows.push(row);
      entries += countSegments(row.value);
      if (entries >= budget) {
        picked.more = true;
        break;
      }
    }
    return picked;
  }

  function countSegments(row: Buffer): number {
    let n = 0;
    for (let off = 0; off < row.length; off += SEGMENT_HEADER_BYTES + readU16(row, off)) n++;
    return n;
  }

  function pruneRows(env: IndexDbs, picked: PickedRows, rule: PruneRule): PruneChunk {
    const { indexByKey, indexBatches } = env;
    let removed = 0;
    let visited = 0;
    let changed = false;
    for (const row of picked.rows) {
      const keep: RowSegment[] = [];
      let dropped = 0;
      let keptMax = -1;
      for (const s of rowSegments(row.value)) {
        if (visited < rule.budget && rule.drop(s.phyOffset)) {
          visited++;
          dropped++;
          // A batch may list one entry twice (a message with a repeated KEYS word): count what was really there.
          if (indexByKey.removeSync(row.value.subarray(s.start, s.end))) removed++;
        } else {
          keep.push(s);
          if (s.phyOffset > keptMax) keptMax = s.phyOffset;
        }
      }
      if (dropped === 0 && keptMax === row.phyOffset) continue;
      changed = true;
      if (keptMax === row.phyOffset) {
        indexBatches.putSync(u64(keptMax), packSegments(row.value, keep));
        continue;
      }
      indexBatches.removeSync(u64(row.phyOffset));
      if (keep.length > 0) putRowMerging(indexBatches, keptMax, packSegments(row.value, keep));
    }
    return { removed, more: changed && (picked.more || visited >= rule.budget) };
  }

  /** Writes a row, appending to a row already at that key (only a damaged index has one; never lose its entries). */
  function putRowMerging(rows: Database<Buffer, Buffer>, phyOffset: number, value: Buffer): void {
    const key = u64(phyOffset);
    const existing = rows.get(key);
    rows.putSync(key, existing ? Buffer.concat([asBuffer(existing), value]) : value);
  }

  return { lastRowKey, linkBatchInTxn, pruneFromInTxn, pruneBelowInTxn };
}

/** The batch-row functions (see {@link createBatchRows}). */
export type BatchRows = ReturnType<typeof createBatchRows>;

export const { lastRowKey, linkBatchInTxn, pruneFromInTxn, pruneBelowInTxn } =
  createBatchRows(createIndexCodec());
