import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../errors.js';
import { openMetaEnv } from '../metadata/meta-env.js';
import type { MetaEnv } from '../metadata/meta-env.js';
import { rowSegments } from './index-codec.js';
import { MessageIndex } from './message-index.js';
import type { MessageIndexEntry } from './message-index.js';

let dir: string;
let env: MetaEnv;
let index: MessageIndex;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rmq-'));
  env = openMetaEnv({ dir: join(dir, 'meta') });
  index = new MessageIndex({ env });
});

afterEach(async () => {
  await index.close();
  await env.close();
  await rm(dir, { recursive: true, force: true });
});

function entry(key: string, storeTimestamp: number, phyOffset: number): MessageIndexEntry {
  return { topic: 'TopicA', key, storeTimestamp, phyOffset };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}
const ALL_TIME = { begin: 0, end: Number.MAX_SAFE_INTEGER };

/** The batch rows as stored: key and the phyOffsets of the index-by-key keys they list, in row order. */
function rows(): { phyOffset: number; entries: number[] }[] {
  return [...env.indexBatches.getRange()].map(({ key, value }) => {
    const row = Buffer.from(value);
    return {
      phyOffset: Buffer.from(key).readUIntBE(2, 6),
      entries: rowSegments(row).map((s) => s.phyOffset),
    };
  });
}

