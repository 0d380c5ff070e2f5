import { open } from 'node:fs/promises';

/** Options of {@link readLogTail}. */
export interface ReadLogTailOptions {
  /** How many lines to keep from the end. Default 40. */
  readonly maxLines?: number;
  /** How many bytes to read from the end of the file at most. Default 64 KiB. */
  readonly maxBytes?: number;
}

/**
 * Returns the last lines of a text file (a child's stderr log), without a trailing empty line.
 * A missing file yields `''`, since a child that never wrote anything may not have one.
 */
export async function readLogTail(path: string, options: ReadLogTailOptions = {}): Promise<string> {
  const maxLines = options.maxLines ?? 40;
  const maxBytes = options.maxBytes ?? 64 * 1024;
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
  try {
    const { size } = await file.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await file.read({ buffer, position: size - length, length });
    const lines = buffer.toString('utf8').split(/\r?\n/);
    if (lines.at(-1) === '') lines.pop();
    // When the read started mid-file the first line is probably cut: drop it unless it is all we have.
    if (length < size && lines.length > 1) lines.shift();
    return lines.slice(-maxLines).join('\n');
  } finally {
    await file.close();
  }
}
