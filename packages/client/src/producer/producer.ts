import { ResponseCode, createUniqIdGenerator } from '@rocketmq-ts/protocol';
import type { Logger, MessageQueue, TopicRouteData, UniqIdGenerator } from '@rocketmq-ts/protocol';
import { MQClientInstance } from '../client-instance.js';
import type { ProducerMember } from '../client-instance.js';
import { MQClientError } from '../errors.js';
import type { Message } from '../message/message.js';
import { topicRouteToPublishInfo } from '../route/topic-route-info.js';
import { FaultStrategy } from './fault-strategy.js';
import { MessageSender, checkQueueTopic, errorText } from './message-sender.js';
import type { SendBudget } from './message-sender.js';
import { prepareBatch, prepareMessage } from './outgoing-message.js';
import type { OutgoingMessage, PrepareOptions } from './outgoing-message.js';
import { resolveProducerConfig } from './producer-config.js';
import type { ProducerConfig, ProducerConfigInput } from './producer-config.js';
import { PublishQueues, publishQueuesFromDefaultTopic } from './publish-queues.js';
import type { MessageQueueSelector } from './queue-selectors.js';
import type { SendResult } from './send-result.js';

/** Options of one {@link Producer.send}. */
export interface SendOptions<TArg = unknown> {
  /**
   * Send to exactly this queue: one attempt, no retry on another queue (Java `send(msg, mq)`). Its topic must be
   * the message's. Takes precedence over `selector`.
   */
  queue?: MessageQueue;
  /**
   * Ordered send (Java `send(msg, selector, arg)`): `selector` picks the queue from the topic's writable queues;
   * one attempt, no retry on another queue, so messages with the same `arg` stay in order. See `selectByHash`.
   */
  selector?: MessageQueueSelector<TArg>;
  /** Passed to `selector`. */
  arg?: TArg;
  /** Budget of this send, retries included, ms. Default `sendMsgTimeout`. */
  timeoutMs?: number;
}

/** Options of one {@link Producer.sendOneway}. */
export type SendOnewayOptions<TArg = unknown> = Omit<SendOptions<TArg>, 'timeoutMs'>;

/** Options of one {@link Producer.sendBatch}. */
export type SendBatchOptions = Pick<SendOptions, 'queue' | 'timeoutMs'>;

type State = 'created' | 'running' | 'shutdown';

/** The options of a send given none: shared, so that a plain `send(message)` allocates no options object. */
const NO_OPTIONS: SendOptions = Object.freeze({});

let sharedIdGenerator: UniqIdGenerator | undefined;

/** One UNIQ_KEY generator per process, as Java keeps one static counter. */
function uniqIdGenerator(): UniqIdGenerator {
  sharedIdGenerator ??= createUniqIdGenerator();
  return sharedIdGenerator;
}

/**
 * A RocketMQ 4.x producer (Java `DefaultMQProducer`), promise-based. Sends share the client instance's one
 * connection per broker and are never serialized: many may be in flight at once.
 *
 * ```ts
 * const producer = new Producer({ producerGroup: 'pg', namesrvAddr: '127.0.0.1:9876' });
 * await producer.start();
 * const r = await producer.send({ topic: 'T', tags: 'TagA', keys: ['order-1'], body: 'hello' });
 * await producer.shutdown();
 * ```
 *
 * Errors: {@link MQClientError} for what the client refuses or cannot do (invalid message with code
 * MESSAGE_ILLEGAL, no route with TOPIC_NOT_EXIST, every attempt failed, not started); {@link MQBrokerError} when a
 * broker refuses a message with a code that is not worth retrying (or on a single-attempt send); the remoting
 * errors (RemotingTimeoutError, RemotingConnectError, ConnectionClosedError) from single-attempt sends.
 */
