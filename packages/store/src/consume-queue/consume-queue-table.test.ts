import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../errors.js';
import { ConsumeQueueTable } from './consume-queue-table.js';

const SEGMENT_BYTES = 200;

let root: string;
const tables: ConsumeQueueTable[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rmq-'));
});

afterEach(async () => {
  await Promise.allSettled(tables.splice(0).map((t) => t.closeAll()));
  await rm(root, { recursive: true, force: true });
});

async function openTable(): Promise<ConsumeQueueTable> {
  const table = await ConsumeQueueTable.open({ rootDir: root, segmentBytes: SEGMENT_BYTES });
  tables.push(table);
  return table;
}

function fill(
  table: ConsumeQueueTable,
  spec: { topic: string; queueId: number; count: number },
): void {
  const queue = table.getOrCreate(spec.topic, spec.queueId);
  for (let i = 0; i < spec.count; i++) {
    queue.append({
      queueOffset: i,
      phyOffset: spec.queueId * 10_000 + i * 10,
      size: 10,
      tagsCode: 0,
    });
  }
}

describe('ConsumeQueueTable', () => {
  it('lists every queue written before a reopen with its offsets', async () => {
    const table = await openTable();
    fill(table, { topic: 'TopicA', queueId: 0, count: 3 });
    fill(table, { topic: 'TopicA', queueId: 1, count: 12 });
    fill(table, { topic: '%RETRY%group_1', queueId: 0, count: 1 });
    expect(table.get('TopicA', 1)?.maxOffset).toBe(12);
    expect(table.get('TopicB', 0)).toBeUndefined();
    await table.flushAll({ sync: true });
    await table.closeAll();

    const reopened = await openTable();
    const found = [...reopened.queues()]
      .map((q) => `${q.topic}/${q.queueId}=${q.maxOffset}`)
      .sort();
    expect(found).toEqual(['%RETRY%group_1/0=1', 'TopicA/0=3', 'TopicA/1=12']);
    expect(reopened.maxPhyOffsetEnd()).toBe(10_000 + 11 * 10 + 10);
    expect(reopened.getOrCreate('TopicA', 1)).toBe(reopened.get('TopicA', 1));
  });

  it('creates queues in memory only until the first flush', async () => {
    const table = await openTable();
    const queue = table.getOrCreate('TopicA', 2);
    expect(queue.maxOffset).toBe(0);
    expect(table.maxPhyOffsetEnd()).toBe(-1);
    await expect(stat(join(root, 'consumequeue'))).rejects.toMatchObject({ code: 'ENOENT' });
    fill(table, { topic: 'TopicA', queueId: 2, count: 1 });
    await table.flushAll();
    expect(await readdir(join(root, 'consumequeue', 'TopicA', '2'))).toEqual([
      '00000000000000000000',
    ]);
  });

  it('refuses topic names and queue ids that are not safe directory names', async () => {
    const table = await openTable();
    for (const topic of ['../escape', 'a/b', '', '.', 'topic with space']) {
      expect(() => table.getOrCreate(topic, 0)).toThrow(StoreError);
    }
    expect(() => table.getOrCreate('TopicA', -1)).toThrow(StoreError);
    expect(() => table.getOrCreate('TopicA', 1.5)).toThrow(StoreError);
    expect([...table.queues()]).toEqual([]);
  });

  it('skips directories that are not topics or queue ids when opening', async () => {
    await mkdir(join(root, 'consumequeue', 'bad topic', '0'), { recursive: true });
    await mkdir(join(root, 'consumequeue', 'TopicA', 'x'), { recursive: true });
    const table = await openTable();
    expect([...table.queues()]).toEqual([]);
  });

  it('truncates every queue from a commit-log offset and reports the entries dropped', async () => {
    const table = await openTable();
    fill(table, { topic: 'TopicA', queueId: 0, count: 5 }); // phyOffsets 0..40
    fill(table, { topic: 'TopicA', queueId: 1, count: 5 }); // phyOffsets 10000..10040
    await table.flushAll();
    expect(await table.truncateAllFromPhyOffset(30)).toBe(2 + 5);
    expect(table.get('TopicA', 0)?.maxOffset).toBe(3);
    expect(table.get('TopicA', 1)?.maxOffset).toBe(0);
    expect(table.maxPhyOffsetEnd()).toBe(30);
  });

  it('deletes a topic with its files and keeps the others', async () => {
    const table = await openTable();
    fill(table, { topic: 'TopicA', queueId: 0, count: 2 });
    fill(table, { topic: 'TopicB', queueId: 0, count: 2 });
    await table.flushAll();
    await table.deleteTopic('TopicA');
    expect(table.get('TopicA', 0)).toBeUndefined();
    expect(await readdir(join(root, 'consumequeue'))).toEqual(['TopicB']);
    await table.closeAll();

    const reopened = await openTable();
    expect([...reopened.queues()].map((q) => q.topic)).toEqual(['TopicB']);
  });

  it('sizes the empty segments after the last sized one (interrupted creations) and refuses an empty one before it', async () => {
    const table = await openTable();
    fill(table, { topic: 'TopicA', queueId: 0, count: 12 });
    await table.flushAll({ sync: true });
    await table.closeAll();
    const dir = join(root, 'consumequeue', 'TopicA', '0');
    const names = (await readdir(dir)).sort();
    const next = Number(names.at(-1)) + SEGMENT_BYTES;
    // Two creations interrupted between creating and sizing the file.
    for (const base of [next, next + SEGMENT_BYTES]) {
      await writeFile(join(dir, String(base).padStart(20, '0')), '');
    }
    const reopened = await openTable();
    expect(reopened.get('TopicA', 0)?.maxOffset).toBe(12);
    // Sized (or, holding nothing past the end, removed): no empty file is left.
    for (const name of await readdir(dir)) {
      expect((await stat(join(dir, name))).size).toBe(SEGMENT_BYTES);
    }
    await reopened.closeAll();
    // An empty segment followed by a sized one is not an interrupted creation.
    await writeFile(join(dir, String(next).padStart(20, '0')), '');
    await writeFile(
      join(dir, String(next + SEGMENT_BYTES).padStart(20, '0')),
      Buffer.alloc(SEGMENT_BYTES),
    );
    await expect(openTable()).rejects.toBeInstanceOf(StoreError);
  });

  it('refuses new queues after closeAll', async () => {
    const table = await openTable();
    await table.closeAll();
    expect(() => table.getOrCreate('TopicA', 0)).toThrow(StoreError);
  });
});
