/**
 * Store benchmark (issue M1-2): 1 KiB bodies, 256 puts in flight, one writer — ASYNC_FLUSH and SYNC_FLUSH put
 * rates and getMessage read rates (32 messages per call), each printed beside a plain sequential fs write of the same
 * bytes measured in the same run. Reports peak RSS.
 *
 *   node tools/bench/dist/store-bench.js [--messages=400000] [--window=256] [--body=1024] [--dir=/tmp]
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMessageProperties, encodeMessageRecord } from '@rocketmq-ts/protocol';
import { openMessageStore } from '@rocketmq-ts/store';
import type { FlushDiskType, MessageStore, PutMessageInput } from '@rocketmq-ts/store';
import { parseArgs } from './bench-args.js';

const args = parseArgs(process.argv.slice(2));
const MESSAGES = Number(args.messages ?? 400_000);
const WINDOW = Number(args.window ?? 256);
const BODY_BYTES = Number(args.body ?? 1024);
const QUEUES = 4;
const BASE_DIR = args.dir ?? tmpdir();
const HOT_FRACTION = 0.9;
const HOT_WARMUP_PASSES = 2;
const HOT_MEASURED_PASSES = 3;

const body = Buffer.alloc(BODY_BYTES, 0x62);
const properties = encodeMessageProperties(
  new Map([
    ['TAGS', 'TagA'],
    ['KEYS', 'bench-key'],
  ]),
);
const bornHost = { host: '127.0.0.1', port: 50000 };
const storeHost = { host: '127.0.0.1', port: 10911 };

function input(i: number): PutMessageInput {
  return {
    topic: 'BenchTopic',
    queueId: i % QUEUES,
    body,
    properties,
    bornTimestamp: Date.now(),
    bornHost,
    storeHost,
  };
}

function recordBytes(): number {
  return encodeMessageRecord({
    topic: 'BenchTopic',
    queueId: 0,
    body,
    properties,
    bornTimestamp: 0,
    bornHost,
    storeTimestamp: 0,
    storeHost,
  }).length;
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1]!;
}

function rate(count: number, seconds: number): string {
  return `${Math.round(count / seconds).toLocaleString('en-US')} msg/s`;
}

/** Plain sequential writes of the same bytes: 1 MiB writes, then one fdatasync. */
async function plainWrite(dir: string, totalBytes: number): Promise<number> {
  const handle = await open(join(dir, 'plain.bin'), 'w');
  const chunk = Buffer.alloc(1024 * 1024, 0x62);
  const started = process.hrtime.bigint();
  for (let written = 0; written < totalBytes; written += chunk.length) {
    await handle.write(chunk, 0, Math.min(chunk.length, totalBytes - written));
  }
  await handle.datasync();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await handle.close();
  await rm(join(dir, 'plain.bin'));
  return seconds;
}

async function putAll(store: MessageStore): Promise<number> {
  let next = 0;
  let failures = 0;
  const started = process.hrtime.bigint();
  const lane = async (): Promise<void> => {
    while (next < MESSAGES) {
      const result = await store.putMessage(input(next++));
      if (result.status !== 'PUT_OK') failures++;
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, () => lane()));
  if (failures > 0) throw new Error(`${failures} puts did not return PUT_OK`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * Reads every queue from `fromFraction` of its length to its end, 32 messages per getMessage. The last part of the
 * log (about `readCacheBytes`) is served from memory ("hot", consumers that keep up); older data from the files.
 */
async function readAll(
  store: MessageStore,
  fromFraction: number,
): Promise<{ seconds: number; read: number }> {
  let read = 0;
  const started = process.hrtime.bigint();
  for (let queueId = 0; queueId < QUEUES; queueId++) {
    let offset = Math.floor(store.getMaxOffsetInQueue('BenchTopic', queueId) * fromFraction);
    for (;;) {
      const result = await store.getMessage({
        topic: 'BenchTopic',
        queueId,
        queueOffset: offset,
        maxMsgNums: 32,
      });
      if (result.status !== 'FOUND') break;
      read += result.messages.length;
      offset = result.nextBeginOffset;
      // Done with the records: their memory serves the next read (as the broker does once a pull is answered).
      result.release();
    }
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, read };
}

interface StoreRun {
  put: number;
  /** Rate of each measured hot pass, msg/s, in pass order. */
  hotPasses: number[];
  cold: { seconds: number; read: number };
}

async function runStore(dir: string, flushDiskType: FlushDiskType): Promise<StoreRun> {
  const store = await openMessageStore({
    storePathRootDir: join(dir, flushDiskType),
    flushDiskType,
    mappedFileSizeCommitLog: 256 * 1024 * 1024,
    readCacheBytes: 64 * 1024 * 1024,
  });
  try {
    const put = await putAll(store);
    // The newest 10% of the data (46 MB at the defaults) is in the 64 MiB read cache.
    // Hot reads: warm-up passes over the region first, then the median of the measured passes (all printed).
    for (let pass = 0; pass < HOT_WARMUP_PASSES; pass++) await readAll(store, HOT_FRACTION);
    const hotPasses: number[] = [];
    for (let pass = 0; pass < HOT_MEASURED_PASSES; pass++) {
      const { read, seconds } = await readAll(store, HOT_FRACTION);
      hotPasses.push(read / seconds);
    }
    const cold = await readAll(store, 0);
    return { put, hotPasses, cold };
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(BASE_DIR, 'rmq-bench-store-'));
  try {
    const bytesPerMessage = recordBytes();
    const totalBytes = bytesPerMessage * MESSAGES;
    console.log(
      `store bench: ${MESSAGES.toLocaleString('en-US')} messages of ${BODY_BYTES}-byte bodies (${bytesPerMessage}-byte records), ` +
        `${WINDOW} puts in flight, ${QUEUES} queues, node ${process.version}, dir ${dir}`,
    );
    const plainSeconds = await plainWrite(dir, totalBytes);
    const plainRate = MESSAGES / plainSeconds;
    console.log(
      `  plain sequential fs write of the same bytes: ${rate(MESSAGES, plainSeconds)} (${(totalBytes / plainSeconds / 1e6).toFixed(0)} MB/s)`,
    );
    const async = await runStore(dir, 'ASYNC_FLUSH');
    const asyncRate = MESSAGES / async.put;
    console.log(
      `  ASYNC_FLUSH put:  ${rate(MESSAGES, async.put)}  = ${((asyncRate / plainRate) * 100).toFixed(1)}% of plain write`,
    );
    console.log(
      `  getMessage, 32 per call, hot (newest 10%, in the read cache; results released; median of ${HOT_MEASURED_PASSES} passes after ${HOT_WARMUP_PASSES} warm-up passes): ${rate(median(async.hotPasses), 1)} ` +
        `(passes: ${async.hotPasses.map((r) => Math.round(r).toLocaleString('en-US')).join(', ')}); ` +
        `cold (whole log, from files): ${rate(async.cold.read, async.cold.seconds)}`,
    );
    const sync = await runStore(dir, 'SYNC_FLUSH');
    const syncRate = MESSAGES / sync.put;
    console.log(
      `  SYNC_FLUSH put:   ${rate(MESSAGES, sync.put)}  = ${((syncRate / asyncRate) * 100).toFixed(1)}% of ASYNC_FLUSH, ${((syncRate / plainRate) * 100).toFixed(1)}% of plain write`,
    );
    console.log(`  peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
