import { NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type { Logger } from '@rocketmq-ts/protocol';
import { StoreError } from '../errors.js';
import type { MetaEnv } from '../metadata/meta-env.js';
import { lastRowKey } from './batch-rows.js';
import { keyPrefix, MAX_INLINE_KEY_BYTES, readU64, u64 } from './index-codec.js';
import { IndexBatchBuilder } from './index-batch-builder.js';
import type { IndexBatch } from './index-batch-builder.js';
import { IndexWriterThread } from './index-writer-thread.js';
import { migrateIndexByPhy } from './legacy-index-migration.js';

/*
 * The KEYS / UNIQ_KEY index (store-format.md §4 semantics, kept in lmdb instead of IndexFile). Two sub-databases:
 *
 *   index-by-key   [len:u16][key bytes][storeTimestamp:u64][phyOffset:u64]   value: empty, or the full key (truncated)
 *   index-batches  key: [largest phyOffset of the batch:u64]                 value: ([keyLen:u16][index-by-key key])...
 *
 * key bytes = UTF-8 of `topic#key`. The length prefix makes one key's entries a contiguous range that no other key can
 * fall into (a plain separator could not: keys may contain any byte), so a query is one reverse range scan. Keys over
 * MAX_INLINE_KEY_BYTES would overflow lmdb's 1978-byte key limit: their first MAX_INLINE_KEY_BYTES bytes are stored
 * with len = TRUNCATED_LEN and the full key goes into the value, which queries compare (truncate + verify).
 *
 * index-batches exists only for removal by commit-log position: one row per add() lists the index-by-key keys of that
 * batch, so indexing costs one lmdb put per entry plus one per batch. Rows are in log order and keep the invariant of
 * batch-rows.ts (row K lists every entry in (previous row key, K]), so removal reads rows, deletes the listed entries
 * and rewrites the one row a cut goes through. Stores written before index-batches had one index-by-phy row per entry
 * instead: the constructor converts them (legacy-index-migration.ts).
 *
 * Threads: the main thread only encodes a batch into one row buffer (add) and reads (query, maxIndexedPhyOffset). The
 * lmdb writes run on a worker thread owned by the index (index-writer-thread.ts, body in index-writer-body.ts) that
 * opens the same environment (lmdb-js shares one native environment per path within a process); each lmdb put costs
 * the calling thread about a microsecond, which the store's put path no longer pays. Requests (adds and removals)
 * apply in call order. A call's promise settles after the writer committed and flushed it, and the main thread's read
 * transaction is renewed first, so a query after an awaited add() sees its entries.
 *
 * Atomicity: an add() whose entries all lie past every row (the normal case: the dispatcher hands batches over in log
 * order) has its puts issued by the writer synchronously, in one event turn, and lmdb-js commits all writes of one
 * event turn in one transaction (eventTurnBatching, on by default); the writer runs no transactionSync that could
 * split it. Every other write (overlapping adds, removals) runs inside one root.transaction callback. So a crash
 * never leaves entries without their row, nor a row without its entries.
 */

/** Legacy rows migrated per lmdb transaction, so opening never holds the write lock long. */
const MIGRATE_CHUNK = 10_000;
/** The largest phyOffset field: `[len][key][ts]` + this sorts at or after every entry of that key and time. */
const MAX_U64 = Buffer.alloc(8, 0xff);

/** One index entry: the store adds one for `topic#UNIQ_KEY` and one per space-separated word of KEYS. */
export interface MessageIndexEntry {
  /** Topic of the message. */
  topic: string;
  /** The UNIQ_KEY or one word of KEYS; empty keys are not indexed. */
  key: string;
  /** Store time of the message, ms since the epoch. */
  storeTimestamp: number;
  /** Byte position of the message in the commit log. */
  phyOffset: number;
}

/** Arguments of {@link MessageIndex.query}. */
export interface MessageIndexQuery {
  /** Topic of the messages. */
  topic: string;
  /** The key (UNIQ_KEY or a word of KEYS). */
  key: string;
  /** At most this many results. */
  maxNum: number;
  /** Earliest store time, ms since the epoch, inclusive. */
  begin: number;
  /** Latest store time, ms since the epoch, inclusive. */
  end: number;
}

/** Options of {@link MessageIndex}. */
export interface MessageIndexOptions {
  /**
   * The opened meta environment; the index uses its `index-by-key` and `index-batches` sub-databases (and empties a
   * legacy `index-by-phy` into them when constructed).
   */
  env: MetaEnv;
  /** Receives one info line per removal that dropped entries, and one after a migration. Default {@link NOOP_LOGGER}. */
  logger?: Logger;
}

/**
 * Message key index over the meta environment's `index-by-key` and `index-batches` sub-databases: which commit-log
 * positions hold messages of a topic with a given key, by store time (RocketMQ's IndexService, QUERY_MESSAGE).
 * Unlike IndexFile there are no hash collisions to re-check: entries match the key exactly.
 */
export class MessageIndex {
  private readonly env: MetaEnv;
  private readonly logger: Logger;
  private readonly writer: IndexWriterThread;
  private closing: Promise<void> | undefined;

  /**
   * Opens the index; first converts the rows of a legacy `index-by-phy` sub-database (synchronously, in transactions
   * of MIGRATE_CHUNK rows), so construct it at store open before anything else writes to the environment. Then starts
   * the writer thread; call {@link MessageIndex.close} before closing the environment.
   * @throws StoreError kind `closed` when the environment is closed.
   */
  constructor(options: MessageIndexOptions) {
    this.env = options.env;
    this.logger = options.logger ?? NOOP_LOGGER;
    this.checkOpen();
    migrateIndexByPhy(this.env, { chunkEntries: MIGRATE_CHUNK, logger: this.logger });
    const env = this.env;
    this.writer = new IndexWriterThread({
      dir: env.dir,
      // The main thread's read snapshot may predate the writer's commit (lmdb-js renews it only on a timer).
      onCommitted: () => {
        if (!env.closed) env.root.resetReadTxn();
      },
    });
  }

  /**
   * Indexes entries as one batch; re-adding an entry is a no-op, so re-dispatch after a crash is safe.
   * @returns resolves once the entries are committed and flushed (they survive a crash, queries see them); rejects
   *   with a StoreError when the writer thread failed.
   * @throws StoreError kind `closed` after close() or after the environment was closed; RangeError on a negative or
   *   unsafe integer (nothing of the call is written then).
   */
  add(entries: readonly MessageIndexEntry[]): Promise<void> {
    this.checkOpen();
    const builder = new IndexBatchBuilder();
    for (const e of entries) {
      if (!builder.append(e.key, e)) {
        throw new RangeError(
          `index entry of ${e.topic}#${e.key} has an invalid store time ${e.storeTimestamp} or position ${e.phyOffset}`,
        );
      }
    }
    return this.addBatch(builder.take());
  }

  /**
   * Indexes a batch gathered by an {@link IndexBatchBuilder} (the dispatcher's path: entries are encoded as they are
   * dispatched); its row buffer is transferred to the writer thread. Same promise as {@link add}.
   * @throws StoreError kind `closed` after close() or after the environment was closed.
   */
  addBatch(batch: IndexBatch | undefined): Promise<void> {
    this.checkOpen();
    if (batch === undefined) return Promise.resolve();
    const { row, longValues, minPhyOffset, maxPhyOffset } = batch;
    return this.writer.add({ row, longValues, minPhyOffset, maxPhyOffset });
  }

  /**
   * Commit-log positions of messages of `topic` with `key` stored within [begin, end] ms, newest first (by store
   * time, then phyOffset), at most `maxNum`. Reads committed entries only.
   * @throws StoreError kind `closed` after the environment was closed.
   */
  query(q: MessageIndexQuery): number[] {
    this.checkOpen();
    const out: number[] = [];
    const begin = Math.max(0, Math.ceil(q.begin));
    const end = Math.min(Number.MAX_SAFE_INTEGER, Math.floor(q.end));
    if (q.maxNum <= 0 || begin > end) return out;
    const full = Buffer.from(`${q.topic}#${q.key}`, 'utf8');
    const prefix = keyPrefix(full);
    const start = Buffer.concat([prefix, u64(end), MAX_U64]);
    const stop = Buffer.concat([prefix, u64(begin)]);
    const range = { start, end: stop, reverse: true } as const;
    if (full.length <= MAX_INLINE_KEY_BYTES) {
      for (const k of this.env.indexByKey.getKeys({ ...range, limit: q.maxNum })) {
        out.push(readU64(k, k.length - 8));
      }
      return out;
    }
    for (const { key, value } of this.env.indexByKey.getRange(range)) {
      if (!full.equals(value)) continue;
      out.push(readU64(key, key.length - 8));
      if (out.length >= q.maxNum) break;
    }
    return out;
  }

  /**
   * Drops every entry at or past `phyOffset` (recovery: the commit log was cut there).
   * @returns how many entries were dropped (after every earlier add and removal applied); rejects with a StoreError
   *   when the writer thread failed.
   * @throws StoreError kind `closed` after close() or after the environment was closed.
   */
  removeFromPhyOffset(phyOffset: number): Promise<number> {
    this.checkOpen();
    const from = Math.min(Math.max(0, phyOffset), Number.MAX_SAFE_INTEGER);
    return this.writer.removeFrom(from).then((removed) => {
      if (removed > 0) this.logger.info('dropped index entries past a cut', { phyOffset, removed });
      return removed;
    });
  }

  /**
   * Drops every entry below `minPhyOffset` (retention: those commit-log segments were deleted).
   * @returns how many entries were dropped (after every earlier add and removal applied); rejects with a StoreError
   *   when the writer thread failed.
   * @throws StoreError kind `closed` after close() or after the environment was closed.
   */
  removeBelowPhyOffset(minPhyOffset: number): Promise<number> {
    this.checkOpen();
    if (minPhyOffset <= 0) return Promise.resolve(0);
    const below = Math.min(minPhyOffset, Number.MAX_SAFE_INTEGER);
    return this.writer.removeBelow(below).then((removed) => {
      if (removed > 0) this.logger.info('dropped expired index entries', { minPhyOffset, removed });
      return removed;
    });
  }

  /**
   * The largest phyOffset indexed (committed), or -1 when the index is empty: re-dispatch after a crash can resume
   * after it.
   * @throws StoreError kind `closed` after the environment was closed.
   */
  maxIndexedPhyOffset(): number {
    this.checkOpen();
    return lastRowKey(this.env.indexBatches);
  }

  /**
   * Waits for every add and removal called so far, closes the writer thread's environment handle and ends the thread.
   * Call before closing the environment. Idempotent; afterwards every method throws StoreError kind `closed`.
   * @throws StoreError kind `io` when the writer's environment handle fails to close.
   */
  close(): Promise<void> {
    this.closing ??= this.writer.close();
    return this.closing;
  }

  /** @internal Test hook: ends the writer thread abruptly, as a crash of that thread would. */
  terminateWriterForTest(): Promise<number> {
    return this.writer.terminateForTest();
  }

  private checkOpen(): void {
    if (this.closing || this.env.closed) {
      throw new StoreError('closed', 'message index used after close');
    }
  }
}
