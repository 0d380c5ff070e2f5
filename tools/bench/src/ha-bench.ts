/**
 * Master/slave replication benchmark: the real mqnamesrv and mqbroker apps as processes (temp stores, 127.0.0.1),
 * 1 KiB SEND_MESSAGE_V2 over one connection with `--window` in flight, three runs with fresh processes each:
 * - a lone ASYNC_MASTER (no slave): the reference the others are quoted against, measured in the same run;
 * - ASYNC_MASTER + SLAVE: acks without waiting; replication lag sampled from the master every 250 ms;
 * - SYNC_MASTER + SLAVE: each send acked only once the slave has reported an offset past it.
 * For the runs with a slave: the largest and mean replication lag under full load (haBehindBytes of the master's
 * runtime info, also in ms of the send rate) and how long the slave took to catch up once sending stopped.
 *
 *   node tools/bench/dist/ha-bench.js [--duration=15] [--count=2000000] [--window=256] [--size=1024]
 *     [--warmup=2000] [--flush=ASYNC_FLUSH] [--max-load=0.7] [--load-wait=1200]
 */
import { cpus } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { RemotingCommand, RequestCode, ResponseCode, decodeKVTable } from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { runBenchMain, startApp, startNamesrvApp } from './app-process.js';
import type { AppProcess } from './app-process.js';
import { parseArgs } from './bench-args.js';
import { createTopic, produce } from './broker-workload.js';
import type { ProduceResult, Target } from './broker-workload.js';
import { loadAverage1m, waitForLowLoad } from './machine-load.js';

const args = parseArgs(process.argv.slice(2));
const COUNT = Number(args.count ?? 2_000_000);
const DURATION_MS = Number(args.duration ?? 15) * 1000;
const WINDOW = Number(args.window ?? 256);
const SIZE = Number(args.size ?? 1024);
const WARMUP = Number(args.warmup ?? 2000);
const FLUSH = (args.flush ?? 'ASYNC_FLUSH') as 'ASYNC_FLUSH' | 'SYNC_FLUSH';
const MAX_LOAD = Number(args['max-load'] ?? 0.7);
const LOAD_WAIT_MS = Number(args['load-wait'] ?? 1200) * 1000;
const QUEUES = 8;
const TOPIC = 'BenchHaTopic';
const LAG_SAMPLE_MS = 250;
const CATCH_UP_TIMEOUT_MS = 60_000;
const SLAVE_CONNECT_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 3000;

type Setup = 'lone ASYNC_MASTER' | 'ASYNC_MASTER + SLAVE' | 'SYNC_MASTER + SLAVE';

interface Lag {
  maxBytes: number;
  meanBytes: number;
  catchUpMs: number | undefined;
}

interface Row {
  readonly setup: Setup;
  readonly produced: ProduceResult;
  readonly lag?: Lag;
}

async function runtimeInfo(client: RemotingClient, addr: string): Promise<Map<string, string>> {
  const response = await client.invoke(
    addr,
    RemotingCommand.request(RequestCode.GET_BROKER_RUNTIME_INFO),
    { timeoutMs: REQUEST_TIMEOUT_MS },
  );
  if (response.code !== ResponseCode.SUCCESS || !response.body) {
    throw new Error(`GET_BROKER_RUNTIME_INFO from ${addr} answered ${response.code}`);
  }
  return decodeKVTable(response.body).table;
}

/** Samples the master's haBehindBytes until `stop` resolves. */
function sampleLag(client: RemotingClient, masterAddr: string) {
  const samples: number[] = [];
  let stopped = false;
  const done = (async () => {
    // Bounded: one sample per LAG_SAMPLE_MS for at most the run's duration plus a minute.
    const maxSamples = Math.ceil((DURATION_MS + 60_000) / LAG_SAMPLE_MS);
    for (let i = 0; i < maxSamples && !stopped; i++) {
      const info = await runtimeInfo(client, masterAddr).catch(() => undefined);
      const behind = Number(info?.get('haBehindBytes'));
      if (Number.isFinite(behind)) samples.push(behind);
      await delay(LAG_SAMPLE_MS);
    }
  })();
  return {
    stop: async (): Promise<number[]> => {
      stopped = true;
      await done;
      return samples;
    },
  };
}

async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - started;
    await delay(20);
  }
  return undefined;
}

function brokerConfig(role: 'ASYNC_MASTER' | 'SYNC_MASTER' | 'SLAVE') {
  return {
    brokerClusterName: 'BenchCluster',
    brokerName: 'bench-ha',
    brokerId: role === 'SLAVE' ? 1 : 0,
    brokerRole: role,
    listenPort: 0,
    bindAddress: '127.0.0.1',
    brokerIP1: '127.0.0.1',
    brokerIP2: '127.0.0.1',
    storePathRootDir: '{home}/store',
    flushDiskType: FLUSH,
  };
}

