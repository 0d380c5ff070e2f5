import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeResetOffsetBody,
  parseSubscriptionExpression,
} from '@rocketmq-ts/protocol';
import type {
  ConsumerData,
  Logger,
  MessageQueue,
  SubscriptionData,
  TopicRouteData,
} from '@rocketmq-ts/protocol';
import { MQClientInstance } from '../client-instance.js';
import type { ConsumerMember } from '../client-instance.js';
import { ConsumerTimers } from '../consumer/consumer-runtime.js';
import { LocalFileOffsetStore } from '../consumer/local-file-offset-store.js';
import { findAdminAddr } from '../consumer/find-broker.js';
import type { OffsetStore } from '../consumer/offset-store.js';
import { RemoteBrokerOffsetStore } from '../consumer/remote-broker-offset-store.js';
import { checkClientInBroker } from '../consumer/check-client-config.js';
import type { MessageSelector } from '../consumer/message-selector.js';
import { buildSubscriptionData, buildSubscriptionFromSelector } from '../consumer/subscription.js';
import { MQClientError } from '../errors.js';
import type { MessageExt } from '../message/message.js';
import { messageQueueKey, topicRouteToSubscribeInfo } from '../route/topic-route-info.js';
import { encodeConsumerRunningInfo } from '../running-info/consumer-running-info.js';
import { resolveLitePullConsumerConfig } from './lite-pull-config.js';
import type { LitePullConsumerConfig, LitePullConsumerConfigInput } from './lite-pull-config.js';
import { liteConsumerRunningInfo } from './lite-running-info.js';
import type { OwnedQueue } from './owned-queue.js';
import { OwnedQueues } from './owned-queues.js';
import { allocateTopicQueues } from './lite-rebalance.js';
import { QueuePuller } from './queue-puller.js';

type State = 'created' | 'starting' | 'running' | 'stopped';

/** Parts that exist while the consumer runs. */
interface Running {
  readonly instance: MQClientInstance;
  readonly offsetStore: OffsetStore;
}

/**
 * A consumer the application pulls from (Java `DefaultLitePullConsumer`): either `subscribe` to topics, and the
 * group's queues are shared among its members by the allocation strategy (rebalanced when members come and go), or
 * `assign` queues explicitly. Each owned queue is pulled in the background with long polling into a bounded cache;
 * `poll()` returns the next pulled batch. Consumed offsets are committed on `poll()` every autoCommitIntervalMillis
 * (and persisted to the broker every persistConsumerOffsetInterval and at shutdown), or with `commitSync()`.
 *
 * ```ts
 * const consumer = new LitePullConsumer({ consumerGroup: 'cg', namesrvAddr: '127.0.0.1:9876' });
 * await consumer.subscribe('TopicTest', 'TagA || TagB');
 * await consumer.start();
 * for (let i = 0; i < 10; i++) for (const msg of await consumer.poll()) handle(msg);
 * await consumer.shutdown();
 * ```
 *
 * Errors: ConfigError from the constructor; MQClientError for misuse (not started, subscribe and assign mixed, a
 * queue not owned, an offset out of range); MQBrokerError / remoting errors from the calls that reach a broker
 * (seek, committed, commitSync). Background pull failures are logged and retried.
 */
export class LitePullConsumer implements ConsumerMember {
  /** The resolved options. */
  readonly config: Readonly<LitePullConsumerConfig>;
  private readonly logger: Logger;
  private state: State = 'created';
  private mode: 'none' | 'subscribe' | 'assign' = 'none';
  private running: Running | undefined;
  private readonly subscriptions = new Map<string, SubscriptionData>();
  /** assign mode: the queues asked for. */
  private assigned: MessageQueue[] = [];
  /** assign mode: per-topic expressions (Java `setSubExpressionForAssign`). */
  private readonly assignExpressions = new Map<string, string>();
  private readonly owned: OwnedQueues;
  private readonly timers = new ConsumerTimers();
  private nextAutoCommitAt = -1;
  private startTimestamp = 0;
  private rebalanceTail: Promise<void> = Promise.resolve();
  private rebalancePending = false;

  /** @throws ConfigError naming a bad option (see resolveLitePullConsumerConfig). */
  constructor(options: LitePullConsumerConfigInput) {
    this.config = resolveLitePullConsumerConfig(options);
    this.logger = this.config.logger.child({ consumerGroup: this.config.consumerGroup });
    this.owned = new OwnedQueues({ autoCommit: this.config.autoCommit, logger: this.logger });
  }

