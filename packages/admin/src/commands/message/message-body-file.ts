import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the message detail commands write bodies: RocketMQ's hard-coded `/tmp/rocketmq/msgbodys`, under the
 * platform's temp directory here (`/tmp` on Linux unless TMPDIR says otherwise).
 */
export function messageBodyDir(): string {
  return join(tmpdir(), 'rocketmq', 'msgbodys');
}

/**
 * Writes a body to `<messageBodyDir>/<msgId>` (`_<index>` appended for later copies, as queryMsgByUniqueKey -a
 * does) and returns the path printed as `Message Body Path:`.
 * @throws the fs error when the directory or file cannot be written.
 */
export async function writeMessageBodyFile(
  msgId: string,
  body: Uint8Array,
  index = 0,
): Promise<string> {
  const dir = messageBodyDir();
  await mkdir(dir, { recursive: true });
  // A msgId is hex; keep anything else (an operator-typed id) from escaping the directory.
  const name = `${msgId.replace(/[^A-Za-z0-9_-]/g, '_')}${index > 0 ? `_${index}` : ''}`;
  const path = join(dir, name);
  await writeFile(path, body);
  return path;
}
