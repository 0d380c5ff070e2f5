import { ConfigError } from '@rocketmq-ts/protocol';
import { resolveClientConfig } from '../config.js';
import type { ClientConfig, ClientConfigInput } from '../config.js';
import { checkGroupName, checkTopicName } from '../name-checks.js';

/*
 * Producer options (Java `DefaultMQProducer`, mqadmin-and-config.md §3.3). Names and defaults are RocketMQ's.
 * Java-only knobs that are JVM properties there (compress type and level) are fixed here: zlib, level 5.
 */

/** Options of a {@link Producer} on top of the common {@link ClientConfig}. */
export interface ProducerOptions {
  /** Producer group: listed by mqadmin producerConnection, used for transaction checks. Required. */
  producerGroup: string;
  /** Budget of one `send()`, retries included, ms. Default 3000. */
  sendMsgTimeout: number;
  /** Extra attempts of a `send()` after a failure, preferring another broker. Default 2 (3 attempts). */
  retryTimesWhenSendFailed: number;
  /** Kept for Java parity (async sends there); `send()` here uses `retryTimesWhenSendFailed`. Default 2. */
  retryTimesWhenSendAsyncFailed: number;
  /** Also retry when the broker stored the message but answered FLUSH_DISK_TIMEOUT, FLUSH_SLAVE_TIMEOUT or
   * SLAVE_NOT_AVAILABLE (the message may then be stored twice). Default false. */
  retryAnotherBrokerWhenNotStoreOK: boolean;
  /** Bodies of at least this many bytes are zlib-compressed (batches never are). Default 4096. */
  compressMsgBodyOverHowmuch: number;
  /** Largest body (or batch body) accepted, bytes; checked before sending. Default 4 194 304. */
  maxMessageSize: number;
  /** Queues a broker creates when it auto-creates a topic on first send. Default 4. */
  defaultTopicQueueNums: number;
  /** Template topic for auto-creation; its route is used while a topic has none. Default `TBW102`. */
  createTopicKey: string;
  /** Avoid brokers that were slow or failed (Java `MQFaultStrategy`). Default false. */
  sendLatencyFaultEnable: boolean;
}

/** Every resolved producer option. */
export type ProducerConfig = ClientConfig & ProducerOptions;

/** Input of {@link resolveProducerConfig}: `producerGroup` is required, every other option may be left out. */
export type ProducerConfigInput = ClientConfigInput &
  Partial<ProducerOptions> & { producerGroup: string };

/** DefaultMQProducer's defaults. */
export const PRODUCER_DEFAULTS = {
  sendMsgTimeout: 3000,
  retryTimesWhenSendFailed: 2,
  retryTimesWhenSendAsyncFailed: 2,
  retryAnotherBrokerWhenNotStoreOK: false,
  compressMsgBodyOverHowmuch: 4096,
  maxMessageSize: 4_194_304,
  defaultTopicQueueNums: 4,
  createTopicKey: 'TBW102',
  sendLatencyFaultEnable: false,
} as const satisfies Omit<ProducerOptions, 'producerGroup'>;

/** The group Java reserves for its own default producer; refused at start, as Java does. */
export const DEFAULT_PRODUCER_GROUP = 'DEFAULT_PRODUCER';

/**
 * Applies defaults (client options through {@link resolveClientConfig}, so `NAMESRV_ADDR` is the NameServer
 * fallback), validates and freezes.
 *
 * @throws ConfigError naming the option: a missing, malformed or `DEFAULT_PRODUCER` group (Java
 *   `Validators.checkGroup`), a non-positive timeout or size, a negative retry count, an invalid
 *   `createTopicKey`, a non-boolean switch, or any client option {@link resolveClientConfig} refuses.
 */
export function resolveProducerConfig(
  input: ProducerConfigInput,
  env?: Readonly<Record<string, string | undefined>>,
): Readonly<ProducerConfig> {
  const group: unknown = input.producerGroup;
  const groupProblem = checkGroupName(group);
  if (groupProblem !== undefined) throw new ConfigError('producerGroup', group, groupProblem);
  if (group === DEFAULT_PRODUCER_GROUP) {
    throw new ConfigError(
      'producerGroup',
      group,
      `is reserved by RocketMQ (${DEFAULT_PRODUCER_GROUP}); name your own group`,
    );
  }
  const client = resolveClientConfig(input, env);
  const options: ProducerOptions = { ...PRODUCER_DEFAULTS, producerGroup: input.producerGroup };
  for (const key of Object.keys(PRODUCER_DEFAULTS) as (keyof typeof PRODUCER_DEFAULTS)[]) {
    const value = input[key];
    if (value !== undefined) (options as unknown as Record<string, unknown>)[key] = value;
  }
  checkInteger(options, 'sendMsgTimeout', 1);
  checkInteger(options, 'retryTimesWhenSendFailed', 0);
  checkInteger(options, 'retryTimesWhenSendAsyncFailed', 0);
  checkInteger(options, 'compressMsgBodyOverHowmuch', 0);
  checkInteger(options, 'maxMessageSize', 1);
  checkInteger(options, 'defaultTopicQueueNums', 1);
  for (const key of ['retryAnotherBrokerWhenNotStoreOK', 'sendLatencyFaultEnable'] as const) {
    if (typeof options[key] !== 'boolean') {
      throw new ConfigError(key, options[key], 'must be true or false');
    }
  }
  const problem = checkTopicName(options.createTopicKey);
  if (problem !== undefined)
    throw new ConfigError('createTopicKey', options.createTopicKey, problem);
  return Object.freeze({ ...client, ...options });
}

type IntegerKey =
  | 'sendMsgTimeout'
  | 'retryTimesWhenSendFailed'
  | 'retryTimesWhenSendAsyncFailed'
  | 'compressMsgBodyOverHowmuch'
  | 'maxMessageSize'
  | 'defaultTopicQueueNums';

function checkInteger(options: ProducerOptions, key: IntegerKey, min: number): void {
  const value = options[key];
  if (!Number.isSafeInteger(value) || value < min || value > 0x7fffffff) {
    throw new ConfigError(key, value, `must be an integer ${min}..2147483647`);
  }
}