export class Producer {
  /** The resolved options. */
  readonly config: Readonly<ProducerConfig>;
  private readonly logger: Logger;
  private readonly sender: MessageSender;
  private readonly prepareOptions: PrepareOptions;
  /** topic → its writable queues, from its route or (while it has none) the template topic's. */
  private readonly publishTable = new Map<string, PublishQueues>();
  /** topic → the route lookup under way, shared by concurrent first sends. */
  private readonly routeLookups = new Map<string, Promise<PublishQueues>>();
  private readonly member: ProducerMember;
  private instance: MQClientInstance | undefined;
  private state: State = 'created';

  /**
   * @throws ConfigError naming the option when an option is invalid (see `resolveProducerConfig`).
   */
  constructor(options: ProducerConfigInput) {
    this.config = resolveProducerConfig(options);
    this.logger = this.config.logger.child({ producerGroup: this.config.producerGroup });
    this.sender = new MessageSender({
      config: this.config,
      logger: this.logger,
      faultStrategy: new FaultStrategy({
        sendLatencyFaultEnable: this.config.sendLatencyFaultEnable,
      }),
      publishQueuesOf: (instance, topic) => this.publishQueuesOf(instance, topic),
    });
    const generator = uniqIdGenerator();
    this.prepareOptions = {
      maxMessageSize: this.config.maxMessageSize,
      compressMsgBodyOverHowmuch: this.config.compressMsgBodyOverHowmuch,
      nextMsgId: () => generator.next(),
    };
    this.member = {
      groupName: this.config.producerGroup,
      publishTopics: () => [...this.publishTable.keys()],
      onRouteChanged: (topic, route) => this.onRouteChanged(topic, route),
    };
  }

  /**
   * Joins the process's client instance for this client id (starting its route refresh and heartbeat timers) and
   * sends a first heartbeat. Call once.
   *
   * @throws MQClientError when already started or shut down, or when this group already runs in this process
   *   under the same client id (use another `instanceName`).
   */
  async start(): Promise<void> {
    if (this.state !== 'created') {
      throw new MQClientError(
        `producer ${this.config.producerGroup} is ${this.state === 'running' ? 'already running' : 'shut down'}; create a new Producer`,
      );
    }
    const instance = MQClientInstance.acquire(this.config);
    instance.registerProducer(this.member);
    this.instance = instance;
    this.state = 'running';
    instance.start();
    await instance.sendHeartbeatToAllBrokers();
    this.logger.info('producer started', { clientId: instance.clientId });
  }

  /**
   * Leaves the client instance (unregistering the group from the brokers; the instance closes its connections
   * when no member is left). Sends still in flight may fail. Idempotent.
   */
  async shutdown(): Promise<void> {
    const instance = this.instance;
    const wasRunning = this.state === 'running';
    this.state = 'shutdown';
    this.instance = undefined;
    if (!wasRunning || instance === undefined) return;
    this.publishTable.clear();
    await instance.unregister('producer', this.config.producerGroup);
    this.logger.info('producer shut down');
  }

  /**
   * Sends one message and resolves once the broker answered (Java sync `send`). Without `queue` or `selector`:
   * round-robin over the topic's writable queues, with up to `retryTimesWhenSendFailed` more attempts within the
   * time budget on transport failures and retriable broker codes, each avoiding the broker that just failed.
   *
   * @returns the result; `sendStatus` other than SEND_OK means stored but not flushed/replicated in time.
   * @throws MQClientError (MESSAGE_ILLEGAL) for an invalid message (topic, empty or oversized body, reserved
   *   property, …) before anything is sent; MQClientError (TOPIC_NOT_EXIST) when neither the topic nor the
   *   template topic has a route; MQClientError when every attempt failed or the budget ran out (`cause`: the
   *   last failure); MQBrokerError for a non-retriable broker refusal.
   */
  send<TArg = unknown>(
    message: Message,
    options: SendOptions<TArg> = NO_OPTIONS as SendOptions<TArg>,
  ): Promise<SendResult> {
    // Not async: the common send hands back the sender's promise instead of wrapping it in one more; whatever
    // throws before it still reaches the caller as a rejection.
    try {
      const instance = this.running();
      const begin = performance.now();
      const out = prepareMessage(message, this.prepareOptions);
      const timeoutMs = this.timeoutOf(options.timeoutMs);
      const budget: SendBudget = { instance, out, timeoutMs, begin };
      if (options.queue !== undefined) return this.sender.sendToQueue(budget, options.queue);
      if (options.selector !== undefined) return this.sendSelected(budget, message, options);
      return this.sender.sendSync(budget);
    } catch (error: unknown) {
      // Passed on as thrown, as an async function would; what throws here throws MQClientError.
      const reason = error as Error;
      return Promise.reject(reason);
    }
  }