async function run(setup: Setup): Promise<Row> {
  const apps: AppProcess[] = [];
  const client = new RemotingClient();
  try {
    const namesrv = await startNamesrvApp();
    apps.push(namesrv);
    const role = setup.startsWith('SYNC') ? 'SYNC_MASTER' : 'ASYNC_MASTER';
    const master = await startApp({
      app: 'broker',
      name: `master-${role}`,
      config: brokerConfig(role),
      args: ['-n', namesrv.addr],
    });
    apps.push(master);
    const withSlave = setup !== 'lone ASYNC_MASTER';
    let slave: AppProcess | undefined;
    if (withSlave) {
      slave = await startApp({
        app: 'broker',
        name: 'slave',
        config: brokerConfig('SLAVE'),
        args: ['-n', namesrv.addr],
      });
      apps.push(slave);
      const connectedMs = await waitUntil(
        async () => (await runtimeInfo(client, master.addr)).get('haConnectedSlaveCount') === '1',
        SLAVE_CONNECT_TIMEOUT_MS,
      );
      if (connectedMs === undefined) throw new Error('the slave did not connect to its master');
    }
    const target: Target = {
      client,
      addr: master.addr,
      topic: TOPIC,
      queues: QUEUES,
      serverPids: apps.filter((a) => a.name !== 'namesrv').map((a) => a.pid),
    };
    await createTopic(target);
    console.log(`  ${setup}: producing …`);
    const sampler = withSlave ? sampleLag(client, master.addr) : undefined;
    const produced = await produce(target, {
      body: Buffer.alloc(SIZE, 0x68),
      window: WINDOW,
      warmup: WARMUP,
      count: COUNT,
      durationMs: DURATION_MS,
    });
    let lag: Lag | undefined;
    if (sampler && slave) {
      const catchUpMs = await waitUntil(async () => {
        const [m, s] = await Promise.all([
          runtimeInfo(client, master.addr),
          runtimeInfo(client, slave.addr),
        ]);
        return m.get('commitLogMaxOffset') === s.get('commitLogMaxOffset');
      }, CATCH_UP_TIMEOUT_MS);
      const samples = await sampler.stop();
      lag = {
        maxBytes: Math.max(0, ...samples),
        meanBytes: samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length),
        catchUpMs,
      };
    }
    for (const app of apps) {
      if (app.hasExited()) throw new Error(`${app.name} exited; stderr:\n${app.stderrTail()}`);
    }
    return { setup, produced, lag };
  } finally {
    await client.close();
    for (const app of apps.reverse()) await app.stop();
  }
}

function formatTable(rows: readonly Row[]): string[] {
  const lone = rows.find((r) => r.setup === 'lone ASYNC_MASTER')!.produced.messagesPerSecond;
  const asyncRate = rows.find((r) => r.setup === 'ASYNC_MASTER + SLAVE')?.produced
    .messagesPerSecond;
  const lines = [
    '| setup | msg/s | × lone master | × ASYNC_MASTER + SLAVE | ack p50 / p99 ms | lag max / mean KiB (ms at this rate) | slave caught up after | bench / brokers / other cores | notes |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const { setup, produced: p, lag } of rows) {
    const bytesPerMs = (p.messagesPerSecond * SIZE) / 1000;
    const failures = [...p.failures].map(([what, n]) => `${what} ×${n}`).join(', ');
    lines.push(
      `| ${[
        setup,
        Math.round(p.messagesPerSecond).toLocaleString('en-US'),
        `${((p.messagesPerSecond / lone) * 100).toFixed(1)} %`,
        asyncRate ? `${((p.messagesPerSecond / asyncRate) * 100).toFixed(1)} %` : '',
        `${p.latencyP50Ms.toFixed(1)} / ${p.latencyP99Ms.toFixed(1)}`,
        lag
          ? `${(lag.maxBytes / 1024).toFixed(0)} / ${(lag.meanBytes / 1024).toFixed(0)} (${(lag.maxBytes / bytesPerMs).toFixed(1)} / ${(lag.meanBytes / bytesPerMs).toFixed(1)})`
          : '',
        lag ? (lag.catchUpMs === undefined ? 'not within 60 s' : `${lag.catchUpMs} ms`) : '',
        `${p.cpu.clientCores.toFixed(2)} / ${p.cpu.serverCores.toFixed(2)} / ${p.cpu.otherCores.toFixed(2)}`,
        [`${p.acked.toLocaleString('en-US')} msgs in ${p.seconds.toFixed(1)} s`, failures]
          .filter(Boolean)
          .join('; '),
      ].join(' | ')} |`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  console.log(
    `ha bench ${new Date().toISOString()}: ${SIZE}-byte bodies, ${QUEUES} queues, window ${WINDOW}, ${FLUSH}, ` +
      `${WARMUP.toLocaleString('en-US')} warm-up then ${DURATION_MS / 1000} s; node ${process.version}, ${cpus().length} cores`,
  );
  const quiet = await waitForLowLoad({
    maxLoad: MAX_LOAD,
    timeoutMs: LOAD_WAIT_MS,
    intervalMs: 15_000,
    onBusy: (load, waitedMs) =>
      console.log(
        `  waiting for a quiet machine: load ${load.toFixed(2)} after ${Math.round(waitedMs / 1000)} s`,
      ),
  });
  console.log(
    `load average (1 min) at start: ${quiet.load.toFixed(2)}${quiet.quiet ? '' : ' — busy machine'}`,
  );
  const rows: Row[] = [];
  for (const setup of [
    'lone ASYNC_MASTER',
    'ASYNC_MASTER + SLAVE',
    'SYNC_MASTER + SLAVE',
  ] as const) {
    rows.push(await run(setup));
  }
  console.log(`load average (1 min) at the end: ${loadAverage1m().toFixed(2)}`);
  console.log('');
  for (const line of formatTable(rows)) console.log(line);
}

await runBenchMain(main);
