import { mkdtemp, readdir, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createOffsetMessageId,
  decodeMessageRecord,
  encodeMessageProperties,
  tagsString2tagsCode,
} from '@rocketmq-ts/protocol';
import type { MessageRecord } from '@rocketmq-ts/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from './errors.js';
import { openMessageStore } from './message-store.js';
import type { MessageStore, OpenMessageStoreOptions } from './message-store.js';
import type { PutMessageInput } from './store-types.js';

let dir: string;
const opened: MessageStore[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rmq-store-'));
});
afterEach(async () => {
  while (opened.length > 0) await opened.pop()!.close();
  await rm(dir, { recursive: true, force: true });
});

async function open(options: Partial<OpenMessageStoreOptions> = {}): Promise<MessageStore> {
  const store = await openMessageStore({
    storePathRootDir: dir,
    mappedFileSizeCommitLog: 64 * 1024,
    mappedFileSizeConsumeQueue: 20 * 100,
    maxMessageSize: 16 * 1024,
    diskUsageProbe: () => Promise.resolve(10),
    ...options,
  });
  opened.push(store);
  return store;
}

async function reopen(
  store: MessageStore,
  options: Partial<OpenMessageStoreOptions> = {},
): Promise<MessageStore> {
  await store.close();
  opened.splice(opened.indexOf(store), 1);
  return open(options);
}

function message(i: number, overrides: Partial<PutMessageInput> = {}): PutMessageInput {
  return {
    topic: 'TopicTest',
    queueId: 0,
    body: Buffer.from(`message-${i}-${'x'.repeat(500)}`),
    properties: encodeMessageProperties(
      new Map([
        ['TAGS', i % 2 === 0 ? 'TagA' : 'TagB'],
        ['KEYS', `order-${i} shared`],
        ['UNIQ_KEY', `UNIQ${String(i).padStart(8, '0')}`],
      ]),
    ),
    bornTimestamp: 1_700_000_000_000 + i,
    bornHost: { host: '127.0.0.1', port: 50000 },
    storeHost: { host: '127.0.0.1', port: 10911 },
    ...overrides,
  };
}

function decode(buffer: Buffer): MessageRecord {
  const decoded = decodeMessageRecord(buffer, 0, { verifyBodyCrc: true });
  if (decoded.kind !== 'message') throw new Error('not a message');
  return decoded.record;
}

async function putAll(
  store: MessageStore,
  count: number,
  overrides: Partial<PutMessageInput> = {},
) {
  return Promise.all(
    Array.from({ length: count }, (_, i) => store.putMessage(message(i, overrides))),
  );
}

/**
 * Pulls every queue in turn (32 per call, as a consumer of all of them does) until each is drained, and expects each
 * to hold messages `q, q + queues, q + 2 * queues, …` of `count` put round-robin; each result's `recordBytes` must be
 * its records back to back.
 */
async function expectEveryQueueInOrder(
  store: MessageStore,
  queues: number,
  count: number,
): Promise<void> {
  const offsets = new Array<number>(queues).fill(0);
  const seen: string[][] = Array.from({ length: queues }, () => []);
  for (let round = 0; round < count && offsets.some((o) => o < count / queues); round++) {
    for (let q = 0; q < queues; q++) {
      const got = await store.getMessage({
        topic: 'TopicTest',
        queueId: q,
        queueOffset: offsets[q]!,
        maxMsgNums: 32,
      });
      expect(got.recordBytes?.equals(Buffer.concat(got.messages))).toBe(
        got.messages.length > 0 ? true : undefined,
      );
      for (const m of got.messages) {
        const record = decode(m);
        expect(record.queueId).toBe(q);
        seen[q]!.push(record.body.toString().split('-')[1]!);
      }
      offsets[q] = got.nextBeginOffset;
      got.release();
    }
  }
  for (let q = 0; q < queues; q++) {
    expect(seen[q]).toEqual(
      Array.from({ length: count / queues }, (_, k) => String(k * queues + q)),
    );
  }
}

