/**
 * Client benchmark in the style of RocketMQ's `benchmark/producer.sh` and `consumer.sh`, through
 * `@rocketmq-ts/client` against real mqnamesrv + mqbroker processes (started here on 127.0.0.1 with a temp store,
 * or `--namesrv=host:port` for a running cluster). One progress line per second, then a summary.
 * - produce: `Producer.send` with `--window` sends in flight, `--size` byte bodies, for `--duration` s: Send TPS,
 *   average and max RT per second; summary p50 / p99 / max.
 * - latency: sends at a steady `--rate` msg/s (1 ms ticks) for `--duration` s: RT p50 / p99 / max.
 * - consume: a PushConsumer drains what produce stored (CONSUME_FROM_FIRST_OFFSET): Consume TPS per second and the
 *   drain rate.
 * Reference measured in the same run: bare loopback TCP between two Node processes, one write per frame of the same
 * size (each figure is printed with its ratio to it). Flags: USAGE below (also printed by `--help`).
 */
import { MQAdmin, Producer, PushConsumer } from '@rocketmq-ts/client';
import { killAllAppsNow, startApp, startNamesrvApp, stopAppsOnSignals } from './app-process.js';
import type { AppProcess } from './app-process.js';
import { parseBenchArgs } from './bench-args.js';
import { measureLoopbackStream } from './loopback-stream.js';
import { loadAverage1m, startCpuMeter } from './machine-load.js';
import type { CpuUsage } from './machine-load.js';

const USAGE = `usage: node tools/bench/dist/client-bench.js [--modes=produce,latency,consume] [--size=1024]
  [--window=256] [--duration=20] [--rate=5000] [--latency-warmup=3] [--topic=BenchmarkClientTopic]
  [--flush=ASYNC_FLUSH] [--namesrv=host:port] [--baseline-seconds=5]
Starts mqnamesrv + mqbroker on 127.0.0.1 with a temp store unless --namesrv names a running cluster.`;
const args = parseBenchArgs(
  process.argv.slice(2),
  [
    'modes',
    'size',
    'window',
    'duration',
    'rate',
    'latency-warmup',
    'topic',
    'flush',
    'namesrv',
    'baseline-seconds',
  ],
  USAGE,
);
const MODES = (args.modes ?? 'produce,latency,consume').split(',');
const SIZE = Number(args.size ?? 1024);
const WINDOW = Number(args.window ?? 256);
const DURATION_MS = Number(args.duration ?? 20) * 1000;
const RATE = Number(args.rate ?? 5000);
const LATENCY_WARMUP_MS = Number(args['latency-warmup'] ?? 3) * 1000;
const FLUSH = args.flush ?? 'ASYNC_FLUSH';
const BASELINE_SECONDS = Number(args['baseline-seconds'] ?? 5);
const TOPIC = args.topic ?? 'BenchmarkClientTopic';
const QUEUES = 8;
/** Longest the drain may take, ms. */
const DRAIN_LIMIT_MS = 120_000;

/** Latencies of one run, ms, kept for percentiles (bounded by the run's message count). */
class RtRecorder {
  private readonly all: number[] = [];
  private windowSum = 0;
  private windowCount = 0;
  private windowMax = 0;
  failed = 0;

  add(ms: number): void {
    this.all.push(ms);
    this.windowSum += ms;
    this.windowCount++;
    if (ms > this.windowMax) this.windowMax = ms;
  }

  /** The second's line, RocketMQ benchmark style; resets the window. */
  takeSecond(label: string): string {
    const avg = this.windowCount === 0 ? 0 : this.windowSum / this.windowCount;
    const line = `${new Date().toISOString()} | ${label} TPS: ${this.windowCount} | Max RT(ms): ${this.windowMax.toFixed(2)} | Average RT(ms): ${avg.toFixed(3)} | Send Failed: ${this.failed}`;
    this.windowSum = 0;
    this.windowCount = 0;
    this.windowMax = 0;
    return line;
  }

  count(): number {
    return this.all.length;
  }

  percentile(p: number): number {
    if (this.all.length === 0) return 0;
    const sorted = [...this.all].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  }
}

interface Figure {
  what: string;
  perSecond: number;
  /** Messages acknowledged (produce) or received (consume). */
  messages: number;
  detail: string;
}

async function startCluster(): Promise<{ namesrvAddr: string; apps: AppProcess[] }> {
  const namesrv = await startNamesrvApp();
  const broker = await startApp({
    app: 'broker',
    name: 'broker-a',
    config: {
      brokerName: 'broker-a',
      listenPort: 0,
      bindAddress: '127.0.0.1',
      brokerIP1: '127.0.0.1',
      storePathRootDir: '{home}/store',
      flushDiskType: FLUSH,
    },
    args: ['-n', namesrv.addr],
  });
  return { namesrvAddr: namesrv.addr, apps: [broker, namesrv] };
}

