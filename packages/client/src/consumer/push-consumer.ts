import { ConfigError, RemotingCommand, ResponseCode } from '@rocketmq-ts/protocol';
import type { ConsumerData, Logger, MessageQueue, SubscriptionData } from '@rocketmq-ts/protocol';
import { MQClientInstance } from '../client-instance.js';
import type { ConsumerMember } from '../client-instance.js';
import { buildClientId } from '../config.js';
import { MQClientError } from '../errors.js';
import { retryTopicOf } from '../retry-topic.js';
import { messageQueueKey, topicRouteToSubscribeInfo } from '../route/topic-route-info.js';
import { handleConsumerBrokerRequest } from './broker-requests.js';
import { createConsumerParts } from './consumer-parts.js';
import type { ConsumerParts } from './consumer-parts.js';
import { ConsumerTimers } from './consumer-runtime.js';
import type { QueueEntry } from './consumer-runtime.js';
import { LocalFileOffsetStore } from './local-file-offset-store.js';
import type {
  MessageListener,
  MessageListenerConcurrently,
  MessageListenerOrderly,
} from './message-listener.js';
import type { OffsetStore } from './offset-store.js';
import { resolvePushConsumerConfig } from './push-consumer-config.js';
import type { PushConsumerConfig, PushConsumerConfigInput } from './push-consumer-config.js';
import { checkClientInBroker } from './check-client-config.js';
import type { MessageSelector } from './message-selector.js';
import {
  buildSubscriptionData,
  buildSubscriptionFromSelector,
  checkTopic,
} from './subscription.js';
import { RemoteBrokerOffsetStore } from './remote-broker-offset-store.js';

/** Options of {@link PushConsumer}: the config plus, optionally, the listener (exactly one kind). */
export type PushConsumerInit = PushConsumerConfigInput & {
  /** Concurrent listener; same as calling registerMessageListener. */
  messageListener?: MessageListenerConcurrently;
  /** Orderly listener; same as calling registerMessageListenerOrderly. */
  messageListenerOrderly?: MessageListenerOrderly;
};

/** Java `ServiceState`. */
export type PushConsumerState =
  'CREATE_JUST' | 'STARTING' | 'RUNNING' | 'STOPPING' | 'SHUTDOWN_ALREADY' | 'START_FAILED';

/**
 * A RocketMQ 4.x push consumer (Java `DefaultMQPushConsumer`): subscribe to topics, register a concurrent or an
 * orderly listener, start; messages of the queues assigned to this client are pulled (long polling) and handed to
 * the listener, and offsets are committed as they are consumed — to the brokers in clustering mode, to a local file
 * in broadcasting mode. Delivery is at least once.
 *
 * ```ts
 * const consumer = new PushConsumer({ consumerGroup: 'cg', namesrvAddr: '127.0.0.1:9876' });
 * consumer.subscribe('TopicTest', 'TagA || TagB');
 * consumer.registerMessageListener(async (msgs) => {
 *   for (const m of msgs) handle(m.body);
 *   return 'CONSUME_SUCCESS';
 * });
 * await consumer.start();
 * // …
 * await consumer.shutdown();
 * ```
 */
export class PushConsumer {
  /** The resolved options. */
  readonly config: Readonly<PushConsumerConfig>;
  private readonly logger: Logger;
  private readonly subscriptions = new Map<string, SubscriptionData>();
  private listener: MessageListener | undefined;
  private stateValue: PushConsumerState = 'CREATE_JUST';
  private running: ConsumerParts | undefined;
  private startTimestamp = 0;
  private starting: Promise<void> | undefined;

  /**
   * Resolves and validates the options (defaults and ranges of Java's DefaultMQPushConsumer).
   * @throws ConfigError naming the option (see resolvePushConsumerConfig), or when both listener kinds are given.
   */
  constructor(init: PushConsumerInit) {
    const { messageListener, messageListenerOrderly, ...options } = init;
    this.config = resolvePushConsumerConfig(options);
    this.logger = this.config.logger.child({ consumerGroup: this.config.consumerGroup });
    if (messageListener !== undefined && messageListenerOrderly !== undefined) {
      throw new ConfigError(
        'messageListener',
        'both',
        'give messageListener (concurrent) or messageListenerOrderly, not both',
      );
    }
    if (messageListener !== undefined) this.registerMessageListener(messageListener);
    if (messageListenerOrderly !== undefined)
      this.registerMessageListenerOrderly(messageListenerOrderly);
  }