describe('message store: put and get', () => {
  it('returns stored records with consecutive queue offsets and RocketMQ fields', async () => {
    const store = await open();
    const results = await putAll(store, 10);
    expect(results.map((r) => r.status)).toEqual(Array(10).fill('PUT_OK'));
    expect(results.map((r) => r.queueOffsets[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const got = await store.getMessage({
      topic: 'TopicTest',
      queueId: 0,
      queueOffset: 0,
      maxMsgNums: 32,
    });
    expect(got.status).toBe('FOUND');
    expect([got.nextBeginOffset, got.minOffset, got.maxOffset]).toEqual([10, 0, 10]);
    const records = got.messages.map(decode);
    expect(records.map((r) => r.body.toString().split('-')[1])).toEqual(
      Array.from({ length: 10 }, (_, i) => String(i)),
    );
    expect(records.map((r) => r.phyOffset)).toEqual(results.map((r) => r.phyOffsets[0]));
    expect(records[3]!.queueOffset).toBe(3);
    expect(records[3]!.storeHost).toEqual({ host: '127.0.0.1', port: 10911 });
    expect(results[0]!.msgIds[0]).toMatch(/^7F00000100002A9F[0-9A-F]{16}$/);
    for (const r of results) {
      expect(r.msgIds[0]).toBe(
        createOffsetMessageId({ host: '127.0.0.1', port: 10911 }, r.phyOffsets[0]!),
      );
    }
  });

  it('answers each getMessage status at the queue edges', async () => {
    const store = await open();
    await putAll(store, 3);
    const at = (queueOffset: number, topic = 'TopicTest') =>
      store.getMessage({ topic, queueId: 0, queueOffset, maxMsgNums: 32 });
    expect((await at(0, 'Unknown')).status).toBe('NO_MATCHED_LOGIC_QUEUE');
    expect(await at(3)).toMatchObject({ status: 'OFFSET_OVERFLOW_ONE', nextBeginOffset: 3 });
    expect(await at(10)).toMatchObject({ status: 'OFFSET_OVERFLOW_BADLY', nextBeginOffset: 0 });
    const onlyC = await store.getMessage({
      topic: 'TopicTest',
      queueId: 0,
      queueOffset: 0,
      filter: (code) => code === tagsString2tagsCode('TagC'),
    });
    expect(onlyC).toMatchObject({ status: 'NO_MATCHED_MESSAGE', nextBeginOffset: 3 });
    const onlyA = await store.getMessage({
      topic: 'TopicTest',
      queueId: 0,
      queueOffset: 0,
      filter: (code) => code === tagsString2tagsCode('TagA'),
    });
    expect(onlyA.messages.map(decode).map((r) => r.properties.get('TAGS'))).toEqual([
      'TagA',
      'TagA',
    ]);
  });

  it('stops at maxMsgNums and at maxBytes but always returns at least one message', async () => {
    const store = await open();
    await putAll(store, 10);
    const few = await store.getMessage({
      topic: 'TopicTest',
      queueId: 0,
      queueOffset: 2,
      maxMsgNums: 3,
    });
    expect([few.messages.length, few.nextBeginOffset]).toEqual([3, 5]);
    const tiny = await store.getMessage({
      topic: 'TopicTest',
      queueId: 0,
      queueOffset: 0,
      maxBytes: 1,
    });
    expect(tiny.messages).toHaveLength(1);
  });

  it('rolls segments with an end-of-file filler and keeps every record readable across reopen', async () => {
    let store = await open();
    const results = await putAll(store, 300);
    const segments = (await readdir(join(dir, 'commitlog'))).sort();
    expect(segments.length).toBeGreaterThan(2);
    expect(segments[1]).toBe(String(64 * 1024).padStart(20, '0'));
    for (const r of results)
      expect(Math.floor(r.phyOffsets[0]! / 65536)).toBe(
        Math.floor((r.phyOffsets[0]! + r.wroteBytes - 1) / 65536),
      );
    store = await reopen(store);
    expect(store.recovery.lastExitOk).toBe(true);
    let offset = 0;
    const bodies: string[] = [];
    while (offset < 300) {
      const got = await store.getMessage({
        topic: 'TopicTest',
        queueId: 0,
        queueOffset: offset,
        maxMsgNums: 32,
      });
      bodies.push(...got.messages.map((m) => decode(m).body.toString().split('-')[1]!));
      offset = got.nextBeginOffset;
    }
    expect(bodies).toEqual(Array.from({ length: 300 }, (_, i) => String(i)));
    const next = await store.putMessage(message(300));
    expect(next.queueOffsets[0]).toBe(300);
  });

  it('serves pulls of interleaved queues from older data with the right records (shared spans, no memory cache)', async () => {
    const store = await open({ readCacheBytes: 0 });
    const queues = 4;
    const count = 400;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        store.putMessage(
          message(i, {
            queueId: i % queues,
            body: Buffer.from(`message-${i}-${'y'.repeat(i % 700)}`),
          }),
        ),
      ),
    );
    // Queues pulled in turn, as a consumer of all of them does: later pulls reuse the spans earlier ones read.
    await expectEveryQueueInOrder(store, queues, count);
  });

  it('serves pulls of older data across 1 MiB read windows, records straddling them included', async () => {
    // Segments larger than the 1 MiB window, so windows end inside a segment and records cross their ends; ~22 MB
    // of log, more windows than the 16 kept, so the memory of dropped windows is read into again.
    const store = await open({ readCacheBytes: 0, mappedFileSizeCommitLog: 3 * 1024 * 1024 });
    const queues = 8;
    const count = 24_000;
    for (let start = 0; start < count; start += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, k) =>
          store.putMessage(
            message(start + k, {
              queueId: (start + k) % queues,
              body: Buffer.from(`message-${start + k}-${'z'.repeat(300 + ((start + k) % 900))}`),
            }),
          ),
        ),
      );
    }
    await expectEveryQueueInOrder(store, queues, count);
  });

  it('reuses the memory of a released result for a later read, and never that of an unreleased one', async () => {
    const store = await open();
    await putAll(store, 20);
    const read = (queueOffset: number) =>
      store.getMessage({ topic: 'TopicTest', queueId: 0, queueOffset, maxMsgNums: 4 });
    const bodiesOf = (got: { messages: Buffer[] }) =>
      got.messages.map((m) => decode(m).body.toString().split('-')[1]);

    const kept = await read(0);
    const next = await read(4);
    // Nothing released yet: two results, two memories, both intact.
    expect(next.messages[0]!.buffer).not.toBe(kept.messages[0]!.buffer);
    expect(bodiesOf(kept)).toEqual(['0', '1', '2', '3']);

    next.release();
    next.release(); // a second release gives nothing back twice
    const reused = await read(8);
    expect(reused.messages[0]!.buffer).toBe(next.messages[0]!.buffer);
    expect(bodiesOf(reused)).toEqual(['8', '9', '10', '11']);
    const fresh = await read(12);
    expect(fresh.messages[0]!.buffer).not.toBe(reused.messages[0]!.buffer);
    expect(bodiesOf(fresh)).toEqual(['12', '13', '14', '15']);
    expect(bodiesOf(kept)).toEqual(['0', '1', '2', '3']);

    // Results without records hold nothing; releasing them is harmless.
    const none = await read(20);
    expect(none.status).toBe('OFFSET_OVERFLOW_ONE');
    none.release();
  });

  it('stores a batch as consecutive records with consecutive queue offsets', async () => {
    const store = await open();
    await store.putMessage(message(0));
    const batch = await store.putMessages([message(1), message(2), message(3)]);
    expect(batch.status).toBe('PUT_OK');
    expect(batch.queueOffsets).toEqual([1, 2, 3]);
    expect(batch.phyOffsets[1]! - batch.phyOffsets[0]!).toBeGreaterThan(0);
    expect(batch.msgIds).toHaveLength(3);
  });

  it('refuses illegal messages with a status and a reason, storing nothing', async () => {
    const store = await open();
    const big = await store.putMessage(message(0, { body: Buffer.alloc(16 * 1024 + 1) }));
    expect(big).toMatchObject({ status: 'MESSAGE_ILLEGAL' });
    expect(big.remark).toContain('maxMessageSize');
    expect((await store.putMessage(message(0, { topic: 'bad topic!' }))).status).toBe(
      'MESSAGE_ILLEGAL',
    );
    expect((await store.putMessage(message(0, { topic: 'T'.repeat(128) }))).status).toBe(
      'MESSAGE_ILLEGAL',
    );
    const props = await store.putMessage(message(0, { properties: { KEYS: 'k'.repeat(40_000) } }));
    expect(props.status).toBe('PROPERTIES_SIZE_EXCEEDED');
    expect(store.getMaxOffsetInQueue('TopicTest', 0)).toBe(0);
    expect(store.getStats().putMessageFailedTimes).toBe(4);
  });

  it('resolves SYNC_FLUSH puts once they are flushed', async () => {
    const store = await open({ flushDiskType: 'SYNC_FLUSH' });
    const results = await putAll(store, 20);
    expect(results.every((r) => r.status === 'PUT_OK')).toBe(true);
    expect(store.getMaxPhyOffset()).toBe(
      results.at(-1)!.phyOffsets[0]! + results.at(-1)!.wroteBytes,
    );
  });

  it('refuses puts while the disk is over diskSpaceWarningLevelRatio', async () => {
    const store = await open({ diskUsageProbe: () => Promise.resolve(95) });
    const result = await store.putMessage(message(0));
    expect(result.status).toBe('SERVICE_NOT_AVAILABLE');
    expect(result.remark).toContain('95.0% full');
  });
});

