/**
 * Crash tests: a child process (test/fixtures/crash-writer.mjs, running the BUILT store) writes continuously and is
 * killed with SIGKILL; the store is then reopened here and checked against the commit-log files themselves, which
 * the test walks on its own (decode + CRC, independent of the store's recovery code).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeMessageRecord } from '@rocketmq-ts/protocol';
import type { MessageRecord } from '@rocketmq-ts/protocol';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tornRecordCut } from '../src/commit-log/torn-record.js';
import { openMessageStore } from '../src/index.js';
import type { MessageStore, PutMessageResult } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const WRITER = join(here, 'fixtures', 'crash-writer.mjs');
const BUILT_STORE = join(here, '..', 'dist', 'index.js');

const TOPICS = ['CrashA', 'CrashB', 'CrashC'];
const QUEUES = 4;
const SEGMENT_BYTES = 1024 * 1024;
const STORE_OPTIONS = {
  mappedFileSizeCommitLog: SEGMENT_BYTES,
  // 100 entries per consume-queue segment: queues roll over many times per run.
  mappedFileSizeConsumeQueue: 20 * 100,
  maxMessageSize: 8 * 1024,
} as const;
/** Acks to wait for before the kill; ~3 MB of commit log, so segments roll over during the run. */
const ACKS_BEFORE_KILL = 5000;
const WAIT_FOR_ACKS_MS = 30_000;
const EXIT_AFTER_KILL_MS = 10_000;
/** Most getMessage calls while reading one queue (bounds the loop). */
const MAX_PULLS_PER_QUEUE = 10_000;

/** A PUT_OK the writer reported. */
interface Ack {
  topic: string;
  queueId: number;
  queueOffset: number;
  phyOffset: number;
  uniqKey: string;
  seq: number;
}

/** A valid record found by walking the commit-log files. */
interface WalkedRecord {
  phyOffset: number;
  size: number;
  topic: string;
  queueId: number;
  queueOffset: number;
  uniqKey: string;
  keys: string;
  /** Position of the body inside the record. */
  bodyAt: number;
}

/** What a walk of the commit-log files found. */
interface Walk {
  records: WalkedRecord[];
  /** Where the valid data ends (as recovery must find it: after a trailing end-of-file filler, if any). */
  end: number;
}

/** The body the writer stores for message `seq` of run `runId` (same formula as crash-writer.mjs). */
function crashBody(m: { topic: string; queueId: number; runId: string; seq: number }): string {
  const { topic, queueId, runId, seq } = m;
  return `${topic}|${queueId}|${runId}|${seq}|${'x'.repeat(100 + ((seq * 37) % 700))}`;
}

let dir: string;
const children = new Set<ChildProcess>();
const opened: MessageStore[] = [];

beforeAll(() => {
  if (!existsSync(BUILT_STORE)) {
    throw new Error(
      `crash tests run the built store in a child process, but ${BUILT_STORE} is missing: build first with ` +
        '`node scripts/pnpm.mjs --filter @rocketmq-ts/store run build` (`npm test` builds before running vitest)',
    );
  }
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rmq-'));
});

afterEach(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  }
  children.clear();
  while (opened.length > 0) await opened.pop()!.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * Forks the writer on `dir`, waits until it reported at least `minAcks` PUT_OKs, kills it with SIGKILL and waits
 * for its exit. Returns the acks received up to the exit and whether the writer's open found a clean last exit.
 */
