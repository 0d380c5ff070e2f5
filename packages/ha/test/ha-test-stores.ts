/**
 * Shared support for the HA unit tests: real stores in a per-test temp dir, the messages that fill them, hand-built
 * commit-log bytes and transfer frames, a master and a client on 127.0.0.1 port 0, and a bounded wait (STYLE.md §12).
 *
 * Importing this module registers one `afterEach` in the importing test file: it runs every cleanup registered
 * during the test ({@link onTestCleanup}), last registered first, so clients and masters close before the stores they
 * use and the temp dir goes last.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLANK_MAGIC_CODE, encodeMessageProperties } from '@rocketmq-ts/protocol';
import { openMessageStore } from '@rocketmq-ts/store';
import type { MessageStore } from '@rocketmq-ts/store';
import { afterEach, expect } from 'vitest';
import type { HAClientOptions, HAMasterOptions } from '../src/config.js';
import { encodeTransferHeader } from '../src/ha-frame.js';
import { HAMasterService } from '../src/master/ha-master-service.js';
import { HAClient } from '../src/slave/ha-client.js';

const cleanups: (() => unknown)[] = [];
let root: string | undefined;

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Registers `cleanup` to run after the current test, before every cleanup registered earlier. */
export function onTestCleanup(cleanup: () => unknown): void {
  cleanups.push(cleanup);
}

/** Commit-log segment size of {@link openTestStore} unless told otherwise: 64 KiB, so a few hundred messages span segments. */
export const TEST_SEGMENT_BYTES = 64 * 1024;

/** The current test's temp dir `<os tmpdir>/rmq-ha-XXXXXX`, made on first use and removed (last) after the test. */
async function testRoot(): Promise<string> {
  if (root === undefined) {
    const dir = await mkdtemp(join(tmpdir(), 'rmq-ha-'));
    root = dir;
    onTestCleanup(async () => {
      root = undefined;
      await rm(dir, { recursive: true, force: true });
    });
  }
  return root;
}

/**
 * Opens the real store `name` in the current test's temp dir (the same dir again when reopened within the test),
 * closed after the test: `segmentBytes` commit-log segments, 100-entry consume-queue files, 16 KiB messages and a disk
 * that is always 10 % used.
 */
export async function openTestStore(
  name: string,
  segmentBytes = TEST_SEGMENT_BYTES,
): Promise<MessageStore> {
  const store = await openMessageStore({
    storePathRootDir: join(await testRoot(), name),
    mappedFileSizeCommitLog: segmentBytes,
    mappedFileSizeConsumeQueue: 20 * 100,
    maxMessageSize: 16 * 1024,
    diskUsageProbe: () => Promise.resolve(10),
  });
  onTestCleanup(() => store.close());
  return store;
}

/** One commit-log file of a test store: its name (the start offset) and its bytes. */
export interface CommitLogSegment {
  name: string;
  bytes: Buffer;
}

/** The commit-log files of test store `name` as they are on disk, oldest first. */
export async function readCommitLogSegments(name: string): Promise<CommitLogSegment[]> {
  const dir = join(await testRoot(), name, 'commitlog');
  const names = (await readdir(dir)).sort();
  return Promise.all(
    names.map(async (file) => ({ name: file, bytes: await readFile(join(dir, file)) })),
  );
}

/** The commit-log files of test store `name`, oldest first, as one buffer. */
export async function commitLogBytes(name: string): Promise<Buffer> {
  return Buffer.concat((await readCommitLogSegments(name)).map((s) => s.bytes));
}

/** What a test message `i` of {@link fillStore} holds; the hosts and born time are fixed. */
export interface TestMessage {
  topic: string;
  queueId: number;
  body: string | Buffer;
  /** The UNIQ_KEY property; without it the message has no properties. */
  uniqKey?: string;
}

/** How many messages {@link fillStore} puts, and how. */
export interface FillOptions {
  /** How many messages to put. */
  count: number;
  /** Index of the first message, passed to the builder. Default 0. */
  from?: number;
  /** Put all at once rather than one after another (then queue offsets need not follow the index). */
  concurrent?: boolean;
}