  /** The consumer group (ConsumerMember). */
  get groupName(): string {
    return this.config.consumerGroup;
  }

  /**
   * Joins the group: registers with the process's client instance for this client id, reads the routes, sends a
   * heartbeat to their brokers, allocates queues (subscribe) or takes the assigned ones, and starts pulling.
   * @throws MQClientError when started before or the group already runs in this process with this client id.
   */
  async start(): Promise<void> {
    if (this.state !== 'created') {
      throw new MQClientError(
        `the lite pull consumer ${this.groupName} was started before (${this.state})`,
      );
    }
    this.state = 'starting';
    const instance = MQClientInstance.acquire(this.config);
    try {
      instance.registerConsumer(this);
    } catch (error) {
      this.state = 'created';
      throw error;
    }
    try {
      const offsetStore: OffsetStore =
        this.config.messageModel === 'CLUSTERING'
          ? new RemoteBrokerOffsetStore(instance, { group: this.groupName, logger: this.logger })
          : new LocalFileOffsetStore({
              offsetStoreDir: this.config.offsetStoreDir,
              clientId: instance.clientId,
              group: this.groupName,
              logger: this.logger,
            });
      await offsetStore.load();
      const puller = new QueuePuller({
        config: this.config,
        instance,
        offsetStore,
        requests: this.owned.requests,
        timers: this.timers,
        logger: this.logger,
        subscriptionOf: (topic) => this.subscriptionOf(topic),
        isActive: (queue) => this.state === 'running' && this.owned.isOwned(queue),
      });
      this.owned.attach({ offsetStore, puller });
      this.running = { instance, offsetStore };
      instance.start();
      this.state = 'running';
      this.startTimestamp = Date.now();
      await Promise.all(this.subscribedTopics().map((t) => this.refreshRoute(t)));
      await checkClientInBroker({
        instance,
        group: this.groupName,
        subscriptions: this.subscriptions.values(),
      });
      await instance.sendHeartbeatToAllBrokers();
      if (this.mode === 'subscribe') await this.rebalance();
      if (this.mode === 'assign') await this.owned.update(this.assigned, () => true).persisted;
      this.logger.info('lite pull consumer started', { clientId: instance.clientId });
    } catch (error) {
      if (this.running === undefined) {
        this.state = 'stopped';
        await instance.unregister('consumer', this.groupName);
      } else {
        await this.shutdown();
      }
      throw error;
    }
  }

  /**
   * Subscribes to a topic with a tag expression (`*`, `TagA || TagB`) or a {@link MessageSelector}
   * (`MessageSelector.bySql(...)`, checked with the topic's brokers at start, or here when already started); the
   * group's members share its queues. May be called before or after start.
   * @throws MQClientError after assign(), for an empty topic or a blank SQL92 expression, or naming the expression
   *   when a started consumer's brokers refuse it; RocketMQError SUBSCRIPTION_PARSE_FAILED for a tag expression of
   *   separators only.
   */
  async subscribe(topic: string, selector: string | MessageSelector = '*'): Promise<void> {
    if (topic === '') throw new MQClientError('topic can not be empty');
    this.setMode('subscribe');
    const subscription = buildSubscriptionFromSelector(topic, selector);
    this.subscriptions.set(topic, subscription);
    const { running } = this;
    if (this.state === 'running' && running !== undefined) {
      await this.refreshRoute(topic);
      try {
        await checkClientInBroker({
          instance: running.instance,
          group: this.groupName,
          subscriptions: [subscription],
        });
      } catch (error) {
        if (this.subscriptions.get(topic) === subscription) this.subscriptions.delete(topic);
        throw error;
      }
      await running.instance.sendHeartbeatToAllBrokers();
      await this.rebalance();
    }
  }

  /** Stops reading a subscribed topic: its queues are dropped and their offsets persisted. */
  async unsubscribe(topic: string): Promise<void> {
    this.subscriptions.delete(topic);
    await this.owned.drop((q) => q.mq.topic === topic);
  }

  /**
   * Reads exactly these queues (no rebalance); replaces an earlier assignment. May be called before or after start.
   * @throws MQClientError for an empty list or after subscribe().
   */
  assign(queues: readonly MessageQueue[]): void {
    if (queues.length === 0) throw new MQClientError('message queues can not be empty');
    this.setMode('assign');
    const unique = new Map(queues.map((mq) => [messageQueueKey(mq), { ...mq }]));
    this.assigned = [...unique.values()];
    if (this.state === 'running') {
      void this.owned.update(this.assigned, () => true).persisted; // never rejects: failures are logged
      this.announceAssignment().catch((error: unknown) => {
        this.logger.warn('heartbeat after assign failed', { error: String(error) });
      });
    }
  }

