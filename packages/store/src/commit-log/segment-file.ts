import { fdatasyncSync, readSync, writeSync } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from '../errors.js';

/** A segment's file name: its start offset as 20 zero-padded decimal digits (RocketMQ `UtilAll.offset2FileName`). */
export function segmentFileName(startOffset: number): string {
  return String(startOffset).padStart(20, '0');
}

/** True for names made of exactly 20 decimal digits. */
export function isSegmentFileName(name: string): boolean {
  return /^\d{20}$/.test(name);
}

/**
 * One fixed-size file of a segmented log (commit log or consume queue). Created at full size as a sparse file, so
 * the zeros after the last write mark the end of the data, as in RocketMQ's memory-mapped files.
 */
export class SegmentFile {
  private closed = false;

  /** File path. */
  readonly path: string;
  /** Offset (in the whole log) of this file's first byte. */
  readonly startOffset: number;
  /** File size in bytes. */
  readonly size: number;
  private readonly handle: FileHandle;

  private constructor(init: {
    path: string;
    startOffset: number;
    size: number;
    handle: FileHandle;
  }) {
    this.path = init.path;
    this.startOffset = init.startOffset;
    this.size = init.size;
    this.handle = init.handle;
  }

  /** Creates the file at full size. Fails if it exists. */
  static async create(options: {
    dir: string;
    startOffset: number;
    size: number;
  }): Promise<SegmentFile> {
    const path = join(options.dir, segmentFileName(options.startOffset));
    try {
      const handle = await open(path, 'wx+');
      await handle.truncate(options.size);
      return new SegmentFile({
        path,
        startOffset: options.startOffset,
        size: options.size,
        handle,
      });
    } catch (cause) {
      throw new StoreError('io', `cannot create segment ${path}`, { cause, file: path });
    }
  }

  /** Opens an existing file; its size must be exactly `size` (RocketMQ refuses to load otherwise). */
  static async open(options: {
    path: string;
    startOffset: number;
    size: number;
  }): Promise<SegmentFile> {
    const { path, startOffset, size } = options;
    const actual = (await stat(path)).size;
    if (actual !== size) {
      throw new StoreError(
        'corrupt',
        `segment ${path} is ${actual} bytes, expected ${size}; refusing to open (nothing was changed)`,
        { file: path, phyOffset: startOffset },
      );
    }
    try {
      return new SegmentFile({ path, startOffset, size, handle: await open(path, 'r+') });
    } catch (cause) {
      throw new StoreError('io', `cannot open segment ${path}`, { cause, file: path });
    }
  }

  /** Offset (in the whole log) one past this file's last byte. */
  get endOffset(): number {
    return this.startOffset + this.size;
  }

  /** Writes `length` bytes of `data` at `position` within the file. */
  async write(data: Buffer, position: number, length: number = data.length): Promise<void> {
    this.assertOpen();
    let done = 0;
    while (done < length) {
      const { bytesWritten } = await this.handle.write(data, done, length - done, position + done);
      done += bytesWritten;
    }
  }

  /**
   * Writes `data` at `position` within the file on the calling thread (the bytes go to the page cache as a memcpy, as
   * RocketMQ's mmap'ed commit log writes them); blocks until done.
   */
  writeSync(data: Buffer, position: number): void {
    this.assertOpen();
    let done = 0;
    while (done < data.length) {
      done += writeSync(this.handle.fd, data, done, data.length - done, position + done);
    }
  }

  /**
   * Reads up to `length` bytes at `position` within the file (fewer only at the file end), into the start of `into`
   * when given (it must hold `length` bytes) or a new buffer.
   */
  async read(position: number, length: number, into?: Buffer): Promise<Buffer> {
    this.assertOpen();
    const target = readTarget(Math.max(0, Math.min(length, this.size - position)), into);
    let done = 0;
    while (done < target.length) {
      const { bytesRead } = await this.handle.read(
        target,
        done,
        target.length - done,
        position + done,
      );
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === target.length ? target : target.subarray(0, done);
  }

  /**
   * Reads like {@link SegmentFile.read} on the calling thread (a page-cache copy when the bytes are resident, as
   * RocketMQ's pull path reads its mmap'ed file); blocks until done.
   */
  readSync(position: number, length: number, into?: Buffer): Buffer {
    this.assertOpen();
    const target = readTarget(Math.max(0, Math.min(length, this.size - position)), into);
    let done = 0;
    while (done < target.length) {
      const bytesRead = readSync(
        this.handle.fd,
        target,
        done,
        target.length - done,
        position + done,
      );
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === target.length ? target : target.subarray(0, done);
  }

  /** fdatasync: everything written so far is on disk when this resolves. */
  async sync(): Promise<void> {
    this.assertOpen();
    await this.handle.datasync();
  }

  /** fdatasync on the calling thread; blocks until everything written so far is on disk. */
  syncNow(): void {
    this.assertOpen();
    fdatasyncSync(this.handle.fd);
  }

  /** Closes the file handle. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }

  /** Closes and deletes the file. */
  async destroy(): Promise<void> {
    await this.close();
    await rm(this.path, { force: true });
  }

  private assertOpen(): void {
    if (this.closed)
      throw new StoreError('closed', `segment ${this.path} is closed`, { file: this.path });
  }
}

/** The first `bytes` of `into`, or a new buffer when there is none. */
function readTarget(bytes: number, into: Buffer | undefined): Buffer {
  if (into === undefined) return Buffer.allocUnsafe(bytes);
  if (into.length < bytes) throw new RangeError(`read of ${bytes} bytes into ${into.length}`);
  return into.subarray(0, bytes);
}
