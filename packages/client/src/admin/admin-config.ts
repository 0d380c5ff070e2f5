import { ConfigError } from '@rocketmq-ts/protocol';
import { resolveClientConfig } from '../config.js';
import type { ClientConfig, ClientConfigInput } from '../config.js';

/** Options of {@link MQAdmin}: the common client options plus the admin call timeout. */
export interface MQAdminOptions extends ClientConfigInput {
  /**
   * Timeout of each admin request, ms. Default 5 000 (Java `DefaultMQAdminExt.timeoutMillis`). Calls Java makes with
   * three times this (GET_CONSUME_STATS, QUERY_MESSAGE, GET_CONSUMER_RUNNING_INFO, CONSUME_MESSAGE_DIRECTLY,
   * CLONE_GROUP_OFFSET) do so here too.
   */
  timeoutMs?: number;
}

/** {@link MQAdmin}'s resolved configuration. */
export interface MQAdminConfig extends ClientConfig {
  timeoutMs: number;
}

/** Java DefaultMQAdminExt's defaults. */
export const MQ_ADMIN_DEFAULTS = { timeoutMs: 5_000 } as const satisfies Partial<MQAdminConfig>;

/**
 * Applies defaults (the NameServer list falls back to `NAMESRV_ADDR`), validates and freezes.
 * @throws ConfigError naming the option, as {@link resolveClientConfig}, or a non-positive `timeoutMs`.
 */
export function resolveMQAdminConfig(
  input: MQAdminOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Readonly<MQAdminConfig> {
  const { timeoutMs = MQ_ADMIN_DEFAULTS.timeoutMs, ...client } = input;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ConfigError('timeoutMs', timeoutMs, 'must be a positive number of ms');
  }
  return Object.freeze({ ...resolveClientConfig(client, env), timeoutMs });
}
