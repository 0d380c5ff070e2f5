import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@rocketmq-ts/protocol';
import { resolveClientConfig } from '../config.js';
import type { ClientConfig, ClientConfigInput } from '../config.js';
import { checkGroupName } from '../name-checks.js';
import { AllocateMessageQueueAveragely } from './allocate-strategies.js';
import type { AllocateMessageQueueStrategy } from './allocate-strategies.js';

/*
 * What the push and the lite pull consumer configs share: the options both have, their time- and
 * environment-dependent defaults, and the resolve procedure with the checks common to Java's
 * `DefaultMQPushConsumerImpl.checkConfig` and `DefaultLitePullConsumerImpl.checkConfig` (4.9.8). Each consumer's
 * config module lists its own keys, defaults, integer ranges and extra checks.
 */

/** `CLUSTERING`: the group shares the queues. `BROADCASTING`: every member consumes every queue. */
export type MessageModel = 'CLUSTERING' | 'BROADCASTING';

/** Where a group with no committed offset on a queue starts. */
export type ConsumeFromWhere =
  'CONSUME_FROM_LAST_OFFSET' | 'CONSUME_FROM_FIRST_OFFSET' | 'CONSUME_FROM_TIMESTAMP';

/** The group Java reserves (`MixAll.DEFAULT_CONSUMER_GROUP`). */
export const DEFAULT_CONSUMER_GROUP = 'DEFAULT_CONSUMER';

/** The options every consumer has, checked the same way. */
export interface CommonConsumerOptions {
  consumerGroup: string;
  messageModel: MessageModel;
  consumeFromWhere: ConsumeFromWhere;
  /** Local time `yyyyMMddHHmmss`. */
  consumeTimestamp: string;
  allocateMessageQueueStrategy: AllocateMessageQueueStrategy;
  /** Root folder of the local (BROADCASTING) offset files. */
  offsetStoreDir: string;
}

/** The options whose defaults depend on the time or the environment, computed by {@link resolveConsumerConfig}. */
type ComputedKey = 'consumeTimestamp' | 'allocateMessageQueueStrategy' | 'offsetStoreDir';

/** An integer option and its inclusive range. */
export type IntegerRange<TOptions> = readonly [
  key: keyof TOptions & string,
  min: number,
  max: number,
];

/** What one consumer's config adds to the common procedure. */
export interface ConsumerConfigSpec<TOptions extends CommonConsumerOptions> {
  /** Named in the unknown-option warning, e.g. `push consumer`. */
  kind: string;
  /** Every option of the consumer (client options excluded). */
  keys: readonly (keyof TOptions & string)[];
  /** Defaults of every option but consumerGroup and the computed ones. */
  defaults: Omit<TOptions, ComputedKey | 'consumerGroup'>;
  /** Integer options and their ranges. */
  ranges: readonly IntegerRange<TOptions>[];
  /** The consumer's own checks, run after the common ones and the ranges. @throws ConfigError */
  check: (options: Readonly<TOptions>) => void;
}

/** The options of {@link ClientConfig}, picked out of a consumer's input and resolved by resolveClientConfig. */
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

const CONSUME_FROM_WHERE: readonly string[] = [
  'CONSUME_FROM_LAST_OFFSET',
  'CONSUME_FROM_FIRST_OFFSET',
  'CONSUME_FROM_TIMESTAMP',
] satisfies ConsumeFromWhere[];

/**
 * Resolves a consumer's config: client options through resolveClientConfig, a warning naming each unknown key,
 * defaults (consumeTimestamp 30 minutes before `now`, AllocateMessageQueueAveragely, `~/.rocketmq_offsets`), then
 * the checks in this order: consumerGroup, messageModel, consumeFromWhere, consumeTimestamp,
 * allocateMessageQueueStrategy, the integer ranges, the consumer's own checks, offsetStoreDir. Freezes the result.
 * @param now - the time the default `consumeTimestamp` is computed from, ms.
 * @throws ConfigError naming the first bad option, and every error of resolveClientConfig.
 */
export function resolveConsumerConfig<TOptions extends CommonConsumerOptions>(
  input: ClientConfigInput & Partial<TOptions> & { consumerGroup: string },
  spec: ConsumerConfigSpec<TOptions>,
  now: number,
): Readonly<ClientConfig & TOptions> {
  const given = input as Readonly<Record<string, unknown>>;
  const clientInput: Record<string, unknown> = {};
  for (const key of CLIENT_KEYS) {
    if (given[key] !== undefined) clientInput[key] = given[key];
  }
  const client = resolveClientConfig(clientInput);
  for (const key of Object.keys(input)) {
    if (
      !(CLIENT_KEYS as readonly string[]).includes(key) &&
      !(spec.keys as readonly string[]).includes(key)
    ) {
      client.logger.warn(`unknown ${spec.kind} option ignored`, { key });
    }
  }
  const options: Record<string, unknown> = {
    ...spec.defaults,
    consumerGroup: input.consumerGroup,
    consumeTimestamp: formatConsumeTimestamp(now - 30 * 60_000),
    allocateMessageQueueStrategy: new AllocateMessageQueueAveragely(),
    offsetStoreDir: join(homedir(), '.rocketmq_offsets'),
  };
  for (const key of spec.keys) {
    if (given[key] !== undefined) options[key] = given[key];
  }
  const c = options as unknown as TOptions;
  checkCommonOptions(c);
  for (const [key, min, max] of spec.ranges) {
    const value = c[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(key, value, `out of range [${min}, ${max}]`);
    }
  }
  spec.check(c);
  if (typeof c.offsetStoreDir !== 'string' || c.offsetStoreDir.trim() === '') {
    throw new ConfigError('offsetStoreDir', c.offsetStoreDir, 'must be a folder path');
  }
  return Object.freeze({ ...client, ...c });
}

/** Java `Validators.checkGroup` plus the DEFAULT_CONSUMER check of `checkConfig`, then the enums and strategy. */
function checkCommonOptions(c: CommonConsumerOptions): void {
  const groupProblem = checkGroupName(c.consumerGroup);
  if (groupProblem !== undefined)
    throw new ConfigError('consumerGroup', c.consumerGroup, groupProblem);
  if (c.consumerGroup === DEFAULT_CONSUMER_GROUP) {
    throw new ConfigError(
      'consumerGroup',
      c.consumerGroup,
      `can not equal ${DEFAULT_CONSUMER_GROUP}, please specify another one`,
    );
  }
  if (c.messageModel !== 'CLUSTERING' && c.messageModel !== 'BROADCASTING') {
    throw new ConfigError('messageModel', c.messageModel, 'must be CLUSTERING or BROADCASTING');
  }
  if (!CONSUME_FROM_WHERE.includes(c.consumeFromWhere)) {
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
