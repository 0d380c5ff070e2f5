import { setTimeout as delay } from 'node:timers/promises';
import { inspect } from 'node:util';

/** Default deadline of {@link waitFor}, in milliseconds. */
export const DEFAULT_WAIT_TIMEOUT_MS = 10_000;

/** Default pause between two checks of {@link waitFor}, in milliseconds. */
export const DEFAULT_WAIT_INTERVAL_MS = 50;

/** Values that {@link waitFor} treats as "not yet". */
export type Falsy = false | 0 | 0n | '' | null | undefined;

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** What is being waited for, as a phrase ("the broker to register"); it goes into the timeout error. */
  readonly description: string;
  /** Deadline in milliseconds, counted from the call. Default {@link DEFAULT_WAIT_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** Pause between the end of one check and the start of the next, in milliseconds. Default {@link DEFAULT_WAIT_INTERVAL_MS}. */
  readonly intervalMs?: number;
  /** Aborting it stops the polling; the promise then rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** Thrown by {@link waitFor} when the deadline passes before the check returned a truthy value. */
export class WaitForTimeoutError extends Error {
  override name = 'WaitForTimeoutError';
  /** The `description` passed to waitFor. */
  readonly description: string;
  /** The deadline that passed, in milliseconds. */
  readonly timeoutMs: number;
  /** The last falsy value the check returned, when its last run returned rather than threw. */
  readonly lastValue: unknown;

  /** `lastError` (the last thing the check threw, if its last run threw) becomes `cause`. */
  constructor(options: {
    description: string;
    timeoutMs: number;
    last: { value: unknown } | { error: unknown } | undefined;
  }) {
    const { description, timeoutMs, last } = options;
    const detail =
      last === undefined
        ? 'the check never completed'
        : 'error' in last
          ? `last error: ${describeError(last.error)}`
          : `last value: ${describeValue(last.value)}`;
    super(
      `timed out after ${timeoutMs} ms waiting for ${description} (${detail})`,
      last !== undefined && 'error' in last ? { cause: last.error } : undefined,
    );
    this.description = description;
    this.timeoutMs = timeoutMs;
    this.lastValue = last !== undefined && 'value' in last ? last.value : undefined;
  }
}

/**
 * Polls `check` (sync or async) until it returns a truthy value and resolves with that value.
 *
 * A check that throws or rejects counts as "not yet"; the error is remembered. The check runs at least once, and a
 * check that hangs is abandoned at the deadline.
 *
 * @throws {@link WaitForTimeoutError} after `timeoutMs`, naming `description` and the last value or error.
 * @throws `signal.reason` when `signal` aborts.
 */
export async function waitFor<T>(
  check: () => T | PromiseLike<T>,
  options: WaitForOptions,
): Promise<Exclude<Awaited<T>, Falsy>> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? DEFAULT_WAIT_INTERVAL_MS;
  const { signal } = options;
  const deadline = performance.now() + timeoutMs;
  let last: { value: unknown } | { error: unknown } | undefined;

  for (;;) {
    signal?.throwIfAborted();
    const outcome = await runWithin(check, { remainingMs: deadline - performance.now(), signal });
    if (outcome === TIMED_OUT) break;
    if ('value' in outcome && outcome.value) return outcome.value as Exclude<Awaited<T>, Falsy>;
    last = outcome;
    const remainingMs = deadline - performance.now();
    if (remainingMs <= 0) break;
    await pause(Math.min(intervalMs, remainingMs), signal);
  }
  signal?.throwIfAborted();
  throw new WaitForTimeoutError({ description: options.description, timeoutMs, last });
}

const TIMED_OUT: unique symbol = Symbol('timed out');

/** Runs the check once; a check still pending after `remainingMs` yields TIMED_OUT. */
async function runWithin<T>(
  check: () => T | PromiseLike<T>,
  options: { remainingMs: number; signal: AbortSignal | undefined },
): Promise<{ value: Awaited<T> } | { error: unknown } | typeof TIMED_OUT> {
  const attempt = (async () => {
    try {
      return { value: await check() };
    } catch (error) {
      return { error };
    }
  })();
  const timer = new AbortController();
  const onAbort = (): void => timer.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([
      attempt,
      delay(Math.max(0, options.remainingMs), undefined, { signal: timer.signal }).then(
        (): typeof TIMED_OUT => TIMED_OUT,
        (): typeof TIMED_OUT => TIMED_OUT,
      ),
    ]);
  } finally {
    timer.abort();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    // timers/promises rejects with its own AbortError; callers expect the signal's reason.
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : describeValue(error);
}

function describeValue(value: unknown): string {
  const text = inspect(value, { depth: 2, breakLength: Infinity });
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
