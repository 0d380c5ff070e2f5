import { copyFile, mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@rocketmq-ts/protocol';
import { StoreError } from '../errors.js';

/*
 * RocketMQ's config-file discipline (store-format.md §7):
 *   load  (ConfigManager.load/loadBak): read <name>; when it is missing, empty or fails to decode, read <name>.bak.
 *   write (MixAll.string2File): write <name>.tmp, copy the current <name> to <name>.bak, rename <name>.tmp → <name>.
 * One deliberate difference: Java starts with an empty table when <name> is corrupt and there is no backup; here that
 * is a `corrupt` StoreError, because a migration must not silently drop a table it cannot read.
 */

/** Where a loaded config file came from: the file itself or its `.bak` copy. */
export type ConfigFileSource = 'file' | 'bak';

/** Options of {@link loadConfigFile}. */
export interface LoadConfigFileOptions<T> {
  /** Directory holding the file (RocketMQ's `store/config`). */
  dir: string;
  /** File name, e.g. `topics.json`. */
  name: string;
  /** Decodes the content; throws on malformed content. */
  decode: (text: string) => T;
  /** Receives one warning when the file is unreadable and the backup is tried. */
  logger: Logger;
}

/**
 * Loads a RocketMQ config file, falling back to `<name>.bak` when the file is missing, empty (or blank) or does not
 * decode.
 * @returns the decoded value and its source, or undefined when neither file has content.
 * @throws StoreError kind `corrupt` when the content that exists cannot be decoded (the file without a backup, or the
 *   backup); kind `io` when a file exists but cannot be read.
 */
export async function loadConfigFile<T>(
  options: LoadConfigFileOptions<T>,
): Promise<{ source: ConfigFileSource; value: T } | undefined> {
  const { decode, logger } = options;
  const path = join(options.dir, options.name);
  const main = await readIfExists(path);
  let mainError: unknown;
  if (main !== undefined) {
    try {
      return { source: 'file', value: decode(main) };
    } catch (err) {
      mainError = err;
      logger.warn('config file does not decode, trying its backup', { file: path, err });
    }
  }
  const bakPath = `${path}.bak`;
  const bak = await readIfExists(bakPath);
  if (bak === undefined) {
    if (mainError === undefined) return undefined;
    throw new StoreError('corrupt', `${path} does not decode and has no backup`, {
      cause: mainError,
      file: path,
    });
  }
  try {
    return { source: 'bak', value: decode(bak) };
  } catch (err) {
    throw new StoreError('corrupt', `${bakPath} does not decode`, { cause: err, file: bakPath });
  }
}

/** Options of {@link writeConfigFile}. */
export interface WriteConfigFileOptions {
  /** Directory of the file; created when missing. */
  dir: string;
  /** File name, e.g. `topics.json`. */
  name: string;
  /** The whole new content. */
  content: string;
}

/**
 * Replaces a config file the way RocketMQ does: `<name>.tmp` written and synced, the current file copied to
 * `<name>.bak`, then the rename, so a crash leaves either the old or the new file, with a backup.
 * @throws StoreError kind `io` (or `disk-full` on ENOSPC) when a step fails.
 */
export async function writeConfigFile(options: WriteConfigFileOptions): Promise<void> {
  const path = join(options.dir, options.name);
  const tmpPath = `${path}.tmp`;
  try {
    await mkdir(options.dir, { recursive: true });
    const fh = await open(tmpPath, 'w');
    try {
      await fh.writeFile(options.content, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await copyFile(path, `${path}.bak`);
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw err;
    }
    await rename(tmpPath, path);
  } catch (err) {
    const kind = errorCode(err) === 'ENOSPC' ? 'disk-full' : 'io';
    throw new StoreError(kind, `cannot write ${path}`, { cause: err, file: path });
  }
}

/**
 * Re-indents compact JSON as RocketMQ's `encode(true)` output would be (pretty-printed), for people reading the files.
 * Only for JSON whose numbers are safe integers, as in the four metadata files.
 */
export function prettyJson(compact: Buffer | string): string {
  return `${JSON.stringify(JSON.parse(compact.toString()), null, 2)}\n`;
}

async function readIfExists(path: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw new StoreError('io', `cannot read ${path}`, { cause: err, file: path });
  }
  return text.trim().length === 0 ? undefined : text;
}

function errorCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}