  /** The consumer group. */
  get consumerGroup(): string {
    return this.config.consumerGroup;
  }

  /** Lifecycle state (Java `ServiceState`). */
  get state(): PushConsumerState {
    return this.stateValue;
  }

  /** The client id, once started (`clientIP@instanceName`). */
  get clientId(): string | undefined {
    return this.running?.instance.clientId;
  }

  /**
   * Subscribes to a topic (Java `subscribe(topic, subExpression)` / `subscribe(topic, MessageSelector)`): a tag
   * expression (`*` for every message, or tags joined by `||`) or a {@link MessageSelector}
   * (`MessageSelector.bySql("a BETWEEN 3 AND 6")` filters on message properties; the brokers need
   * `enablePropertyFilter=true`, and start() asks them to validate the expression). Subscribing again replaces the
   * expression. After start() the new subscription is sent to the brokers and the queues are re-assigned in the
   * background.
   * @throws MQClientError for an invalid topic name or a blank SQL92 expression; RocketMQError
   *   (SUBSCRIPTION_PARSE_FAILED) for a tag expression made only of `||`.
   */
  subscribe(topic: string, selector: string | MessageSelector = '*'): void {
    checkTopic(topic);
    this.subscriptions.set(topic, buildSubscriptionFromSelector(topic, selector));
    if (this.stateValue === 'RUNNING') this.afterSubscriptionChange(topic);
  }

  /** Stops consuming a topic (its queues are released at the next rebalance). */
  unsubscribe(topic: string): void {
    if (!this.subscriptions.delete(topic)) return;
    if (this.stateValue === 'RUNNING') this.afterSubscriptionChange();
  }

  /**
   * Sets a concurrent listener (replacing any listener registered before start()).
   * @throws MQClientError after start().
   */
  registerMessageListener(listener: MessageListenerConcurrently): void {
    this.setListener({ kind: 'concurrently', listener });
  }

  /**
   * Sets an orderly listener (replacing any listener registered before start()).
   * @throws MQClientError after start().
   */
  registerMessageListenerOrderly(listener: MessageListenerOrderly): void {
    this.setListener({ kind: 'orderly', listener });
  }

  /** The queues currently assigned to this consumer (retry queues included), sorted. */
  assignedQueues(): MessageQueue[] {
    return this.running?.rebalancer.assignedQueues() ?? [];
  }

  /**
   * Starts consuming: registers with the shared client instance, fetches the subscribed topics' routes, sends a
   * heartbeat to their brokers and runs the first queue assignment (resolves once it is done; queues are re-assigned
   * every 20 s and when the group's membership changes).
   * @throws MQClientError when started before, when no listener is registered, or when another consumer of the
   *   same group runs in this process with the same client id; MQClientError naming the file when the broadcasting
   *   offset file is unreadable; MQClientError naming the expression when a broker refuses an SQL92 subscription
   *   (malformed expression, or `enablePropertyFilter` off), with the broker's response code.
   */
  start(): Promise<void> {
    if (this.stateValue !== 'CREATE_JUST') {
      return Promise.reject(
        new MQClientError(
          `the push consumer ${this.consumerGroup} cannot start: it is ${this.stateValue} (a consumer starts once)`,
        ),
      );
    }
    this.starting = this.doStart();
    return this.starting;
  }