async function writeUntilKilled(
  flushDiskType: 'ASYNC_FLUSH' | 'SYNC_FLUSH',
  runId: string,
  minAcks = ACKS_BEFORE_KILL,
): Promise<{ acks: Ack[]; writerSawCleanExit: boolean }> {
  const options = {
    ...STORE_OPTIONS,
    topics: TOPICS,
    queues: QUEUES,
    flushIntervalMs: 20,
    maxRunMs: 60_000,
  };
  const child = fork(WRITER, [dir, flushDiskType, runId, JSON.stringify(options)], {
    execArgv: [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  children.add(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(`code ${code}, signal ${signal}`)),
  );
  const acks: Ack[] = [];
  let writerSawCleanExit: boolean | undefined;
  let timer: NodeJS.Timeout | undefined;
  const enough = new Promise<void>((resolve, reject) => {
    child.on('message', (message: WriterMessage) => {
      switch (message.type) {
        case 'ready':
          writerSawCleanExit = message.recovery.lastExitOk;
          break;
        case 'acks':
          for (const [topic, queueId, queueOffset, phyOffset, uniqKey, seq] of message.acks)
            acks.push({ topic, queueId, queueOffset, phyOffset, uniqKey, seq });
          if (acks.length >= minAcks) resolve();
          break;
        case 'failed':
          break; // not acknowledged: nothing to check
        case 'error':
          reject(new Error(`crash writer failed: ${message.error}`));
          break;
      }
    });
    void exited.then((how) =>
      reject(new Error(`crash writer exited early (${how}) after ${acks.length} acks: ${stderr}`)),
    );
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `crash writer sent ${acks.length} of ${minAcks} acks in ${WAIT_FOR_ACKS_MS} ms`,
          ),
        ),
      WAIT_FOR_ACKS_MS,
    );
  });
  try {
    await enough;
  } finally {
    clearTimeout(timer);
  }
  child.kill('SIGKILL');
  let exitTimer: NodeJS.Timeout | undefined;
  const how = await Promise.race([
    exited,
    new Promise<string>((resolve) => {
      exitTimer = setTimeout(() => resolve('no exit'), EXIT_AFTER_KILL_MS);
    }),
  ]);
  clearTimeout(exitTimer);
  expect(how).toBe('code null, signal SIGKILL');
  children.delete(child);
  expect(writerSawCleanExit).toBeDefined();
  return { acks: acks.slice(), writerSawCleanExit: writerSawCleanExit! };
}

type WriterMessage =
  | { type: 'ready'; recovery: { lastExitOk: boolean } }
  | { type: 'acks'; acks: [string, number, number, number, string, number][] }
  | { type: 'failed'; status: string; remark: string }
  | { type: 'error'; error: string };

function segmentPath(startOffset: number): string {
  return join(dir, 'commitlog', String(startOffset).padStart(20, '0'));
}

function segmentStartOf(phyOffset: number): number {
  return Math.floor(phyOffset / SEGMENT_BYTES) * SEGMENT_BYTES;
}

/**
 * Walks the commit-log files from the first segment: every record must decode with a valid body CRC and say it
 * lives where it is; an end-of-file filler leads to the next segment. Stops at the first bytes that are not a valid
 * record (zeros, or a torn or garbled record).
 */
async function walkCommitLog(): Promise<Walk> {
  if (!existsSync(join(dir, 'commitlog'))) return { records: [], end: 0 };
  const names = (await readdir(join(dir, 'commitlog'))).filter((n) => /^\d{20}$/.test(n)).sort();
  const records: WalkedRecord[] = [];
  let offset = names.length > 0 ? Number(names[0]) : 0;
  for (let guard = 0; guard < names.length + 1; guard++) {
    const start = segmentStartOf(offset);
    if (!names.includes(String(start).padStart(20, '0'))) break;
    const buf = await readFile(segmentPath(start));
    let pos = offset - start;
    let nextSegment = false;
    while (pos + 8 <= buf.length) {
      if (buf.readInt32BE(pos) === 0 && buf.readInt32BE(pos + 4) === 0) break;
      let decoded;
      try {
        decoded = decodeMessageRecord(buf, pos, { verifyBodyCrc: true });
      } catch {
        break;
      }
      if (decoded.kind === 'blank') {
        if (pos + decoded.size !== buf.length) break;
        offset = start + buf.length;
        nextSegment = true;
        break;
      }
      const record: MessageRecord = decoded.record;
      if (record.phyOffset !== start + pos) break;
      // A write the kill cut at a page boundary after the body: recovery must cut this record too.
      if (tornRecordCut(buf, { start: pos, size: decoded.size, filePosition: pos }) !== undefined)
        break;
      records.push({
        phyOffset: record.phyOffset,
        size: decoded.size,
        topic: record.topic,
        queueId: record.queueId,
        queueOffset: record.queueOffset,
        uniqKey: record.properties.get('UNIQ_KEY') ?? '',
        keys: record.properties.get('KEYS') ?? '',
        bodyAt: record.body.byteOffset - buf.byteOffset - pos,
      });
      pos += decoded.size;
    }
    if (!nextSegment) {
      offset = start + pos;
      break;
    }
  }
  return { records, end: offset };
}