  /**
   * Assign mode: pull `topic`'s queues with this tag expression instead of `*`. Only before start (as Java).
   * @throws MQClientError after start, for a blank expression, or after subscribe().
   */
  setSubExpressionForAssign(topic: string, expression: string): void {
    if (expression.trim() === '') throw new MQClientError('subExpression can not be empty');
    if (this.state !== 'created') {
      throw new MQClientError('setSubExpressionForAssign can only be called before start');
    }
    this.setMode('assign');
    parseSubscriptionExpression(expression);
    this.assignExpressions.set(topic, expression);
  }

  /** The queues this consumer reads now, sorted. */
  assignment(): MessageQueue[] {
    return this.owned.queues();
  }

  /**
   * The readable queues of a topic, from the NameServer (to pass to assign()).
   * @throws MQClientError when not started or the topic has no route (code TOPIC_NOT_EXIST).
   */
  async fetchMessageQueues(topic: string): Promise<MessageQueue[]> {
    const route = await this.runningParts().instance.updateRoute(topic);
    if (route === undefined) {
      throw new MQClientError(
        `the NameServer has no route for topic ${topic}: create it first`,
        ResponseCode.TOPIC_NOT_EXIST,
      );
    }
    return topicRouteToSubscribeInfo(topic, route);
  }

  /**
   * The next pulled batch (at most pullBatchSize messages of one queue), waiting up to `timeoutMs` for one; `[]`
   * when none arrived in time. With autoCommit, first commits what earlier polls returned, at most every
   * autoCommitIntervalMillis.
   * @throws MQClientError when not running or for a negative timeout.
   */
  async poll(timeoutMs: number = this.config.pollTimeoutMillis): Promise<MessageExt[]> {
    this.runningParts();
    if (!(timeoutMs >= 0))
      throw new MQClientError(`poll timeout must not be negative: ${timeoutMs}`);
    if (this.config.autoCommit) this.maybeAutoCommit();
    return this.owned.take(timeoutMs);
  }

  /**
   * Restarts an owned queue at `offset`: cached messages are dropped and the next poll of it returns messages from
   * there; a commit then stores `offset` until more is polled.
   * @throws MQClientError when the queue is not owned (in subscribe mode it may be rebalancing) or the offset is
   *   outside [min offset, max offset] of the queue.
   */
  async seek(mq: MessageQueue, offset: number): Promise<void> {
    this.ownedQueue(mq);
    const [min, max] = await Promise.all([this.minOffset(mq), this.maxOffset(mq)]);
    if (!Number.isInteger(offset) || offset < min || offset > max) {
      throw new MQClientError(
        `seek offset ${offset} of ${describe(mq)} is outside the queue's offsets [${min}, ${max}]`,
      );
    }
    this.owned.restartAt(this.ownedQueue(mq), offset);
  }

  /** seek() to the queue's min offset. */
  async seekToBegin(mq: MessageQueue): Promise<void> {
    await this.seek(mq, await this.minOffset(mq));
  }

  /** seek() to the queue's max offset: only messages sent from now on are polled. */
  async seekToEnd(mq: MessageQueue): Promise<void> {
    await this.seek(mq, await this.maxOffset(mq));
  }

  /** The queue offset whose message was stored nearest `timestamp` (ms) (Java `offsetForTimestamp`). */
  async offsetForTimestamp(mq: MessageQueue, timestamp: number): Promise<number> {
    const { instance } = this.runningParts();
    return instance.api.searchOffset(await findAdminAddr(instance, mq), { ...mq, timestamp });
  }

  /** Stops pulling these queues until resume(); batches already pulled are still returned by poll(). */
  pause(queues: readonly MessageQueue[]): void {
    for (const mq of queues) {
      const q = this.owned.get(mq);
      if (q !== undefined) q.paused = true;
    }
  }

  /** Undoes pause(). */
  resume(queues: readonly MessageQueue[]): void {
    for (const mq of queues) {
      const q = this.owned.get(mq);
      if (q !== undefined) q.paused = false;
    }
  }

