import type { MessageStore } from '@rocketmq-ts/store';

/** The parts of a {@link MessageStore} that {@link ConsumerOffsetManager} reads and writes. */
export type ConsumerOffsetStore = Pick<MessageStore, 'metadata' | 'getMinOffsetInQueue'>;

/** Options of {@link ConsumerOffsetManager}. */
export interface ConsumerOffsetManagerOptions {
  /** The broker's message store: offsets live in its metadata, min offsets come from its consume queues. */
  store: ConsumerOffsetStore;
}

/** Identifies one consumer group's position on one queue. */
export interface ConsumerOffsetQuery {
  /** Consumer group. */
  group: string;
  /** Topic (including `%RETRY%<group>` topics). */
  topic: string;
  /** Queue id within the topic. */
  queueId: number;
}

/** A consumer offset to commit: the next queue offset the group will consume. */
export interface ConsumerOffsetCommit extends ConsumerOffsetQuery {
  /** Queue offset (slot in the consume queue), stored as given, −1 included (as Java does). */
  offset: number;
}

/** A QUERY_CONSUMER_OFFSET as a client asks it. */
export interface ClientOffsetQuery extends ConsumerOffsetQuery {
  /** 5.x header `setZeroIfNotFound`: false answers "not found" instead of 0 for a group without an offset. */
  setZeroIfNotFound?: boolean;
}

/** Told of each offset a client commits (UPDATE_CONSUMER_OFFSET), before it is written. */
export type ClientCommitListener = (commit: Readonly<ConsumerOffsetCommit>) => void;

/**
 * Committed consumer offsets of a broker (Java `ConsumerOffsetManager`), kept in the store's lmdb metadata instead of
 * `consumerOffset.json`, so every commit is persisted once its write promise resolves.
 */
export class ConsumerOffsetManager {
  private readonly store: ConsumerOffsetStore;
  private readonly clientCommitListeners = new Set<ClientCommitListener>();
  /**
   * Offsets whose write is still under way, by {@link offsetKey}: what queries answer meanwhile, so a commit is
   * visible at once whether or not its caller waits for the write.
   */
  private readonly unwritten = new Map<string, number>();
  /** Keys with a background write under way (see {@link commitOffsetInBackground}). */
  private readonly writing = new Set<string>();
  /** The latest background commit of a key whose write waits for the one under way. */
  private readonly waiting = new Map<string, BackgroundCommit>();

  constructor(options: ConsumerOffsetManagerOptions) {
    this.store = options.store;
  }

  /**
   * Stores an offset a client committed (UPDATE_CONSUMER_OFFSET) like {@link ConsumerOffsetManager.commitOffset},
   * after telling the {@link ConsumerOffsetManager.onClientCommit} listeners synchronously: a slave's metadata sync
   * must know of every client commit issued before it rewrites the table.
   * @throws RangeError on a name with NUL or over 900 bytes; StoreError kind `closed`.
   */
  commitClientOffset(commit: ConsumerOffsetCommit): Promise<void> {
    for (const listener of this.clientCommitListeners) listener(commit);
    return this.commitOffset(commit);
  }

  /**
   * Resolves once every background commit made so far is written (or failed): the broker calls it at shutdown,
   * after its server stopped taking pulls and before the store closes. Bounded by `timeoutMs`.
   */
  async flush(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.writing.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /** Registers a listener for client commits; returns a function that removes it. */
  onClientCommit(listener: ClientCommitListener): () => void {
    this.clientCommitListeners.add(listener);
    return () => this.clientCommitListeners.delete(listener);
  }

  /**
   * Stores a group's offset for one queue, as given (−1 included).
   * @returns the write, resolved once committed.
   * @throws RangeError on a name with NUL or over 900 bytes; StoreError kind `closed`.
   */
  commitOffset(commit: ConsumerOffsetCommit): Promise<void> {
    // A commit waited for is newer than a background one still waiting: that one must not overwrite it.
    this.waiting.delete(offsetKey(commit));
    return this.write(commit);
  }

  private write(commit: ConsumerOffsetCommit): Promise<void> {
    const write = this.store.metadata.setConsumerOffset({
      topic: commit.topic,
      group: commit.group,
      queueId: commit.queueId,
      offset: commit.offset,
    });
    const key = offsetKey(commit);
    this.unwritten.set(key, commit.offset);
    const settled = (): void => {
      // A later commit of the same queue may be pending: only its own value is cleared.
      if (this.unwritten.get(key) === commit.offset) this.unwritten.delete(key);
    };
    write.then(settled, settled);
    return write;
  }

  /**
   * Stores an offset a pull carried (PullSysFlag.COMMIT_OFFSET) without making the pull wait for the write, as Java
   * keeps them in memory and persists them every few seconds: queries see it at once, the metadata store a moment
   * later. Writes of one queue are coalesced: while one is under way only the latest offset waits for it, so a
   * consumer pulling a queue thousands of times a second costs a write per lmdb commit, not per pull. `onError` hears
   * of a write that failed (the store closing).
   */
  commitOffsetInBackground(commit: ConsumerOffsetCommit, onError: (error: unknown) => void): void {
    const key = offsetKey(commit);
    if (this.writing.has(key)) {
      this.unwritten.set(key, commit.offset);
      this.waiting.set(key, { commit, onError });
      return;
    }
    let write: Promise<void>;
    try {
      write = this.write(commit);
    } catch (error) {
      // A name the store refuses throws at once: the pull still gets its answer.
      onError(error);
      return;
    }
    this.writing.add(key);
    const next = (): void => {
      this.writing.delete(key);
      const waiting = this.waiting.get(key);
      if (waiting === undefined) return;
      this.waiting.delete(key);
      this.commitOffsetInBackground(waiting.commit, waiting.onError);
    };
    write.then(next, (error: unknown) => {
      onError(error);
      next();
    });
  }

  /** The stored offset of a group on one queue, or -1 when none is stored. @throws StoreError kind `closed`. */
  queryOffset(query: ConsumerOffsetQuery): number {
    const { topic, group, queueId } = query;
    if (this.unwritten.size > 0) {
      const unwritten = this.unwritten.get(offsetKey(query));
      if (unwritten !== undefined) return unwritten;
    }
    return this.store.metadata.getConsumerOffset({ topic, group, queueId }) ?? -1;
  }

  /**
   * The offset QUERY_CONSUMER_OFFSET answers (RocketMQ 4.9.8 `ConsumerManageProcessor.queryConsumerOffset`): the
   * stored offset when ≥ 0; otherwise 0 while the queue still starts at offset 0 (Java also requires the first
   * message to still be in memory; this store serves recent data from memory, so min offset ≤ 0 stands for both);
   * otherwise undefined, which the broker answers with QUERY_NOT_FOUND. `setZeroIfNotFound: false` (5.x) skips
   * the 0 fallback.
   * @throws StoreError kind `closed`.
   */
  queryForClient(query: ClientOffsetQuery): number | undefined {
    const stored = this.queryOffset(query);
    if (stored >= 0) return stored;
    if (query.setZeroIfNotFound === false) return undefined;
    return this.store.getMinOffsetInQueue(query.topic, query.queueId) <= 0 ? 0 : undefined;
  }
}

/** A background commit and who hears of its failure. */
interface BackgroundCommit {
  readonly commit: ConsumerOffsetCommit;
  readonly onError: (error: unknown) => void;
}

/** One queue of one group as a map key (names never hold NUL: the metadata store refuses them). */
function offsetKey(query: ConsumerOffsetQuery): string {
  return `${query.topic}\u0000${query.group}\u0000${query.queueId}`;
}