/** Bytes from `phyOffset` up to the last non-zero byte of its segment file (what recovery must cut), and them. */
async function tailBytes(phyOffset: number): Promise<Buffer> {
  const path = segmentPath(segmentStartOf(phyOffset));
  if (!existsSync(path)) return Buffer.alloc(0);
  const tail = (await readFile(path)).subarray(phyOffset - segmentStartOf(phyOffset));
  let last = tail.length - 1;
  while (last >= 0 && tail[last] === 0) last--;
  return Buffer.from(tail.subarray(0, last + 1));
}

async function patchFile(path: string, bytes: Buffer, position: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.write(bytes, 0, bytes.length, position);
  } finally {
    await handle.close();
  }
}

async function openStore(): Promise<MessageStore> {
  const store = await openMessageStore({
    storePathRootDir: dir,
    flushDiskType: 'SYNC_FLUSH',
    ...STORE_OPTIONS,
    diskUsageProbe: () => Promise.resolve(1),
  });
  opened.push(store);
  return store;
}

async function closeStore(store: MessageStore): Promise<void> {
  opened.splice(opened.indexOf(store), 1);
  await store.close();
}

function decode(buffer: Buffer): MessageRecord {
  const decoded = decodeMessageRecord(buffer, 0, { verifyBodyCrc: true });
  if (decoded.kind !== 'message') throw new Error('expected a message record, got a filler');
  return decoded.record;
}

/** Checks a record's body against the formula, using the run and sequence its UNIQ_KEY names. */
function expectWriterBody(record: MessageRecord): void {
  const [, runId, seq] = /^UNIQ-(.+)-(\d+)$/.exec(record.properties.get('UNIQ_KEY') ?? '') ?? [];
  expect(runId).toBeDefined();
  expect(record.body.toString()).toBe(
    crashBody({ topic: record.topic, queueId: record.queueId, runId: runId!, seq: Number(seq) }),
  );
}

function queueKey(topic: string, queueId: number, queueOffset: number): string {
  return `${topic}/${queueId}/${queueOffset}`;
}

/**
 * The store agrees exactly with the walked commit log: every queue holds, from offset 0 to its max, exactly the
 * records of that queue in commit-log order (valid CRC, matching topic/queueId/queueOffset/phyOffset); every
 * record's UNIQ_KEY and sampled KEYS find exactly the records that carry them; every ack is one of those records.
 */