  private async doStart(): Promise<void> {
    const listener = this.listener;
    if (listener === undefined) {
      throw new MQClientError(
        `the push consumer ${this.consumerGroup} has no listener: call registerMessageListener or registerMessageListenerOrderly before start()`,
      );
    }
    this.stateValue = 'STARTING';
    const config = this.config;
    const clustering = config.messageModel === 'CLUSTERING';
    if (clustering) {
      const retryTopic = retryTopicOf(config.consumerGroup);
      this.subscriptions.set(retryTopic, buildSubscriptionData(retryTopic, '*'));
    }
    let localStore: LocalFileOffsetStore | undefined;
    if (!clustering) {
      localStore = new LocalFileOffsetStore({
        offsetStoreDir: config.offsetStoreDir,
        clientId: buildClientId(config),
        group: config.consumerGroup,
        logger: this.logger,
      });
      try {
        await localStore.load();
      } catch (error) {
        this.stateValue = 'START_FAILED';
        throw error;
      }
    }
    const instance = MQClientInstance.acquire(config);
    const member = this.member();
    let registered = false;
    const timers = new ConsumerTimers();
    try {
      const offsetStore: OffsetStore =
        localStore ??
        new RemoteBrokerOffsetStore(instance, { group: config.consumerGroup, logger: this.logger });
      const parts = createConsumerParts({
        config,
        instance,
        listener,
        offsetStore,
        timers,
        subscriptions: this.subscriptions,
        logger: this.logger,
        isStopping: () => this.stateValue !== 'RUNNING' && this.stateValue !== 'STARTING',
      });
      const { service, rebalancer } = parts;
      this.running = parts;
      instance.registerConsumer(member);
      registered = true;
      service.start();
      instance.start();
      for (const topic of this.subscriptions.keys()) await this.refreshSubscribeInfo(topic);
      await checkClientInBroker({
        instance,
        group: config.consumerGroup,
        subscriptions: this.subscriptions.values(),
      });
      await instance.sendHeartbeatToAllBrokers();
      // The first heartbeat makes the brokers create `%RETRY%<group>`; its route can be read now.
      for (const topic of this.subscriptions.keys()) {
        if (!rebalancer.topicSubscribeInfo.has(topic)) await this.refreshSubscribeInfo(topic);
      }
      this.startTimestamp = Date.now();
      this.stateValue = 'RUNNING';
      this.logger.info('push consumer started', {
        clientId: instance.clientId,
        messageModel: config.messageModel,
        orderly: service.orderly,
        topics: [...this.subscriptions.keys()],
      });
    } catch (error) {
      this.stateValue = 'START_FAILED';
      timers.stop();
      this.running = undefined;
      // Not registered: registerConsumer refused a second consumer of the group, which keeps the instance.
      if (registered) await instance.unregister('consumer', config.consumerGroup);
      throw error;
    }
    await this.running.rebalancer.rebalance().catch((error: unknown) => {
      this.logger.warn('first rebalance failed; retried every 20 s', { error: String(error) });
    });
  }

  /**
   * Stops consuming (Java `shutdown`): no more pulls or new listener calls; waits up to
   * `awaitTerminationMillisWhenShutdown` for the listener calls in flight, commits every held queue's offset (awaited),
   * releases orderly locks, unregisters from the brokers and, when it was the last client of the instance, closes
   * its connections. Idempotent.
   */
  async shutdown(): Promise<void> {
    if (this.stateValue === 'STARTING') await this.starting?.catch(() => undefined);
    const running = this.running;
    if (this.stateValue !== 'RUNNING' || running === undefined) {
      if (this.stateValue === 'CREATE_JUST' || this.stateValue === 'START_FAILED') {
        this.stateValue = 'SHUTDOWN_ALREADY';
      }
      return;
    }
    this.stateValue = 'STOPPING';
    const { instance, offsetStore, slots, timers, service, rebalancer } = running;
    const budgetMs = this.config.awaitTerminationMillisWhenShutdown;
    timers.stop();
    service.shutdown();
    if (!(await slots.shutdown(budgetMs))) {
      this.logger.warn('listener calls still running at shutdown; their results are ignored', {
        waitedMs: budgetMs,
      });
    }
    // A rebalance in progress finishes first (bounded: a hung orderly listener can hold a queue restart).
    await withDeadline(
      rebalancer.exclusive(() => Promise.resolve()),
      Math.max(budgetMs, this.config.mqClientApiTimeout),
    );
    const mqs = rebalancer.assignedQueues();
    for (const entry of rebalancer.processQueueTable.values()) entry.pq.dropped = true;
    await offsetStore.persistAll(mqs, { awaitResponse: true });
    await withDeadline(rebalancer.settleReleases(), budgetMs);
    if (service.orderly && this.config.messageModel === 'CLUSTERING')
      await rebalancer.locks.unlock(mqs);
    rebalancer.processQueueTable.clear();
    await instance.unregister('consumer', this.consumerGroup);
    this.stateValue = 'SHUTDOWN_ALREADY';
    this.logger.info('push consumer stopped', { clientId: instance.clientId });
  }

