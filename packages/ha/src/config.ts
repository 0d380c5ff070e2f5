/**
 * Options of the HA master and client, their defaults (RocketMQ 4.9.8 `MessageStoreConfig` ha* keys) and the
 * functions that validate and freeze them.
 */
import { ConfigError, NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type { Logger } from '@rocketmq-ts/protocol';
import { HA_MAX_FRAME_BODY_BYTES } from './ha-frame.js';
import type { HAStore } from './ha-store.js';

/** Options of {@link HAMasterService}. */
export interface HAMasterOptions {
  /** The master's store: the commit log that is streamed. */
  store: HAStore;
  /** HA listen port (broker.conf `haListenPort`); 0 picks an ephemeral port, read it from `port` after start. */
  port: number;
  /** Address to bind; default `'0.0.0.0'`. */
  host?: string;
  /** Largest frame body, bytes (`haTransferBatchSize`); default 32768, at most 4 MiB − 12. */
  transferBatchBytes?: number;
  /** A heartbeat frame goes out after this long without sending (`haSendHeartbeatInterval`); default 5000 ms. */
  heartbeatIntervalMs?: number;
  /** A slave that sent nothing for this long is dropped (`haHousekeepingInterval`); default 20000 ms. */
  housekeepingIntervalMs?: number;
  /** SYNC_MASTER: a wait this far ahead of the best slave is SLAVE_NOT_AVAILABLE (`haSlaveFallbehindMax`); 256 MiB. */
  slaveFallbehindMaxBytes?: number;
  /** Default: no logging. */
  logger?: Logger;
}

/** Options of {@link HAClient}. */
export interface HAClientOptions {
  /** The slave's store: frames are appended to it with `appendRaw`. */
  store: HAStore;
  /** The master's HA address, `'host:port'` (`haMasterAddress`); may be set later with `setMasterAddress`. */
  masterAddress?: string;
  /** A report goes out at least this often (`haSendHeartbeatInterval`); default 5000 ms. */
  heartbeatIntervalMs?: number;
  /** The connection is closed after this long without reading anything (`haHousekeepingInterval`); 20000 ms. */
  housekeepingIntervalMs?: number;
  /** Delay before connecting again after a close or failed connect; default 5000 ms. */
  reconnectIntervalMs?: number;
  /** A connect that has not completed after this long is abandoned; default 3000 ms. */
  connectTimeoutMs?: number;
  /** Default: no logging. */
  logger?: Logger;
}

/** Defaults of {@link HAMasterOptions}. */
export const HA_MASTER_DEFAULTS = {
  host: '0.0.0.0',
  transferBatchBytes: 32 * 1024,
  heartbeatIntervalMs: 5000,
  housekeepingIntervalMs: 20_000,
  slaveFallbehindMaxBytes: 256 * 1024 * 1024,
} as const;

/** Defaults of {@link HAClientOptions}. */
export const HA_CLIENT_DEFAULTS = {
  heartbeatIntervalMs: 5000,
  housekeepingIntervalMs: 20_000,
  reconnectIntervalMs: 5000,
  connectTimeoutMs: 3000,
} as const;

/** {@link HAMasterOptions} with every default applied. */
export type ResolvedHAMasterOptions = Readonly<Required<HAMasterOptions>>;
/** {@link HAClientOptions} with every default applied (`masterAddress` stays optional). */
export type ResolvedHAClientOptions = Readonly<
  Required<Omit<HAClientOptions, 'masterAddress'>> & Pick<HAClientOptions, 'masterAddress'>
>;

function positiveInt(key: string, value: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(value) || value <= 0 || value > max) {
    throw new ConfigError(key, value, `must be an integer 1..${max}`);
  }
}

/** Applies defaults to master options and validates them. Throws ConfigError naming the bad key. */
export function resolveHAMasterOptions(input: HAMasterOptions): ResolvedHAMasterOptions {
  const o = {
    ...HA_MASTER_DEFAULTS,
    logger: NOOP_LOGGER,
    ...withoutUndefined(input),
  } as Required<HAMasterOptions>;
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) {
    throw new ConfigError('haListenPort', o.port, 'must be an integer 0..65535');
  }
  positiveInt('haTransferBatchSize', o.transferBatchBytes, HA_MAX_FRAME_BODY_BYTES);
  positiveInt('haSendHeartbeatInterval', o.heartbeatIntervalMs);
  positiveInt('haHousekeepingInterval', o.housekeepingIntervalMs);
  positiveInt('haSlaveFallbehindMax', o.slaveFallbehindMaxBytes);
  return Object.freeze(o);
}

/** Applies defaults to client options and validates them. Throws ConfigError naming the bad key. */
export function resolveHAClientOptions(input: HAClientOptions): ResolvedHAClientOptions {
  const o = {
    ...HA_CLIENT_DEFAULTS,
    logger: NOOP_LOGGER,
    ...withoutUndefined(input),
  } as ResolvedHAClientOptions;
  positiveInt('haSendHeartbeatInterval', o.heartbeatIntervalMs);
  positiveInt('haHousekeepingInterval', o.housekeepingIntervalMs);
  positiveInt('reconnectIntervalMs', o.reconnectIntervalMs);
  positiveInt('connectTimeoutMs', o.connectTimeoutMs);
  return Object.freeze(o);
}

/** A master address `'host:port'` (IPv6 as `'[::1]:port'`). */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Parses `'host:port'`; throws ConfigError (key `haMasterAddress`) when it is not one. */
export function parseHostPort(address: string): HostPort {
  const colon = address.lastIndexOf(':');
  const rawHost = colon > 0 ? address.slice(0, colon) : '';
  const host = rawHost.startsWith('[') && rawHost.endsWith(']') ? rawHost.slice(1, -1) : rawHost;
  const portText = address.slice(colon + 1);
  const port = Number(portText);
  if (!host || !/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new ConfigError('haMasterAddress', address, 'must be host:port');
  }
  return { host, port };
}

function withoutUndefined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
