/**
 * The `lock` and `abort` files of a store root (store-format.md §6).
 *
 * `lock` holds the owning process id; a second opener in a live process is refused (Node has no flock, so a stale
 * lock whose pid no longer runs is taken over). `abort` exists while the store is open: finding it at open means the
 * previous run did not close cleanly, and recovery validates the commit log tail.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from '../errors.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock file; throws StoreError when another live process holds it. */
export async function acquireStoreLock(rootDir: string): Promise<void> {
  const path = join(rootDir, 'lock');
  try {
    await writeFile(path, String(process.pid), { flag: 'wx' });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new StoreError('io', `cannot create ${path}`, { cause: error, file: path });
    }
  }
  const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
    throw new StoreError(
      'io',
      `store ${rootDir} is already open in process ${owner} (lock file ${path})`,
      {
        file: path,
      },
    );
  }
  if (owner === process.pid) {
    throw new StoreError('io', `store ${rootDir} is already open in this process`, { file: path });
  }
  await writeFile(path, String(process.pid));
}

/** Releases the lock file. */
export async function releaseStoreLock(rootDir: string): Promise<void> {
  await rm(join(rootDir, 'lock'), { force: true });
}

/** True when `abort` exists (the last run crashed); then creates it for this run. */
export async function markRunning(rootDir: string): Promise<{ lastExitOk: boolean }> {
  const path = join(rootDir, 'abort');
  try {
    await writeFile(path, '', { flag: 'wx' });
    return { lastExitOk: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { lastExitOk: false };
    throw new StoreError('io', `cannot create ${path}`, { cause: error, file: path });
  }
}

/** Removes `abort` at the end of a clean shutdown. */
export async function markCleanExit(rootDir: string): Promise<void> {
  await rm(join(rootDir, 'abort'), { force: true });
}
