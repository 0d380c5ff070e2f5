import { NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type { Logger } from '@rocketmq-ts/protocol';
import { StoreError } from '../errors.js';
import type { MetaEnv } from '../metadata/meta-env.js';

/*
 * The KEYS / UNIQ_KEY index (store-format.md §4 semantics, kept in lmdb instead of IndexFile). Two sub-databases
 * hold the same entries in two orders; both are written and deleted in the same lmdb transaction:
 *
 *   index-by-key  [len:u16][key bytes][storeTimestamp:u64][phyOffset:u64]   value: empty, or the full key (truncated)
 *   index-by-phy  [phyOffset:u64] ++ the index-by-key key                   value: empty
 *
 * key bytes = UTF-8 of `topic#key`. The length prefix makes one key's entries a contiguous range that no other key can
 * fall into (a plain separator could not: keys may contain any byte), so a query is one reverse range scan. Keys over
 * MAX_INLINE_KEY_BYTES would overflow lmdb's 1978-byte key limit: their first MAX_INLINE_KEY_BYTES bytes are stored
 * with len = TRUNCATED_LEN and the full key goes into the value, which queries compare (truncate + verify).
 * Integers are big-endian so byte order is numeric order; JS numbers are safe integers < 2^53, so hi = n / 2^32 fits.
 */

const U32 = 0x1_0000_0000;
const TRUNCATED_LEN = 0xffff;
/** Keys up to this many UTF-8 bytes are stored whole; 8 + 2 + 1024 + 16 stays far below lmdb's 1978. */
const MAX_INLINE_KEY_BYTES = 1024;
/** Entries deleted per lmdb transaction, so retention of millions of entries never holds the write lock for long. */
const REMOVE_CHUNK = 10_000;
const EMPTY = Buffer.alloc(0);
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
  /** The opened meta environment; the index uses its `index-by-key` and `index-by-phy` sub-databases. */
  env: MetaEnv;
  /** Receives one info line per removal that dropped entries. Default {@link NOOP_LOGGER}. */
  logger?: Logger;
}

/**
 * Message key index over the meta environment's `index-by-key` and `index-by-phy` sub-databases: which commit-log
 * positions hold messages of a topic with a given key, by store time (RocketMQ's IndexService, QUERY_MESSAGE).
 * Unlike IndexFile there are no hash collisions to re-check: entries match the key exactly.
 */
export class MessageIndex {
  private readonly env: MetaEnv;
  private readonly logger: Logger;

  constructor(options: MessageIndexOptions) {
    this.env = options.env;
    this.logger = options.logger ?? NOOP_LOGGER;
  }

  /**
   * Indexes entries; re-adding an entry is a no-op, so re-dispatch after a crash is safe. No JSON, one buffer per entry.
   * @returns the lmdb write; await it (or `env.root.flushed`) before relying on the entries surviving a crash.
   * @throws StoreError kind `closed` after the environment was closed; RangeError on a negative or unsafe integer
   *   (entries before the bad one are still written).
   */
  add(entries: readonly MessageIndexEntry[]): Promise<void> {
    this.checkOpen();
    const { indexByKey, indexByPhy } = this.env;
    // Unconditional writes of one event turn share lmdb's commit promise; keep each distinct one so that a batch split
    // by lmdb is still awaited whole and no rejection goes unhandled.
    const commits: Promise<boolean>[] = [];
    for (const e of entries) {
      if (e.key.length === 0) continue;
      const full = Buffer.from(`${e.topic}#${e.key}`, 'utf8');
      const phyKey = encodePhyKey(full, e);
      pushDistinct(
        commits,
        indexByKey.put(phyKey.subarray(8), full.length > MAX_INLINE_KEY_BYTES ? full : EMPTY),
      );
      pushDistinct(commits, indexByPhy.put(phyKey, EMPTY));
    }
    if (commits.length === 1) return (commits[0] as Promise<boolean>).then(toVoid);
    return Promise.all(commits).then(toVoid);
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
   * @returns how many entries were dropped.
   * @throws StoreError kind `closed` after the environment was closed.
   */
  removeFromPhyOffset(phyOffset: number): Promise<number> {
    this.checkOpen();
    return this.removeRange({ start: u64(Math.max(0, phyOffset)) }).then((removed) => {
      if (removed > 0) this.logger.info('dropped index entries past a cut', { phyOffset, removed });
      return removed;
    });
  }

  /**
   * Drops every entry below `minPhyOffset` (retention: those commit-log segments were deleted).
   * @returns how many entries were dropped.
   * @throws StoreError kind `closed` after the environment was closed.
   */
  removeBelowPhyOffset(minPhyOffset: number): Promise<number> {
    this.checkOpen();
    if (minPhyOffset <= 0) return Promise.resolve(0);
    return this.removeRange({ end: u64(minPhyOffset) }).then((removed) => {
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
    for (const k of this.env.indexByPhy.getKeys({ reverse: true, limit: 1 })) return readU64(k, 0);
    return -1;
  }

  private async removeRange(bounds: { start?: Buffer; end?: Buffer }): Promise<number> {
    const { root, indexByKey, indexByPhy } = this.env;
    let total = 0;
    for (;;) {
      const removed = await root.transaction(() => {
        // Collect first: deleting under a live cursor of the same transaction is not safe in lmdb.
        const keys = [...indexByPhy.getKeys({ ...bounds, limit: REMOVE_CHUNK })];
        for (const k of keys) {
          indexByPhy.removeSync(k);
          indexByKey.removeSync(k.subarray(8));
        }
        return keys.length;
      });
      total += removed;
      if (removed < REMOVE_CHUNK) return total;
    }
  }

  private checkOpen(): void {
    if (this.env.closed) throw new StoreError('closed', 'message index used after close');
  }
}

function toVoid(): void {}

function pushDistinct(commits: Promise<boolean>[], p: Promise<boolean>): void {
  if (commits[commits.length - 1] !== p) commits.push(p);
}

/** `[len:u16][key bytes]`, truncated with len = TRUNCATED_LEN for keys too long for lmdb. */
function keyPrefix(full: Buffer): Buffer {
  const truncated = full.length > MAX_INLINE_KEY_BYTES;
  const n = truncated ? MAX_INLINE_KEY_BYTES : full.length;
  const out = Buffer.allocUnsafe(2 + n);
  out.writeUInt16BE(truncated ? TRUNCATED_LEN : n, 0);
  full.copy(out, 2, 0, n);
  return out;
}

function encodePhyKey(full: Buffer, e: MessageIndexEntry): Buffer {
  const prefix = keyPrefix(full);
  const out = Buffer.allocUnsafe(8 + prefix.length + 16);
  writeU64(out, e.phyOffset, 0);
  prefix.copy(out, 8);
  writeU64(out, e.storeTimestamp, 8 + prefix.length);
  writeU64(out, e.phyOffset, 16 + prefix.length);
  return out;
}

function u64(n: number): Buffer {
  const out = Buffer.allocUnsafe(8);
  writeU64(out, n, 0);
  return out;
}

function writeU64(buf: Buffer, n: number, offset: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`index value ${n} is not a non-negative safe integer`);
  }
  buf.writeUInt32BE(Math.floor(n / U32), offset);
  buf.writeUInt32BE(n % U32, offset + 4);
}

function readU64(buf: Uint8Array, offset: number): number {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return b.readUInt32BE(offset) * U32 + b.readUInt32BE(offset + 4);
}