/** Puts `options.count` messages built by `message(i)` for i from `options.from`, and expects every put to be PUT_OK. */
export async function fillStore(
  store: MessageStore,
  options: FillOptions,
  message: (i: number) => TestMessage,
): Promise<void> {
  const { count, from = 0 } = options;
  const put = (i: number) => {
    const { topic, queueId, body, uniqKey } = message(i);
    return store.putMessage({
      topic,
      queueId,
      body: typeof body === 'string' ? Buffer.from(body) : body,
      properties:
        uniqKey === undefined ? '' : encodeMessageProperties(new Map([['UNIQ_KEY', uniqKey]])),
      bornTimestamp: 1_700_000_000_000,
      bornHost: { host: '127.0.0.1', port: 40000 },
      storeHost: { host: '127.0.0.1', port: 10911 },
    });
  };
  const statuses: string[] = [];
  if (options.concurrent) {
    const results = await Promise.all(Array.from({ length: count }, (_, n) => put(from + n)));
    statuses.push(...results.map((r) => r.status));
  } else {
    for (let n = 0; n < count; n++) statuses.push((await put(from + n)).status);
  }
  expect(statuses.every((s) => s === 'PUT_OK')).toBe(true);
}

/**
 * Appends `origin`'s commit log from `fromPhyOffset` to its end to `target` in 8 KiB reads: a store whose log starts
 * there, as an empty slave that joined a longer log at that segment would have.
 */
export async function copyCommitLog(
  origin: MessageStore,
  target: MessageStore,
  fromPhyOffset: number,
): Promise<void> {
  // Bounded: 1000 reads of up to 8 KiB cover far more than any test log.
  for (let at = fromPhyOffset, guard = 0; at < origin.getMaxPhyOffset() && guard < 1000; guard++) {
    const bytes = (await origin.readRaw(at, 8192))!;
    await target.appendRaw(at, bytes);
    at += bytes.length;
  }
}

/** How {@link recordLog} shapes its records. */
export interface RecordLogOptions {
  /** Commit-log offset of the first record. */
  start: number;
  /** Size of each record in bytes. */
  sizes: readonly number[];
  segmentBytes: number;
  /** The record magic code written at byte 4 (a MESSAGE_MAGIC_CODE_*). */
  magicCode: number;
  /** The byte every record is filled with past its headers. */
  fillByte: number;
  /** End with a blank filler up to the next segment boundary. */
  fillToSegmentEnd?: boolean;
}

/**
 * Commit-log bytes without a store: records with the headers the HA code reads (size, magic code, physical offset at
 * byte 28), then a blank filler to the segment end if asked.
 */
export function recordLog(options: RecordLogOptions): Buffer {
  const parts: Buffer[] = [];
  let at = options.start;
  for (const size of options.sizes) {
    const record = Buffer.alloc(size, options.fillByte);
    record.writeInt32BE(size, 0);
    record.writeInt32BE(options.magicCode, 4);
    record.writeBigInt64BE(BigInt(at), 28);
    parts.push(record);
    at += size;
  }
  if (options.fillToSegmentEnd) {
    const rest = options.segmentBytes - (at % options.segmentBytes);
    const blank = Buffer.alloc(rest);
    blank.writeInt32BE(rest, 0);
    blank.writeInt32BE(BLANK_MAGIC_CODE, 4);
    parts.push(blank);
  }
  return Buffer.concat(parts);
}

/** A transfer frame as a master writes it: the 12-byte header for `phyOffset` and `body`, then `body`. */
export function transferFrame(phyOffset: number, body: Buffer): Buffer {
  return Buffer.concat([encodeTransferHeader({ phyOffset, bodySize: body.length }), body]);
}

/** Starts an HA master on 127.0.0.1 (port 0 unless given), closed after the test. */
export async function startTestMaster(
  options: Omit<HAMasterOptions, 'port'> & { port?: number },
): Promise<HAMasterService> {
  const master = new HAMasterService({ port: 0, host: '127.0.0.1', ...options });
  await master.start();
  onTestCleanup(() => master.close());
  return master;
}

/** Starts an HA client that reconnects every 100 ms with a 1 s connect timeout unless told otherwise, closed after the test. */
export function startTestClient(options: HAClientOptions): HAClient {
  const client = new HAClient({ reconnectIntervalMs: 100, connectTimeoutMs: 1000, ...options });
  onTestCleanup(() => client.close());
  client.start();
  return client;
}

/** Polls `check` every 20 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
