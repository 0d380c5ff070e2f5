import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { META_DB_NAMES, openMetaEnv } from './meta-env.js';
import type { MetaEnv } from './meta-env.js';

let dir: string;
let env: MetaEnv | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rmq-'));
});

afterEach(async () => {
  await env?.close();
  env = undefined;
  await rm(dir, { recursive: true, force: true });
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('openMetaEnv', () => {
  it('creates the directory and registers every named sub-database in the root', async () => {
    env = openMetaEnv({ dir: join(dir, 'store', 'meta') });
    await env.delayOffset.put(1, 10);
    const names = [...env.root.getKeys()].filter((k): k is string => typeof k === 'string');
    expect(names.sort()).toEqual(Object.values(META_DB_NAMES).sort());
    expect(names).toEqual(
      expect.arrayContaining(['index-by-key', 'index-batches', 'index-by-phy']),
    );
    expect(env.delayOffset.get(1)).toBe(10);
  });

  it('closes once, however often close is called, and reports being closed', async () => {
    env = openMetaEnv({ dir: join(dir, 'meta') });
    expect(env.closed).toBe(false);
    const first = env.close();
    expect(env.close()).toBe(first);
    await first;
    expect(env.closed).toBe(true);
  });

  it('throws an io StoreError when the directory cannot be created', async () => {
    const file = join(dir, 'not-a-dir');
    await writeFile(file, 'x');
    expect(thrown(() => openMetaEnv({ dir: join(file, 'meta') }))).toMatchObject({
      name: 'StoreError',
      kind: 'io',
    });
  });
});
