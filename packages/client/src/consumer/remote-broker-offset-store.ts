import type { Logger, MessageQueue } from '@rocketmq-ts/protocol';
import type { MQClientInstance } from '../client-instance.js';
import { messageQueueKey } from '../route/topic-route-info.js';
import { findAdminAddr } from './find-broker.js';
import { OffsetTableStore } from './offset-store.js';
import type { PersistOptions } from './offset-store.js';

/**
 * Clustering offsets, kept by the brokers (Java `RemoteBrokerOffsetStore`): read with QUERY_CONSUMER_OFFSET from
 * the master of the queue's broker set (a slave of it while the master is out of the routes, as Java's
 * `findBrokerAddressInAdmin`), committed there with UPDATE_CONSUMER_OFFSET — oneway on the periodic commit, as
 * Java does, and awaited when asked (shutdown, queue hand-over). Unlike Java, which reads any broker error as "no
 * offset" (and then starts from consumeFromWhere), only QUERY_NOT_FOUND means none here: other failures throw, and
 * the queue is retried at the next rebalance rather than started from the wrong place.
 */
export class RemoteBrokerOffsetStore extends OffsetTableStore {
  constructor(
    private readonly instance: MQClientInstance,
    private readonly options: { group: string; logger: Logger },
  ) {
    super();
  }

  load(): Promise<void> {
    return Promise.resolve();
  }

  /** QUERY_CONSUMER_OFFSET to the queue's master (else a slave); undefined only for QUERY_NOT_FOUND. */
  protected async readStoredOffset(mq: MessageQueue): Promise<number | undefined> {
    const addr = await findAdminAddr(this.instance, mq);
    return this.instance.api.queryConsumerOffset(addr, {
      group: this.options.group,
      topic: mq.topic,
      queueId: mq.queueId,
    });
  }

  async persistAll(mqs: readonly MessageQueue[], options: PersistOptions = {}): Promise<void> {
    if (mqs.length === 0) return;
    const wanted = new Set(mqs.map(messageQueueKey));
    const commits: Promise<void>[] = [];
    for (const { mq } of this.entries()) {
      if (wanted.has(messageQueueKey(mq))) commits.push(this.persist(mq, options));
      else this.removeOffset(mq);
    }
    await Promise.all(commits);
  }

  /** Commits one queue's offset; failures are logged, not thrown (the next commit retries). */
  async persist(mq: MessageQueue, options: PersistOptions = {}): Promise<void> {
    const offset = this.memoryOffset(mq);
    if (offset === undefined) return;
    try {
      const addr = await findAdminAddr(this.instance, mq);
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
}