async function expectStoreMatches(
  store: MessageStore,
  expected: readonly WalkedRecord[],
  check: { acks: readonly Ack[]; indexCheckFrom: number },
): Promise<void> {
  const { acks, indexCheckFrom } = check;
  const byQueue = new Map<string, MessageRecord>();
  for (const topic of TOPICS) {
    for (let queueId = 0; queueId < QUEUES; queueId++) {
      const want = expected.filter((r) => r.topic === topic && r.queueId === queueId);
      expect(store.getMinOffsetInQueue(topic, queueId)).toBe(0);
      expect(store.getMaxOffsetInQueue(topic, queueId)).toBe(want.length);
      const got: MessageRecord[] = [];
      let queueOffset = 0;
      for (let pulls = 0; queueOffset < want.length && pulls < MAX_PULLS_PER_QUEUE; pulls++) {
        const result = await store.getMessage({ topic, queueId, queueOffset, maxMsgNums: 32 });
        expect(result.status).toBe('FOUND');
        for (const buffer of result.messages) {
          const record = decode(buffer);
          expect([record.topic, record.queueId, record.queueOffset]).toEqual([
            topic,
            queueId,
            got.length,
          ]);
          got.push(record);
          byQueue.set(queueKey(topic, queueId, record.queueOffset), record);
        }
        queueOffset = result.nextBeginOffset;
      }
      expect(got.map((r) => [r.phyOffset, r.queueOffset])).toEqual(
        want.map((r, i) => [r.phyOffset, i]),
      );
      for (const record of got) expectWriterBody(record);
    }
  }
  for (const ack of acks) {
    const record = byQueue.get(queueKey(ack.topic, ack.queueId, ack.queueOffset));
    expect(record, `acked ${ack.uniqKey}`).toBeDefined();
    expect([record!.phyOffset, record!.properties.get('UNIQ_KEY')]).toEqual([
      ack.phyOffset,
      ack.uniqKey,
    ]);
  }
  // UNIQ_KEY: every record from `indexCheckFrom` (earlier ones were checked before; every 20th again).
  for (const [i, record] of expected.entries()) {
    if (record.phyOffset < indexCheckFrom && i % 20 !== 0) continue;
    const found = await store.lookMessageByUniqKey(record.topic, record.uniqKey);
    expect(found && decode(found).phyOffset, record.uniqKey).toBe(record.phyOffset);
  }
  // KEYS: the group key of every 10th record finds exactly the records of its topic that carry it.
  const groups = new Map<string, Set<number>>();
  for (const record of expected) {
    const key = `${record.topic}#${record.keys.split(' ')[1] ?? ''}`;
    if (!groups.has(key)) groups.set(key, new Set());
    groups.get(key)!.add(record.phyOffset);
  }
  for (const [i, record] of expected.entries()) {
    const group = record.keys.split(' ')[1];
    if (i % (record.phyOffset < indexCheckFrom ? 100 : 10) !== 0 || group === undefined) continue;
    const result = await store.queryMessage({
      topic: record.topic,
      key: group,
      maxNum: 1000,
      begin: 0,
      end: Number.MAX_SAFE_INTEGER,
    });
    const records = result.messages.map(decode);
    for (const found of records) expect(found.properties.get('KEYS')!.split(' ')).toContain(group);
    expect(new Set(records.map((r) => r.phyOffset))).toEqual(
      groups.get(`${record.topic}#${group}`),
    );
  }
}

/** Puts one message per queue after recovery; they continue the queues and the commit log where recovery ended. */
async function expectWritesContinue(
  store: MessageStore,
  runId: string,
): Promise<PutMessageResult[]> {
  const results: PutMessageResult[] = [];
  let expectedPhy = store.recovery.endOffset;
  let seq = 0;
  for (const topic of TOPICS) {
    for (let queueId = 0; queueId < QUEUES; queueId++) {
      const before = store.getMaxOffsetInQueue(topic, queueId);
      const result = await store.putMessage({
        topic,
        queueId,
        body: Buffer.from(crashBody({ topic, queueId, runId, seq })),
        properties: { KEYS: `key-${runId}-${seq}`, UNIQ_KEY: `UNIQ-${runId}-${seq}` },
        bornTimestamp: Date.now(),
        bornHost: { host: '127.0.0.1', port: 50000 },
        storeHost: { host: '127.0.0.1', port: 10911 },
      });
      seq++;
      expect(result.status).toBe('PUT_OK');
      expect(result.queueOffsets).toEqual([before]);
      // A record that does not fit the rest of the segment (+ 8 filler bytes) starts the next one.
      const segmentEnd = segmentStartOf(expectedPhy) + SEGMENT_BYTES;
      if (expectedPhy + result.wroteBytes + 8 > segmentEnd) expectedPhy = segmentEnd;
      expect(result.phyOffsets).toEqual([expectedPhy]);
      expectedPhy += result.wroteBytes;
      const got = await store.getMessage({ topic, queueId, queueOffset: before, maxMsgNums: 1 });
      expect(got.status).toBe('FOUND');
      expect(decode(got.messages[0]!).phyOffset).toBe(result.phyOffsets[0]);
      results.push(result);
    }
  }
  return results;
}

