import type { MessageQueue } from '@rocketmq-ts/protocol';
import { RETRY_GROUP_TOPIC_PREFIX } from '../retry-topic.js';
import { findBrokerAddressInAdmin } from '../route/broker-addr-lookup.js';
import {
  compareMessageQueues,
  messageQueueKey,
  topicRouteToSubscribeInfo,
} from '../route/topic-route-info.js';
import type { ConsumeService, ConsumerRuntime, QueueEntry } from './consumer-runtime.js';
import { ProcessQueue } from './process-queue.js';
import { QueueLocks } from './queue-locks.js';
import { computePullFromWhere } from './pull-from-where.js';

/** Options of {@link RebalancePush}. */
export interface RebalancePushOptions {
  runtime: ConsumerRuntime;
  /** Starts the pull loop of a new queue at `offset`. */
  startPulling: (entry: QueueEntry, offset: number) => void;
  /** The consume service; set before the first rebalance. */
  service: () => ConsumeService;
}

/**
 * Queue assignment of a push consumer (Java `RebalanceImpl` + `RebalancePushImpl`). For each subscribed topic:
 * clustering — the group's client ids from a broker of the topic, sorted, and the topic's readable queues, sorted,
 * go through the allocation strategy; broadcasting — every queue. Queues no longer assigned are dropped (offset
 * committed; orderly: unlocked once their last listener call is over); new ones get a process queue starting at
 * the committed offset, else where `consumeFromWhere` says, and a pull loop. All table changes run one at a time.
 */
export class RebalancePush {
  /** Queue key → assigned queue. */
  readonly processQueueTable = new Map<string, QueueEntry>();
  /** topic → readable queues, from the routes. */
  readonly topicSubscribeInfo = new Map<string, MessageQueue[]>();
  private readonly rt: ConsumerRuntime;
  private readonly startPulling: (entry: QueueEntry, offset: number) => void;
  private readonly service: () => ConsumeService;
  private chain: Promise<void> = Promise.resolve();
  private pending: Promise<void> | undefined;
  /** Orderly hand-overs still waiting for their last listener call before unlocking. */
  private readonly releases = new Set<Promise<void>>();
  /** Orderly clustering: the queue locks on the brokers. */
  readonly locks: QueueLocks;

  constructor(options: RebalancePushOptions) {
    this.rt = options.runtime;
    this.startPulling = options.startPulling;
    this.service = options.service;
    this.locks = new QueueLocks({ runtime: this.rt, table: this.processQueueTable });
  }

  private get group(): string {
    return this.rt.config.consumerGroup;
  }

  private get clustering(): boolean {
    return this.rt.config.messageModel === 'CLUSTERING';
  }

  /** The queues held now. */
  assignedQueues(): MessageQueue[] {
    return [...this.processQueueTable.values()].map((e) => e.mq);
  }

  /** Runs `task` after every table change queued before it. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Re-runs the assignment; a call while one is waiting to start joins it. */
  rebalance(): Promise<void> {
    if (this.pending !== undefined) return this.pending;
    const run = this.exclusive(async () => {
      this.pending = undefined;
      await this.doRebalance();
    });
    this.pending = run;
    return run;
  }

  /** Java `doRebalance`: every subscribed topic, then queues of topics no longer subscribed. */
  private async doRebalance(): Promise<void> {
    if (this.rt.stopping) return;
    for (const topic of [...this.rt.subscriptions.keys()]) {
      try {
        await this.rebalanceByTopic(topic);
      } catch (error) {
        if (!topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) {
          this.rt.logger.warn('rebalance of a topic failed', { topic, error: String(error) });
        }
      }
    }
    for (const entry of [...this.processQueueTable.values()]) {
      if (!this.rt.subscriptions.has(entry.mq.topic)) await this.removeQueue(entry);
    }
  }

  private async subscribeInfo(topic: string): Promise<MessageQueue[] | undefined> {
    let mqs = this.topicSubscribeInfo.get(topic);
    if (mqs === undefined) {
      // A topic without a route yet (a new retry topic, a topic created after start): ask again each rebalance.
      const route = await this.rt.instance.updateRoute(topic).catch(() => undefined);
      if (route !== undefined && !this.topicSubscribeInfo.has(topic)) {
        this.topicSubscribeInfo.set(topic, topicRouteToSubscribeInfo(topic, route));
      }
      mqs = this.topicSubscribeInfo.get(topic);
    }
    return mqs;
  }

