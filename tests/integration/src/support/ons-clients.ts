/**
 * Starts real ali-ons producers and consumers against a test cluster with short timers, records what the consumers
 * receive, and closes everything (the process-wide inner producer included) in `closeAll()`.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { format } from 'node:util';
import { Consumer, Producer } from 'ali-ons';
import type {
  ConsumeFromWhere,
  ConsumerOptions,
  Message,
  OnsLogger,
  ProducerOptions,
} from 'ali-ons';

/** Deadline for an ali-ons `ready()` or `close()`, in milliseconds. */
export const ONS_LIFECYCLE_TIMEOUT_MS = 15_000;

/**
 * ali-ons timers shortened so that rebalance (it never answers NOTIFY_CONSUMER_IDS_CHANGED and rebalances on a
 * timer only), route refresh, heartbeats and offset commits happen within about a second.
 */
export const FAST_ONS_TIMERS = {
  pollNameServerInteval: 1000,
  heartbeatBrokerInterval: 1000,
  persistConsumerOffsetInterval: 500,
  rebalanceInterval: 1000,
  /**
   * Long-poll hold asked of the broker (ali-ons default 15 000). A parked pull that misses its wake-up answers only
   * after this: the broker's PullMessageProcessor looks up, awaits the carried offset commit, then parks, and nothing
   * re-checks the queue, so a message landing in between waits for the hold to end.
   */
  brokerSuspendMaxTimeMillis: 5000,
} as const;

/** What a consumer's handler saw, one entry per handler call. */
export interface Delivery {
  /** The `instanceName` of the consumer that handled it. */
  readonly consumer: string;
  /** The topic as ali-ons hands it to the handler (the original topic, also for re-deliveries). */
  readonly topic: string;
  readonly msgId: string;
  readonly tags: string | null;
  readonly keys: string | undefined;
  readonly body: string;
  readonly queueId: number;
  readonly queueOffset: number;
  readonly reconsumeTimes: number;
  readonly originMessageId: string | undefined;
}

/** Options of {@link OnsClients.startConsumer}. */
export interface StartConsumerOptions {
  /** Also the client id's instance name; consumers with different names are distinct group members. */
  readonly instanceName: string;
  readonly consumerGroup: string;
  readonly topic: string;
  /** `*` or `TagA || TagB`. */
  readonly subExpression: string;
  /** Default CONSUME_FROM_FIRST_OFFSET. */
  readonly consumeFromWhere?: ConsumeFromWhere;
  /** BROADCASTING when true. Default false. */
  readonly isBroadcast?: boolean;
  /** Called before the delivery is recorded; a throw makes ali-ons retry the message. */
  readonly beforeAck?: (message: Message) => void | Promise<void>;
}

/** A started consumer and the deliveries its handler acknowledged, in order. */
export interface StartedConsumer {
  readonly consumer: Consumer;
  readonly deliveries: Delivery[];
  /** Deliveries whose handler threw (so ali-ons will retry them). */
  readonly failures: Delivery[];
}

// ali-ons looks name servers up over HTTP only when `nameSrv` is missing; it is always given here.
const NO_HTTP = {
  request: (url: string): Promise<never> =>
    Promise.reject(new Error(`unexpected HTTP lookup of ${url}`)),
};

const MAX_KEPT_LINES = 5000;

/** Starts and tracks ali-ons clients for one test cluster. */
export class OnsClients {
  /** ali-ons log lines (`info`, `warn`, `error`; printf-formatted) and `error` events, newest last, bounded. */
  readonly log: string[] = [];
  private readonly producers: Producer[] = [];
  private readonly consumers: Consumer[] = [];
  private readonly logger: OnsLogger;

  constructor(private readonly namesrvAddr: string) {
    const keep = (level: string, args: unknown[]): void => {
      this.log.push(`${level} ${format(...args)}`);
      if (this.log.length > MAX_KEPT_LINES) this.log.shift();
    };
    this.logger = {
      info: (...args) => keep('info', args),
      debug: () => undefined,
      warn: (...args) => keep('warn', args),
      error: (...args) => keep('error', args),
    };
  }

  /** Whether ali-ons logged a line matching `pattern` (its log is the only view of some of its state). */
  logged(pattern: RegExp): boolean {
    return this.log.some((line) => pattern.test(line));
  }

  /** The last `lines` warn/error lines, for failure messages. */
  tail(lines = 20): string {
    return this.log
      .filter((line) => !line.startsWith('info '))
      .slice(-lines)
      .join('\n');
  }

