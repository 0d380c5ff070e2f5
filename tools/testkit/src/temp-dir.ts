import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/** Every directory made by {@link makeTempDir} starts with this, directly under `os.tmpdir()`. */
export const TEMP_DIR_PREFIX = 'rmq-';

/**
 * Creates a fresh directory `<os.tmpdir()>/rmq-[<label>-]XXXXXX` and returns its absolute path.
 *
 * `label` (say `broker-0`) only makes the directory easier to recognise; characters other than `a-z0-9-` become `-`.
 * Remove it with {@link removeTempDir}.
 */
export async function makeTempDir(label?: string): Promise<string> {
  const safe = label === undefined ? '' : `${label.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}-`;
  // realpath: on macOS tmpdir() is a symlink, and children report resolved paths.
  return realpath(await mkdtemp(join(tmpdir(), `${TEMP_DIR_PREFIX}${safe}`)));
}

/**
 * Removes a directory made by {@link makeTempDir} and everything in it. Removing one that is already gone is fine.
 *
 * @throws Error when `dir` is not a `rmq-` directory directly under `os.tmpdir()`: a guard against deleting
 *   something else by mistake.
 */
export async function removeTempDir(dir: string): Promise<void> {
  const absolute = resolve(dir);
  const parent = dirname(absolute);
  const tmpRoots = new Set([resolve(tmpdir()), await realpath(tmpdir())]);
  if (!tmpRoots.has(parent) || !basename(absolute).startsWith(TEMP_DIR_PREFIX)) {
    throw new Error(
      `refusing to remove ${absolute}: not a ${TEMP_DIR_PREFIX}* directory directly under ${tmpdir()}`,
    );
  }
  await rm(absolute, { recursive: true, force: true, maxRetries: 3 });
}
