import { constants } from 'node:fs';
import { mkdir, open, readdir, rm, stat, truncate, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@rocketmq-ts/protocol';
import { StoreError } from '../errors.js';
import { segmentFileName } from './entry-codec.js';

/** Options of {@link SegmentFiles.load}. */
export interface SegmentFilesOptions {
  /** The queue directory, `<root>/consumequeue/<topic>/<queueId>`. */
  dir: string;
  /** Bytes per segment file. */
  segmentBytes: number;
  logger: Logger;
}

const SEGMENT_NAME = /^\d{20}$/;

/**
 * The segment files of one consume queue: which exist (sorted by base byte offset), and one cached read/write
 * FileHandle per segment. Segments are contiguous, so the set is a sorted array of bases.
 */
export class SegmentFiles {
  readonly dir: string;
  /** Base byte offsets of the existing segments, ascending. */
  readonly bases: number[];
  private readonly segmentBytes: number;
  private readonly logger: Logger;
  private readonly handles = new Map<number, Promise<FileHandle>>();
  private dirCreated: boolean;

  private constructor(options: SegmentFilesOptions, bases: number[]) {
    this.dir = options.dir;
    this.segmentBytes = options.segmentBytes;
    this.logger = options.logger;
    this.bases = bases;
    this.dirCreated = bases.length > 0;
  }

  /** An empty set; the directory is created with the first segment. */
  static empty(options: SegmentFilesOptions): SegmentFiles {
    return new SegmentFiles(options, []);
  }

  /**
   * Lists the segments in `dir` (missing directory = none). Throws StoreError 'corrupt' naming the file when a
   * segment's size is not `segmentBytes` or its name is not a multiple of it; nothing is changed on disk first.
   * Then the empty segments after the last sized one (a crash interrupted their creation; they hold no entries)
   * are sized.
   */
  static async load(options: SegmentFilesOptions): Promise<SegmentFiles> {
    let names: string[];
    try {
      names = await readdir(options.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return SegmentFiles.empty(options);
      throw ioError(err, options.dir);
    }
    const found: { file: string; base: number; size: number }[] = [];
    for (const name of names) {
      const file = join(options.dir, name);
      if (!SEGMENT_NAME.test(name)) {
        options.logger.warn('ignoring a file that is not a consume-queue segment', { file });
        continue;
      }
      let size: number;
      try {
        size = (await stat(file)).size;
      } catch (err) {
        throw ioError(err, file);
      }
      found.push({ file, base: Number(name), size });
    }
    found.sort((a, b) => a.base - b.base);
    // A segment is created, then sized: a crash in between leaves an empty file. Empty files after the last sized
    // one are such interrupted creations (a run of them when several queues' segments were being created); they are
    // sized below. An empty file before a sized one is not explained by that and is refused.
    let emptyTrailFrom = found.length;
    while (emptyTrailFrom > 0 && found[emptyTrailFrom - 1]!.size === 0) emptyTrailFrom--;
    const bases: number[] = [];
    for (const [i, { file, base, size }] of found.entries()) {
      if (size !== options.segmentBytes && i < emptyTrailFrom) {
        throw new StoreError(
          'corrupt',
          `consume-queue segment ${file} is ${size} bytes, expected ${options.segmentBytes}`,
          { file },
        );
      }
      if (!Number.isSafeInteger(base) || base % options.segmentBytes !== 0) {
        throw new StoreError(
          'corrupt',
          `consume-queue segment name ${file} is not a multiple of the segment size ${options.segmentBytes}`,
          { file },
        );
      }
      bases.push(base);
    }
    for (const { file } of found.slice(emptyTrailFrom)) {
      options.logger.warn('sizing an empty consume-queue segment left by an interrupted creation', {
        file,
      });
      await truncate(file, options.segmentBytes).catch((err: unknown) => {
        throw ioError(err, file);
      });
    }
    for (let i = 1; i < bases.length; i++) {
      const prev = bases[i - 1] ?? 0;
      const base = bases[i] ?? 0;
      // RocketMQ's MappedFileQueue.checkSelf only logs this too; reads of the missing range find nothing.
      if (base !== prev + options.segmentBytes) {
        options.logger.error('consume-queue segments are not contiguous', {
          dir: options.dir,
          after: segmentFileName(prev),
          next: segmentFileName(base),
        });
      }
    }
    return new SegmentFiles(options, bases);
  }

  /** Number of segments. */
  get count(): number {
    return this.bases.length;
  }

  /** Whether the segment with this base exists. */
  has(base: number): boolean {
    return this.bases.includes(base);
  }

  /** Full path of a segment. */
  path(base: number): string {
    return join(this.dir, segmentFileName(base));
  }

  /**
   * The cached handle of an existing segment, or undefined when it does not exist (e.g. deleted by retention while
   * a reader was on its way).
   */
  async handle(base: number): Promise<FileHandle | undefined> {
    if (!this.has(base)) return undefined;
    return this.cachedOpen(base, false);
  }

  /**
   * The handle of a segment to write, creating the file at full size (sparse, like RocketMQ's mapped files) when it
   * does not exist yet. Returns whether it was created (the directory then needs an fsync for durability).
   */
  async handleForWrite(base: number): Promise<{ fh: FileHandle; created: boolean }> {
    if (this.has(base)) return { fh: await this.cachedOpen(base, false), created: false };
    if (!this.dirCreated) {
      await mkdir(this.dir, { recursive: true }).catch((err: unknown) => {
        throw ioError(err, this.dir);
      });
      this.dirCreated = true;
    }
    const fh = await this.cachedOpen(base, true);
    if (!this.has(base)) {
      this.bases.push(base);
      this.bases.sort((a, b) => a - b);
    }
    return { fh, created: true };
  }

  /** fsyncs the directory so newly created segment names survive a crash; best effort where unsupported. */
  async syncDir(): Promise<void> {
    let fh: FileHandle | undefined;
    try {
      fh = await open(this.dir, 'r');
      await fh.sync();
    } catch (err) {
      this.logger.debug('directory fsync not supported', { dir: this.dir, err: String(err) });
    } finally {
      await fh?.close();
    }
  }

  /** Closes the segment's handle and deletes its file. */
  async delete(base: number): Promise<void> {
    const i = this.bases.indexOf(base);
    if (i < 0) return;
    this.bases.splice(i, 1);
    await this.closeHandle(base);
    const file = this.path(base);
    try {
      await unlink(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(err, file);
    }
  }

  /** Closes every cached handle (FileHandle.close waits for operations in flight). */
  async closeAll(): Promise<void> {
    const bases = [...this.handles.keys()];
    await Promise.all(bases.map((base) => this.closeHandle(base)));
  }

  /** Closes every handle and removes the queue directory. */
  async removeAll(): Promise<void> {
    await this.closeAll();
    this.bases.length = 0;
    await rm(this.dir, { recursive: true, force: true }).catch((err: unknown) => {
      throw ioError(err, this.dir);
    });
    this.dirCreated = false;
  }

  private cachedOpen(base: number, create: boolean): Promise<FileHandle> {
    const cached = this.handles.get(base);
    if (cached) return cached;
    const file = this.path(base);
    const opening = openSegment(file, { create, segmentBytes: this.segmentBytes });
    this.handles.set(base, opening);
    opening.catch(() => {
      if (this.handles.get(base) === opening) this.handles.delete(base);
    });
    return opening;
  }

  private async closeHandle(base: number): Promise<void> {
    const opening = this.handles.get(base);
    if (!opening) return;
    this.handles.delete(base);
    try {
      await (await opening).close();
    } catch (err) {
      this.logger.warn('closing a consume-queue segment failed', {
        file: this.path(base),
        err: String(err),
      });
    }
  }
}

async function openSegment(
  file: string,
  options: { create: boolean; segmentBytes: number },
): Promise<FileHandle> {
  // O_RDWR without O_APPEND: positional writes must land where asked.
  const flags = constants.O_RDWR | (options.create ? constants.O_CREAT : 0);
  let fh: FileHandle;
  try {
    fh = await open(file, flags, 0o644);
  } catch (err) {
    throw ioError(err, file);
  }
  if (options.create) {
    try {
      const { size } = await fh.stat();
      if (size < options.segmentBytes) await fh.truncate(options.segmentBytes);
    } catch (err) {
      await fh.close();
      throw ioError(err, file);
    }
  }
  return fh;
}

/** Wraps a node fs error as a StoreError ('disk-full' for ENOSPC/EDQUOT). */
export function ioError(err: unknown, file: string): StoreError {
  if (err instanceof StoreError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const kind = code === 'ENOSPC' || code === 'EDQUOT' ? 'disk-full' : 'io';
  return new StoreError(kind, `consume-queue i/o failed on ${file}: ${String(err)}`, {
    cause: err,
    file,
  });
}