  private common(instanceName: string): Omit<ProducerOptions, 'producerGroup'> {
    return {
      httpclient: NO_HTTP,
      nameSrv: this.namesrvAddr.split(';'),
      clientIP: '127.0.0.1',
      instanceName,
      logger: this.logger,
      pollNameServerInteval: FAST_ONS_TIMERS.pollNameServerInteval,
      heartbeatBrokerInterval: FAST_ONS_TIMERS.heartbeatBrokerInterval,
      persistConsumerOffsetInterval: FAST_ONS_TIMERS.persistConsumerOffsetInterval,
      rebalanceInterval: FAST_ONS_TIMERS.rebalanceInterval,
    };
  }

  /**
   * ali-ons creates one `CLIENT_INNER_PRODUCER` per process (the consumers' fallback for re-sending failed
   * messages) from the options of the first client started, and with that client's instance name it would share
   * that client's connections and re-emit its errors where nobody listens (sdk-base then prints them). Creating it
   * here first gives it its own client id, these name servers and a listener.
   */
  private async ensureInnerProducer(): Promise<void> {
    if (Producer.defaultProducer !== undefined) return;
    const inner = new Producer({ ...this.common('inner'), producerGroup: 'CLIENT_INNER_PRODUCER' });
    inner.on('error', (error) => this.logger.error('inner producer error event:', error));
    // Set before its init runs (next tick), which would otherwise create another one.
    Producer.defaultProducer = inner;
    await within(inner.ready(), 'the inner producer to start');
  }

  /** Starts a producer with its own client id. */
  async startProducer(options: {
    producerGroup: string;
    instanceName: string;
    sendMsgTimeout?: number;
  }): Promise<Producer> {
    await this.ensureInnerProducer();
    const producer = new Producer({ ...this.common(options.instanceName), ...options });
    producer.on('error', (error) => this.logger.error('producer error event:', error));
    this.producers.push(producer);
    await within(producer.ready(), `producer ${options.instanceName} to start`);
    return producer;
  }

  /** Starts a consumer subscribed to one topic; its handler records every delivery. */
  async startConsumer(options: StartConsumerOptions): Promise<StartedConsumer> {
    await this.ensureInnerProducer();
    const consumerOptions: ConsumerOptions = {
      ...this.common(options.instanceName),
      consumerGroup: options.consumerGroup,
      consumeFromWhere: options.consumeFromWhere ?? 'CONSUME_FROM_FIRST_OFFSET',
      isBroadcast: options.isBroadcast ?? false,
      pullTimeDelayMillsWhenException: 200,
      brokerSuspendMaxTimeMillis: FAST_ONS_TIMERS.brokerSuspendMaxTimeMillis,
    };
    const consumer = new Consumer(consumerOptions);
    consumer.on('error', (error) => this.logger.error('consumer error event:', error));
    this.consumers.push(consumer);
    const started: StartedConsumer = { consumer, deliveries: [], failures: [] };
    // ali-ons insists on an async function (is-type-of asyncFunction).
    consumer.subscribe(options.topic, options.subExpression, async (message) => {
      const delivery = toDelivery(options.instanceName, message);
      try {
        await options.beforeAck?.(message);
      } catch (error) {
        started.failures.push(delivery);
        throw error;
      }
      started.deliveries.push(delivery);
    });
    await within(consumer.ready(), `consumer ${options.instanceName} to start`);
    return started;
  }

  /** Closes consumers, then producers, then ali-ons' process-wide inner producer; each bounded in time. */
  async closeAll(): Promise<void> {
    const failures: unknown[] = [];
    const closeEach = async (clients: (Producer | Consumer)[]): Promise<void> => {
      const results = await Promise.allSettled(
        clients.splice(0).map((c) => within(c.close(), 'an ali-ons client to close')),
      );
      for (const r of results) if (r.status === 'rejected') failures.push(r.reason);
    };
    await closeEach(this.consumers);
    await closeEach(this.producers);
    // Never closed by ali-ons: close it so that the next test (and cluster) gets a fresh one.
    const inner = Producer.defaultProducer;
    Producer.defaultProducer = undefined;
    if (inner !== undefined) await closeEach([inner]);
    if (failures.length > 0) throw failures[0];
  }
}

function toDelivery(consumer: string, message: Message): Delivery {
  return {
    consumer,
    topic: message.topic,
    msgId: message.msgId,
    tags: message.tags,
    keys: message.keys,
    body: message.body.toString('utf8'),
    queueId: message.queueId,
    queueOffset: message.queueOffset,
    reconsumeTimes: message.reconsumeTimes,
    originMessageId: message.originMessageId,
  };
}

/** Resolves with `promise`, or rejects once `ONS_LIFECYCLE_TIMEOUT_MS` passes (ali-ons has no timeout of its own here). */
async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      promise,
      delay(ONS_LIFECYCLE_TIMEOUT_MS, undefined, { signal: timer.signal }).then(() => {
        throw new Error(`timed out after ${ONS_LIFECYCLE_TIMEOUT_MS} ms waiting for ${what}`);
      }),
    ]);
  } finally {
    timer.abort();
  }
}
