import type { Logger } from '@rocketmq-ts/protocol';
import type { MetaEnv } from '../metadata/meta-env.js';
import { linkBatchInTxn } from './batch-rows.js';
import { asBuffer, SEGMENT_HEADER_BYTES } from './index-codec.js';

/*
 * Stores written before index-batches existed kept one index-by-phy row per entry: [phyOffset:u64] ++ the
 * index-by-key key. Removal by commit-log position now reads batch rows, so those rows are turned into batch rows
 * (in phyOffset order, `chunkEntries` per transaction) and deleted from index-by-phy. Each chunk is one synchronous
 * transaction: its new rows and the deletion of its old rows commit together, so a crash mid-migration leaves every
 * entry listed exactly once (old or new form) and the next open resumes where it stopped.
 */

/** Options of {@link migrateIndexByPhy}. */
export interface IndexByPhyMigrationOptions {
  /** Legacy rows converted per lmdb transaction. */
  chunkEntries: number;
  /** Receives one info line when rows were migrated. */
  logger: Logger;
}

/**
 * Converts every legacy index-by-phy row of `env` into index-batches rows and empties index-by-phy. Synchronous: call
 * at open, before any other index write (a synchronous transaction would split a pending asynchronous batch).
 * @returns how many legacy rows were converted (0 for a store written by this version).
 */
export function migrateIndexByPhy(env: MetaEnv, options: IndexByPhyMigrationOptions): number {
  const { root, indexByPhy } = env;
  let total = 0;
  for (;;) {
    const moved = root.transactionSync(() => {
      // Collect before writing: lmdb cursors of a write transaction must not outlive writes to their database.
      const keys = Array.from(indexByPhy.getKeys({ limit: options.chunkEntries }), asBuffer);
      if (keys.length === 0) return 0;
      let bytes = 0;
      for (const k of keys) bytes += SEGMENT_HEADER_BYTES + k.length - 8;
      const packed = Buffer.allocUnsafe(bytes);
      let off = 0;
      for (const k of keys) {
        off = packed.writeUInt16BE(k.length - 8, off);
        off += k.copy(packed, off, 8);
      }
      linkBatchInTxn(env, packed, undefined);
      for (const k of keys) indexByPhy.removeSync(k);
      return keys.length;
    });
    total += moved;
    if (moved < options.chunkEntries) break;
  }
  if (total > 0)
    options.logger.info('migrated legacy index-by-phy rows into index batches', { rows: total });
  return total;
}
