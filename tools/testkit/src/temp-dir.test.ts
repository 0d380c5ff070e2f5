import { existsSync } from 'node:fs';
import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from './temp-dir.js';

describe('temp dirs', () => {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => removeTempDir(dir)));
  });

  it('makes a fresh rmq- directory under the system temp dir, labelled when asked', async () => {
    const dir = await makeTempDir('Broker 0');
    made.push(dir);
    expect(dirname(dir)).toBe(await realpath(tmpdir()));
    expect(basename(dir)).toMatch(/^rmq-broker-0-[A-Za-z0-9]{6}$/);
    expect(existsSync(dir)).toBe(true);
  });

  it('removes a directory with everything in it, and accepts one already gone', async () => {
    const dir = await makeTempDir();
    await mkdir(join(dir, 'store', 'commitlog'), { recursive: true });
    await writeFile(join(dir, 'store', 'commitlog', '00000000000000000000'), 'x');
    await removeTempDir(dir);
    expect(existsSync(dir)).toBe(false);
    await expect(removeTempDir(dir)).resolves.toBeUndefined();
  });

  it('refuses to remove a directory it did not make', async () => {
    const dir = await makeTempDir();
    made.push(dir);
    await expect(removeTempDir(join(dir, 'store'))).rejects.toThrow(/refusing to remove/);
    await expect(removeTempDir(process.cwd())).rejects.toThrow(/refusing to remove/);
    expect(existsSync(process.cwd())).toBe(true);
  });
});