  private async rebalanceByTopic(topic: string): Promise<void> {
    const mqSet = await this.subscribeInfo(topic);
    if (mqSet === undefined) {
      if (!topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) {
        this.rt.logger.warn('doRebalance, but the topic does not exist', {
          group: this.group,
          topic,
        });
      }
      return;
    }
    let allocated: MessageQueue[];
    if (this.clustering) {
      const cidAll = await this.findConsumerIdList(topic);
      if (cidAll === undefined) return;
      const mqAll = [...mqSet].sort(compareMessageQueues);
      cidAll.sort();
      const strategy = this.rt.config.allocateMessageQueueStrategy;
      try {
        allocated = strategy
          .allocate({
            consumerGroup: this.group,
            currentCID: this.rt.instance.clientId,
            mqAll,
            cidAll,
          })
          .filter((mq) => mq.topic === topic);
      } catch (error) {
        this.rt.logger.error('allocation strategy failed', {
          strategy: strategy.getName(),
          topic,
          error: String(error),
        });
        return;
      }
    } else {
      allocated = mqSet;
    }
    if (await this.updateProcessQueueTable(topic, allocated)) {
      this.rt.logger.info('rebalance result changed', {
        group: this.group,
        topic,
        clientId: this.rt.instance.clientId,
        queues: allocated.map((q) => `${q.brokerName}:${q.queueId}`),
      });
      // Java `RebalancePushImpl.messageQueueChanged`: new subscription version, heartbeat at once.
      const sub = this.rt.subscriptions.get(topic);
      if (sub !== undefined) sub.subVersion = Date.now();
      await this.rt.instance.sendHeartbeatToAllBrokers();
    }
  }

  /** Java `MQClientInstance.findConsumerIdList`: asks one broker of the topic; undefined when that fails. */
  private async findConsumerIdList(topic: string): Promise<string[] | undefined> {
    try {
      const route = await this.rt.instance.routeOf(topic);
      const brokers = route?.brokerDatas ?? [];
      if (brokers.length === 0) return undefined;
      const bd = brokers[Math.floor(Math.random() * brokers.length)]!;
      // Its master, else a slave: consumers heart-beat to slaves too, so a slave knows the members while the
      // master is gone.
      const addr = findBrokerAddressInAdmin(bd.brokerAddrs)?.brokerAddr;
      if (addr === undefined) return undefined;
      return await this.rt.instance.api.getConsumerIdList(addr, this.group);
    } catch (error) {
      this.rt.logger.warn('get consumer id list failed', {
        group: this.group,
        topic,
        error: String(error),
      });
      return undefined;
    }
  }

  /** Java `updateProcessQueueTableInRebalance`. @returns whether the table changed. */
  private async updateProcessQueueTable(
    topic: string,
    mqSet: readonly MessageQueue[],
  ): Promise<boolean> {
    let changed = false;
    const wanted = new Map(mqSet.map((mq) => [messageQueueKey(mq), mq]));
    for (const [key, entry] of [...this.processQueueTable]) {
      if (entry.mq.topic !== topic) continue;
      if (!wanted.has(key)) {
        await this.removeQueue(entry);
        changed = true;
      } else if (entry.pq.isPullExpired()) {
        this.rt.logger.error('queue not pulled for a long time; rebuilding it', {
          group: this.group,
          topic,
          queueId: entry.mq.queueId,
        });
        await this.removeQueue(entry);
        changed = true;
      }
    }
    for (const [key, mq] of wanted) {
      if (this.processQueueTable.has(key) || this.rt.stopping) continue;
      if (await this.addQueue(mq)) changed = true;
    }
    return changed;
  }

