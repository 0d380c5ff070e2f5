import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServerAppMissingError } from './errors.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/** A broker.conf value; written as `key=value`. */
export type BrokerConfigValue = string | number | boolean;

/** Options of {@link startCluster}. */
export interface StartClusterOptions {
  /** How many name servers. Default 1. */
  readonly namesrvs?: number;
  /** How many brokers, each a master (`brokerId=0`) named `broker-<i>` from 0. Default 1. */
  readonly brokers?: number;
  /**
   * broker.conf keys for every broker, applied over testkit's (`brokerClusterName=DefaultCluster`,
   * `brokerName=broker-<i>`, `brokerId=0`, `listenPort=0`, `brokerIP1=127.0.0.1`, `storePathRootDir=<home>/store`).
   */
  readonly brokerConfig?: Readonly<Record<string, BrokerConfigValue>>;
  /** The folder holding `namesrv/dist/main.js` and `broker/dist/main.js`. Default the repository's `apps/`. */
  readonly appsDir?: string;
  /** Per-process ready deadline in milliseconds; default that of `startServerProcess` (30 s). */
  readonly readyTimeoutMs?: number;
  /** Keep every temp dir after a clean stop. Default false. */
  readonly keepLogs?: boolean;
}

/** A broker of a {@link TestCluster}. */
export interface ClusterBroker {
  /** `127.0.0.1:<listenPort>`. */
  readonly addr: string;
  /** Its `brokerName`, `broker-<i>` unless overridden by `brokerConfig`. */
  readonly brokerName: string;
  /** The process, its dirs and ready file. */
  readonly handle: ServerProcess;
}

/** Name servers and brokers running as real processes. */
export interface TestCluster {
  /** Every name server's address joined by `;`, as `-n` and `NAMESRV_ADDR` take it. */
  readonly namesrvAddr: string;
  /** The name server processes, in start order. */
  readonly namesrvs: readonly ServerProcess[];
  /** The brokers, in start order. */
  readonly brokers: readonly ClusterBroker[];
  /**
   * Stops the brokers, then the name servers (each group in parallel, every process even if one fails); idempotent.
   *
   * @throws the first process's error (a `ServerProcessError`) when any failed to stop cleanly.
   */
  stop(): Promise<void>;
}

// Same depth from src/ and dist/: tools/testkit/<dir>/cluster.{ts,js}.
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Starts `namesrvs` name servers (`apps/namesrv/dist/main.js -c <home>/namesrv.conf` with `listenPort=0`), then
 * `brokers` brokers (`apps/broker/dist/main.js -n <namesrvAddr> -c <home>/broker.conf`), each through
 * `startServerProcess` in its own temp dir. When a process fails to start, the ones already running are stopped.
 *
 * @throws {@link ServerAppMissingError} when an app entry is missing (the apps arrive with milestone M1-3).
 * @throws `ServerProcessError` when a process fails to become ready.
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<TestCluster> {
  const namesrvCount = options.namesrvs ?? 1;
  const brokerCount = options.brokers ?? 1;
  if (!Number.isInteger(namesrvCount) || namesrvCount < 1) {
    throw new RangeError(`namesrvs must be an integer >= 1, got ${namesrvCount}`);
  }
  if (!Number.isInteger(brokerCount) || brokerCount < 0) {
    throw new RangeError(`brokers must be an integer >= 0, got ${brokerCount}`);
  }
  const appsDir = resolve(options.appsDir ?? join(REPO_ROOT, 'apps'));
  const namesrvEntry = appEntry(appsDir, 'namesrv');
  const brokerEntry = brokerCount > 0 ? appEntry(appsDir, 'broker') : '';
  const common = { readyTimeoutMs: options.readyTimeoutMs, keepLogs: options.keepLogs };

  const namesrvs: ServerProcess[] = [];
  const brokers: ClusterBroker[] = [];
  const stopAll = async (): Promise<void> => {
    const results = await Promise.allSettled(brokers.map((b) => b.handle.stop()));
    results.push(...(await Promise.allSettled(namesrvs.map((n) => n.stop()))));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  };

  try {
    // Name servers know nothing of each other: start them together.
    const started = await Promise.allSettled(
      Array.from({ length: namesrvCount }, (_, i) =>
        startServerProcess({
          ...common,
          entry: namesrvEntry,
          name: `namesrv-${i}`,
          args: async ({ homeDir }) => {
            const conf = join(homeDir, 'namesrv.conf');
            // Tests bind loopback only.
            await writeFile(conf, toProperties({ listenPort: 0, bindAddress: '127.0.0.1' }));
            return ['-c', conf];
          },
        }),
      ),
    );
    for (const result of started) if (result.status === 'fulfilled') namesrvs.push(result.value);
    const failed = started.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const namesrvAddr = namesrvs.map((n) => n.addr).join(';');

    for (let i = 0; i < brokerCount; i++) {
      const config: Record<string, BrokerConfigValue> = {
        brokerClusterName: 'DefaultCluster',
        brokerName: `broker-${i}`,
        brokerId: 0,
        listenPort: 0,
        brokerIP1: '127.0.0.1',
        bindAddress: '127.0.0.1',
        ...options.brokerConfig,
      };
      const handle = await startServerProcess({
        ...common,
        entry: brokerEntry,
        name: `broker-${i}`,
        args: async ({ homeDir }) => {
          const conf = join(homeDir, 'broker.conf');
          config.storePathRootDir ??= join(homeDir, 'store');
          await writeFile(conf, toProperties(config));
          return ['-n', namesrvAddr, '-c', conf];
        },
      });
      brokers.push({ addr: handle.addr, brokerName: String(config.brokerName), handle });
    }

    let stopping: Promise<void> | undefined;
    return { namesrvAddr, namesrvs, brokers, stop: () => (stopping ??= stopAll()) };
  } catch (error) {
    // Stop what did start; the start error is the one worth reporting.
    await stopAll().catch(() => undefined);
    throw error;
  }
}

function appEntry(appsDir: string, app: string): string {
  const entry = join(appsDir, app, 'dist', 'main.js');
  if (!existsSync(entry)) throw new ServerAppMissingError(app, entry);
  return entry;
}

/** Java properties text; `\` and line breaks in values are escaped, keys are checked. */
function toProperties(config: Readonly<Record<string, BrokerConfigValue>>): string {
  const lines = Object.entries(config).map(([key, value]) => {
    if (!/^[A-Za-z0-9_.-]+$/.test(key))
      throw new RangeError(`bad broker.conf key ${JSON.stringify(key)}`);
    const text = String(value).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
    return `${key}=${text}`;
  });
  return `${lines.join('\n')}\n`;
}
