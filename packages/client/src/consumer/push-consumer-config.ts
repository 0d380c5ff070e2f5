import { ConfigError } from '@rocketmq-ts/protocol';
import type { ClientConfig, ClientConfigInput } from '../config.js';
import type { AllocateMessageQueueStrategy } from './allocate-strategies.js';
import { resolveConsumerConfig } from './consumer-config.js';
import type { ConsumeFromWhere, IntegerRange, MessageModel } from './consumer-config.js';

/*
 * Push consumer options (Java `DefaultMQPushConsumer`, mqadmin-and-config.md §3.4). Names, defaults and the ranges
 * checked at start are RocketMQ 4.9.8's (`DefaultMQPushConsumerImpl.checkConfig`, `Validators.checkGroup`).
 * Deliberate differences:
 * - `consumeThreadMax` is the number of listener calls in flight (Java's pool never grows past `consumeThreadMin`
 *   because its queue is unbounded; both default to 20).
 * - `consumeTimestamp` must be a real date: Java's lenient SimpleDateFormat accepts month 13 and rolls it over.
 * - `awaitTerminationMillisWhenShutdown` defaults to 10 000 ms (Java 0): shutdown() waits that long for listener
 *   calls in flight so their offsets are committed.
 * - `offsetStoreDir` replaces the JVM property `rocketmq.client.localOffsetStoreDir`.
 * - Not supported: pullThresholdForTopic / pullThresholdSizeForTopic, postSubscriptionWhenPull (the subscription is
 *   always sent with each pull, as ali-ons does), namespaces, unitMode, message tracing.
 */

/** `CLUSTERING`: the group shares the queues. `BROADCASTING`: every member consumes every queue. */
export type PushMessageModel = MessageModel;

/** Where a group with no committed offset on a queue starts. */
export type PushConsumeFromWhere = ConsumeFromWhere;

/** Options of a push consumer on top of the {@link ClientConfig} ones. */
export interface PushConsumerOptions {
  /** Consumer group: 1–255 characters of `[%|a-zA-Z0-9_-]`, not `DEFAULT_CONSUMER`. Required. */
  consumerGroup: string;
  /** Default `CLUSTERING`. */
  messageModel: PushMessageModel;
  /** Default `CONSUME_FROM_LAST_OFFSET`. Only used for queues where the group has no offset yet. */
  consumeFromWhere: PushConsumeFromWhere;
  /** For CONSUME_FROM_TIMESTAMP: local time `yyyyMMddHHmmss`. Default 30 minutes before the consumer was built. */
  consumeTimestamp: string;
  /** Default {@link AllocateMessageQueueAveragely}. */
  allocateMessageQueueStrategy: AllocateMessageQueueStrategy;
  /** 1–1000, ≤ consumeThreadMax. Default 20. Kept for compatibility; see consumeThreadMax. */
  consumeThreadMin: number;
  /** Most listener calls in flight at once, over all queues; 1–1000. Default 20. */
  consumeThreadMax: number;
  /** Most messages per listener call; 1–1024. Default 1. */
  consumeMessageBatchMaxSize: number;
  /** Most messages per pull request; 1–1024. Default 32. */
  pullBatchSize: number;
  /** Pause between two pulls of one queue, ms; 0–65535. Default 0. */
  pullInterval: number;
  /** Cached messages per queue above which its pulls pause; 1–65535. Default 1000. */
  pullThresholdForQueue: number;
  /** Cached body bytes per queue, in MiB, above which its pulls pause; 1–1024. Default 100. */
  pullThresholdSizeForQueue: number;
  /** Concurrent listener: pause pulls when a queue's cache spans more offsets than this; 1–65535. Default 2000. */
  consumeConcurrentlyMaxSpan: number;
  /**
   * Deliveries before a message goes to `%DLQ%<group>`. Default −1: 16 for a concurrent listener, unlimited for
   * an orderly one.
   */
  maxReconsumeTimes: number;
  /** A message in a concurrent listener longer than this, in minutes, is sent back for retry. Default 15. */
  consumeTimeout: number;
  /** Orderly listener: pause of a queue after SUSPEND_CURRENT_QUEUE_A_MOMENT, ms (10–30 000 used). Default 1000. */
  suspendCurrentQueueTimeMillis: number;
  /** How long shutdown() waits for listener calls in flight, ms. Default 10 000. */
  awaitTerminationMillisWhenShutdown: number;
  /**
   * BROADCASTING only: root folder of the local offset files, `<offsetStoreDir>/<clientId>/<group>/offsets.json`.
   * Default `~/.rocketmq_offsets`.
   */
  offsetStoreDir: string;
}

