import type { MessageQueue } from '@rocketmq-ts/protocol';
import { messageQueueKey } from '../route/topic-route-info.js';
import type { ConsumerRuntime, QueueEntry } from './consumer-runtime.js';
import { findMasterAddr } from './find-broker.js';

/**
 * The broker-side queue locks of an orderly clustering consumer (Java `RebalanceImpl.lock`, `lockAll`, `unlock`;
 * remoting-protocol.md §4.9): LOCK_BATCH_MQ / UNLOCK_BATCH_MQ to the master of each broker set, marking the
 * process queues of `table` locked (with the time) or not. A broker keeps a lock 60 s after its last renewal.
 * Only masters are asked (Java `findBrokerAddressInSubscribe(name, MASTER_ID, true)`): a lock taken on a slave
 * would not stop another client that locks the same queue on the returning master, so while a set has no master
 * its queues stay unlocked and orderly consumption of them pauses.
 */
export class QueueLocks {
  private readonly rt: ConsumerRuntime;
  private readonly table: ReadonlyMap<string, QueueEntry>;

  constructor(options: { runtime: ConsumerRuntime; table: ReadonlyMap<string, QueueEntry> }) {
    this.rt = options.runtime;
    this.table = options.table;
  }

  /** Java `RebalanceImpl.lock`: locks one queue; true when this client holds it. */
  async lockOne(mq: MessageQueue): Promise<boolean> {
    try {
      const locked = await this.lockOnBroker(mq.brokerName, [mq]);
      return locked.some((l) => messageQueueKey(l) === messageQueueKey(mq));
    } catch (error) {
      this.rt.logger.warn('lockBatchMQ failed', { topic: mq.topic, error: String(error) });
      return false;
    }
  }

  /** Java `RebalanceImpl.lockAll`: renews the locks of every held queue, per broker set. */
  async lockAll(): Promise<void> {
    if (this.rt.stopping) return;
    for (const [brokerName, mqs] of this.byBroker([...this.table.values()].map((e) => e.mq))) {
      try {
        const locked = new Set((await this.lockOnBroker(brokerName, mqs)).map(messageQueueKey));
        for (const mq of mqs) {
          const entry = this.table.get(messageQueueKey(mq));
          if (entry === undefined) continue;
          if (locked.has(messageQueueKey(mq))) {
            entry.pq.locked = true;
            entry.pq.lastLockTimestamp = Date.now();
          } else {
            entry.pq.locked = false;
            this.rt.logger.warn('the message queue locked Failed', {
              group: this.rt.config.consumerGroup,
              topic: mq.topic,
              queueId: mq.queueId,
            });
          }
        }
      } catch (error) {
        this.rt.logger.warn('lockBatchMQ failed', { brokerName, error: String(error) });
      }
    }
  }

  /** Java `unlockAll` / `unlock`: releases locks (awaited); failures are logged. */
  async unlock(mqs: readonly MessageQueue[]): Promise<void> {
    for (const [brokerName, group] of this.byBroker(mqs)) {
      try {
        const addr = await findMasterAddr(this.rt.instance, { topic: group[0]!.topic, brokerName });
        await this.rt.instance.api.unlockBatchMQ(addr, {
          consumerGroup: this.rt.config.consumerGroup,
          clientId: this.rt.instance.clientId,
          onlyThisBroker: false,
          mqSet: group,
        });
        for (const mq of group) {
          const entry = this.table.get(messageQueueKey(mq));
          if (entry !== undefined) entry.pq.locked = false;
        }
      } catch (error) {
        this.rt.logger.warn('unlockBatchMQ failed', { brokerName, error: String(error) });
      }
    }
  }

  private async lockOnBroker(brokerName: string, mqs: MessageQueue[]): Promise<MessageQueue[]> {
    const addr = await findMasterAddr(this.rt.instance, { topic: mqs[0]!.topic, brokerName });
    const locked = await this.rt.instance.api.lockBatchMQ(addr, {
      consumerGroup: this.rt.config.consumerGroup,
      clientId: this.rt.instance.clientId,
      onlyThisBroker: false,
      mqSet: mqs,
    });
    const now = Date.now();
    for (const mq of locked) {
      const entry = this.table.get(messageQueueKey(mq));
      if (entry !== undefined) {
        entry.pq.locked = true;
        entry.pq.lastLockTimestamp = now;
      }
    }
    return locked;
  }

  private byBroker(mqs: readonly MessageQueue[]): Map<string, MessageQueue[]> {
    const out = new Map<string, MessageQueue[]>();
    for (const mq of mqs) {
      const list = out.get(mq.brokerName) ?? [];
      list.push(mq);
      out.set(mq.brokerName, list);
    }
    return out;
  }
}
