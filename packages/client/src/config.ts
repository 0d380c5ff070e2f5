import { networkInterfaces } from 'node:os';
import { ConfigError, NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type { Logger } from '@rocketmq-ts/protocol';

/*
 * Client options shared by producers and consumers (Java `ClientConfig`, mqadmin-and-config.md §3.2). Names and
 * defaults are RocketMQ's. Deliberate differences: `namesrvAddr` falls back to the `NAMESRV_ADDR` environment variable
 * here, in the resolve function (STYLE §10), and there is no HTTP address-server lookup; `instanceName` `DEFAULT`
 * becomes the process id, as Java turns it into `<pid>#<nanoTime>` (the time part only matters for several
 * instances in one JVM, which `instanceName` handles here explicitly).
 */

/** Options common to every client. */
export interface ClientConfig {
  /** `;`-separated NameServer `host:port` list. Default: `NAMESRV_ADDR` from the environment. Required. */
  namesrvAddr: string;
  /** First part of the client id. Default: the first non-internal IPv4 address, else `127.0.0.1`. */
  clientIP: string;
  /** Second part of the client id. Default `DEFAULT` (replaced by the process id). */
  instanceName: string;
  /** Appended to the client id when set (unit deployments). Default none. */
  unitName?: string;
  /** Route refresh period, ms. Default 30 000. */
  pollNameServerInterval: number;
  /** Heartbeat period to every broker in use, ms. Default 30 000. */
  heartbeatBrokerInterval: number;
  /** Offset commit period, ms. Default 5 000. */
  persistConsumerOffsetInterval: number;
  /** Pause of a queue's pulls after a failure, ms. Default 1 000. */
  pullTimeDelayMillsWhenException: number;
  /** Timeout of the client's own calls (routes, heartbeats, offsets), ms. Default 3 000. */
  mqClientApiTimeout: number;
  /** Language reported in frame headers. Default `JAVA`, which every broker version accepts. */
  language: string;
  /** Default: no-op. */
  logger: Logger;
}

/** RocketMQ's ClientConfig defaults. */
export const CLIENT_DEFAULTS = {
  instanceName: 'DEFAULT',
  pollNameServerInterval: 30_000,
  heartbeatBrokerInterval: 30_000,
  persistConsumerOffsetInterval: 5_000,
  pullTimeDelayMillsWhenException: 1_000,
  mqClientApiTimeout: 3_000,
  language: 'JAVA',
} as const satisfies Partial<ClientConfig>;

/** Input of {@link resolveClientConfig}: every option may be left out. */
export type ClientConfigInput = Partial<ClientConfig>;

/**
 * Applies defaults (NameServer list from `NAMESRV_ADDR` when not given), validates and freezes.
 * @throws ConfigError naming the option: no NameServer address, an address that is not `host:port`, a
 *   non-positive interval.
 */
export function resolveClientConfig(
  input: ClientConfigInput,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Readonly<ClientConfig> {
  const namesrvAddr = (input.namesrvAddr ?? env.NAMESRV_ADDR ?? '').trim();
  if (namesrvAddr === '') {
    throw new ConfigError(
      'namesrvAddr',
      namesrvAddr,
      'is required: pass namesrvAddr (e.g. "127.0.0.1:9876") or set NAMESRV_ADDR',
    );
  }
  for (const addr of splitAddrs(namesrvAddr)) {
    if (!/^[^\s:]+:\d{1,5}$/.test(addr) && !/^\[[0-9a-fA-F:.]+\]:\d{1,5}$/.test(addr)) {
      throw new ConfigError('namesrvAddr', namesrvAddr, `"${addr}" is not host:port`);
    }
  }
  const c = {
    ...CLIENT_DEFAULTS,
    clientIP: input.clientIP ?? localIPv4(),
    logger: NOOP_LOGGER,
    ...stripUndefined(input),
    namesrvAddr,
  };
  for (const key of [
    'pollNameServerInterval',
    'heartbeatBrokerInterval',
    'persistConsumerOffsetInterval',
    'pullTimeDelayMillsWhenException',
    'mqClientApiTimeout',
  ] as const) {
    if (!Number.isFinite(c[key]) || c[key] <= 0) {
      throw new ConfigError(key, c[key], 'must be a positive number of ms');
    }
  }
  if (c.instanceName.trim() === '')
    throw new ConfigError('instanceName', c.instanceName, 'must not be blank');
  return Object.freeze(c);
}

/** The client id RocketMQ builds: `clientIP@instanceName[@unitName]`, `DEFAULT` becoming the process id. */
export function buildClientId(
  config: Pick<ClientConfig, 'clientIP' | 'instanceName' | 'unitName'>,
): string {
  const instance = config.instanceName === 'DEFAULT' ? String(process.pid) : config.instanceName;
  const unit = config.unitName !== undefined && config.unitName !== '' ? `@${config.unitName}` : '';
  return `${config.clientIP}@${instance}${unit}`;
}

/** The addresses of a `;`-separated list, trimmed, empty entries dropped. */
export function splitAddrs(list: string): string[] {
  return list
    .split(';')
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

function localIPv4(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  // A host without external interfaces (containers, tests) still needs a stable id part.
  return '127.0.0.1';
}

function stripUndefined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}