/** Every ack is a record of the walked commit log, at the same place. */
function expectAcksIn(walk: Walk, acks: readonly Ack[]): void {
  const byUniq = new Map(walk.records.map((r) => [r.uniqKey, r]));
  const missing = acks.filter((ack) => {
    const record = byUniq.get(ack.uniqKey);
    return (
      !record ||
      record.phyOffset !== ack.phyOffset ||
      record.topic !== ack.topic ||
      record.queueId !== ack.queueId ||
      record.queueOffset !== ack.queueOffset
    );
  });
  expect(missing.slice(0, 5)).toEqual([]);
}

async function quarantineFiles(): Promise<string[]> {
  const quarantine = join(dir, 'quarantine');
  return existsSync(quarantine) ? readdir(quarantine) : [];
}

/** Recovery kept exactly `bytes` in one new quarantine file (none when nothing was cut). */
async function expectQuarantined(bytes: Buffer, before: readonly string[]): Promise<void> {
  const added = (await quarantineFiles()).filter((name) => !before.includes(name));
  expect(added).toHaveLength(bytes.length > 0 ? 1 : 0);
  if (bytes.length === 0) return;
  expect((await readFile(join(dir, 'quarantine', added[0]!))).equals(bytes)).toBe(true);
}

/** Kill, walk the files, reopen, and check everything against the walk. */
async function killAndVerify(
  flushDiskType: 'ASYNC_FLUSH' | 'SYNC_FLUSH',
  runId: string,
  earlier: { acks: readonly Ack[]; minAcks?: number } = { acks: [] },
): Promise<Ack[]> {
  const earlierAcks = earlier.acks;
  const indexCheckFrom = (await walkCommitLog()).end;
  const { acks, writerSawCleanExit } = await writeUntilKilled(
    flushDiskType,
    runId,
    earlier.minAcks,
  );
  // Every run here starts from a fresh directory or a store this test closed cleanly.
  expect(writerSawCleanExit).toBe(true);
  const allAcks = [...earlierAcks, ...acks];
  const walk = await walkCommitLog();
  expectAcksIn(walk, allAcks);
  const torn = await tailBytes(walk.end);
  const quarantined = await quarantineFiles();
  const store = await openStore();
  expect(store.recovery).toMatchObject({
    lastExitOk: false,
    endOffset: walk.end,
    droppedTailBytes: torn.length,
  });
  await expectQuarantined(torn, quarantined);
  await expectStoreMatches(store, walk.records, { acks: allAcks, indexCheckFrom });
  await expectWritesContinue(store, `${runId}-after`);
  await closeStore(store);
  return allAcks;
}

