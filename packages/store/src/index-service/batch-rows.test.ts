import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMetaEnv } from '../metadata/meta-env.js';
import type { MetaEnv } from '../metadata/meta-env.js';
import { keyPhyOffset, rowSegments } from './index-codec.js';
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

const ALL_TIME = { begin: 0, end: Number.MAX_SAFE_INTEGER };

function entry(key: string, phyOffset: number): MessageIndexEntry {
  return { topic: 'TopicA', key, storeTimestamp: 1_000 + phyOffset, phyOffset };
}

function find(key: string): number[] {
  return index.query({ topic: 'TopicA', key, maxNum: 1_000, ...ALL_TIME });
}

interface StoredRow {
  phyOffset: number;
  /** The listed index-by-key keys as hex, in row order. */
  keys: string[];
  /** Their phyOffsets, in row order. */
  entries: number[];
}

function rows(): StoredRow[] {
  return [...env.indexBatches.getRange()].map(({ key, value }) => {
    const row = Buffer.from(value);
    const segments = rowSegments(row);
    return {
      phyOffset: Buffer.from(key).readUIntBE(2, 6),
      keys: segments.map((s) => row.toString('hex', s.start, s.end)),
      entries: segments.map((s) => s.phyOffset),
    };
  });
}

function indexKeysHex(): string[] {
  return [...env.indexByKey.getKeys()].map((k) => Buffer.from(k).toString('hex'));
}

function lastTxnId(): number {
  return (env.root.getStats() as { lastTxnId: number }).lastTxnId;
}

/** Two batches: [100 a, 200 b, 200 c, 300 a] and [400 d, 500 a, 600 e]. */
async function addTwoBatches(): Promise<void> {
  await index.add([entry('a', 100), entry('b', 200), entry('c', 200), entry('a', 300)]);
  await index.add([entry('d', 400), entry('a', 500), entry('e', 600)]);
}

