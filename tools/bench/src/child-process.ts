/**
 * Bench helper processes (echo servers, the loopback sender): forked Node children that report over IPC and are
 * stopped by their pid with SIGTERM, then SIGKILL.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';

/** Default time a child gets to send its first message, in ms. */
const FIRST_MESSAGE_TIMEOUT_MS = 15_000;
/** Time between SIGTERM and SIGKILL, in ms. */
const KILL_GRACE_MS = 5_000;

/**
 * Forks `node <entry> ...args` (stdio inherited) and resolves with the child and the first IPC message it sends.
 * `firstMessageTimeoutMs` defaults to 15 s.
 *
 * @throws Error when the child exits or stays silent that long first (it is killed then).
 */
export async function forkAndAwaitMessage<T>(
  entry: string,
  args: readonly string[],
  options: { firstMessageTimeoutMs?: number } = {},
): Promise<{ child: ChildProcess; message: T }> {
  const timeoutMs = options.firstMessageTimeoutMs ?? FIRST_MESSAGE_TIMEOUT_MS;
  const child = fork(entry, [...args], { stdio: 'inherit' });
  const timeout = new AbortController();
  try {
    const message = await Promise.race([
      new Promise<T>((resolve) => child.once('message', (m) => resolve(m as T))),
      new Promise<never>((_, reject) =>
        child.once('exit', (code, signal) =>
          reject(new Error(`${entry} exited before reporting (${code ?? signal})`)),
        ),
      ),
      delay(timeoutMs, undefined, { signal: timeout.signal }).then(() => {
        throw new Error(`${entry} sent nothing within ${timeoutMs} ms`);
      }),
    ]);
    return { child, message };
  } catch (error) {
    await stopChild(child);
    throw error;
  } finally {
    timeout.abort();
  }
}

/** Sends SIGTERM, SIGKILL after 5 s, and resolves once the child has exited. Idempotent. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const grace = new AbortController();
  const outcome = await Promise.race([
    exited.then(() => 'exited' as const),
    delay(KILL_GRACE_MS, 'grace-over' as const, { signal: grace.signal }).catch(
      () => 'exited' as const,
    ),
  ]);
  grace.abort();
  if (outcome === 'grace-over') {
    child.kill('SIGKILL');
    await exited;
  }
}
