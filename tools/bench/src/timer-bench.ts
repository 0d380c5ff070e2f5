/**
 * Timer-message benchmark (issue M1-7): one in-process store and the broker's TimerMessageService. Enqueues
 * `--count` timer messages (rewritten by `toTimerMessage` as the send path does) due at scrambled times within a
 * window that opens `--lead-ms` after the start and lasts `--spread-ms` (defaults for 1M: 40 s and 20 s), then
 * waits for every delivery. Reports the enqueue rate beside the same number of plain putMessage calls to a fresh
 * store in the same run (= 100 %), the lateness of each delivery against its due time (p50/p99/max), the delivery
 * throughput, and RSS.
 *
 *   node tools/bench/dist/timer-bench.js [--count=1000000] [--lead-ms=40000] [--spread-ms=20000] [--window=512]
 *     [--dir=/tmp]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TimerMessageService, toTimerMessage } from '@rocketmq-ts/broker';
import { encodeMessageProperties } from '@rocketmq-ts/protocol';
import type { HostAddress } from '@rocketmq-ts/protocol';
import { openMessageStore } from '@rocketmq-ts/store';
import type { MessageStore, PutMessageInput } from '@rocketmq-ts/store';
import { parseArgs } from './bench-args.js';

/** What the bench uses of `@rocketmq-ts/broker`'s timer module. */
export interface TimerBenchApi {
  toTimerMessage(input: PutMessageInput, deliverAtMs: number): PutMessageInput;
  TimerMessageService: new (options: {
    store: MessageStore;
    storeHost: () => HostAddress;
    precisionMs?: number;
    onDelivered?: (deliverAtMs: number, storeTimestampMs: number) => void;
  }) => {
    start(): void;
    close(): Promise<void>;
    stats(): { pending: number; delivered: number };
  };
}

/** Options of {@link runTimerBench}. */
export interface TimerBenchOptions {
  count: number;
  /** The first timer is due this long after the enqueue starts, ms. */
  leadMs: number;
  /** Timers are due uniformly over this window, ms. */
  spreadMs: number;
  /** Puts in flight while enqueueing. */
  window: number;
  /** Parent of the temp store dirs. */
  dir: string;
  /** Where lines go. */
  print: (line: string) => void;
}

const bornHost = { host: '127.0.0.1', port: 50000 };
const storeHost = { host: '127.0.0.1', port: 10911 };
const body = Buffer.alloc(64, 0x62);

function plain(i: number, properties: string): PutMessageInput {
  return {
    topic: 'TimerBenchTopic',
    queueId: i % 4,
    body,
    properties,
    bornTimestamp: Date.now(),
    bornHost,
    storeHost,
  };
}

