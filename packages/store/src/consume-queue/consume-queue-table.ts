import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type { Logger } from '@rocketmq-ts/protocol';
import { StoreError } from '../errors.js';
import { ConsumeQueue } from './consume-queue.js';
import { ioError } from './segment-files.js';

/** Options of {@link ConsumeQueueTable.open}. */
export interface ConsumeQueueTableOptions {
  /** Store root (`storePathRootDir`); queues live under `<rootDir>/consumequeue/`. */
  rootDir: string;
  /** Bytes per segment file (`mappedFileSizeConsumeQueue`), a positive multiple of 20. */
  segmentBytes: number;
  /** Default no-op. */
  logger?: Logger;
  /** Per-queue tail cache in bytes (see ConsumeQueueOptions.cacheBytes). Default 64 KiB. */
  cacheBytes?: number;
}

/** RocketMQ's topic characters (`Validators.PATTERN`, `^[%|a-zA-Z0-9_-]+$`); anything else is no directory name. */
const TOPIC_NAME = /^[%|a-zA-Z0-9_-]{1,255}$/;
const QUEUE_ID_NAME = /^\d{1,10}$/;
const MAX_QUEUE_ID = 0x7fffffff;
/** Queues opened at once while loading: overlaps the file I/O without one open file per queue at once. */
const OPEN_CONCURRENCY = 8;

/**
 * Every consume queue under `<rootDir>/consumequeue/<topic>/<queueId>/`. Queues are loaded at open and created in
 * memory on demand; their files appear on the first flush.
 */
export class ConsumeQueueTable {
  private readonly options: ConsumeQueueTableOptions;
  private readonly logger: Logger;
  private readonly topics = new Map<string, Map<number, ConsumeQueue>>();
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(options: ConsumeQueueTableOptions) {
    this.options = options;
    this.logger = options.logger ?? NOOP_LOGGER;
  }