  /**
   * Commits, for every owned queue, the offset after the messages poll() returned, and waits until the brokers
   * (CLUSTERING) or the local offset file (BROADCASTING) have it.
   * @throws MQClientError when not running; MQBrokerError or remoting errors when a broker refuses or is down.
   */
  async commitSync(): Promise<void> {
    const { instance, offsetStore } = this.runningParts();
    this.owned.commitToMemory();
    const queues = this.owned.queues();
    if (this.config.messageModel === 'BROADCASTING') {
      await offsetStore.persistAll(queues);
      return;
    }
    await Promise.all(
      queues.map(async (mq) => {
        const offset = offsetStore.memoryOffset(mq);
        if (offset === undefined) return;
        const addr = await findAdminAddr(instance, mq);
        await instance.api.updateConsumerOffset(addr, {
          group: this.groupName,
          topic: mq.topic,
          queueId: mq.queueId,
          offset,
        });
      }),
    );
  }

  /**
   * The group's committed offset of a queue: this consumer's in-memory one, else the broker's (local file in
   * BROADCASTING); −1 when there is none.
   * @throws MQClientError when not running; MQBrokerError or remoting errors when the broker cannot answer.
   */
  committed(mq: MessageQueue): Promise<number> {
    return this.runningParts().offsetStore.readOffset(mq, 'MEMORY_FIRST_THEN_STORE');
  }

  /**
   * Leaves the group: stops pulling, commits consumed offsets (autoCommit) and persists the owned queues' offsets,
   * unregisters from the brokers and, when it was the last member, closes the client instance. Idempotent; pending
   * poll() calls resolve with `[]`.
   */
  async shutdown(): Promise<void> {
    const { running } = this;
    if (this.state === 'stopped' || this.state === 'created') {
      this.state = 'stopped';
      return;
    }
    if (this.config.autoCommit) this.owned.commitToMemory();
    this.state = 'stopped';
    this.running = undefined;
    this.timers.stop();
    const owned = this.owned.close();
    if (running === undefined) return;
    try {
      await running.offsetStore.persistAll(owned, { awaitResponse: true });
    } catch (error) {
      this.logger.warn('offsets not persisted at shutdown', { error: String(error) });
    }
    await running.instance.unregister('consumer', this.groupName);
    this.logger.info('lite pull consumer shut down');
  }

  // ---- ConsumerMember ----

  /** Heartbeat entry: CONSUME_ACTIVELY with the subscriptions (none in assign mode, as Java). */
  consumerData(): ConsumerData {
    return {
      groupName: this.groupName,
      consumeType: 'CONSUME_ACTIVELY',
      messageModel: this.config.messageModel,
      consumeFromWhere: this.config.consumeFromWhere,
      subscriptionDataSet: [...this.subscriptions.values()],
      unitMode: false,
    };
  }

  /** Topics whose routes the client instance keeps fresh: the subscribed ones, or those of assigned queues. */
  subscribedTopics(): string[] {
    if (this.mode === 'assign') return [...new Set(this.assigned.map((mq) => mq.topic))];
    return [...this.subscriptions.keys()];
  }

  /** A subscribed topic's queues changed: rebalance now. */
  onSubscribeInfoChanged(topic: string): void {
    if (this.state !== 'running' || !this.subscriptions.has(topic)) return;
    void this.rebalance(); // never rejects: failures are logged
  }

  /**
   * Subscribe mode: re-allocates every subscribed topic's queues among the group's members (Java
   * `RebalanceImpl.doRebalance`). Runs one at a time; failures are logged and keep the current queues.
   */
  rebalance(): Promise<void> {
    if (this.mode !== 'subscribe' || this.state !== 'running') return Promise.resolve();
    if (this.rebalancePending) return this.rebalanceTail;
    this.rebalancePending = true;
    this.rebalanceTail = this.rebalanceTail
      .then(async () => {
        this.rebalancePending = false;
        for (const topic of [...this.subscriptions.keys()]) await this.rebalanceTopic(topic);
      })
      .catch((error: unknown) => {
        this.logger.warn('lite pull rebalance failed', { error: String(error) });
      });
    return this.rebalanceTail;
  }

  /** Persists the in-memory offsets of the owned queues (the client instance's timer; oneway to brokers). */
  async persistOffsets(): Promise<void> {
    const { running } = this;
    if (this.state !== 'running' || running === undefined) return;
    await running.offsetStore.persistAll(this.owned.queues());
  }