describe('MessageIndex', () => {
  it('returns the offsets of a key newest first, limited to maxNum', async () => {
    await index.add([
      entry('order-1', 1_000, 100),
      entry('order-1', 3_000, 300),
      entry('order-2', 2_000, 200),
      entry('order-1', 2_000, 250),
      entry('order-1', 3_000, 350),
    ]);
    expect(index.query({ topic: 'TopicA', key: 'order-1', maxNum: 32, ...ALL_TIME })).toEqual([
      350, 300, 250, 100,
    ]);
    expect(index.query({ topic: 'TopicA', key: 'order-1', maxNum: 2, ...ALL_TIME })).toEqual([
      350, 300,
    ]);
    expect(index.query({ topic: 'TopicA', key: 'order-1', maxNum: 0, ...ALL_TIME })).toEqual([]);
  });

  it('keeps only entries whose store time lies within begin and end inclusive', async () => {
    await index.add([
      entry('k', 999, 1),
      entry('k', 1_000, 2),
      entry('k', 1_500, 3),
      entry('k', 2_000, 4),
      entry('k', 2_001, 5),
    ]);
    expect(
      index.query({ topic: 'TopicA', key: 'k', maxNum: 10, begin: 1_000, end: 2_000 }),
    ).toEqual([4, 3, 2]);
    expect(index.query({ topic: 'TopicA', key: 'k', maxNum: 10, begin: 2_002, end: 1e13 })).toEqual(
      [],
    );
    expect(
      index.query({ topic: 'TopicA', key: 'k', maxNum: 10, begin: 2_000, end: 1_000 }),
    ).toEqual([]);
  });

  it('does not mix keys of different topics or keys that share a prefix', async () => {
    await index.add([
      { topic: 'TopicA', key: 'k', storeTimestamp: 10, phyOffset: 1 },
      { topic: 'TopicB', key: 'k', storeTimestamp: 10, phyOffset: 2 },
      { topic: 'TopicA', key: 'k2', storeTimestamp: 10, phyOffset: 3 },
      { topic: 'TopicA#k', key: '', storeTimestamp: 10, phyOffset: 4 },
      { topic: 'TopicA', key: 'k\u0000', storeTimestamp: 10, phyOffset: 5 },
    ]);
    expect(index.query({ topic: 'TopicA', key: 'k', maxNum: 10, ...ALL_TIME })).toEqual([1]);
    expect(index.query({ topic: 'TopicB', key: 'k', maxNum: 10, ...ALL_TIME })).toEqual([2]);
    expect(index.query({ topic: 'TopicA', key: 'k\u0000', maxNum: 10, ...ALL_TIME })).toEqual([5]);
    expect(index.query({ topic: 'TopicC', key: 'k', maxNum: 10, ...ALL_TIME })).toEqual([]);
  });

  it('skips empty keys and treats a re-added entry as the same entry', async () => {
    await index.add([entry('', 10, 1), entry('dup', 10, 2)]);
    await index.add([entry('dup', 10, 2)]);
    expect(index.query({ topic: 'TopicA', key: 'dup', maxNum: 10, ...ALL_TIME })).toEqual([2]);
    expect(env.indexBatches.getKeysCount()).toBe(1);
    expect(env.indexByKey.getKeysCount()).toBe(1);
  });

  it('indexes and finds keys longer than the lmdb key limit without mixing keys sharing a long prefix', async () => {
    const base = 'x'.repeat(3_000);
    await index.add([
      entry(`${base}-a`, 10, 1),
      entry(`${base}-b`, 20, 2),
      entry(`${base}-a`, 30, 3),
      entry(`é${base}`, 30, 4),
    ]);
    expect(index.query({ topic: 'TopicA', key: `${base}-a`, maxNum: 10, ...ALL_TIME })).toEqual([
      3, 1,
    ]);
    expect(index.query({ topic: 'TopicA', key: `${base}-b`, maxNum: 10, ...ALL_TIME })).toEqual([
      2,
    ]);
    expect(index.query({ topic: 'TopicA', key: `${base}-a`, maxNum: 1, ...ALL_TIME })).toEqual([3]);
    expect(index.query({ topic: 'TopicA', key: `é${base}`, maxNum: 10, ...ALL_TIME })).toEqual([4]);
    expect(await index.removeFromPhyOffset(2)).toBe(3);
    expect(index.query({ topic: 'TopicA', key: `${base}-a`, maxNum: 10, ...ALL_TIME })).toEqual([
      1,
    ]);
  });

  it('removes entries at or past a cut offset and reports how many', async () => {
    await index.add([
      entry('a', 1, 100),
      entry('b', 2, 200),
      entry('a', 3, 300),
      entry('c', 4, 400),
    ]);
    expect(await index.removeFromPhyOffset(300)).toBe(2);
    expect(index.maxIndexedPhyOffset()).toBe(200);
    expect(index.query({ topic: 'TopicA', key: 'a', maxNum: 10, ...ALL_TIME })).toEqual([100]);
    expect(index.query({ topic: 'TopicA', key: 'c', maxNum: 10, ...ALL_TIME })).toEqual([]);
    expect(env.indexByKey.getKeysCount()).toBe(2);
    expect(await index.removeFromPhyOffset(1_000)).toBe(0);
  });

  it('removes entries below the minimum offset kept by retention and reports how many', async () => {
    await index.add([entry('a', 1, 100), entry('b', 2, 200), entry('a', 3, 300)]);
    expect(await index.removeBelowPhyOffset(0)).toBe(0);
    expect(await index.removeBelowPhyOffset(300)).toBe(2);
    expect(index.query({ topic: 'TopicA', key: 'a', maxNum: 10, ...ALL_TIME })).toEqual([300]);
    expect(index.query({ topic: 'TopicA', key: 'b', maxNum: 10, ...ALL_TIME })).toEqual([]);
    expect(env.indexByKey.getKeysCount()).toBe(1);
    expect(index.maxIndexedPhyOffset()).toBe(300);
  });

  it('removes more entries than fit in one removal transaction', async () => {
    const many = Array.from({ length: 25_000 }, (_, i) => entry(`k${i % 7}`, i, i * 10));
    await index.add(many);
    expect(await index.removeBelowPhyOffset(21_000 * 10)).toBe(21_000);
    expect(env.indexByKey.getKeysCount()).toBe(4_000);
    expect(rows().map((r) => r.entries.length)).toEqual([4_000]);
  });

  it('reports -1 as the largest indexed offset of an empty index', () => {
    expect(index.maxIndexedPhyOffset()).toBe(-1);
  });

  it('handles offsets and timestamps beyond 32 bits', async () => {
    const big = 2 ** 40 + 5;
    await index.add([entry('big', 2 ** 33, big), entry('big', 2 ** 32 - 1, 2 ** 32 - 1)]);
    expect(index.query({ topic: 'TopicA', key: 'big', maxNum: 10, ...ALL_TIME })).toEqual([
      big,
      2 ** 32 - 1,
    ]);
    expect(index.maxIndexedPhyOffset()).toBe(big);
  });

  it('keeps its entries when the environment is reopened', async () => {
    await index.add([entry('persist', 5, 42), entry('persist', 6, 43)]);
    await index.close();
    await env.close();
    env = openMetaEnv({ dir: join(dir, 'meta') });
    index = new MessageIndex({ env });
    expect(index.query({ topic: 'TopicA', key: 'persist', maxNum: 10, ...ALL_TIME })).toEqual([
      43, 42,
    ]);
    expect(index.maxIndexedPhyOffset()).toBe(43);
  });

  it('rejects negative offsets with a RangeError and writes nothing of that call', async () => {
    expect(() => index.add([entry('ok', 1, 1), entry('neg', 1, -1)])).toThrow(RangeError);
    await env.root.flushed;
    expect(env.indexByKey.getKeysCount()).toBe(0);
    expect(index.maxIndexedPhyOffset()).toBe(-1);
  });

  it('sees the entries of a resolved add in a query right away, though a read snapshot was open before', async () => {
    expect(index.query({ topic: 'TopicA', key: 'fresh', maxNum: 10, ...ALL_TIME })).toEqual([]);
    for (let round = 1; round <= 20; round++) {
      await index.add([entry('fresh', round, round * 10)]);
      expect(index.query({ topic: 'TopicA', key: 'fresh', maxNum: 1, ...ALL_TIME })).toEqual([
        round * 10,
      ]);
      expect(index.maxIndexedPhyOffset()).toBe(round * 10);
    }
  });

  it('applies adds and removals in call order when none is awaited', async () => {
    const writes = [
      index.add([entry('a', 1, 100), entry('b', 2, 200), entry('a', 3, 300)]),
      index.removeFromPhyOffset(200),
      index.add([entry('c', 4, 250), entry('a', 5, 260)]),
      index.removeBelowPhyOffset(150),
      index.add([entry('d', 6, 400)]),
      index.removeFromPhyOffset(400),
    ];
    const results = await Promise.all(writes);
    expect(results).toEqual([undefined, 2, undefined, 1, undefined, 1]);
    expect(index.query({ topic: 'TopicA', key: 'a', maxNum: 10, ...ALL_TIME })).toEqual([260]);
    expect(index.query({ topic: 'TopicA', key: 'c', maxNum: 10, ...ALL_TIME })).toEqual([250]);
    expect(index.query({ topic: 'TopicA', key: 'd', maxNum: 10, ...ALL_TIME })).toEqual([]);
    expect(rows()).toEqual([{ phyOffset: 260, entries: [250, 260] }]);
    expect(index.maxIndexedPhyOffset()).toBe(260);
  });

  it('changes nothing when batches are added again (re-dispatch after a crash)', async () => {
    const first = [entry('a', 1, 100), entry('b', 2, 200)];
    const second = [entry('c', 3, 300), entry('a', 4, 400), entry('a', 4, 400)];
    await index.add(first);
    await index.add(second);
    const before = { rows: rows(), keys: env.indexByKey.getKeysCount() };
    await Promise.all([index.add(first), index.add(second), index.add([...first, ...second])]);
    expect({ rows: rows(), keys: env.indexByKey.getKeysCount() }).toEqual(before);
    expect(index.query({ topic: 'TopicA', key: 'a', maxNum: 10, ...ALL_TIME })).toEqual([400, 100]);
  });

  it('keeps main-thread writes to other sub-databases working while the writer thread writes', async () => {
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      writes.push(index.add([entry(`k${i}`, i, i * 10 + 1)]));
      writes.push(env.topicConfig.put(`Topic${i}`, `config ${i}`));
      writes.push(env.consumerOffset.put(['TopicA', 'group', i], i * 7));
    }
    await Promise.all(writes);
    env.topicConfig.putSync('TopicSync', 'sync config');
    for (let i = 0; i < 50; i++) {
      expect(env.topicConfig.get(`Topic${i}`)).toBe(`config ${i}`);
      expect(env.consumerOffset.get(['TopicA', 'group', i])).toBe(i * 7);
      expect(index.query({ topic: 'TopicA', key: `k${i}`, maxNum: 1, ...ALL_TIME })).toEqual([
        i * 10 + 1,
      ]);
    }
    expect(env.topicConfig.get('TopicSync')).toBe('sync config');
    expect(env.indexByKey.getKeysCount()).toBe(50);
  });

  it('commits every queued write on close and then refuses calls with a closed StoreError', async () => {
    const queued = index.add(Array.from({ length: 5_000 }, (_, i) => entry(`q${i % 5}`, i, i + 1)));
    await index.close();
    await queued;
    await index.close();
    expect(thrown(() => index.add([entry('late', 1, 9_999)]))).toMatchObject({ kind: 'closed' });
    expect(thrown(() => index.removeFromPhyOffset(0))).toMatchObject({ kind: 'closed' });
    expect(
      thrown(() => index.query({ topic: 'TopicA', key: 'q1', maxNum: 1, ...ALL_TIME })),
    ).toMatchObject({ kind: 'closed' });
    env.root.resetReadTxn();
    expect(env.indexByKey.getKeysCount()).toBe(5_000);
    index = new MessageIndex({ env });
    expect(index.maxIndexedPhyOffset()).toBe(5_000);
  });

  it('rejects pending and later calls with a StoreError once the writer thread died', async () => {
    const pending = index.add(Array.from({ length: 20_000 }, (_, i) => entry(`p${i % 9}`, i, i)));
    const exitCode = index.terminateWriterForTest();
    await expect(pending).rejects.toMatchObject({ name: 'StoreError', kind: 'io' });
    await exitCode;
    await expect(index.add([entry('after', 1, 50_000)])).rejects.toMatchObject({ kind: 'io' });
    await expect(index.removeFromPhyOffset(0)).rejects.toMatchObject({ kind: 'io' });
    await expect(index.removeBelowPhyOffset(10)).rejects.toMatchObject({ kind: 'io' });
    // Reads still work on the main thread, and close() ends cleanly.
    expect(index.query({ topic: 'TopicA', key: 'after', maxNum: 1, ...ALL_TIME })).toEqual([]);
    await index.close();
  });

  it('rejects an add the writer cannot apply with a StoreError and keeps applying later calls', async () => {
    await index.add([entry('a', 1, 100), entry('a', 1, 160)]);
    // A row whose one segment claims more bytes than it holds, covering 150: linking an entry at 150 must parse it.
    await env.indexBatches.put(Buffer.from([0, 0, 0, 0, 0, 0, 0, 155]), Buffer.from([0, 40, 1]));
    await expect(index.add([entry('b', 2, 150)])).rejects.toMatchObject({
      name: 'StoreError',
      kind: 'corrupt',
    });
    await index.add([entry('c', 3, 300)]);
    expect(index.query({ topic: 'TopicA', key: 'c', maxNum: 1, ...ALL_TIME })).toEqual([300]);
    expect(index.query({ topic: 'TopicA', key: 'b', maxNum: 1, ...ALL_TIME })).toEqual([]);
  });

  it('throws a closed StoreError once the environment is closed', async () => {
    await env.close();
    expect(() => index.query({ topic: 'TopicA', key: 'a', maxNum: 1, ...ALL_TIME })).toThrow(
      StoreError,
    );
    expect(thrown(() => index.maxIndexedPhyOffset())).toMatchObject({ kind: 'closed' });
  });
});