/** Puts `count` inputs with `window` in flight. @returns seconds taken. */
async function putAll(
  store: MessageStore,
  load: { count: number; window: number },
  make: (i: number) => PutMessageInput,
): Promise<number> {
  const { count, window } = load;
  const started = process.hrtime.bigint();
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const result = await store.putMessage(make(next++));
      if (result.status !== 'PUT_OK') failures++;
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
  if (failures > 0) throw new Error(`${failures} puts failed`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

/** Runs the benchmark; resolves once every timer is delivered (or throws at the deadline). */
export async function runTimerBench(api: TimerBenchApi, o: TimerBenchOptions): Promise<void> {
  const properties = encodeMessageProperties(
    new Map([
      ['TAGS', 'TagA'],
      ['KEYS', 'bench-key'],
    ]),
  );
  const rssStart = process.memoryUsage().rss;
  o.print(`timer bench: ${o.count.toLocaleString('en-US')} timers, window ${o.window}`);

  // Reference: the same number of plain puts into a fresh store.
  const refDir = await mkdtemp(join(o.dir, 'rmq-timer-ref-'));
  let refSeconds: number;
  try {
    const store = await openMessageStore({ storePathRootDir: refDir });
    try {
      refSeconds = await putAll(store, o, (i) => plain(i, properties));
    } finally {
      await store.close();
    }
  } finally {
    await rm(refDir, { recursive: true, force: true });
  }
  const refRate = o.count / refSeconds;
  o.print(`plain putMessage (reference): ${Math.round(refRate).toLocaleString('en-US')} msg/s`);

  const dir = await mkdtemp(join(o.dir, 'rmq-timer-'));
  const store = await openMessageStore({ storePathRootDir: dir });
  const lateness = new Float64Array(o.count);
  let deliveredCount = 0;
  let firstDeliveryMs = 0;
  let lastDeliveryMs = 0;
  const service = new api.TimerMessageService({
    store,
    storeHost: () => storeHost,
    onDelivered: (deliverAtMs, storedMs) => {
      if (deliveredCount === 0) firstDeliveryMs = Date.now();
      lastDeliveryMs = Date.now();
      if (deliveredCount < lateness.length) lateness[deliveredCount] = storedMs - deliverAtMs;
      deliveredCount++;
    },
  });
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 200);
  try {
    service.start();
    const startMs = Date.now();
    const firstDueMs = startMs + o.leadMs;
    // Scrambled due times: a multiplicative step visits every slot of the window once.
    const step = 7_919;
    const enqueueSeconds = await putAll(store, o, (i) => {
      const due = firstDueMs + Math.floor((((i * step) % o.count) / o.count) * o.spreadMs);
      return api.toTimerMessage(plain(i, properties), due);
    });
    const rssEnqueued = process.memoryUsage().rss;
    const enqueueRate = o.count / enqueueSeconds;
    o.print(
      `timer enqueue: ${Math.round(enqueueRate).toLocaleString('en-US')} msg/s ` +
        `(${((enqueueRate / refRate) * 100).toFixed(0)} % of plain puts), ` +
        `${enqueueSeconds.toFixed(1)} s; pending ${service.stats().pending.toLocaleString('en-US')}, ` +
        `RSS ${mb(rssEnqueued)}, heap ${mb(process.memoryUsage().heapUsed)}`,
    );
    if (Date.now() > firstDueMs)
      o.print('warning: enqueue outlasted --lead-ms; early timers are late');
    const deadline = firstDueMs + o.spreadMs + 120_000;
    while (deliveredCount < o.count) {
      if (Date.now() > deadline) {
        throw new Error(`only ${deliveredCount} of ${o.count} timers delivered by the deadline`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const sorted = lateness.slice(0, Math.min(deliveredCount, o.count)).sort();
    const deliverySeconds = Math.max(0.001, (lastDeliveryMs - firstDeliveryMs) / 1000);
    o.print(
      `delivery lateness vs due time: p50 ${percentile(sorted, 0.5)} ms, ` +
        `p99 ${percentile(sorted, 0.99)} ms, max ${sorted[sorted.length - 1]} ms, ` +
        `min ${sorted[0]} ms`,
    );
    o.print(
      `delivery: ${o.count.toLocaleString('en-US')} in ${deliverySeconds.toFixed(1)} s ` +
        `(due over ${(o.spreadMs / 1000).toFixed(0)} s) = ` +
        `${Math.round(o.count / deliverySeconds).toLocaleString('en-US')} msg/s`,
    );
    o.print(
      `RSS: start ${mb(rssStart)}, after enqueue ${mb(rssEnqueued)}, peak ${mb(peakRss)}, ` +
        `end ${mb(process.memoryUsage().rss)}`,
    );
  } finally {
    clearInterval(sampler);
    await service.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const count = Number(args.count ?? 1_000_000);
  await runTimerBench(
    { TimerMessageService, toTimerMessage },
    {
      count,
      leadMs: Number(args['lead-ms'] ?? Math.max(4000, Math.ceil(count / 25))),
      spreadMs: Number(args['spread-ms'] ?? Math.max(5000, Math.ceil(count * 0.02))),
      window: Number(args.window ?? 512),
      dir: args.dir ?? tmpdir(),
      print: (line) => process.stdout.write(`${line}\n`),
    },
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
}
