import { ConfigError } from '@rocketmq-ts/protocol';
import type { ClientConfig, ClientConfigInput } from '../config.js';
import type { AllocateMessageQueueStrategy } from '../consumer/allocate-strategies.js';
import { resolveConsumerConfig } from '../consumer/consumer-config.js';
import type { ConsumeFromWhere, IntegerRange, MessageModel } from '../consumer/consumer-config.js';

/*
 * Lite pull consumer options (Java `DefaultLitePullConsumer`, mqadmin-and-config.md §3.6). Names, defaults and the
 * checks at construction are RocketMQ 4.9.8's. Deliberate differences:
 * - No `pullThreadNums`: each owned queue has its own asynchronous pull loop.
 * - No `consumerPullTimeoutMillis`: every pull long-polls and waits `consumerTimeoutMillisWhenSuspend` (Java's
 *   value is only used for non-blocking pulls, which the lite consumer never makes).
 * - No topic-metadata listeners, so no `topicMetadataCheckIntervalMillis`.
 * - `offsetStoreDir` replaces the JVM property `rocketmq.client.localOffsetStoreDir` (BROADCASTING offsets).
 */

/** Options of a lite pull consumer on top of the {@link ClientConfig} ones. */
export interface LitePullConsumerOptions {
  /** Consumer group: 1–255 characters of `[%|a-zA-Z0-9_-]`, not `DEFAULT_CONSUMER`. Required. */
  consumerGroup: string;
  /** `CLUSTERING` (the group shares the queues) or `BROADCASTING`. Default `CLUSTERING`. */
  messageModel: MessageModel;
  /** Where a queue without a committed offset starts. Default `CONSUME_FROM_LAST_OFFSET`. */
  consumeFromWhere: ConsumeFromWhere;
  /** For CONSUME_FROM_TIMESTAMP: local time `yyyyMMddHHmmss`. Default 30 minutes before construction. */
  consumeTimestamp: string;
  /** Queue allocation in CLUSTERING subscribe mode. Default {@link AllocateMessageQueueAveragely}. */
  allocateMessageQueueStrategy: AllocateMessageQueueStrategy;
  /** Most messages per pull, and so per `poll()`; 1–1024. Default 10. */
  pullBatchSize: number;
  /** Default wait of `poll()`, ms. Default 5 000. */
  pollTimeoutMillis: number;
  /** Commit consumed offsets on `poll()` every autoCommitIntervalMillis, and on shutdown. Default true. */
  autoCommit: boolean;
  /** ms between automatic commits; at least 1 000. Default 5 000. */
  autoCommitIntervalMillis: number;
  /** Pulls pause while the batches waiting for `poll()` hold more than this many messages. Default 10 000. */
  pullThresholdForAll: number;
  /** A queue's pulls pause while it caches more than this many messages; 1–65535. Default 1 000. */
  pullThresholdForQueue: number;
  /** A queue's pulls pause while it caches more body bytes than this, in MiB; 1–1024. Default 100. */
  pullThresholdSizeForQueue: number;
  /** A queue's pulls pause while its cache spans more offsets than this; 1–65535. Default 2 000. */
  consumeMaxSpan: number;
  /** How long the broker may hold a pull that found nothing (long polling), ms. Default 20 000. */
  brokerSuspendMaxTimeMillis: number;
  /** How long a held pull is waited for, ms; not less than brokerSuspendMaxTimeMillis. Default 30 000. */
  consumerTimeoutMillisWhenSuspend: number;
  /** BROADCASTING: root folder of the local offset files. Default `~/.rocketmq_offsets`. */
  offsetStoreDir: string;
}

/** Every resolved lite pull consumer option, client options included. */
export type LitePullConsumerConfig = ClientConfig & LitePullConsumerOptions;

/** Input of {@link resolveLitePullConsumerConfig}: `consumerGroup` is required, everything else optional. */
export type LitePullConsumerConfigInput = ClientConfigInput &
  Partial<LitePullConsumerOptions> & { consumerGroup: string };