  /**
   * Answers GET_CONSUMER_RUNNING_INFO and RESET_CONSUMER_CLIENT_OFFSET (the owned queues restart at the broker's
   * offsets); CONSUME_MESSAGE_DIRECTLY is refused, as a lite consumer has no listener.
   */
  handleBrokerRequest(request: RemotingCommand): Promise<RemotingCommand | null> {
    const { running } = this;
    if (request.code === RequestCode.GET_CONSUMER_RUNNING_INFO && running !== undefined) {
      const info = liteConsumerRunningInfo({
        config: this.config,
        startTimestamp: this.startTimestamp,
        subscriptions: [...this.subscriptions.values()],
        queues: this.owned.list(),
        offsetStore: running.offsetStore,
      });
      return Promise.resolve(
        RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
          body: encodeConsumerRunningInfo(info),
        }),
      );
    }
    if (request.code === RequestCode.RESET_CONSUMER_CLIENT_OFFSET && running !== undefined) {
      this.resetOffsets(request);
      return Promise.resolve(null);
    }
    return Promise.resolve(
      RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, {
        remark: `the lite pull consumer ${this.groupName} does not handle request ${request.code}: it has no message listener`,
      }),
    );
  }

  // ---- internals ----

  /** Reads the routes of the assigned topics and heartbeats to their brokers, so the group is listed there now. */
  private async announceAssignment(): Promise<void> {
    const { instance } = this.runningParts();
    await Promise.all(this.subscribedTopics().map((t) => this.refreshRoute(t)));
    await instance.sendHeartbeatToAllBrokers();
  }

  private setMode(mode: 'subscribe' | 'assign'): void {
    if (this.mode !== 'none' && this.mode !== mode) {
      throw new MQClientError(
        'subscribe and assign are mutually exclusive: use one lite pull consumer per way of reading',
      );
    }
    this.mode = mode;
  }

  private runningParts(): Running {
    if (this.state !== 'running' || this.running === undefined) {
      throw new MQClientError(
        `the lite pull consumer ${this.groupName} is not running: await start() first`,
      );
    }
    return this.running;
  }

  private subscriptionOf(topic: string): SubscriptionData {
    const subscribed = this.subscriptions.get(topic);
    if (subscribed !== undefined) return subscribed;
    return buildSubscriptionData(topic, this.assignExpressions.get(topic), this.startTimestamp);
  }

  private ownedQueue(mq: MessageQueue): OwnedQueue {
    this.runningParts();
    const queue = this.owned.get(mq);
    if (queue === undefined) {
      throw new MQClientError(
        `${describe(mq)} is not assigned to this consumer${this.mode === 'subscribe' ? ' (it may be rebalancing)' : ''}`,
      );
    }
    return queue;
  }

  private async minOffset(mq: MessageQueue): Promise<number> {
    const { instance } = this.runningParts();
    return instance.api.getMinOffset(await findAdminAddr(instance, mq), mq);
  }

  private async maxOffset(mq: MessageQueue): Promise<number> {
    const { instance } = this.runningParts();
    return instance.api.getMaxOffset(await findAdminAddr(instance, mq), mq);
  }

  private maybeAutoCommit(): void {
    const now = Date.now();
    if (now < this.nextAutoCommitAt) return;
    this.owned.commitToMemory();
    this.nextAutoCommitAt = now + this.config.autoCommitIntervalMillis;
  }

  private async refreshRoute(topic: string): Promise<TopicRouteData | undefined> {
    try {
      return await this.runningParts().instance.updateRoute(topic);
    } catch (error) {
      this.logger.warn('route refresh failed', { topic, error: String(error) });
      return undefined;
    }
  }

  private async rebalanceTopic(topic: string): Promise<void> {
    const { instance } = this.runningParts();
    const divided = await allocateTopicQueues({
      instance,
      config: this.config,
      topic,
      logger: this.logger,
    });
    if (divided === undefined || this.state !== 'running' || !this.subscriptions.has(topic)) return;
    const { changed, persisted } = this.owned.update(divided, (q) => q.mq.topic === topic);
    await persisted;
    if (changed) {
      this.logger.info('lite pull queues rebalanced', {
        topic,
        queues: divided.map((mq) => `${mq.brokerName}:${mq.queueId}`),
      });
    }
  }

  private resetOffsets(request: RemotingCommand): void {
    if (request.body === undefined) return;
    let table: Array<[MessageQueue, number]>;
    try {
      table = decodeResetOffsetBody(request.body).offsetTable;
    } catch (error) {
      this.logger.warn('bad RESET_CONSUMER_CLIENT_OFFSET body ignored', { error: String(error) });
      return;
    }
    const reset = this.owned.resetTo(table);
    this.logger.info('consumer offsets reset by the broker', { queues: reset });
  }
}

function describe(mq: MessageQueue): string {
  return `queue ${mq.queueId} of topic ${mq.topic} on ${mq.brokerName}`;
}
