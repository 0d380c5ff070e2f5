import { ConfigError, NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type { Logger } from '@rocketmq-ts/protocol';

/**
 * Configuration of a {@link NameServer}. Keys keep RocketMQ's NamesrvConfig / NettyServerConfig spelling
 * (mqadmin-and-config.md §2.3); `brokerChannelExpiredTime`, `host`, `logger` and `now` are ours.
 */
export interface NamesrvConfig {
  /** TCP port of the remoting server; 0 picks a free one (tests). Default 9876. */
  listenPort: number;
  /** Address to bind. Default `0.0.0.0`. */
  host: string;
  /** File the KV config is persisted to (RocketMQ default `~/namesrv/kvConfig.json`). Required. */
  kvConfigPath: string;
  /** Add `orderTopicConf` (KV namespace ORDER_TOPIC_CONFIG) to topic routes. Default false. */
  orderMessageEnable: boolean;
  /** Answer REGISTER_BROKER with the ORDER_TOPIC_CONFIG KV table. Default true. */
  returnOrderTopicConfigToBroker: boolean;
  /** Period of the scan for silent brokers, ms. Default 5000. */
  scanNotActiveBrokerInterval: number;
  /** A broker whose last registration is older than this is dropped with its routes, ms. Default 120 000. */
  brokerChannelExpiredTime: number;
  /** Default: no-op. */
  logger: Logger;
  /** Clock, ms since the epoch; default `Date.now`. Tests inject one to drive broker expiry. */
  now?: () => number;
}

/** RocketMQ's NameServer defaults (`kvConfigPath` has none here: the app derives it from the home directory). */
export const NAMESRV_DEFAULTS = {
  listenPort: 9876,
  host: '0.0.0.0',
  orderMessageEnable: false,
  returnOrderTopicConfigToBroker: true,
  scanNotActiveBrokerInterval: 5000,
  brokerChannelExpiredTime: 120_000,
  logger: NOOP_LOGGER,
} as const satisfies Partial<NamesrvConfig>;

function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * Applies {@link NAMESRV_DEFAULTS} to `input`, validates and freezes the result.
 * @throws ConfigError naming the key and value when a value is out of range or of the wrong type.
 */
export function resolveNamesrvConfig(
  input: Partial<NamesrvConfig> & { kvConfigPath: string },
): Readonly<NamesrvConfig> {
  const c: NamesrvConfig = { ...NAMESRV_DEFAULTS, ...input };
  const port: unknown = c.listenPort;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('listenPort', port, 'must be an integer 0..65535');
  }
  if (typeof c.host !== 'string' || c.host === '') {
    throw new ConfigError('host', c.host, 'must be a non-empty address');
  }
  if (typeof c.kvConfigPath !== 'string' || c.kvConfigPath === '') {
    throw new ConfigError('kvConfigPath', c.kvConfigPath, 'must be a non-empty file path');
  }
  for (const key of ['orderMessageEnable', 'returnOrderTopicConfigToBroker'] as const) {
    if (typeof c[key] !== 'boolean') throw new ConfigError(key, c[key], 'must be true or false');
  }
  for (const key of ['scanNotActiveBrokerInterval', 'brokerChannelExpiredTime'] as const) {
    if (!isPositiveInt(c[key]))
      throw new ConfigError(key, c[key], 'must be a positive integer (ms)');
  }
  if (c.now !== undefined && typeof c.now !== 'function') {
    throw new ConfigError('now', c.now, 'must be a function returning ms since the epoch');
  }
  return Object.freeze(c);
}
