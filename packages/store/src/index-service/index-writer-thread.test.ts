import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../errors.js';
import { openMetaEnv } from '../metadata/meta-env.js';
import type { MetaEnv } from '../metadata/meta-env.js';
import { IndexBatchBuilder } from './index-batch-builder.js';
import type { IndexBatch } from './index-batch-builder.js';
import { MAX_INLINE_KEY_BYTES } from './index-codec.js';
import { IndexWriterThread } from './index-writer-thread.js';

let dir: string;
let env: MetaEnv;
let writer: IndexWriterThread;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rmq-index-writer-'));
  env = openMetaEnv({ dir: join(dir, 'meta') });
  writer = new IndexWriterThread({ dir: env.dir, onCommitted: () => undefined });
});

afterEach(async () => {
  await writer.close();
  await env.close();
  await rm(dir, { recursive: true, force: true });
});

/** A batch of `keys`, one entry each, at phyOffsets from `firstPhyOffset`. */
function batchOf(keys: string[], firstPhyOffset: number): IndexBatch {
  const builder = new IndexBatchBuilder();
  keys.forEach((key, i) =>
    builder.append(key, {
      topic: 'TopicA',
      storeTimestamp: 1_000 + i,
      phyOffset: firstPhyOffset + i * 100,
    }),
  );
  return builder.take()!;
}

function storedKeys(): number {
  return env.indexByKey.getKeysCount();
}

describe('IndexWriterThread', () => {
  it('writes every key of a batch, long keys with their full text', async () => {
    const keys = Array.from({ length: 2_000 }, (_, i) => `key-${i}`);
    keys.push('L'.repeat(MAX_INLINE_KEY_BYTES + 10));
    const batch = batchOf(keys, 0);
    expect(batch.longValues).toHaveLength(1);
    await writer.add(batch);
    expect(storedKeys()).toBe(keys.length);
  });

  it('refuses a batch whose truncated key comes without its full text and writes none of it', async () => {
    const batch = batchOf(['short', 'L'.repeat(MAX_INLINE_KEY_BYTES + 10), 'other'], 0);
    const refused = writer.add({ ...batch, longValues: undefined });
    await expect(refused).rejects.toThrow(StoreError);
    await expect(refused).rejects.toThrow(/lacks the full key of a truncated key/);
    expect(storedKeys()).toBe(0);
    // The thread goes on with later requests.
    await writer.add(batchOf(['after'], 1_000));
    expect(storedKeys()).toBe(1);
  });
});