  private setListener(listener: MessageListener): void {
    if (this.stateValue !== 'CREATE_JUST') {
      throw new MQClientError(
        `the push consumer ${this.consumerGroup} is ${this.stateValue}: register the listener before start()`,
      );
    }
    this.listener = listener;
  }

  private async refreshSubscribeInfo(topic: string): Promise<void> {
    const running = this.running;
    if (running === undefined) return;
    try {
      const route = await running.instance.updateRoute(topic);
      if (route !== undefined) {
        running.rebalancer.topicSubscribeInfo.set(topic, topicRouteToSubscribeInfo(topic, route));
      }
    } catch (error) {
      this.logger.warn('route fetch failed', { topic, error: String(error) });
    }
  }

  private afterSubscriptionChange(topic?: string): void {
    const running = this.running;
    if (running === undefined) return;
    void (async () => {
      if (topic !== undefined) await this.refreshSubscribeInfo(topic);
      await running.instance.sendHeartbeatToAllBrokers();
      await running.rebalancer.rebalance();
    })().catch((error: unknown) => {
      this.logger.warn('applying a subscription change failed', { error: String(error) });
    });
  }

  private entries(): QueueEntry[] {
    return [...(this.running?.rebalancer.processQueueTable.values() ?? [])];
  }

  /** The face this consumer shows the client instance. */
  private member(): ConsumerMember {
    return {
      groupName: this.config.consumerGroup,
      consumerData: (): ConsumerData => ({
        groupName: this.config.consumerGroup,
        consumeType: 'CONSUME_PASSIVELY',
        messageModel: this.config.messageModel,
        consumeFromWhere: this.config.consumeFromWhere,
        subscriptionDataSet: [...this.subscriptions.values()],
        unitMode: false,
      }),
      subscribedTopics: () => [...this.subscriptions.keys()],
      onSubscribeInfoChanged: (topic, queues) => {
        const running = this.running;
        if (running === undefined) return;
        const previous = running.rebalancer.topicSubscribeInfo.get(topic);
        running.rebalancer.topicSubscribeInfo.set(topic, queues);
        // Unlike Java (which waits for the 20 s timer), re-assign at once when a topic's queues appear or change:
        // a new retry topic is then consumed within a route poll of its creation.
        const key = (mqs: readonly MessageQueue[]): string => mqs.map(messageQueueKey).join('|');
        if (
          this.stateValue === 'RUNNING' &&
          (previous === undefined || key(previous) !== key(queues))
        ) {
          running.rebalancer.rebalance().catch((error: unknown) => {
            this.logger.warn('rebalance after a route change failed', {
              topic,
              error: String(error),
            });
          });
        }
      },
      rebalance: async () => {
        if (this.stateValue === 'RUNNING') await this.running?.rebalancer.rebalance();
      },
      persistOffsets: async () => {
        const running = this.running;
        if (this.stateValue !== 'RUNNING' || running === undefined) return;
        await running.offsetStore.persistAll(running.rebalancer.assignedQueues());
      },
      handleBrokerRequest: async (request) => {
        const running = this.running;
        if (this.stateValue !== 'RUNNING' || running === undefined) {
          return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, {
            remark: `the push consumer ${this.consumerGroup} is ${this.stateValue}`,
          });
        }
        return handleConsumerBrokerRequest(
          {
            runtime: running.runtime,
            service: running.service,
            entries: () => this.entries(),
            startTimestamp: this.startTimestamp,
            restartQueue: (mq, offset) => running.rebalancer.restartQueue(mq, offset),
          },
          request,
        );
      },
    };
  }
}

async function withDeadline(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}