async function createTopic(namesrvAddr: string): Promise<void> {
  const admin = new MQAdmin({ namesrvAddr, instanceName: `bench-admin-${process.pid}` });
  await admin.start();
  try {
    const cluster = await admin.clusterInfo();
    for (const [, data] of cluster.brokerAddrTable) {
      const addr = data.brokerAddrs.get(0);
      if (addr === undefined) continue;
      await admin.createOrUpdateTopic(addr, {
        topicName: TOPIC,
        readQueueNums: QUEUES,
        writeQueueNums: QUEUES,
      });
    }
    const deadline = Date.now() + 15_000;
    for (;;) {
      const route = await admin.topicRoute(TOPIC).catch(() => undefined);
      if (route !== undefined) return;
      if (Date.now() > deadline) throw new Error(`no route for ${TOPIC} within 15 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await admin.close();
  }
}

async function produce(
  producer: Producer,
  body: Buffer,
  serverPids: readonly number[],
): Promise<Figure> {
  const rt = new RtRecorder();
  const meter = startCpuMeter(serverPids);
  const deadline = performance.now() + DURATION_MS;
  const ticker = setInterval(() => console.log(rt.takeSecond('Send')), 1000);
  const startedAt = performance.now();
  let inFlight = 0;
  await new Promise<void>((resolve) => {
    const pump = (): void => {
      while (inFlight < WINDOW && performance.now() < deadline) {
        inFlight++;
        const sentAt = performance.now();
        producer.send({ topic: TOPIC, body, tags: 'TagA' }).then(
          () => {
            rt.add(performance.now() - sentAt);
            inFlight--;
            pump();
          },
          () => {
            rt.failed++;
            inFlight--;
            pump();
          },
        );
      }
      if (inFlight === 0 && performance.now() >= deadline) resolve();
    };
    pump();
  });
  clearInterval(ticker);
  const cpu = meter.stop();
  const seconds = (performance.now() - startedAt) / 1000;
  const perSecond = rt.count() / seconds;
  return {
    what: `produce, ${WINDOW} in flight`,
    perSecond,
    messages: rt.count(),
    detail: `${rt.count()} sent in ${seconds.toFixed(1)} s, failed ${rt.failed}; RT p50 ${rt.percentile(50).toFixed(2)} / p99 ${rt.percentile(99).toFixed(2)} / max ${rt.percentile(100).toFixed(2)} ms; ${cpuPerMessage(cpu, perSecond, { client: 'producer', withBroker: serverPids.length > 0 })}`,
  };
}

/**
 * CPU time per message, µs, of the producer or consumer (this process, GC threads included) and of the broker (when this
 * run started it), from the cores each used over the phase: what a faster send has to cut, less noisy on a shared
 * machine than the rate itself.
 */
function cpuPerMessage(
  cpu: CpuUsage,
  perSecond: number,
  who: { client: 'producer' | 'consumer'; withBroker: boolean },
): string {
  const { client, withBroker } = who;
  const micros = (cores: number): string => ((cores / perSecond) * 1e6).toFixed(1);
  const broker = withBroker ? `, broker ${micros(cpu.serverCores)} µs` : '';
  return `CPU per message: ${client} ${micros(cpu.clientCores)} µs${broker} (cores: ${client} ${cpu.clientCores.toFixed(2)}${withBroker ? `, broker ${cpu.serverCores.toFixed(2)}` : ''}, rest of machine ${cpu.otherCores.toFixed(2)})`;
}

async function steadyLatency(producer: Producer, body: Buffer): Promise<Figure> {
  const rt = new RtRecorder();
  const perTick = RATE / 1000;
  const startedAt = performance.now();
  // The first seconds (route lookup, connections, JIT) are sent at the same rate but not recorded: steady state only.
  const measuredFrom = startedAt + LATENCY_WARMUP_MS;
  const deadline = measuredFrom + DURATION_MS;
  const pending = new Set<Promise<void>>();
  let due = 0;
  let sent = 0;
  const ticker = setInterval(() => console.log(rt.takeSecond('Send')), 1000);
  while (performance.now() < deadline) {
    due += perTick;
    while (sent < Math.floor(due)) {
      sent++;
      const sentAt = performance.now();
      const recorded = sentAt >= measuredFrom;
      const p = producer.send({ topic: TOPIC, body, tags: 'TagB' }).then(
        () => {
          if (recorded) rt.add(performance.now() - sentAt);
        },
        () => void rt.failed++,
      );
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
    // Ticks run late on a busy machine: catch up on the schedule, not on the count of ticks.
    due = Math.max(due, ((performance.now() - startedAt) / 1000) * RATE - perTick);
  }
  await Promise.all(pending);
  clearInterval(ticker);
  const seconds = (performance.now() - measuredFrom) / 1000;
  return {
    what: `steady ${RATE} msg/s`,
    perSecond: rt.count() / seconds,
    messages: rt.count(),
    detail: `RT p50 ${rt.percentile(50).toFixed(2)} / p99 ${rt.percentile(99).toFixed(2)} / max ${rt.percentile(100).toFixed(2)} ms after ${LATENCY_WARMUP_MS / 1000} s unrecorded at the same rate, failed ${rt.failed}`,
  };
}

async function consume(
  namesrvAddr: string,
  expected: number,
  serverPids: readonly number[],
): Promise<Figure> {
  let received = 0;
  let windowCount = 0;
  const consumer = new PushConsumer({
    consumerGroup: `BenchConsumer${process.pid}`,
    namesrvAddr,
    instanceName: `bench-consumer-${process.pid}`,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    consumeMessageBatchMaxSize: 32,
  });
  consumer.subscribe(TOPIC, '*');
  consumer.registerMessageListener((msgs) => {
    received += msgs.length;
    windowCount += msgs.length;
    return Promise.resolve('CONSUME_SUCCESS');
  });
  const ticker = setInterval(() => {
    console.log(`${new Date().toISOString()} | Consume TPS: ${windowCount} | Total: ${received}`);
    windowCount = 0;
  }, 1000);
  const startedAt = performance.now();
  const meter = startCpuMeter(serverPids);
  await consumer.start();
  const deadline = startedAt + DRAIN_LIMIT_MS;
  while (received < expected && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - startedAt) / 1000;
  const cpu = meter.stop();
  clearInterval(ticker);
  await consumer.shutdown();
  const perSecond = received / seconds;
  return {
    what: 'consume backlog (PushConsumer, batch 32)',
    perSecond,
    messages: received,
    detail: `${received} of ${expected} in ${seconds.toFixed(1)} s (from start(), rebalance included); ${cpuPerMessage(cpu, perSecond, { client: 'consumer', withBroker: serverPids.length > 0 })}`,
  };
}

async function main(): Promise<void> {
  console.log(
    `client-bench: modes ${MODES.join(',')}, ${SIZE} B bodies, window ${WINDOW}, ${DURATION_MS / 1000} s, ${FLUSH}, load ${loadAverage1m().toFixed(2)}`,
  );
  const baseline = await measureLoopbackStream({ seconds: BASELINE_SECONDS, frameBytes: SIZE });
  console.log(
    `baseline: loopback TCP, one write per ${SIZE} B frame: ${Math.round(baseline.framesPerSecond)} frames/s`,
  );
  const cluster = args.namesrv === undefined ? await startCluster() : undefined;
  const namesrvAddr = args.namesrv ?? cluster!.namesrvAddr;
  const figures: Figure[] = [];
  try {
    await createTopic(namesrvAddr);
    const producer = new Producer({
      producerGroup: `BenchProducer${process.pid}`,
      namesrvAddr,
      instanceName: `bench-producer-${process.pid}`,
    });
    await producer.start();
    const body = Buffer.alloc(SIZE, 0x61);
    let stored = 0;
    // The broker's pid when this run started it (the first app): its CPU per message is reported too.
    const serverPids = cluster === undefined ? [] : [cluster.apps[0]!.pid];
    try {
      if (MODES.includes('produce')) figures.push(await produce(producer, body, serverPids));
      if (MODES.includes('latency')) figures.push(await steadyLatency(producer, body));
      stored = figures.reduce((sum, f) => sum + f.messages, 0);
    } finally {
      await producer.shutdown();
    }
    if (MODES.includes('consume') && stored > 0) {
      figures.push(await consume(namesrvAddr, stored, serverPids));
    }
  } finally {
    for (const app of cluster?.apps ?? []) await app.stop();
  }
  console.log('\n| workload | msg/s | × loopback | detail |\n| --- | ---: | ---: | --- |');
  for (const f of figures) {
    console.log(
      `| ${f.what} | ${Math.round(f.perSecond).toLocaleString('en-US')} | ${((100 * f.perSecond) / baseline.framesPerSecond).toFixed(1)} % | ${f.detail} |`,
    );
  }
  console.log(
    `| loopback TCP baseline | ${Math.round(baseline.framesPerSecond).toLocaleString('en-US')} | 100 % | same run |`,
  );
}

stopAppsOnSignals();
main().then(
  () => process.exit(0),
  (error: unknown) => {
    killAllAppsNow();
    console.error(error);
    process.exit(1);
  },
);
