/**
 * Broker end-to-end benchmark: the real mqnamesrv and mqbroker apps as processes (temp store, 127.0.0.1), 1 KiB
 * messages, once per flush type (fresh store each):
 * - produce: one RemotingClient connection, SEND_MESSAGE_V2 round-robin over 8 queues, `--window` in flight,
 *   `--warmup` messages, then `--count` messages or `--duration` seconds; msg/s, MB/s, ack latency p50/p99, and
 *   the CPU cores of the bench (client), the broker process (server) and everything else on the machine;
 * - consume: then the whole backlog from offset 0 with PULL_MESSAGE (32 per pull, `--pulls` queues at once);
 * - with ASYNC_FLUSH, also ali-ons 3.12.0's producer with `--window` concurrent sends (`--ons=0` skips it).
 * References measured in the same run: bare loopback TCP between two Node processes, one write per 1 KiB frame
 * (before and after the brokers; the figures' ratio is to their mean), and the remoting request/response ceiling
 * (RemotingServer acking SEND_MESSAGE_V2 at once, same client code and window). Waits first (bounded) for a quiet
 * machine: 1-minute load average below `--max-load`.
 *
 *   node tools/bench/dist/broker-bench.js [--count=200000] [--duration=20] [--window=256] [--size=1024]
 *     [--warmup=2000] [--pulls=8] [--flush=ASYNC_FLUSH,SYNC_FLUSH] [--ons=1] [--baseline-seconds=5]
 *     [--max-load=0.7] [--load-wait=1200]
 */
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { runBenchMain, startApp, startNamesrvApp } from './app-process.js';
import type { AppProcess } from './app-process.js';
import { parseArgs } from './bench-args.js';
import { createTopic, drain, produce, waitForRoute } from './broker-workload.js';
import type { DrainResult, ProduceResult, Target } from './broker-workload.js';
import { forkAndAwaitMessage, stopChild } from './child-process.js';
import type { EchoServerKind } from './echo-server.js';
import { measureLoopbackStream } from './loopback-stream.js';
import type { CpuUsage } from './machine-load.js';
import { loadAverage1m, waitForLowLoad } from './machine-load.js';
import { produceWithAliOns } from './ons-producer.js';
import type { OnsProduceResult } from './ons-producer.js';

const args = parseArgs(process.argv.slice(2));
const COUNT = Number(args.count ?? 200_000);
const DURATION_MS = Number(args.duration ?? 20) * 1000;
const WINDOW = Number(args.window ?? 256);
const SIZE = Number(args.size ?? 1024);
const WARMUP = Number(args.warmup ?? 2000);
const QUEUES = 8;
const PULLS = Number(args.pulls ?? 8);
const MAX_MSG_NUMS = 32;
const DRAIN_TIMEOUT_MS = 120_000;
const FLUSH_TYPES = (args.flush ?? 'ASYNC_FLUSH,SYNC_FLUSH').split(',') as (
  'ASYNC_FLUSH' | 'SYNC_FLUSH'
)[];
const WITH_ONS = (args.ons ?? '1') !== '0';
const BASELINE_SECONDS = Number(args['baseline-seconds'] ?? 5);
const MAX_LOAD = Number(args['max-load'] ?? 0.7);
const LOAD_WAIT_MS = Number(args['load-wait'] ?? 1200) * 1000;
const LOAD_CHECK_INTERVAL_MS = 15_000;

const TOPIC = 'BenchTopic';
const ONS_TOPIC = 'BenchOnsTopic';

/** One line of the result table. */
interface Row {
  readonly workload: string;
  readonly messagesPerSecond: number;
  /** Multiples of the remoting ack reference (produce rows only). */
  readonly vsAck?: number;
  readonly latency?: { p50: number; p99: number };
  readonly cpu?: CpuUsage;
  readonly note?: string;
}

function failureNote(failures: ReadonlyMap<string, number>): string | undefined {
  if (failures.size === 0) return undefined;
  return `failed: ${[...failures].map(([what, n]) => `${what} ×${n}`).join(', ')}`;
}

function produceRow(workload: string, r: ProduceResult, ackRate?: number): Row {
  return {
    workload,
    messagesPerSecond: r.messagesPerSecond,
    vsAck: ackRate === undefined ? undefined : r.messagesPerSecond / ackRate,
    latency: { p50: r.latencyP50Ms, p99: r.latencyP99Ms },
    cpu: r.cpu,
    note: [
      `${r.acked.toLocaleString('en-US')} msgs in ${r.seconds.toFixed(1)} s`,
      failureNote(r.failures),
    ]
      .filter(Boolean)
      .join('; '),
  };
}