describe('message store: lookups', () => {
  it('finds messages by key and by UNIQ_KEY within a time range', async () => {
    const store = await open();
    const results = await putAll(store, 5);
    const byKey = await store.queryMessage({
      topic: 'TopicTest',
      key: 'order-3',
      maxNum: 10,
      begin: 0,
      end: Date.now() + 1000,
    });
    expect(byKey.messages.map((m) => decode(m).properties.get('KEYS'))).toEqual(['order-3 shared']);
    const shared = await store.queryMessage({
      topic: 'TopicTest',
      key: 'shared',
      maxNum: 3,
      begin: 0,
      end: Date.now() + 1000,
    });
    expect(shared.messages).toHaveLength(3);
    const none = await store.queryMessage({
      topic: 'TopicTest',
      key: 'order-3',
      maxNum: 10,
      begin: 0,
      end: 1,
    });
    expect(none.messages).toHaveLength(0);
    const uniq = await store.lookMessageByUniqKey('TopicTest', 'UNIQ00000002');
    expect(decode(uniq!).phyOffset).toBe(results[2]!.phyOffsets[0]);
    const byOffset = await store.lookMessageByOffset(results[4]!.phyOffsets[0]!);
    expect(decode(byOffset!).queueOffset).toBe(4);
  });

  it('answers queue offsets, earliest store time and offset by time', async () => {
    const store = await open();
    const results = await putAll(store, 4);
    expect(store.getMinOffsetInQueue('TopicTest', 0)).toBe(0);
    expect(store.getMaxOffsetInQueue('TopicTest', 0)).toBe(4);
    expect(await store.getEarliestMessageTime('TopicTest', 0)).toBe(results[0]!.storeTimestamp);
    expect(await store.getOffsetInQueueByTime('TopicTest', 0, results[0]!.storeTimestamp)).toBe(0);
    expect(await store.getEarliestMessageTime('Nope', 0)).toBe(-1);
  });
});

