import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLogTail } from './log-tail.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

describe('readLogTail', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('log-tail');
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  it('returns only the last lines of a long log', async () => {
    const path = join(dir, 'stderr.log');
    await writeFile(path, Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
    const tail = await readLogTail(path, { maxLines: 3 });
    expect(tail).toBe('line 98\nline 99\nline 100');
  });

  it('drops a line cut in half by the byte limit', async () => {
    const path = join(dir, 'stderr.log');
    await writeFile(path, 'aaaaaaaaaa\nbbb\nccc\n');
    expect(await readLogTail(path, { maxBytes: 10 })).toBe('bbb\nccc');
  });

  it('returns an empty string for a log that was never written', async () => {
    expect(await readLogTail(join(dir, 'missing.log'))).toBe('');
  });
});
