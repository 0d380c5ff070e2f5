import type { MessageQueue } from '@rocketmq-ts/protocol';
import { messageQueueKey } from '../route/topic-route-info.js';

/** Where {@link OffsetStore.readOffset} looks (Java `ReadOffsetType`). */
export type ReadOffsetType = 'READ_FROM_MEMORY' | 'READ_FROM_STORE' | 'MEMORY_FIRST_THEN_STORE';

/** Options of {@link OffsetStore.persist} and {@link OffsetStore.persistAll}. */
export interface PersistOptions {
  /** Remote store: wait for the broker's answer instead of sending oneway (shutdown, queue hand-over). */
  awaitResponse?: boolean;
}

/**
 * A consumer group's positions (Java `OffsetStore`): an in-memory table updated as messages are consumed and
 * written to its backing store by persist/persistAll. Offsets are consume-queue offsets: the next one to consume.
 */
export interface OffsetStore {
  /** Reads what the backing store holds at start (local file); nothing for the remote store. */
  load(): Promise<void>;
  /** Sets the in-memory offset; with `increaseOnly` a smaller value is ignored. */
  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void;
  /** The in-memory offset, if any. */
  memoryOffset(mq: MessageQueue): number | undefined;
  /**
   * The offset of a queue, −1 when there is none. READ_FROM_STORE asks the backing store and keeps what it finds in
   * memory.
   * @throws when the backing store cannot be read (broker unreachable, unreadable file).
   */
  readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number>;
  /** Writes the in-memory offsets of `mqs`; others are forgotten (remote) or left out of the file (local). */
  persistAll(mqs: readonly MessageQueue[], options?: PersistOptions): Promise<void>;
  /** Writes one queue's in-memory offset. */
  persist(mq: MessageQueue, options?: PersistOptions): Promise<void>;
  /** Forgets a queue's in-memory offset. */
  removeOffset(mq: MessageQueue): void;
  /** The in-memory offsets, optionally of one topic. */
  cloneOffsetTable(topic?: string): Map<string, { mq: MessageQueue; offset: number }>;
}

/**
 * The in-memory half both stores share (Java's `offsetTable` of LocalFileOffsetStore and RemoteBrokerOffsetStore):
 * updates, memory-first reads, removal and copies of the table. Subclasses load, read and write their backing
 * store.
 */
export abstract class OffsetTableStore implements OffsetStore {
  private readonly table = new Map<string, { mq: MessageQueue; offset: number }>();

  abstract load(): Promise<void>;
  abstract persistAll(mqs: readonly MessageQueue[], options?: PersistOptions): Promise<void>;
  abstract persist(mq: MessageQueue, options?: PersistOptions): Promise<void>;

  /**
   * The offset the backing store holds for `mq`, or undefined when it has none.
   * @throws when the backing store cannot be read.
   */
  protected abstract readStoredOffset(mq: MessageQueue): Promise<number | undefined>;

  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    const key = messageQueueKey(mq);
    const current = this.table.get(key);
    if (current === undefined) this.table.set(key, { mq, offset });
    else if (!increaseOnly || offset > current.offset) current.offset = offset;
  }

  memoryOffset(mq: MessageQueue): number | undefined {
    return this.table.get(messageQueueKey(mq))?.offset;
  }

  async readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    if (type !== 'READ_FROM_STORE') {
      const inMemory = this.memoryOffset(mq);
      if (inMemory !== undefined) return inMemory;
      if (type === 'READ_FROM_MEMORY') return -1;
    }
    const stored = await this.readStoredOffset(mq);
    if (stored === undefined) return -1;
    this.updateOffset(mq, stored, false);
    return stored;
  }

  removeOffset(mq: MessageQueue): void {
    this.table.delete(messageQueueKey(mq));
  }

  cloneOffsetTable(topic?: string): Map<string, { mq: MessageQueue; offset: number }> {
    const out = new Map<string, { mq: MessageQueue; offset: number }>();
    for (const [key, e] of this.table) {
      if (topic === undefined || topic === '' || e.mq.topic === topic) out.set(key, { ...e });
    }
    return out;
  }

  /** The in-memory entries (live objects: read, do not change). */
  protected entries(): { mq: MessageQueue; offset: number }[] {
    return [...this.table.values()];
  }
}
