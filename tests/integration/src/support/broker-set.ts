/**
 * Real mqbroker processes on fixed ports and store dirs, so that a broker killed and started again is the same broker
 * to its clients, slaves and name servers: what master/slave (HA) and restart tests need.
 */
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Producer } from '@rocketmq-ts/client';
import type { MQAdmin } from '@rocketmq-ts/client';
import { makeTempDir, removeTempDir, startServerProcess, waitFor } from '@rocketmq-ts/testkit';
import type { ServerProcess } from '@rocketmq-ts/testkit';

const BROKER_ENTRY = fileURLToPath(
  new URL('../../../../apps/broker/dist/main.js', import.meta.url),
);

/** Replication role (broker.conf `brokerRole`). */
export type BrokerRoleName = 'ASYNC_MASTER' | 'SYNC_MASTER' | 'SLAVE';

/** One broker of a broker set: fixed ports and store dir, so that restarts keep its identity. */
export interface BrokerSpec {
  /** Label for logs and the temp dir. */
  readonly label: string;
  readonly brokerName: string;
  /** 0 for the master, > 0 for slaves. */
  readonly brokerId: number;
  readonly brokerRole: BrokerRoleName;
  readonly listenPort: number;
  readonly haListenPort: number;
  readonly storePathRootDir: string;
  /** More broker.conf keys (flushDiskType, slaveTimeout, …). */
  readonly extra?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * `count` TCP ports free on 127.0.0.1 right now (bound then released together, so they are distinct).
 *
 * @throws Error when the OS hands out no TCP address.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map(
        (server) =>
          new Promise<number>((resolve, reject) => {
            server.once('error', reject);
            server.listen(0, '127.0.0.1', () => {
              const address = server.address();
              if (address === null || typeof address === 'string')
                reject(new Error('no TCP address'));
              else resolve(address.port);
            });
          }),
      ),
    );
  } finally {
    await Promise.all(
      servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
  }
}

/** Starts `bin/mqbroker`'s entry with `spec` as broker.conf, registering to `namesrvAddr`; resolves once ready. */
export async function startBroker(namesrvAddr: string, spec: BrokerSpec): Promise<ServerProcess> {
  return startServerProcess({
    entry: BROKER_ENTRY,
    name: spec.label,
    args: async ({ homeDir }) => {
      const conf = join(homeDir, 'broker.conf');
      const config: Record<string, string | number | boolean> = {
        brokerClusterName: 'DefaultCluster',
        brokerName: spec.brokerName,
        brokerId: spec.brokerId,
        brokerRole: spec.brokerRole,
        brokerIP1: '127.0.0.1',
        brokerIP2: '127.0.0.1',
        bindAddress: '127.0.0.1',
        listenPort: spec.listenPort,
        haListenPort: spec.haListenPort,
        storePathRootDir: spec.storePathRootDir,
        mappedFileSizeCommitLog: 16 << 20,
        ...spec.extra,
      };
      const text = Object.entries(config)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join('\n');
      await writeFile(conf, `${text}\n`);
      return ['-n', namesrvAddr, '-c', conf];
    },
  });
}

/** A master and its slave on fixed ports and store dirs, so either can be killed and started again as itself. */
export interface MasterSlaveSet {
  readonly brokerName: string;
  readonly masterSpec: BrokerSpec;
  readonly slaveSpec: BrokerSpec;
  readonly masterAddr: string;
  readonly slaveAddr: string;
  /** The running processes; undefined once a test stopped one (the set's cleanup stops what is left). */
  master: ServerProcess | undefined;
  slave: ServerProcess | undefined;
}

/**
 * Starts a master (`masterRole`) and a SLAVE with brokerId 1 of `brokerName`, each with its own temp store, HA
 * heartbeats every 500 ms (so reconnects are quick) and `extra` broker.conf keys. Pushes onto `cleanups` what stops
 * both and removes their stores; run those last in, first out.
 */