  /** {@link send} with a selector: the queue it picks, one attempt. */
  private async sendSelected<TArg>(
    budget: SendBudget,
    message: Message,
    options: SendOptions<TArg>,
  ): Promise<SendResult> {
    const selector = options.selector as MessageQueueSelector<TArg>;
    const mq = await this.selectQueue(budget.out.topic, (queues) =>
      selector(queues, message, options.arg as TArg),
    );
    return this.sender.sendToQueue(budget, mq);
  }

  /**
   * Sends one message without waiting for the broker (Java `sendOneway`): one attempt; resolves once the request
   * is written. Nothing tells whether the broker stored it.
   *
   * @throws MQClientError for an invalid message, no route, or when the request cannot be written; with `queue`
   *   or `selector`, the remoting error itself (RemotingConnectError, ConnectionClosedError).
   */
  async sendOneway<TArg = unknown>(
    message: Message,
    options: SendOnewayOptions<TArg> = {},
  ): Promise<void> {
    const instance = this.running();
    const begin = performance.now();
    const out = prepareMessage(message, this.prepareOptions);
    const timeoutMs = this.config.sendMsgTimeout;
    let mq = options.queue;
    const selector = options.selector;
    if (mq === undefined && selector !== undefined) {
      mq = await this.selectQueue(out.topic, (queues) =>
        selector(queues, message, options.arg as TArg),
      );
    }
    if (mq !== undefined) {
      checkQueueTopic(mq, out.topic);
      await this.sender.sendKernelOneway(instance, out, mq);
      return;
    }
    await this.sender.sendWithRetries({ instance, out, timeoutMs, begin }, true);
  }

  /**
   * Sends messages of one topic as one SEND_BATCH_MESSAGE (Java `send(Collection<Message>)`): stored
   * consecutively in one queue, each with its own UNIQ_KEY. Same retries as {@link send}; never compressed.
   *
   * @returns one result: `msgId` the UNIQ_KEYs joined with `,`, `offsetMsgId` the broker's ids joined with `,`,
   *   `queueOffset` the first message's.
   * @throws MQClientError (MESSAGE_ILLEGAL) for an empty batch, mixed topics or `waitStoreMsgOK`, a delayed
   *   message, a retry topic, or a batch body over `maxMessageSize`; otherwise as {@link send}.
   */
  async sendBatch(
    messages: readonly Message[],
    options: SendBatchOptions = {},
  ): Promise<SendResult> {
    const instance = this.running();
    const begin = performance.now();
    const out = prepareBatch(messages, this.prepareOptions);
    const timeoutMs = this.timeoutOf(options.timeoutMs);
    const budget: SendBudget = { instance, out, timeoutMs, begin };
    if (options.queue !== undefined) return this.sender.sendToQueue(budget, options.queue);
    return this.sender.sendSync(budget);
  }

  /**
   * The writable queues of a topic (Java `fetchPublishMessageQueues`), from its route or, while it has none, the
   * template topic's.
   *
   * @throws MQClientError (TOPIC_NOT_EXIST) when neither has a route.
   */
  async fetchPublishMessageQueues(topic: string): Promise<MessageQueue[]> {
    const instance = this.running();
    const queues = await this.publishQueuesOf(instance, topic);
    return [...queues.messageQueues];
  }

  private running(): MQClientInstance {
    if (this.state !== 'running' || this.instance === undefined) {
      throw new MQClientError(
        `producer ${this.config.producerGroup} is ${this.state === 'created' ? 'not started; call start() first' : 'shut down'}`,
      );
    }
    return this.instance;
  }