/** Every resolved push consumer option, client options included. */
export type PushConsumerConfig = ClientConfig & PushConsumerOptions;

/** Input of {@link resolvePushConsumerConfig}: `consumerGroup` is required, everything else optional. */
export type PushConsumerConfigInput = ClientConfigInput &
  Partial<PushConsumerOptions> & { consumerGroup: string };

/** Java's push consumer defaults (those that do not depend on the time or the environment). */
export const PUSH_CONSUMER_DEFAULTS = {
  messageModel: 'CLUSTERING',
  consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
  consumeThreadMin: 20,
  consumeThreadMax: 20,
  consumeMessageBatchMaxSize: 1,
  pullBatchSize: 32,
  pullInterval: 0,
  pullThresholdForQueue: 1000,
  pullThresholdSizeForQueue: 100,
  consumeConcurrentlyMaxSpan: 2000,
  maxReconsumeTimes: -1,
  consumeTimeout: 15,
  suspendCurrentQueueTimeMillis: 1000,
  awaitTerminationMillisWhenShutdown: 10_000,
} as const satisfies Partial<PushConsumerOptions>;

const CONSUMER_KEYS = [
  'consumerGroup',
  'messageModel',
  'consumeFromWhere',
  'consumeTimestamp',
  'allocateMessageQueueStrategy',
  'consumeThreadMin',
  'consumeThreadMax',
  'consumeMessageBatchMaxSize',
  'pullBatchSize',
  'pullInterval',
  'pullThresholdForQueue',
  'pullThresholdSizeForQueue',
  'consumeConcurrentlyMaxSpan',
  'maxReconsumeTimes',
  'consumeTimeout',
  'suspendCurrentQueueTimeMillis',
  'awaitTerminationMillisWhenShutdown',
  'offsetStoreDir',
] as const satisfies readonly (keyof PushConsumerOptions)[];

/** Integer options and their Java ranges (inclusive). */
const RANGES: readonly IntegerRange<PushConsumerOptions>[] = [
  ['consumeThreadMin', 1, 1000],
  ['consumeThreadMax', 1, 1000],
  ['consumeConcurrentlyMaxSpan', 1, 65535],
  ['pullThresholdForQueue', 1, 65535],
  ['pullThresholdSizeForQueue', 1, 1024],
  ['pullInterval', 0, 65535],
  ['consumeMessageBatchMaxSize', 1, 1024],
  ['pullBatchSize', 1, 1024],
  ['maxReconsumeTimes', -1, 2_147_483_647],
  ['suspendCurrentQueueTimeMillis', 0, 2_147_483_647],
  ['awaitTerminationMillisWhenShutdown', 0, 2_147_483_647],
];

/**
 * Applies defaults, validates every option against Java's ranges and freezes. Unknown keys are warned about by
 * name through the logger.
 * @param now - the time the default `consumeTimestamp` is computed from (30 minutes before it), ms.
 * @throws ConfigError naming the option: a bad or reserved consumerGroup, an unknown messageModel or
 *   consumeFromWhere, a consumeTimestamp that is not a `yyyyMMddHHmmss` date, a strategy without allocate/getName,
 *   an integer outside its range, consumeThreadMin > consumeThreadMax, a non-positive consumeTimeout, and every
 *   error of resolveClientConfig.
 */
export function resolvePushConsumerConfig(
  input: PushConsumerConfigInput,
  now: number = Date.now(),
): Readonly<PushConsumerConfig> {
  return resolveConsumerConfig(
    input,
    {
      kind: 'push consumer',
      keys: CONSUMER_KEYS,
      defaults: PUSH_CONSUMER_DEFAULTS,
      ranges: RANGES,
      check: checkPushOptions,
    },
    now,
  );
}

/** Java `checkConfig`'s checks that only the push consumer has. */
function checkPushOptions(c: Readonly<PushConsumerOptions>): void {
  if (c.consumeThreadMin > c.consumeThreadMax) {
    throw new ConfigError(
      'consumeThreadMin',
      c.consumeThreadMin,
      `is larger than consumeThreadMax (${c.consumeThreadMax})`,
    );
  }
  if (!Number.isFinite(c.consumeTimeout) || c.consumeTimeout <= 0) {
    throw new ConfigError(
      'consumeTimeout',
      c.consumeTimeout,
      'must be a positive number of minutes',
    );
  }
}