describe('crash recovery after SIGKILL during sustained writes', () => {
  it('under SYNC_FLUSH keeps every acknowledged put readable, indexed and in order', async () => {
    const acks = await killAndVerify('SYNC_FLUSH', 'sync');
    expect(acks.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
    expect((await readdir(join(dir, 'commitlog'))).length).toBeGreaterThan(1);
  }, 60_000);

  it('under ASYNC_FLUSH reopens with consume queues and index agreeing with the commit log', async () => {
    const acks = await killAndVerify('ASYNC_FLUSH', 'async');
    expect(acks.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
  }, 60_000);

  it('recovers the same directory after three kills in a row', async () => {
    let acks: Ack[] = [];
    for (let round = 1; round <= 3; round++) {
      acks = await killAndVerify('SYNC_FLUSH', `round${round}`, { acks, minAcks: 3000 });
    }
    // Rounds 2 and 3 opened a cleanly closed store; every round's acks are still there.
    expect(new Set(acks.map((a) => a.uniqKey)).size).toBe(acks.length);
  }, 60_000);
});

type TailDamage = 'garbage after the last record' | 'flipped body bytes' | 'a record cut short';

describe('crash recovery of a tail damaged after the kill', () => {
  it.each<TailDamage>([
    'garbage after the last record',
    'flipped body bytes',
    'a record cut short',
  ])(
    'cuts %s into quarantine, drops what pointed at it, and keeps every other acked message',
    async (damage) => {
      const { acks } = await writeUntilKilled('SYNC_FLUSH', 'tail', 3000);
      const walk = await walkCommitLog();
      expectAcksIn(walk, acks);
      const last = walk.records.at(-1)!;
      const lastEnd = last.phyOffset + last.size;
      const lastSegment = segmentPath(segmentStartOf(last.phyOffset));
      const laterTorn = segmentStartOf(walk.end) !== segmentStartOf(last.phyOffset);
      if (laterTorn && damage !== 'garbage after the last record') {
        // The kill tore a record at the start of a new segment: wipe it, as if it never reached the file, so that
        // the damaged record below is the end of the data (data after a cut would be a hole recovery refuses).
        const torn = await tailBytes(walk.end);
        if (torn.length > 0) await patchFile(segmentPath(walk.end), Buffer.alloc(torn.length), 0);
      }
      let end: number;
      switch (damage) {
        case 'garbage after the last record': {
          // Where the valid data ends (over torn bytes, if any), or over the filler when no later file exists. A later
          // file the kill caught between its creation and its sizing (0 bytes) holds nothing to damage: over the filler.
          const next = segmentPath(segmentStartOf(walk.end));
          end = existsSync(next) && statSync(next).size === SEGMENT_BYTES ? walk.end : lastEnd;
          const room = segmentStartOf(end) + SEGMENT_BYTES - end;
          const garbage = Buffer.alloc(Math.min(700, room), 0xab);
          await patchFile(segmentPath(segmentStartOf(end)), garbage, end - segmentStartOf(end));
          break;
        }
        case 'flipped body bytes': {
          end = last.phyOffset;
          const at = last.phyOffset - segmentStartOf(last.phyOffset) + last.bodyAt + 40;
          await patchFile(lastSegment, Buffer.from('CRC!'), at);
          break;
        }
        case 'a record cut short': {
          end = last.phyOffset;
          const half = Math.floor(last.size / 2);
          const at = last.phyOffset - segmentStartOf(last.phyOffset) + half;
          await patchFile(lastSegment, Buffer.alloc(last.size - half), at);
          break;
        }
      }
      const cut = await tailBytes(end);
      expect(cut.length).toBeGreaterThan(0);
      const kept = walk.records.filter((r) => r.phyOffset < end);
      const keptKeys = new Set(kept.map((r) => r.uniqKey));
      const lostAcks = acks.filter((a) => !keptKeys.has(a.uniqKey)).map((a) => a.uniqKey);
      expect(lostAcks).toEqual(lostAcks.length > 0 ? [last.uniqKey] : []);

      const quarantined = await quarantineFiles();
      const store = await openStore();
      expect(store.recovery).toMatchObject({
        lastExitOk: false,
        endOffset: end,
        droppedTailBytes: cut.length,
      });
      await expectQuarantined(cut, quarantined);
      await expectStoreMatches(store, kept, {
        acks: acks.filter((a) => keptKeys.has(a.uniqKey)),
        indexCheckFrom: kept.at(-200)?.phyOffset ?? 0,
      });
      if (!keptKeys.has(last.uniqKey)) {
        expect(await store.lookMessageByUniqKey(last.topic, last.uniqKey)).toBeUndefined();
      }
      await expectWritesContinue(store, 'tail-after');
      if (!keptKeys.has(last.uniqKey)) {
        // New records now live where the cut one was: its index entries must be gone, not pointing at them.
        expect(await store.lookMessageByUniqKey(last.topic, last.uniqKey)).toBeUndefined();
      }
    },
    30_000,
  );

  it('drops the durable consume-queue and index entries of a last record corrupted after a clean close', async () => {
    await writeUntilKilled('SYNC_FLUSH', 'durable', 3000);
    // A clean open and close makes every consume-queue entry, index entry and the checkpoint durable.
    await closeStore(await openStore());
    const walk = await walkCommitLog();
    const last = walk.records.at(-1)!;
    const at = last.phyOffset - segmentStartOf(last.phyOffset) + last.bodyAt + 40;
    await patchFile(segmentPath(segmentStartOf(last.phyOffset)), Buffer.from('CRC!'), at);
    await writeFile(join(dir, 'abort'), ''); // as a crash would leave it
    const cut = await tailBytes(last.phyOffset);
    const quarantined = await quarantineFiles();
    const store = await openStore();
    expect(store.recovery).toMatchObject({
      lastExitOk: false,
      endOffset: last.phyOffset,
      droppedTailBytes: cut.length,
      droppedQueueEntries: 1,
      // UNIQ_KEY and the two words of KEYS.
      droppedIndexEntries: 3,
    });
    await expectQuarantined(cut, quarantined);
    expect(store.getMaxOffsetInQueue(last.topic, last.queueId)).toBe(last.queueOffset);
    expect(await store.lookMessageByUniqKey(last.topic, last.uniqKey)).toBeUndefined();
    const kept = walk.records.slice(0, -1);
    await expectStoreMatches(store, kept, {
      acks: [],
      indexCheckFrom: kept.at(-200)?.phyOffset ?? 0,
    });
    await expectWritesContinue(store, 'durable-after');
    expect(await store.lookMessageByUniqKey(last.topic, last.uniqKey)).toBeUndefined();
  }, 30_000);

  it('reopens when the kill interrupted the creation of segment files, leaving them empty', async () => {
    const { acks } = await writeUntilKilled('SYNC_FLUSH', 'create', 3000);
    const walk = await walkCommitLog();
    const names = (await readdir(join(dir, 'commitlog'))).sort();
    const next = Number(names.at(-1)) + SEGMENT_BYTES;
    // A segment is created, then sized: a kill in between leaves a file of 0 bytes.
    await writeFile(segmentPath(next), '');
    const queueDir = join(dir, 'consumequeue', TOPICS[0]!, '0');
    const nextQueueSegment =
      Number((await readdir(queueDir)).sort().at(-1)) + STORE_OPTIONS.mappedFileSizeConsumeQueue;
    await writeFile(join(queueDir, String(nextQueueSegment).padStart(20, '0')), '');
    const torn = await tailBytes(walk.end);
    const quarantined = await quarantineFiles();
    const store = await openStore();
    expect(store.recovery).toMatchObject({
      lastExitOk: false,
      endOffset: walk.end,
      droppedTailBytes: torn.length,
    });
    await expectQuarantined(torn, quarantined);
    // Sized, then removed as an empty segment past the end, unless the data ends exactly where it starts.
    expect(existsSync(segmentPath(next))).toBe(walk.end >= next);
    await expectStoreMatches(store, walk.records, {
      acks,
      indexCheckFrom: walk.records.at(-200)?.phyOffset ?? 0,
    });
    await expectWritesContinue(store, 'create-after');
  }, 30_000);
});