describe('message store: recovery and retention', () => {
  it('cuts a garbled tail after a crash, keeps it in quarantine, and keeps every earlier message', async () => {
    let store = await open();
    const results = await putAll(store, 20);
    await store.close();
    opened.pop();
    const end = results.at(-1)!.phyOffsets[0]! + results.at(-1)!.wroteBytes;
    const segment = join(
      dir,
      'commitlog',
      String(Math.floor(end / 65536) * 65536).padStart(20, '0'),
    );
    const garbage = Buffer.alloc(700, 0xab);
    const { open: fsOpen } = await import('node:fs/promises');
    const handle = await fsOpen(segment, 'r+');
    await handle.write(garbage, 0, garbage.length, end % 65536);
    await handle.close();
    await writeFile(join(dir, 'abort'), '');
    store = await open();
    expect(store.recovery).toMatchObject({
      lastExitOk: false,
      endOffset: end,
      droppedTailBytes: 700,
    });
    expect(await readdir(join(dir, 'quarantine'))).toHaveLength(1);
    expect(store.getMaxOffsetInQueue('TopicTest', 0)).toBe(20);
    const next = await store.putMessage(message(20));
    expect([next.phyOffsets[0], next.queueOffsets[0]]).toEqual([end, 20]);
  });

  it('after a crash, validates the segment before an empty last one too, and cuts a corrupt record at its end', async () => {
    let store = await open();
    // ~85 records fill the first 64 KiB segment; the rest go to the second.
    const results = await putAll(store, 100);
    await store.close();
    opened.pop();
    const inFirst = results.filter((r) => r.phyOffsets[0]! < 65536);
    const last = inFirst.at(-1)!;
    const { open: fsOpen } = await import('node:fs/promises');
    // The second segment exists but none of its records reached the disk (the crash came first).
    const second = await fsOpen(join(dir, 'commitlog', String(65536).padStart(20, '0')), 'r+');
    await second.write(Buffer.alloc(65536), 0, 65536, 0);
    await second.close();
    // And the first segment's last record was damaged: its body no longer matches its CRC.
    const first = await fsOpen(join(dir, 'commitlog', '0'.padStart(20, '0')), 'r+');
    await first.write(Buffer.from('CRC!'), 0, 4, last.phyOffsets[0]! + last.wroteBytes - 200);
    await first.close();
    await writeFile(join(dir, 'abort'), '');
    store = await open();
    expect(store.recovery).toMatchObject({ lastExitOk: false, endOffset: last.phyOffsets[0]! });
    expect(store.recovery.droppedTailBytes).toBeGreaterThan(0);
    expect(store.getMaxOffsetInQueue('TopicTest', 0)).toBe(inFirst.length - 1);
    const kept = await store.getMessage({
      topic: 'TopicTest',
      queueId: 0,
      queueOffset: inFirst.length - 2,
      maxMsgNums: 4,
    });
    expect(kept.messages.map((m) => decode(m).body.toString().split('-')[1])).toEqual([
      String(inFirst.length - 2),
    ]);
  });

  it('rebuilds consume queues and the index from the commit log when they are lost', async () => {
    let store = await open();
    await putAll(store, 30);
    await store.close();
    opened.pop();
    await rm(join(dir, 'consumequeue'), { recursive: true });
    await rm(join(dir, 'meta'), { recursive: true });
    await rm(join(dir, 'checkpoint'));
    await writeFile(join(dir, 'abort'), '');
    store = await open();
    expect(store.recovery.redispatched).toBe(30);
    expect(store.getMaxOffsetInQueue('TopicTest', 0)).toBe(30);
    const found = await store.queryMessage({
      topic: 'TopicTest',
      key: 'order-7',
      maxNum: 5,
      begin: 0,
      end: Date.now() + 1000,
    });
    expect(found.messages).toHaveLength(1);
  });

  it('refuses to open a commit-log segment of the wrong size, naming it and changing nothing', async () => {
    const store = await open();
    await putAll(store, 3);
    await store.close();
    opened.pop();
    const segment = join(dir, 'commitlog', '0'.repeat(20));
    await truncate(segment, 1000);
    const error = await openMessageStore({
      storePathRootDir: dir,
      mappedFileSizeCommitLog: 64 * 1024,
      maxMessageSize: 16 * 1024,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).kind).toBe('corrupt');
    expect((error as StoreError).message).toContain(segment);
    expect((await stat(segment)).size).toBe(1000);
  });

  it('refuses to open a store another live store holds', async () => {
    await open();
    await expect(openMessageStore({ storePathRootDir: dir })).rejects.toThrow(/already open/);
  });

  it('deletes only expired segments, trims consume queues, and keeps retained data readable', async () => {
    const store = await open({ fileReservedTime: 1 });
    await putAll(store, 300);
    const segments = (await readdir(join(dir, 'commitlog'))).sort();
    const old = Date.now() / 1000 - 2 * 3600;
    for (const name of segments.slice(0, 2)) await utimes(join(dir, 'commitlog', name), old, old);
    const report = await store.cleanExpiredFiles({ manual: true });
    expect(report.deletedSegments.map((p) => p.split('/').pop())).toEqual(segments.slice(0, 2));
    const min = store.getMinOffsetInQueue('TopicTest', 0);
    expect(min).toBeGreaterThan(0);
    expect(
      (await store.getMessage({ topic: 'TopicTest', queueId: 0, queueOffset: 0 })).status,
    ).toBe('OFFSET_TOO_SMALL');
    const retained = await store.getMessage({
      topic: 'TopicTest',
      queueId: 0,
      queueOffset: min,
      maxMsgNums: 1,
    });
    expect(retained.status).toBe('FOUND');
    expect(decode(retained.messages[0]!).queueOffset).toBe(min);
  });
});
