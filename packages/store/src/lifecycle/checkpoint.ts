/**
 * The `checkpoint` file: one 4 KiB page. The first 24 bytes are RocketMQ's StoreCheckpoint (physicMsgTimestamp,
 * logicsMsgTimestamp, indexMsgTimestamp) so RocketMQ tools read sensible values; the rest is ours:
 *
 *   0  physicMsgTimestamp  int64  store time of the last record covered by a commit-log fdatasync
 *   8  logicsMsgTimestamp  int64  store time of the last record whose consume-queue entry is flushed
 *   16 indexMsgTimestamp   int64  same, for the key index
 *   24 flushedPhyOffset    int64  commit-log bytes below this are fdatasynced and valid (5.x masterFlushedOffset slot)
 *   32 dispatchedPhyOffset int64  every record below this has durable consume-queue and index entries
 *
 * Recovery re-validates and re-dispatches the commit log from min(flushedPhyOffset, dispatchedPhyOffset).
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from '../errors.js';
import { readInt64, writeInt64 } from '../int64.js';

const PAGE_BYTES = 4096;

/** Values of the checkpoint file. */
export interface CheckpointValues {
  physicMsgTimestamp: number;
  logicsMsgTimestamp: number;
  indexMsgTimestamp: number;
  flushedPhyOffset: number;
  dispatchedPhyOffset: number;
}

/** The checkpoint file of a store root. */
export class Checkpoint {
  private readonly page = Buffer.alloc(PAGE_BYTES);

  private constructor(
    private readonly handle: FileHandle,
    readonly values: CheckpointValues,
  ) {}

  /** Opens (or creates) `<rootDir>/checkpoint`. A missing file reads as all zeros. */
  static async open(rootDir: string): Promise<Checkpoint> {
    const path = join(rootDir, 'checkpoint');
    try {
      const handle = await open(path, 'a+').then(async (h) => {
        await h.close();
        return open(path, 'r+');
      });
      const page = Buffer.alloc(PAGE_BYTES);
      await handle.read(page, 0, PAGE_BYTES, 0);
      return new Checkpoint(handle, {
        physicMsgTimestamp: readInt64(page, 0),
        logicsMsgTimestamp: readInt64(page, 8),
        indexMsgTimestamp: readInt64(page, 16),
        flushedPhyOffset: readInt64(page, 24),
        dispatchedPhyOffset: readInt64(page, 32),
      });
    } catch (cause) {
      throw new StoreError('io', `cannot open ${path}`, { cause, file: path });
    }
  }

  /** Writes the current values and fdatasyncs the page. */
  async save(): Promise<void> {
    const v = this.values;
    writeInt64(this.page, v.physicMsgTimestamp, 0);
    writeInt64(this.page, v.logicsMsgTimestamp, 8);
    writeInt64(this.page, v.indexMsgTimestamp, 16);
    writeInt64(this.page, v.flushedPhyOffset, 24);
    writeInt64(this.page, v.dispatchedPhyOffset, 32);
    await this.handle.write(this.page, 0, PAGE_BYTES, 0);
    await this.handle.datasync();
  }

  /** Closes the file. */
  async close(): Promise<void> {
    await this.handle.close();
  }
}
