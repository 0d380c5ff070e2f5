/**
 * Decides whether commit-log writes run on the event loop's thread (`writeSync`) or in libuv's pool.
 *
 * A pool write costs a thread hand-off per write; on small machines (and VMs, where waking a thread is expensive)
 * that hand-off costs the event loop far more than copying the bytes into the page cache itself, which is what
 * RocketMQ's put thread does through its mmap'ed file. The copy normally takes microseconds, but it blocks when the
 * kernel throttles writers (too many dirty pages, a slow disk). So: write on the thread, time every write, and after
 * one that blocked longer than `slowWriteMs`, hand writes to the pool for `poolForMs` before trying again — the event
 * loop (pulls, heartbeats) never stalls more than once per period.
 */
export class SyncWriteGate {
  private poolUntilMs = 0;

  constructor(
    private readonly options: {
      /** A synchronous write slower than this sends writes to the pool, ms. */
      slowWriteMs: number;
      /** How long writes stay in the pool after a slow one, ms. */
      poolForMs: number;
      /** Called when writes move to the pool (for a log line). */
      onSlowWrite: (tookMs: number, bytes: number) => void;
      /** Clock, ms (tests). */
      now?: () => number;
    },
  ) {}

  /** Whether the next write may run synchronously. */
  get open(): boolean {
    return this.now() >= this.poolUntilMs;
  }

  /** Records how long a synchronous write of `bytes` took. */
  record(tookMs: number, bytes: number): void {
    if (tookMs <= this.options.slowWriteMs) return;
    this.poolUntilMs = this.now() + this.options.poolForMs;
    this.options.onSlowWrite(tookMs, bytes);
  }

  private now(): number {
    return this.options.now ? this.options.now() : performance.now();
  }
}
