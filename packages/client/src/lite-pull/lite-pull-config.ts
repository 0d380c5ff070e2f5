import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@rocketmq-ts/protocol';
import { resolveClientConfig } from '../config.js';
import type { ClientConfig, ClientConfigInput } from '../config.js';
import { AllocateMessageQueueAveragely } from '../consumer/allocate-strategies.js';
import type { AllocateMessageQueueStrategy } from '../consumer/allocate-strategies.js';
import {
  DEFAULT_CONSUMER_GROUP,
  formatConsumeTimestamp,
  parseConsumeTimestamp,
} from '../consumer/push-consumer-config.js';

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
  messageModel: 'CLUSTERING' | 'BROADCASTING';
  /** Where a queue without a committed offset starts. Default `CONSUME_FROM_LAST_OFFSET`. */
  consumeFromWhere:
    'CONSUME_FROM_LAST_OFFSET' | 'CONSUME_FROM_FIRST_OFFSET' | 'CONSUME_FROM_TIMESTAMP';
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

const CLIENT_KEYS = [
  'namesrvAddr',
  'clientIP',
  'instanceName',
  'unitName',
  'pollNameServerInterval',
  'heartbeatBrokerInterval',
  'persistConsumerOffsetInterval',
  'pullTimeDelayMillsWhenException',
  'mqClientApiTimeout',
  'language',
  'logger',
] as const satisfies readonly (keyof ClientConfig)[];

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
const RANGES: readonly [keyof LitePullConsumerOptions, number, number][] = [
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
  const clientInput: ClientConfigInput = {};
  for (const key of CLIENT_KEYS) {
    if (input[key] !== undefined) (clientInput as Record<string, unknown>)[key] = input[key];
  }
  const client = resolveClientConfig(clientInput);
  for (const key of Object.keys(input)) {
    if (
      !(CLIENT_KEYS as readonly string[]).includes(key) &&
      !(CONSUMER_KEYS as readonly string[]).includes(key)
    ) {
      client.logger.warn('unknown lite pull consumer option ignored', { key });
    }
  }
  const c: LitePullConsumerOptions = {
    ...LITE_PULL_CONSUMER_DEFAULTS,
    consumerGroup: input.consumerGroup,
    consumeTimestamp: formatConsumeTimestamp(now - 30 * 60_000),
    allocateMessageQueueStrategy: new AllocateMessageQueueAveragely(),
    offsetStoreDir: join(homedir(), '.rocketmq_offsets'),
  };
  for (const key of CONSUMER_KEYS) {
    const value = input[key];
    if (value !== undefined) (c as unknown as Record<string, unknown>)[key] = value;
  }
  checkGroup(c.consumerGroup);
  if (c.messageModel !== 'CLUSTERING' && c.messageModel !== 'BROADCASTING') {
    throw new ConfigError('messageModel', c.messageModel, 'must be CLUSTERING or BROADCASTING');
  }
  const froms = ['CONSUME_FROM_LAST_OFFSET', 'CONSUME_FROM_FIRST_OFFSET', 'CONSUME_FROM_TIMESTAMP'];
  if (!froms.includes(c.consumeFromWhere)) {
    throw new ConfigError('consumeFromWhere', c.consumeFromWhere, `must be ${froms.join(', ')}`);
  }
  if (parseConsumeTimestamp(c.consumeTimestamp) === undefined) {
    throw new ConfigError(
      'consumeTimestamp',
      c.consumeTimestamp,
      'is invalid, the valid format is yyyyMMddHHmmss (local time)',
    );
  }
  const strategy = c.allocateMessageQueueStrategy as Partial<AllocateMessageQueueStrategy> | null;
  if (
    strategy === null ||
    typeof strategy !== 'object' ||
    typeof strategy.allocate !== 'function' ||
    typeof strategy.getName !== 'function'
  ) {
    throw new ConfigError(
      'allocateMessageQueueStrategy',
      c.allocateMessageQueueStrategy,
      'must be an object with allocate() and getName(), e.g. new AllocateMessageQueueAveragely()',
    );
  }
  if (typeof c.autoCommit !== 'boolean') {
    throw new ConfigError('autoCommit', c.autoCommit, 'must be true or false');
  }
  for (const [key, min, max] of RANGES) {
    const value = c[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(key, value, `out of range [${min}, ${max}]`);
    }
  }
  if (c.consumerTimeoutMillisWhenSuspend < c.brokerSuspendMaxTimeMillis) {
    throw new ConfigError(
      'consumerTimeoutMillisWhenSuspend',
      c.consumerTimeoutMillisWhenSuspend,
      `must not be less than brokerSuspendMaxTimeMillis (${c.brokerSuspendMaxTimeMillis}) for long polling`,
    );
  }
  if (typeof c.offsetStoreDir !== 'string' || c.offsetStoreDir.trim() === '') {
    throw new ConfigError('offsetStoreDir', c.offsetStoreDir, 'must be a folder path');
  }
  return Object.freeze({ ...client, ...c });
}

/** Java `Validators.checkGroup` plus the DEFAULT_CONSUMER check of `checkConfig`. */
function checkGroup(group: unknown): void {
  if (typeof group !== 'string' || group.trim() === '') {
    throw new ConfigError('consumerGroup', group, 'is required and must not be blank');
  }
  if (group.length > 255) {
    throw new ConfigError('consumerGroup', group, 'is longer than group max length 255');
  }
  if (!/^[%|a-zA-Z0-9_-]+$/.test(group)) {
    throw new ConfigError(
      'consumerGroup',
      group,
      'contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$',
    );
  }
  if (group === DEFAULT_CONSUMER_GROUP) {
    throw new ConfigError(
      'consumerGroup',
      group,
      `can not equal ${DEFAULT_CONSUMER_GROUP}, please specify another one`,
    );
  }
}
