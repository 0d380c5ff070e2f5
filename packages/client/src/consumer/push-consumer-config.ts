import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@rocketmq-ts/protocol';
import { resolveClientConfig } from '../config.js';
import type { ClientConfig, ClientConfigInput } from '../config.js';
import { AllocateMessageQueueAveragely } from './allocate-strategies.js';
import type { AllocateMessageQueueStrategy } from './allocate-strategies.js';

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
export type PushMessageModel = 'CLUSTERING' | 'BROADCASTING';

/** Where a group with no committed offset on a queue starts. */
export type PushConsumeFromWhere =
  'CONSUME_FROM_LAST_OFFSET' | 'CONSUME_FROM_FIRST_OFFSET' | 'CONSUME_FROM_TIMESTAMP';

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

/** The group Java reserves (`MixAll.DEFAULT_CONSUMER_GROUP`). */
export const DEFAULT_CONSUMER_GROUP = 'DEFAULT_CONSUMER';

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
const RANGES: readonly [keyof PushConsumerOptions, number, number][] = [
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
      client.logger.warn('unknown push consumer option ignored', { key });
    }
  }
  const c: PushConsumerOptions = {
    ...PUSH_CONSUMER_DEFAULTS,
    consumerGroup: input.consumerGroup,
    consumeTimestamp: formatConsumeTimestamp(now - 30 * 60_000),
    allocateMessageQueueStrategy: new AllocateMessageQueueAveragely(),
    offsetStoreDir: join(homedir(), '.rocketmq_offsets'),
  };
  const given = input as Readonly<Record<string, unknown>>;
  for (const key of CONSUMER_KEYS) {
    if (given[key] !== undefined) (c as unknown as Record<string, unknown>)[key] = given[key];
  }
  checkGroup(c.consumerGroup);
  if (c.messageModel !== 'CLUSTERING' && c.messageModel !== 'BROADCASTING') {
    throw new ConfigError('messageModel', c.messageModel, 'must be CLUSTERING or BROADCASTING');
  }
  if (
    !['CONSUME_FROM_LAST_OFFSET', 'CONSUME_FROM_FIRST_OFFSET', 'CONSUME_FROM_TIMESTAMP'].includes(
      c.consumeFromWhere,
    )
  ) {
    throw new ConfigError(
      'consumeFromWhere',
      c.consumeFromWhere,
      'must be CONSUME_FROM_LAST_OFFSET, CONSUME_FROM_FIRST_OFFSET or CONSUME_FROM_TIMESTAMP',
    );
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
  for (const [key, min, max] of RANGES) {
    const value = c[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(key, value, `out of range [${min}, ${max}]`);
    }
  }
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

/**
 * Parses a `yyyyMMddHHmmss` local time (Java `UtilAll.parseDate(s, YYYYMMDDHHMMSS)`), strictly: every field must
 * be in range (no month 13).
 * @returns ms since the epoch, or undefined when the text is not such a date.
 */
export function parseConsumeTimestamp(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(year, month - 1, day, hour, minute, second);
  if (
    date.getFullYear() !== year ||
    date.getMonth() !== month - 1 ||
    date.getDate() !== day ||
    date.getHours() !== hour ||
    date.getMinutes() !== minute ||
    date.getSeconds() !== second
  ) {
    return undefined;
  }
  return date.getTime();
}

/** Formats ms since the epoch as a local `yyyyMMddHHmmss` (Java `UtilAll.timeMillisToHumanString3`). */
export function formatConsumeTimestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getFullYear(), 4)}${p(d.getMonth() + 1)}${p(d.getDate())}${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** `%RETRY%<group>` (Java `MixAll.getRetryTopic`). */
export function retryTopicOf(group: string): string {
  return `${RETRY_GROUP_TOPIC_PREFIX}${group}`;
}

/** Prefix of retry topics (Java `MixAll.RETRY_GROUP_TOPIC_PREFIX`). */
export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';