/** Java DefaultLitePullConsumer's defaults (those that do not depend on the time or the environment). */
export const LITE_PULL_CONSUMER_DEFAULTS = {
  messageModel: 'CLUSTERING',
  consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
  pullBatchSize: 10,
  pollTimeoutMillis: 5_000,
  autoCommit: true,
  autoCommitIntervalMillis: 5_000,
  pullThresholdForAll: 10_000,
  pullThresholdForQueue: 1_000,
  pullThresholdSizeForQueue: 100,
  consumeMaxSpan: 2_000,
  brokerSuspendMaxTimeMillis: 20_000,
  consumerTimeoutMillisWhenSuspend: 30_000,
} as const satisfies Partial<LitePullConsumerOptions>;

/** Java `DefaultLitePullConsumer.MIN_AUTOCOMMIT_INTERVAL_MILLIS`. */
export const MIN_AUTOCOMMIT_INTERVAL_MILLIS = 1_000;

const CONSUMER_KEYS = [
  'consumerGroup',
  'messageModel',
  'consumeFromWhere',
  'consumeTimestamp',
  'allocateMessageQueueStrategy',
  'pullBatchSize',
  'pollTimeoutMillis',
  'autoCommit',
  'autoCommitIntervalMillis',
  'pullThresholdForAll',
  'pullThresholdForQueue',
  'pullThresholdSizeForQueue',
  'consumeMaxSpan',
  'brokerSuspendMaxTimeMillis',
  'consumerTimeoutMillisWhenSuspend',
  'offsetStoreDir',
] as const satisfies readonly (keyof LitePullConsumerOptions)[];

const INT_MAX = 2_147_483_647;

/** Integer options and their ranges (inclusive). */
const RANGES: readonly IntegerRange<LitePullConsumerOptions>[] = [
  ['pullBatchSize', 1, 1024],
  ['pollTimeoutMillis', 0, INT_MAX],
  ['autoCommitIntervalMillis', MIN_AUTOCOMMIT_INTERVAL_MILLIS, INT_MAX],
  ['pullThresholdForAll', 1, INT_MAX],
  ['pullThresholdForQueue', 1, 65535],
  ['pullThresholdSizeForQueue', 1, 1024],
  ['consumeMaxSpan', 1, 65535],
  ['brokerSuspendMaxTimeMillis', 1, INT_MAX],
  ['consumerTimeoutMillisWhenSuspend', 1, INT_MAX],
];

/**
 * Applies defaults, validates and freezes. Unknown keys are warned about by name through the logger.
 * @param now - the time the default `consumeTimestamp` is computed from (30 minutes before it), ms.
 * @throws ConfigError naming the option: a bad or reserved consumerGroup, an unknown messageModel or
 *   consumeFromWhere, a consumeTimestamp that is not a `yyyyMMddHHmmss` date, a strategy without allocate/getName,
 *   an integer outside its range, consumerTimeoutMillisWhenSuspend < brokerSuspendMaxTimeMillis, and every error of
 *   resolveClientConfig.
 */
export function resolveLitePullConsumerConfig(
  input: LitePullConsumerConfigInput,
  now: number = Date.now(),
): Readonly<LitePullConsumerConfig> {
  return resolveConsumerConfig(
    input,
    {
      kind: 'lite pull consumer',
      keys: CONSUMER_KEYS,
      defaults: LITE_PULL_CONSUMER_DEFAULTS,
      ranges: RANGES,
      check: checkLitePullOptions,
    },
    now,
  );
}

/** The checks that only the lite pull consumer has. */
function checkLitePullOptions(c: Readonly<LitePullConsumerOptions>): void {
  if (typeof c.autoCommit !== 'boolean') {
    throw new ConfigError('autoCommit', c.autoCommit, 'must be true or false');
  }
  if (c.consumerTimeoutMillisWhenSuspend < c.brokerSuspendMaxTimeMillis) {
    throw new ConfigError(
      'consumerTimeoutMillisWhenSuspend',
      c.consumerTimeoutMillisWhenSuspend,
      `must not be less than brokerSuspendMaxTimeMillis (${c.brokerSuspendMaxTimeMillis}) for long polling`,
    );
  }
}