  private timeoutOf(timeoutMs: number | undefined): number {
    if (timeoutMs === undefined) return this.config.sendMsgTimeout;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new MQClientError(`timeoutMs ${timeoutMs} must be a positive number of ms`);
    }
    return timeoutMs;
  }

  private onRouteChanged(topic: string, route: TopicRouteData): void {
    this.publishTable.set(topic, new PublishQueues(topicRouteToPublishInfo(topic, route)));
  }

  /**
   * The publish queues of a topic, looked up once for concurrent callers (Java `tryToFindTopicPublishInfo`):
   * the known queues themselves, a promise only while they are being looked up.
   */
  private publishQueuesOf(
    instance: MQClientInstance,
    topic: string,
  ): PublishQueues | Promise<PublishQueues> {
    const known = this.publishTable.get(topic);
    if (known?.ok === true) return known;
    let lookup = this.routeLookups.get(topic);
    if (lookup === undefined) {
      lookup = this.lookupPublishQueues(instance, topic, known !== undefined).finally(() => {
        this.routeLookups.delete(topic);
      });
      this.routeLookups.set(topic, lookup);
    }
    return lookup;
  }

  private async lookupPublishQueues(
    instance: MQClientInstance,
    topic: string,
    refresh: boolean,
  ): Promise<PublishQueues> {
    const route = refresh ? await instance.updateRoute(topic) : await instance.routeOf(topic);
    if (route !== undefined) {
      const queues = new PublishQueues(topicRouteToPublishInfo(topic, route));
      this.publishTable.set(topic, queues);
      if (queues.ok) return queues;
      throw new MQClientError(
        `topic ${topic} has no writable queue on a broker with a live master — check its perm and write queue nums (mqadmin topicRoute -t ${topic})`,
        ResponseCode.NO_PERMISSION,
      );
    }
    // Java: no route yet, so use the template topic's; a broker with autoCreateTopicEnable creates the topic.
    const defaultRoute = await instance.updateRoute(this.config.createTopicKey);
    if (defaultRoute !== undefined) {
      const queues = publishQueuesFromDefaultTopic({
        topic,
        defaultRoute,
        defaultTopicQueueNums: this.config.defaultTopicQueueNums,
      });
      if (queues.ok) {
        this.publishTable.set(topic, queues);
        return queues;
      }
    }
    throw new MQClientError(
      `No route info of this topic: ${topic} — create it with mqadmin updateTopic or enable autoCreateTopicEnable`,
      ResponseCode.TOPIC_NOT_EXIST,
    );
  }

  /** Runs a selector over a copy of a topic's writable queues (Java `sendSelectImpl`). */
  private async selectQueue(
    topic: string,
    select: (queues: MessageQueue[]) => MessageQueue,
  ): Promise<MessageQueue> {
    const queues = await this.publishQueuesOf(this.running(), topic);
    let mq: MessageQueue;
    try {
      mq = select([...queues.messageQueues]);
    } catch (cause) {
      throw new MQClientError(`the message queue selector threw: ${errorText(cause)}`, undefined, {
        cause,
      });
    }
    if (mq === undefined || mq === null || typeof mq !== 'object') {
      throw new MQClientError(`the message queue selector returned no queue for topic ${topic}`);
    }
    return mq;
  }

  /**
   * Sends a message its caller built from this producer's prepare options (TransactionProducer's half message,
   * which carries properties a user message may not): same queue selection, retries and budget as {@link send}.
   *
   * @throws MQClientError when not started; otherwise as {@link send}.
   */
  protected async sendPrepared(
    build: (prepareOptions: PrepareOptions) => OutgoingMessage,
  ): Promise<SendResult> {
    const instance = this.running();
    const begin = performance.now();
    const out = build(this.prepareOptions);
    return this.sender.sendSync({ instance, out, timeoutMs: this.config.sendMsgTimeout, begin });
  }
}