describe('MessageIndex batch rows', () => {
  it('writes one row per add, keyed by its largest phyOffset and listing exactly its entries', async () => {
    await addTwoBatches();
    const stored = rows();
    expect(stored.map((r) => [r.phyOffset, r.entries])).toEqual([
      [300, [100, 200, 200, 300]],
      [600, [400, 500, 600]],
    ]);
    expect(stored.flatMap((r) => r.keys).sort()).toEqual(indexKeysHex().sort());
    expect(index.maxIndexedPhyOffset()).toBe(600);
  });

  it('writes a batch row in the same commit as its entries', async () => {
    const write = index.add([entry('x', 10), entry('y', 20)]);
    expect(rows()).toEqual([]);
    await write;
    expect(rows().map((r) => r.entries)).toEqual([[10, 20]]);
    expect(env.indexByKey.getKeysCount()).toBe(2);
  });

  it('cuts through the middle of a row from the end, rewriting it under its new largest offset', async () => {
    await addTwoBatches();
    expect(await index.removeFromPhyOffset(450)).toBe(2);
    expect(rows().map((r) => [r.phyOffset, r.entries])).toEqual([
      [300, [100, 200, 200, 300]],
      [400, [400]],
    ]);
    expect(find('a')).toEqual([300, 100]);
    expect(find('e')).toEqual([]);
    expect(find('d')).toEqual([400]);
    expect(index.maxIndexedPhyOffset()).toBe(400);
    expect(
      rows()
        .flatMap((r) => r.keys)
        .sort(),
    ).toEqual(indexKeysHex().sort());
  });

  it('cuts through the middle of a row from the start, keeping the row key', async () => {
    await addTwoBatches();
    expect(await index.removeBelowPhyOffset(250)).toBe(3);
    expect(rows().map((r) => [r.phyOffset, r.entries])).toEqual([
      [300, [300]],
      [600, [400, 500, 600]],
    ]);
    expect(find('a')).toEqual([500, 300]);
    expect(find('b')).toEqual([]);
    expect(index.maxIndexedPhyOffset()).toBe(600);
    expect(await index.removeBelowPhyOffset(600)).toBe(3);
    expect(rows().map((r) => [r.phyOffset, r.entries])).toEqual([[600, [600]]]);
    expect(await index.removeBelowPhyOffset(601)).toBe(1);
    expect(rows()).toEqual([]);
    expect(index.maxIndexedPhyOffset()).toBe(-1);
  });

  it('removes an exact row boundary without rewriting the neighbours', async () => {
    await addTwoBatches();
    expect(await index.removeFromPhyOffset(400)).toBe(3);
    expect(rows().map((r) => r.phyOffset)).toEqual([300]);
    expect(await index.removeBelowPhyOffset(301)).toBe(4);
    expect(rows()).toEqual([]);
    expect(env.indexByKey.getKeysCount()).toBe(0);
  });

  it('deletes many rows in bounded chunks and counts every entry', async () => {
    // 30 batches of 1,000 messages with two keys each: 60,000 entries, 6x the per-transaction chunk.
    for (let b = 0; b < 30; b++) {
      const batch: MessageIndexEntry[] = [];
      for (let m = 0; m < 1_000; m++) {
        const phyOffset = (b * 1_000 + m) * 10;
        batch.push(entry(`u${phyOffset}`, phyOffset), entry(`k${m % 13}`, phyOffset));
      }
      await index.add(batch);
    }
    expect(rows()).toHaveLength(30);
    // Below 125,005: messages 0..12,500 (12,501 of them) go, cutting batch 12 in the middle.
    const txnBefore = lastTxnId();
    expect(await index.removeBelowPhyOffset(125_005)).toBe(25_002);
    // At most 10,000 entries per transaction: 25,002 entries need at least three.
    expect(lastTxnId() - txnBefore).toBeGreaterThanOrEqual(3);
    const afterBelow = rows();
    expect(afterBelow).toHaveLength(18);
    expect(afterBelow[0]?.entries[0]).toBe(125_010);
    expect(afterBelow[0]?.entries).toHaveLength(2 * 499);
    // From 225,000: messages 22,500..29,999 (7,500) go, cutting batch 22 in the middle.
    expect(await index.removeFromPhyOffset(225_000)).toBe(15_000);
    expect(index.maxIndexedPhyOffset()).toBe(224_990);
    expect(env.indexByKey.getKeysCount()).toBe(2 * (22_500 - 12_501));
    expect(rows().reduce((n, r) => n + r.entries.length, 0)).toBe(2 * (22_500 - 12_501));
    expect(find('u125000')).toEqual([]);
    expect(find('u125010')).toEqual([125_010]);
    expect(find('u224990')).toEqual([224_990]);
    expect(find('u225000')).toEqual([]);
  });

  it('deletes a single row holding more entries than one chunk', async () => {
    const many = Array.from({ length: 25_000 }, (_, i) => entry(`k${i % 7}`, i * 10));
    await index.add(many);
    expect(await index.removeFromPhyOffset(5_000 * 10)).toBe(20_000);
    expect(rows().map((r) => [r.phyOffset, r.entries.length])).toEqual([[49_990, 5_000]]);
    expect(env.indexByKey.getKeysCount()).toBe(5_000);
  });

  it('treats a re-added batch as a no-op and merges an overlapping re-dispatch into the covering rows', async () => {
    await addTwoBatches();
    const before = rows();
    await index.add([entry('a', 100), entry('b', 200), entry('c', 200), entry('a', 300)]);
    await index.add([entry('d', 400), entry('a', 500), entry('e', 600)]);
    expect(rows()).toEqual(before);
    expect(env.indexByKey.getKeysCount()).toBe(7);
    // Re-dispatch split differently, with one entry not seen before (f at 250) and new entries past the end.
    await index.add([
      entry('c', 200),
      entry('f', 250),
      entry('a', 300),
      entry('d', 400),
      entry('g', 700),
    ]);
    expect(rows().map((r) => [r.phyOffset, r.entries])).toEqual([
      [300, [100, 200, 200, 300, 250]],
      [600, [400, 500, 600]],
      [700, [700]],
    ]);
    expect(find('f')).toEqual([250]);
    expect(
      rows()
        .flatMap((r) => r.keys)
        .sort(),
    ).toEqual(indexKeysHex().sort());
    expect(await index.removeBelowPhyOffset(260)).toBe(4);
    expect(find('f')).toEqual([]);
    expect(rows()[0]?.entries).toEqual([300]);
  });

  it('counts an entry listed twice in one batch once', async () => {
    await index.add([entry('same', 10), entry('same', 10), entry('other', 20)]);
    expect(rows()[0]?.entries).toEqual([10, 10, 20]);
    expect(await index.removeBelowPhyOffset(100)).toBe(2);
  });

  it('keeps writing direct rows after a cut lowered the largest row key', async () => {
    await addTwoBatches();
    await index.removeFromPhyOffset(350);
    const w1 = index.add([entry('h', 400), entry('i', 450)]);
    const w2 = index.add([entry('j', 460)]);
    await Promise.all([w1, w2]);
    expect(rows().map((r) => [r.phyOffset, r.entries])).toEqual([
      [300, [100, 200, 200, 300]],
      [450, [400, 450]],
      [460, [460]],
    ]);
    expect(index.maxIndexedPhyOffset()).toBe(460);
    expect(await index.removeBelowPhyOffset(420)).toBe(5);
    expect(find('i')).toEqual([450]);
  });

  it('lists truncated long keys in rows and removes them with their entries', async () => {
    const long = 'z'.repeat(2_000);
    await index.add([entry(long, 10), entry(`${long}!`, 20)]);
    expect(rows()[0]?.keys.map((k) => keyPhyOffset(Buffer.from(k, 'hex')))).toEqual([10, 20]);
    expect(find(`${long}!`)).toEqual([20]);
    expect(await index.removeFromPhyOffset(15)).toBe(1);
    expect(find(long)).toEqual([10]);
    expect(find(`${long}!`)).toEqual([]);
  });
});