  /** Creates the process queue of a newly assigned queue. @returns whether it was added. */
  private async addQueue(mq: MessageQueue, startOffset?: number): Promise<boolean> {
    const orderlyClustering = this.service().orderly && this.clustering;
    if (orderlyClustering && !(await this.locks.lockOne(mq))) {
      this.rt.logger.warn('new queue not added: its lock is held by another client', {
        group: this.group,
        topic: mq.topic,
        brokerName: mq.brokerName,
        queueId: mq.queueId,
      });
      return false;
    }
    this.rt.offsetStore.removeOffset(mq);
    let offset: number;
    try {
      offset = startOffset ?? (await this.computePullFromWhere(mq));
    } catch (error) {
      this.rt.logger.info('compute offset failed; the queue is retried at the next rebalance', {
        group: this.group,
        topic: mq.topic,
        queueId: mq.queueId,
        error: String(error),
      });
      return false;
    }
    if (offset < 0 || this.rt.stopping) return false;
    const pq = new ProcessQueue();
    pq.locked = true;
    const entry: QueueEntry = { mq, pq };
    this.processQueueTable.set(messageQueueKey(mq), entry);
    this.rt.logger.info('doRebalance, add a new mq', {
      group: this.group,
      topic: mq.topic,
      brokerName: mq.brokerName,
      queueId: mq.queueId,
      offset,
    });
    this.startPulling(entry, offset);
    return true;
  }

  /**
   * Drops an assigned queue (Java `removeUnnecessaryMessageQueue`): no more pulls, results of calls in flight are
   * ignored, the offset is committed and forgotten. Orderly clustering: once the queue's last listener call is over,
   * its offset is committed (awaited) and the lock released, unless the queue was assigned to us again meanwhile.
   */
  private async removeQueue(entry: QueueEntry): Promise<void> {
    const { mq, pq } = entry;
    const key = messageQueueKey(mq);
    pq.dropped = true;
    this.processQueueTable.delete(key);
    this.rt.logger.info('doRebalance, remove unnecessary mq', {
      group: this.group,
      topic: mq.topic,
      brokerName: mq.brokerName,
      queueId: mq.queueId,
    });
    if (!(this.service().orderly && this.clustering)) {
      await this.rt.offsetStore.persist(mq);
      this.rt.offsetStore.removeOffset(mq);
      return;
    }
    // Commit at once, as Java does; the awaited commit below makes sure it landed before the lock is released.
    await this.rt.offsetStore.persist(mq);
    const release = (async () => {
      await this.service().idle(mq);
      if (this.processQueueTable.has(key)) return;
      await this.rt.offsetStore.persist(mq, { awaitResponse: true });
      if (this.processQueueTable.has(key)) return;
      this.rt.offsetStore.removeOffset(mq);
      await this.locks.unlock([mq]);
    })().catch((error: unknown) => {
      this.rt.logger.warn('queue hand-over failed', { topic: mq.topic, error: String(error) });
    });
    this.releases.add(release);
    void release.then(() => this.releases.delete(release));
  }

  /**
   * Replaces a held queue's process queue with a fresh one pulling from `offset` (OFFSET_ILLEGAL, reset by admin):
   * the old one is dropped and cleared, the offset committed (awaited), then the queue starts again. Queues this
   * client does not hold are left alone.
   * @returns whether the queue was held.
   */
  restartQueue(mq: MessageQueue, offset: number): Promise<boolean> {
    return this.exclusive(async () => {
      const key = messageQueueKey(mq);
      const old = this.processQueueTable.get(key);
      if (old === undefined) return false;
      old.pq.dropped = true;
      old.pq.clear();
      this.processQueueTable.delete(key);
      await this.service().idle(mq);
      this.rt.offsetStore.updateOffset(mq, offset, false);
      await this.rt.offsetStore.persist(mq, { awaitResponse: true });
      if (!this.rt.stopping && this.rt.subscriptions.has(mq.topic)) await this.addQueue(mq, offset);
      return true;
    });
  }

  /** Waits for orderly hand-overs in flight (shutdown). */
  async settleReleases(): Promise<void> {
    await Promise.all([...this.releases]);
  }

  /**
   * Java `RebalancePushImpl.computePullFromWhereWithException`: {@link computePullFromWhere} with the committed
   * offset read from the store.
   * @throws when the offset store or the broker cannot be asked.
   */
  computePullFromWhere(mq: MessageQueue): Promise<number> {
    return computePullFromWhere(this.rt, mq, 'READ_FROM_STORE');
  }
}