function drainRow(workload: string, r: DrainResult, expected: number): Row {
  const missing = expected - r.messages;
  return {
    workload,
    messagesPerSecond: r.messagesPerSecond,
    cpu: r.cpu,
    note: [
      `${r.messages.toLocaleString('en-US')} msgs in ${r.seconds.toFixed(1)} s, ${r.pulls.toLocaleString('en-US')} pulls`,
      missing !== 0 ? `expected ${expected.toLocaleString('en-US')}` : '',
      r.complete ? '' : `stopped after ${DRAIN_TIMEOUT_MS / 1000} s`,
    ]
      .filter(Boolean)
      .join('; '),
  };
}

function onsRow(workload: string, r: OnsProduceResult, ackRate: number): Row {
  return {
    workload,
    messagesPerSecond: r.messagesPerSecond,
    vsAck: r.messagesPerSecond / ackRate,
    cpu: r.cpu,
    note: [
      `${r.acked.toLocaleString('en-US')} msgs in ${r.seconds.toFixed(1)} s`,
      failureNote(r.failures),
    ]
      .filter(Boolean)
      .join('; '),
  };
}

async function remotingAckReference(client: RemotingClient): Promise<ProduceResult> {
  const kind: EchoServerKind = 'remoting-ack';
  const { child, message } = await forkAndAwaitMessage<{ port: number }>(
    fileURLToPath(new URL('./echo-server.js', import.meta.url)),
    [`--serve=${kind}`],
  );
  try {
    const target: Target = {
      client,
      addr: `127.0.0.1:${message.port}`,
      topic: TOPIC,
      queues: QUEUES,
      serverPids: [child.pid!],
    };
    return await produce(target, produceOptions());
  } finally {
    await client.closeChannel(`127.0.0.1:${message.port}`);
    await stopChild(child);
  }
}

function produceOptions() {
  return {
    body: Buffer.alloc(SIZE, 0x62),
    window: WINDOW,
    warmup: WARMUP,
    count: COUNT,
    durationMs: DURATION_MS,
  };
}

/** One broker run: fresh name server, broker and store; produce, drain, and (ASYNC_FLUSH) ali-ons. */
async function brokerRun(
  flushDiskType: 'ASYNC_FLUSH' | 'SYNC_FLUSH',
  ackRate: number,
): Promise<Row[]> {
  const apps: AppProcess[] = [];
  const client = new RemotingClient();
  try {
    const namesrv = await startNamesrvApp();
    apps.push(namesrv);
    const broker = await startApp({
      app: 'broker',
      name: `broker-${flushDiskType}`,
      config: {
        brokerClusterName: 'BenchCluster',
        brokerName: 'bench-broker',
        brokerId: 0,
        listenPort: 0,
        bindAddress: '127.0.0.1',
        brokerIP1: '127.0.0.1',
        storePathRootDir: '{home}/store',
        flushDiskType,
      },
      args: ['-n', namesrv.addr],
    });
    apps.push(broker);
    const target: Target = {
      client,
      addr: broker.addr,
      topic: TOPIC,
      queues: QUEUES,
      serverPids: [broker.pid],
    };
    await createTopic(target);
    const rows: Row[] = [];
    console.log(`  ${flushDiskType}: producing (broker pid ${broker.pid}) …`);
    const produced = await produce(target, produceOptions());
    rows.push(produceRow(`broker ${flushDiskType}: produce`, produced, ackRate));
    console.log(
      `  ${flushDiskType}: draining ${produced.storedTotal.toLocaleString('en-US')} messages …`,
    );
    const drained = await drain(target, {
      inFlight: PULLS,
      maxMsgNums: MAX_MSG_NUMS,
      timeoutMs: DRAIN_TIMEOUT_MS,
    });
    rows.push(drainRow(`broker ${flushDiskType}: consume`, drained, produced.storedTotal));
    if (flushDiskType === 'ASYNC_FLUSH' && WITH_ONS) {
      console.log(`  ${flushDiskType}: ali-ons producer …`);
      await createTopic({ ...target, topic: ONS_TOPIC });
      await waitForRoute({
        client,
        namesrvAddr: namesrv.addr,
        topic: ONS_TOPIC,
        timeoutMs: 15_000,
      });
      const ons = await produceWithAliOns({
        ...produceOptions(),
        namesrvAddr: namesrv.addr,
        topic: ONS_TOPIC,
        serverPids: [broker.pid],
      });
      rows.push(onsRow(`ali-ons 3.12.0 → broker ${flushDiskType}: produce`, ons, ackRate));
      if (ons.logTail.length > 0)
        console.log(`  ali-ons log tail:\n    ${ons.logTail.join('\n    ')}`);
    }
    for (const app of apps) {
      if (app.hasExited()) {
        throw new Error(`${app.name} exited during the run; stderr:\n${app.stderrTail()}`);
      }
    }
    return rows;
  } finally {
    await client.close();
    for (const app of apps.reverse()) await app.stop();
  }
}

