import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMessageRecord, encodeMessageProperties } from '@rocketmq-ts/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from './errors.js';
import { openMessageStore } from './message-store.js';
import type { MessageStore } from './message-store.js';

let root: string;
const opened: MessageStore[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rmq-repl-'));
});
afterEach(async () => {
  while (opened.length > 0) await opened.pop()!.close();
  await rm(root, { recursive: true, force: true });
});

async function open(name: string): Promise<MessageStore> {
  const store = await openMessageStore({
    storePathRootDir: join(root, name),
    mappedFileSizeCommitLog: 64 * 1024,
    mappedFileSizeConsumeQueue: 20 * 100,
    maxMessageSize: 16 * 1024,
    diskUsageProbe: () => Promise.resolve(10),
  });
  opened.push(store);
  return store;
}

async function fill(master: MessageStore, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      master.putMessage({
        topic: `Repl${i % 3}`,
        queueId: i % 2,
        body: Buffer.from(`body-${i}-${'r'.repeat(i % 700)}`),
        properties: encodeMessageProperties(
          new Map([
            ['KEYS', `k-${i}`],
            ['UNIQ_KEY', `U${i}`],
          ]),
        ),
        bornTimestamp: 1_700_000_000_000,
        bornHost: { host: '127.0.0.1', port: 40000 },
        storeHost: { host: '127.0.0.1', port: 10911 },
      }),
    ),
  );
}

/** Copies the master's commit log to the slave in small pieces that split records, as an HA stream would. */
async function replicate(
  master: MessageStore,
  slave: MessageStore,
  pieceBytes: number,
): Promise<void> {
  for (
    let guard = 0;
    guard < 100_000 && slave.getMaxPhyOffset() < master.getMaxPhyOffset();
    guard++
  ) {
    const from = slave.getMaxPhyOffset();
    const bytes = await master.readRaw(from, pieceBytes);
    if (!bytes) throw new Error(`master has nothing at ${from}`);
    await slave.appendRaw(from, bytes);
  }
}

describe('raw appends (replication surface)', () => {
  it('rebuilds byte-identical commit logs and the same queues and index from split pieces', async () => {
    const master = await open('master');
    const slave = await open('slave');
    await fill(master, 400);
    await replicate(master, slave, 777);
    expect(slave.getMaxPhyOffset()).toBe(master.getMaxPhyOffset());
    const segments = (await readdir(join(root, 'master', 'commitlog'))).sort();
    expect(segments.length, `master end ${master.getMaxPhyOffset()}`).toBeGreaterThan(1);
    for (const name of segments) {
      const a = await readFile(join(root, 'master', 'commitlog', name));
      const b = await readFile(join(root, 'slave', 'commitlog', name));
      expect(b.equals(a)).toBe(true);
    }
    for (const topic of ['Repl0', 'Repl1', 'Repl2']) {
      for (const queueId of [0, 1]) {
        expect(slave.getMaxOffsetInQueue(topic, queueId)).toBe(
          master.getMaxOffsetInQueue(topic, queueId),
        );
        const got = await slave.getMessage({ topic, queueId, queueOffset: 0, maxMsgNums: 5 });
        const want = await master.getMessage({ topic, queueId, queueOffset: 0, maxMsgNums: 5 });
        expect(got.messages.map((m) => m.toString('hex'))).toEqual(
          want.messages.map((m) => m.toString('hex')),
        );
      }
    }
    const found = await slave.lookMessageByUniqKey('Repl1', 'U4');
    const decoded = decodeMessageRecord(found!, 0);
    expect(decoded.kind === 'message' && decoded.record.properties.get('KEYS')).toBe('k-4');
  });

  it('refuses bytes that do not continue the log or are not records, changing nothing', async () => {
    const master = await open('master');
    const slave = await open('slave');
    await fill(master, 10);
    const bytes = (await master.readRaw(0, 4096))!;
    await expect(slave.appendRaw(100, bytes)).rejects.toBeInstanceOf(StoreError);
    expect(slave.getMaxPhyOffset()).toBe(0);
    const garbage = Buffer.alloc(300, 0x5a);
    const error = await slave.appendRaw(0, garbage).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).kind).toBe('corrupt');
  });

  it('refuses a record with a bad body CRC before writing anything, and takes the good bytes afterwards', async () => {
    const master = await open('master');
    const slave = await open('slave');
    await fill(master, 10);
    const good = (await master.readRaw(0, 4096))!;
    const bad = Buffer.from(good);
    // The first record's stored body CRC (bytes 8..11) no longer matches its body.
    bad.writeUInt8(bad.readUInt8(8) ^ 0xff, 8);
    const error = await slave.appendRaw(0, bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(slave.getMaxPhyOffset()).toBe(0);
    await slave.appendRaw(0, good);
    expect(slave.getMaxPhyOffset()).toBe(good.length);
    const found = await slave.getMessage({
      topic: 'Repl0',
      queueId: 0,
      queueOffset: 0,
      maxMsgNums: 1,
    });
    expect(found.status).toBe('FOUND');
  });

  it('lets an empty slave start at a segment boundary of the master and survive a reopen', async () => {
    const master = await open('master');
    await fill(master, 400);
    const secondSegment = 64 * 1024;
    expect(master.getMaxPhyOffset()).toBeGreaterThan(secondSegment);
    let slave = await open('slave');
    for (
      let guard = 0;
      guard < 10_000 && slave.getMaxPhyOffset() < master.getMaxPhyOffset();
      guard++
    ) {
      const from = Math.max(slave.getMaxPhyOffset(), secondSegment);
      await slave.appendRaw(from, (await master.readRaw(from, 1000))!);
    }
    expect(slave.getMinPhyOffset()).toBe(secondSegment);
    expect(slave.getMaxPhyOffset()).toBe(master.getMaxPhyOffset());
    const tail = master.getMaxOffsetInQueue('Repl0', 0);
    const want = await master.getMessage({
      topic: 'Repl0',
      queueId: 0,
      queueOffset: tail - 1,
      maxMsgNums: 1,
    });
    const got = await slave.getMessage({
      topic: 'Repl0',
      queueId: 0,
      queueOffset: tail - 1,
      maxMsgNums: 1,
    });
    expect(got.messages[0]!.equals(want.messages[0]!)).toBe(true);
    await slave.close();
    opened.splice(opened.indexOf(slave), 1);
    slave = await open('slave');
    expect(slave.getMinPhyOffset()).toBe(secondSegment);
    expect(slave.getMaxPhyOffset()).toBe(master.getMaxPhyOffset());
  });
});