  /**
   * Opens every `<topic>/<queueId>` directory under `<rootDir>/consumequeue/` (see ConsumeQueue.open); directories
   * that are not a valid topic / queue id are skipped with a warning. Throws the first queue's StoreError
   * ('corrupt' for a wrong-size segment, 'io'), after closing the queues already opened.
   */
  static async open(options: ConsumeQueueTableOptions): Promise<ConsumeQueueTable> {
    const table = new ConsumeQueueTable(options);
    const root = join(options.rootDir, 'consumequeue');
    const found: { topic: string; queueId: number }[] = [];
    for (const topic of await listDirs(root)) {
      if (!TOPIC_NAME.test(topic)) {
        table.logger.warn('skipping a consume-queue directory that is not a topic name', {
          dir: join(root, topic),
        });
        continue;
      }
      for (const name of await listDirs(join(root, topic))) {
        const queueId = Number(name);
        if (!QUEUE_ID_NAME.test(name) || queueId > MAX_QUEUE_ID) {
          table.logger.warn('skipping a consume-queue directory that is not a queue id', {
            dir: join(root, topic, name),
          });
          continue;
        }
        found.push({ topic, queueId });
      }
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let item = found[next++]; item !== undefined; item = found[next++]) {
        const queue = await ConsumeQueue.open({ ...table.queueOptions(), ...item });
        table.put(queue);
      }
    };
    const results = await Promise.allSettled(
      Array.from({ length: Math.min(OPEN_CONCURRENCY, found.length) }, worker),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await table.closeAll().catch(() => undefined);
      throw failed.reason;
    }
    return table;
  }

  /** The queue, or undefined when it has never been created. */
  get(topic: string, queueId: number): ConsumeQueue | undefined {
    return this.topics.get(topic)?.get(queueId);
  }

  /**
   * The queue, created (in memory only) when missing. Throws StoreError 'io' for a topic that is not a valid
   * directory name (RocketMQ topic characters `[A-Za-z0-9%_|-]`, at most 255) or a queue id outside 0..2^31-1,
   * StoreError 'closed' after closeAll.
   */
  getOrCreate(topic: string, queueId: number): ConsumeQueue {
    const existing = this.topics.get(topic)?.get(queueId);
    if (existing) return existing;
    if (this.closed) throw new StoreError('closed', 'consume-queue table is closed');
    checkNames(topic, queueId);
    const queue = ConsumeQueue.createEmpty({ ...this.queueOptions(), topic, queueId });
    this.put(queue);
    return queue;
  }

  /** Every queue, grouped by topic. */
  *queues(): IterableIterator<ConsumeQueue> {
    for (const byId of this.topics.values()) yield* byId.values();
  }

  /** Topics that have at least one queue. */
  topicNames(): string[] {
    return [...this.topics.keys()];
  }

  /** Flushes every queue (see ConsumeQueue.flush). Throws the first failure after all flushes settled. */
  async flushAll(options?: { sync?: boolean }): Promise<void> {
    await settleAll([...this.queues()].map((q) => q.flush(options)));
  }

  /** Recovery: ConsumeQueue.truncateFromPhyOffset on every queue; returns the total number of entries dropped. */
  async truncateAllFromPhyOffset(phyOffset: number): Promise<number> {
    let dropped = 0;
    for (const queue of this.queues()) dropped += await queue.truncateFromPhyOffset(phyOffset);
    return dropped;
  }

  /**
   * Retention: ConsumeQueue.deleteSegmentsBelowPhyOffset on every queue; returns the total number of segments
   * deleted.
   */
  async deleteAllBelowPhyOffset(minPhyOffset: number): Promise<number> {
    let deleted = 0;
    for (const queue of this.queues())
      deleted += await queue.deleteSegmentsBelowPhyOffset(minPhyOffset);
    return deleted;
  }

  /**
   * Deletes a topic's queues and its directory (pending entries are dropped). Throws StoreError 'io' on a topic that
   * is not a valid directory name or when removal fails.
   */
  async deleteTopic(topic: string): Promise<void> {
    checkNames(topic, 0);
    const byId = this.topics.get(topic);
    this.topics.delete(topic);
    if (byId) await settleAll([...byId.values()].map((q) => q.destroy()));
    const dir = join(this.options.rootDir, 'consumequeue', topic);
    await rm(dir, { recursive: true, force: true }).catch((err: unknown) => {
      throw ioError(err, dir);
    });
  }

  /** The largest ConsumeQueue.lastPhyOffsetEnd over all queues, or -1 when no queue has an entry. */
  maxPhyOffsetEnd(): number {
    let max = -1;
    for (const queue of this.queues()) max = Math.max(max, queue.lastPhyOffsetEnd());
    return max;
  }

  /** Flushes and closes every queue. Idempotent; throws the first close failure after all settled. */
  closeAll(): Promise<void> {
    this.closed = true;
    this.closing ??= settleAll([...this.queues()].map((q) => q.close()));
    return this.closing;
  }

  private queueOptions(): {
    rootDir: string;
    segmentBytes: number;
    logger: Logger;
    cacheBytes?: number;
  } {
    const { rootDir, segmentBytes, cacheBytes } = this.options;
    return cacheBytes === undefined
      ? { rootDir, segmentBytes, logger: this.logger }
      : { rootDir, segmentBytes, logger: this.logger, cacheBytes };
  }

  private put(queue: ConsumeQueue): void {
    let byId = this.topics.get(queue.topic);
    if (!byId) {
      byId = new Map();
      this.topics.set(queue.topic, byId);
    }
    byId.set(queue.queueId, queue);
  }
}

function checkNames(topic: string, queueId: number): void {
  if (!TOPIC_NAME.test(topic)) {
    throw new StoreError(
      'io',
      `topic ${JSON.stringify(topic)} cannot name a consume-queue directory: use [A-Za-z0-9%_|-], at most 255`,
    );
  }
  if (!Number.isInteger(queueId) || queueId < 0 || queueId > MAX_QUEUE_ID) {
    throw new StoreError(
      'io',
      `queue id ${queueId} of topic ${topic} is not an integer in 0..2147483647`,
    );
  }
}

async function listDirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw ioError(err, dir);
  }
}

/** Waits for every promise, then throws the first rejection (so no operation is left running unobserved). */
async function settleAll(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
