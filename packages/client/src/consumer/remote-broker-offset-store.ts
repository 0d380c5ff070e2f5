import type { Logger, MessageQueue } from '@rocketmq-ts/protocol';
import type { MQClientInstance } from '../client-instance.js';
import { messageQueueKey } from '../route/topic-route-info.js';
import { OffsetTable, findBrokerAddr } from './offset-store.js';
import type { OffsetStore, PersistOptions, ReadOffsetType } from './offset-store.js';

/**
 * Clustering offsets, kept by the brokers (Java `RemoteBrokerOffsetStore`): read with QUERY_CONSUMER_OFFSET from
 * the master of the queue's broker set, committed with UPDATE_CONSUMER_OFFSET — oneway on the periodic commit, as
 * Java does, and awaited when asked (shutdown, queue hand-over). Unlike Java, which reads any broker error as "no
 * offset" (and then starts from consumeFromWhere), only QUERY_NOT_FOUND means none here: other failures throw, and
 * the queue is retried at the next rebalance rather than started from the wrong place.
 */
export class RemoteBrokerOffsetStore implements OffsetStore {
  private readonly table = new OffsetTable();

  constructor(
    private readonly instance: MQClientInstance,
    private readonly options: { group: string; logger: Logger },
  ) {}

  load(): Promise<void> {
    return Promise.resolve();
  }

  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    this.table.update(mq, offset, increaseOnly);
  }

  memoryOffset(mq: MessageQueue): number | undefined {
    return this.table.get(mq);
  }

  async readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    if (type !== 'READ_FROM_STORE') {
      const inMemory = this.table.get(mq);
      if (inMemory !== undefined) return inMemory;
      if (type === 'READ_FROM_MEMORY') return -1;
    }
    const addr = await findBrokerAddr(this.instance, mq);
    const offset = await this.instance.api.queryConsumerOffset(addr, {
      group: this.options.group,
      topic: mq.topic,
      queueId: mq.queueId,
    });
    if (offset === undefined) return -1;
    this.table.update(mq, offset, false);
    return offset;
  }

  async persistAll(mqs: readonly MessageQueue[], options: PersistOptions = {}): Promise<void> {
    if (mqs.length === 0) return;
    const wanted = new Set(mqs.map(messageQueueKey));
    const commits: Promise<void>[] = [];
    for (const { mq } of this.table.entries()) {
      if (wanted.has(messageQueueKey(mq))) commits.push(this.persist(mq, options));
      else this.table.remove(mq);
    }
    await Promise.all(commits);
  }

  /** Commits one queue's offset; failures are logged, not thrown (the next commit retries). */
  async persist(mq: MessageQueue, options: PersistOptions = {}): Promise<void> {
    const offset = this.table.get(mq);
    if (offset === undefined) return;
    try {
      const addr = await findBrokerAddr(this.instance, mq);
      const ref = { group: this.options.group, topic: mq.topic, queueId: mq.queueId, offset };
      if (options.awaitResponse === true) await this.instance.api.updateConsumerOffset(addr, ref);
      else await this.instance.api.updateConsumerOffsetOneway(addr, ref);
    } catch (error) {
      this.options.logger.warn('consumer offset commit failed', {
        group: this.options.group,
        topic: mq.topic,
        brokerName: mq.brokerName,
        queueId: mq.queueId,
        offset,
        error: String(error),
      });
    }
  }

  removeOffset(mq: MessageQueue): void {
    this.table.remove(mq);
  }

  cloneOffsetTable(topic?: string): Map<string, { mq: MessageQueue; offset: number }> {
    return this.table.clone(topic);
  }
}