function formatTable(rows: readonly Row[], baseline: number): string[] {
  const fixed = (n: number | undefined, digits: number) =>
    n === undefined || Number.isNaN(n) ? '' : n.toFixed(digits);
  const lines = [
    '| workload | msg/s | MB/s | × loopback | × remoting ack | ack p50 / p99 ms | client / server / other cores | notes |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    const cells = [
      r.workload,
      Math.round(r.messagesPerSecond).toLocaleString('en-US'),
      ((r.messagesPerSecond * SIZE) / 1e6).toFixed(1),
      `${((r.messagesPerSecond / baseline) * 100).toFixed(1)} %`,
      r.vsAck === undefined ? '' : `${(r.vsAck * 100).toFixed(1)} %`,
      r.latency ? `${fixed(r.latency.p50, 1)} / ${fixed(r.latency.p99, 1)}` : '',
      r.cpu
        ? `${fixed(r.cpu.clientCores, 2)} / ${fixed(r.cpu.serverCores, 2)} / ${fixed(r.cpu.otherCores, 2)}`
        : '',
      r.note ?? '',
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

async function main(): Promise<void> {
  console.log(
    `broker bench ${new Date().toISOString()}: ${SIZE}-byte bodies, ${QUEUES} queues, window ${WINDOW}, ` +
      `${WARMUP.toLocaleString('en-US')} warm-up then ${COUNT.toLocaleString('en-US')} msgs or ${DURATION_MS / 1000} s, ` +
      `pulls of ${MAX_MSG_NUMS} with ${PULLS} in flight; node ${process.version}, ${cpus().length} cores`,
  );
  const quiet = await waitForLowLoad({
    maxLoad: MAX_LOAD,
    timeoutMs: LOAD_WAIT_MS,
    intervalMs: LOAD_CHECK_INTERVAL_MS,
    onBusy: (load, waitedMs) =>
      console.log(
        `  waiting for a quiet machine: load ${load.toFixed(2)} after ${Math.round(waitedMs / 1000)} s`,
      ),
  });
  console.log(
    `load average (1 min) at start: ${quiet.load.toFixed(2)}` +
      (quiet.quiet
        ? ` (below ${MAX_LOAD} after ${Math.round(quiet.waitedMs / 1000)} s)`
        : ` — still at least ${MAX_LOAD} after ${Math.round(quiet.waitedMs / 1000)} s: figures taken on a busy machine`),
  );

  const loopbackBefore = await measureLoopbackStream({
    seconds: BASELINE_SECONDS,
    frameBytes: SIZE,
  });
  console.log(
    `  loopback TCP (start): ${Math.round(loopbackBefore.framesPerSecond).toLocaleString('en-US')} frames/s`,
  );
  const client = new RemotingClient();
  let ack: ProduceResult;
  try {
    ack = await remotingAckReference(client);
  } finally {
    await client.close();
  }
  console.log(`  remoting ack: ${Math.round(ack.messagesPerSecond).toLocaleString('en-US')} msg/s`);
  const rows: Row[] = [produceRow('remoting ack (RemotingServer, nothing stored): produce', ack)];
  for (const flushDiskType of FLUSH_TYPES)
    rows.push(...(await brokerRun(flushDiskType, ack.messagesPerSecond)));
  const loopbackAfter = await measureLoopbackStream({
    seconds: BASELINE_SECONDS,
    frameBytes: SIZE,
  });
  console.log(
    `  loopback TCP (end): ${Math.round(loopbackAfter.framesPerSecond).toLocaleString('en-US')} frames/s`,
  );
  const baseline = (loopbackBefore.framesPerSecond + loopbackAfter.framesPerSecond) / 2;

  console.log('');
  console.log(
    `baseline: loopback TCP, one socket.write() per ${SIZE}-byte frame with backpressure, two Node processes: ` +
      `${Math.round(loopbackBefore.framesPerSecond).toLocaleString('en-US')} frames/s before, ` +
      `${Math.round(loopbackAfter.framesPerSecond).toLocaleString('en-US')} after, mean ` +
      `${Math.round(baseline).toLocaleString('en-US')} frames/s (${((baseline * SIZE) / 1e6).toFixed(1)} MB/s) = 100 %`,
  );
  console.log(`load average (1 min) at the end: ${loadAverage1m().toFixed(2)}`);
  console.log('');
  for (const line of formatTable(rows, baseline)) console.log(line);
}

await runBenchMain(main);