export async function startMasterSlave(options: {
  namesrvAddr: string;
  brokerName: string;
  masterRole: Exclude<BrokerRoleName, 'SLAVE'>;
  extra?: BrokerSpec['extra'];
  cleanups: (() => Promise<void>)[];
}): Promise<MasterSlaveSet> {
  const { brokerName, cleanups } = options;
  const [masterPort, masterHaPort, slavePort, slaveHaPort] = await freePorts(4);
  const stores = await Promise.all([
    makeTempDir(`${brokerName}-m-store`),
    makeTempDir(`${brokerName}-s-store`),
  ]);
  cleanups.push(async () => {
    await Promise.all(stores.map((dir) => removeTempDir(dir)));
  });
  const extra = { haSendHeartbeatInterval: 500, ...options.extra };
  const spec = (role: BrokerRoleName, ports: [number, number], storeDir: string): BrokerSpec => ({
    label: `${brokerName}-${role === 'SLAVE' ? 's' : 'm'}`,
    brokerName,
    brokerId: role === 'SLAVE' ? 1 : 0,
    brokerRole: role,
    listenPort: ports[0],
    haListenPort: ports[1],
    storePathRootDir: storeDir,
    extra,
  });
  const set: MasterSlaveSet = {
    brokerName,
    masterSpec: spec(options.masterRole, [masterPort!, masterHaPort!], stores[0]),
    slaveSpec: spec('SLAVE', [slavePort!, slaveHaPort!], stores[1]),
    masterAddr: `127.0.0.1:${masterPort}`,
    slaveAddr: `127.0.0.1:${slavePort}`,
    master: undefined,
    slave: undefined,
  };
  cleanups.push(async () => {
    await Promise.allSettled([set.master?.stop(), set.slave?.stop()]);
  });
  [set.master, set.slave] = await Promise.all([
    startBroker(options.namesrvAddr, set.masterSpec),
    startBroker(options.namesrvAddr, set.slaveSpec),
  ]);
  return set;
}

/** The broker's commit-log end, from GET_BROKER_RUNTIME_INFO; -1 when it does not say. */
export async function commitLogMaxOffset(admin: MQAdmin, brokerAddr: string): Promise<number> {
  const info = await admin.brokerRuntimeInfo(brokerAddr);
  return Number(info.get('commitLogMaxOffset') ?? -1);
}

/** Waits until the slave's commit log ends where its master's does (which has data); resolves with that end. */
export async function waitForSlaveCaughtUp(admin: MQAdmin, set: MasterSlaveSet): Promise<number> {
  let end = -1;
  await waitFor(
    async () => {
      end = await commitLogMaxOffset(admin, set.masterAddr);
      return end > 0 && (await commitLogMaxOffset(admin, set.slaveAddr)) === end;
    },
    {
      description: `the slave of ${set.brokerName} to catch up with its master`,
      timeoutMs: 30_000,
    },
  );
  return end;
}

/**
 * A started Producer polling routes every 500 ms that reports a broker's non-OK store status instead of retrying
 * elsewhere (`retryAnotherBrokerWhenNotStoreOK` false), shut down by `cleanups`.
 */
export async function startTestProducer(options: {
  namesrvAddr: string;
  group: string;
  cleanups: (() => Promise<void>)[];
}): Promise<Producer> {
  const producer = new Producer({
    producerGroup: options.group,
    namesrvAddr: options.namesrvAddr,
    instanceName: options.group,
    clientIP: '127.0.0.1',
    pollNameServerInterval: 500,
    heartbeatBrokerInterval: 1000,
    retryAnotherBrokerWhenNotStoreOK: false,
    sendMsgTimeout: 5000,
  });
  await producer.start();
  options.cleanups.push(() => producer.shutdown());
  return producer;
}

/**
 * Calls `send` for every item with at most `inFlight` calls at once, resolving with the results in item order: the
 * load a few application threads would put on a broker, well below the burst that makes a busy CI machine's broker
 * answer SYSTEM_BUSY (which the 4.x client does not retry).
 */
export async function sendWithLimit<T, R>(
  items: readonly T[],
  inFlight: number,
  send: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const at = next++;
      results[at] = await send(items[at]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, () => lane()));
  return results;
}
