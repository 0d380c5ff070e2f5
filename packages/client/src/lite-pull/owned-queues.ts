import type { Logger, MessageQueue } from '@rocketmq-ts/protocol';
import type { OffsetStore } from '../consumer/offset-store.js';
import type { MessageExt } from '../message/message.js';
import { compareMessageQueues, messageQueueKey } from '../route/topic-route-info.js';
import { ConsumeRequestQueue } from './consume-request-queue.js';
import { createOwnedQueue } from './owned-queue.js';
import type { ConsumeRequest, OwnedQueue } from './owned-queue.js';

/** What starts a queue's pull loop (the QueuePuller). */
export interface PullLoopStarter {
  start(queue: OwnedQueue): void;
}

/**
 * The queues a lite pull consumer reads and the batches waiting for poll() (Java `AssignedMessageQueue` plus
 * `consumeRequestCache`): taking queues on and off (persisting the offsets of those given up), restarting a queue at
 * an offset, handing batches to poll() and tracking the offset poll() reached.
 */
export class OwnedQueues {
  /** Batches waiting for poll(), filled by the pull loops. */
  readonly requests = new ConsumeRequestQueue<ConsumeRequest>();
  private readonly byKey = new Map<string, OwnedQueue>();
  private parts: { offsetStore: OffsetStore; puller: PullLoopStarter } | undefined;

  constructor(private readonly options: { autoCommit: boolean; logger: Logger }) {}

  /** Connects the offset store and the pull loops (at start); queues taken on before keep waiting for it. */
  attach(parts: { offsetStore: OffsetStore; puller: PullLoopStarter }): void {
    this.parts = parts;
  }

  /** The state of an owned queue. */
  get(mq: MessageQueue): OwnedQueue | undefined {
    return this.byKey.get(messageQueueKey(mq));
  }

  /** True while `queue` is the current state of an owned queue. */
  isOwned(queue: OwnedQueue): boolean {
    return this.byKey.get(messageQueueKey(queue.mq)) === queue && !queue.pq.dropped;
  }

  /** Every owned queue's state. */
  list(): OwnedQueue[] {
    return [...this.byKey.values()];
  }

  /** The owned queues, sorted. */
  queues(): MessageQueue[] {
    return this.list()
      .map((q) => q.mq)
      .sort(compareMessageQueues);
  }

  /**
   * Makes `wanted` the owned queues among those `inScope` selects: gives up the others and starts pulling the new
   * ones (their offsets are read again from the store, Java `removeDirtyOffset`).
   * @returns whether anything changed, and the persisting of the given-up queues' offsets (never rejects).
   */
  update(
    wanted: readonly MessageQueue[],
    inScope: (q: OwnedQueue) => boolean,
  ): { changed: boolean; persisted: Promise<void> } {
    const keys = new Set(wanted.map(messageQueueKey));
    const gone = this.detach((q) => inScope(q) && !keys.has(messageQueueKey(q.mq)));
    let added = false;
    for (const mq of wanted) {
      const key = messageQueueKey(mq);
      if (this.byKey.has(key)) continue;
      const queue = createOwnedQueue(mq);
      this.parts?.offsetStore.removeOffset(mq);
      this.byKey.set(key, queue);
      this.parts?.puller.start(queue);
      added = true;
    }
    return { changed: added || gone.length > 0, persisted: this.persistDetached(gone) };
  }

  /** Gives up the queues `which` selects and persists their offsets; never rejects. */
  async drop(which: (q: OwnedQueue) => boolean): Promise<void> {
    await this.persistDetached(this.detach(which));
  }

  /** Drops a queue's cache and waiting batches and starts a new pull loop at `offset` (seek, reset). */
  restartAt(queue: OwnedQueue, offset: number): void {
    queue.generation++;
    queue.pq.clear();
    this.requests.removeWhere((r) => r.queue === queue);
    queue.seekOffset = offset;
    this.parts?.puller.start(queue);
  }

  /**
   * The next batch of a current queue, waiting up to `timeoutMs`; `[]` when none. Moves the queue's consumed
   * offset past the batch.
   */
  async take(timeoutMs: number): Promise<MessageExt[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const request = await this.requests.take(deadline - Date.now());
      if (request === undefined) return [];
      const { queue } = request;
      if (queue.generation === request.generation && this.isOwned(queue)) {
        let offset = queue.pq.removeMessages(request.messages);
        // With nothing left cached, everything below the next pull offset was returned or filtered out (by the
        // broker or the client): filtered messages count as consumed (Java stops at the last returned message).
        if (queue.pq.msgCount === 0) offset = Math.max(offset, queue.pullOffset);
        if (offset >= 0) queue.consumeOffset = offset;
        return request.messages;
      }
      if (Date.now() >= deadline) return [];
    }
  }

  /** Java `commitAll`: each owned queue's consumed offset into the offset store's memory. */
  commitToMemory(): void {
    const offsetStore = this.parts?.offsetStore;
    if (offsetStore === undefined) return;
    for (const q of this.byKey.values()) {
      if (q.consumeOffset >= 0 && !q.pq.dropped) {
        offsetStore.updateOffset(q.mq, q.consumeOffset, false);
      }
    }
  }

  /**
   * Applies a broker's RESET_CONSUMER_CLIENT_OFFSET: each owned queue of the table restarts at its offset, which
   * also becomes its in-memory committed offset. @returns how many owned queues were reset.
   */
  resetTo(table: ReadonlyArray<readonly [MessageQueue, number]>): number {
    let reset = 0;
    for (const [mq, offset] of table) {
      const queue = this.get(mq);
      if (queue === undefined) continue;
      this.parts?.offsetStore.updateOffset(mq, offset, false);
      queue.consumeOffset = offset;
      this.restartAt(queue, offset);
      reset++;
    }
    return reset;
  }

  /** Stops everything (shutdown): queues dropped, pollers woken with `[]`. @returns the queues that were owned. */
  close(): MessageQueue[] {
    const owned = this.queues();
    this.requests.close();
    for (const q of this.byKey.values()) q.pq.dropped = true;
    this.byKey.clear();
    return owned;
  }

  /** Takes queues away: no more pulls, their batches dropped, consumed offsets committed to memory (autoCommit). */
  private detach(which: (q: OwnedQueue) => boolean): OwnedQueue[] {
    const gone = [...this.byKey.values()].filter(which);
    if (gone.length === 0) return gone;
    for (const q of gone) {
      q.pq.dropped = true;
      this.byKey.delete(messageQueueKey(q.mq));
      if (this.options.autoCommit && q.consumeOffset >= 0) {
        this.parts?.offsetStore.updateOffset(q.mq, q.consumeOffset, false);
      }
    }
    this.requests.removeWhere((r) => gone.includes(r.queue));
    return gone;
  }

  /** Persists detached queues' offsets (awaiting the broker) and forgets them; failures are logged. */
  private async persistDetached(gone: readonly OwnedQueue[]): Promise<void> {
    const offsetStore = this.parts?.offsetStore;
    if (offsetStore === undefined || gone.length === 0) return;
    await Promise.all(
      gone.map(async (q) => {
        try {
          await offsetStore.persist(q.mq, { awaitResponse: true });
        } catch (error) {
          this.options.logger.warn('offset of a given-up queue not persisted', {
            ...q.mq,
            error: String(error),
          });
        }
        offsetStore.removeOffset(q.mq);
      }),
    );
  }
}
