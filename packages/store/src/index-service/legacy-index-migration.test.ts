import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '@rocketmq-ts/protocol';
import { openMetaEnv } from '../metadata/meta-env.js';
import type { MetaEnv } from '../metadata/meta-env.js';
import { rowSegments } from './index-codec.js';
import { MessageIndex } from './message-index.js';
import type { MessageIndexOptions } from './message-index.js';

let dir: string;
let env: MetaEnv;
/** Indexes opened by a test; each owns a writer thread that afterEach ends. */
let indexes: MessageIndex[] = [];

function openIndex(options: MessageIndexOptions): MessageIndex {
  const index = new MessageIndex(options);
  indexes.push(index);
  return index;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rmq-'));
  env = openMetaEnv({ dir: join(dir, 'meta') });
});

afterEach(async () => {
  await Promise.all(indexes.map((index) => index.close()));
  indexes = [];
  await env.close();
  await rm(dir, { recursive: true, force: true });
});

const ALL_TIME = { begin: 0, end: Number.MAX_SAFE_INTEGER };
const KEYS_PER_MESSAGE = 3;
const MESSAGES = 4_000;

function u64(n: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeUIntBE(n, 2, 6);
  return out;
}

/** The previous version's write path: index-by-key key and index-by-phy key of one entry. */
function legacyKeys(
  text: string,
  storeTimestamp: number,
  phyOffset: number,
): [Buffer, Buffer, Buffer] {
  const full = Buffer.from(`TopicA#${text}`, 'utf8');
  const truncated = full.length > 1024;
  const n = truncated ? 1024 : full.length;
  const len = Buffer.alloc(2);
  len.writeUInt16BE(truncated ? 0xffff : n, 0);
  const byKey = Buffer.concat([len, full.subarray(0, n), u64(storeTimestamp), u64(phyOffset)]);
  return [byKey, Buffer.concat([u64(phyOffset), byKey]), truncated ? full : Buffer.alloc(0)];
}

/** Fills index-by-key and index-by-phy the way the previous version did, then reopens the environment. */
async function populateLegacy(): Promise<void> {
  await env.root.transaction(() => {
    for (let m = 0; m < MESSAGES; m++) {
      for (let k = 0; k < KEYS_PER_MESSAGE; k++) {
        const text = k === 2 && m === 7 ? 'L'.repeat(1_500) : `m${m}-k${k}`;
        const [byKey, byPhy, value] = legacyKeys(text, 1_000 + m, m * 10);
        env.indexByKey.putSync(byKey, value);
        env.indexByPhy.putSync(byPhy, Buffer.alloc(0));
      }
    }
  });
  await env.close();
  env = openMetaEnv({ dir: join(dir, 'meta') });
}

function rowSummary(): [number, number][] {
  return [...env.indexBatches.getRange()].map(({ key, value }) => [
    Buffer.from(key).readUIntBE(2, 6),
    rowSegments(Buffer.from(value)).length,
  ]);
}

class LinesLogger implements Logger {
  readonly lines: string[] = [];
  debug(): void {}
  info(message: string, fields?: LogFields): void {
    this.lines.push(`${message} ${JSON.stringify(fields)}`);
  }
  warn(): void {}
  error(): void {}
  child(): Logger {
    return this;
  }
}

describe('legacy index-by-phy migration', () => {
  it('turns legacy rows into batch rows in chunks, empties index-by-phy and keeps removal exact', async () => {
    await populateLegacy();
    const logger = new LinesLogger();
    const index = openIndex({ env, logger });
    expect(env.indexByPhy.getKeysCount()).toBe(0);
    expect(logger.lines).toEqual([
      'migrated legacy index-by-phy rows into index batches {"rows":12000}',
    ]);
    // Chunk one ends in the middle of message 3,333's three entries: they all land in the first row.
    expect(rowSummary()).toEqual([
      [33_330, 10_002],
      [39_990, 1_998],
    ]);
    expect(index.maxIndexedPhyOffset()).toBe(39_990);
    const q = (key: string): number[] =>
      index.query({ topic: 'TopicA', key, maxNum: 10, ...ALL_TIME });
    expect(q('m3333-k2')).toEqual([33_330]);
    expect(q('L'.repeat(1_500))).toEqual([70]);
    expect(await index.removeBelowPhyOffset(33_331)).toBe(3_334 * KEYS_PER_MESSAGE);
    expect(q('m3333-k0')).toEqual([]);
    expect(q('m3334-k0')).toEqual([33_340]);
    expect(await index.removeFromPhyOffset(39_000)).toBe(100 * KEYS_PER_MESSAGE);
    expect(index.maxIndexedPhyOffset()).toBe(38_990);
    expect(env.indexByKey.getKeysCount()).toBe((3_900 - 3_334) * KEYS_PER_MESSAGE);
  });

  it('indexes new batches after migrated rows and migrates nothing on the next open', async () => {
    await populateLegacy();
    let index = openIndex({ env });
    await index.add([{ topic: 'TopicA', key: 'new', storeTimestamp: 9_000, phyOffset: 50_000 }]);
    await index.close();
    await env.close();
    env = openMetaEnv({ dir: join(dir, 'meta') });
    const logger = new LinesLogger();
    index = openIndex({ env, logger });
    expect(logger.lines).toEqual([]);
    expect(rowSummary().map(([key]) => key)).toEqual([33_330, 39_990, 50_000]);
    expect(index.maxIndexedPhyOffset()).toBe(50_000);
    expect(await index.removeBelowPhyOffset(40_000)).toBe(MESSAGES * KEYS_PER_MESSAGE);
    expect(index.query({ topic: 'TopicA', key: 'new', maxNum: 1, ...ALL_TIME })).toEqual([50_000]);
  });
});
