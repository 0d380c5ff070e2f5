/**
 * Decides whether commit-log writes run on the event loop's thread (`writeSync`) or in libuv's pool.
 *
 * A pool write costs a thread hand-off per write; on small machines (and VMs, where waking a thread is expensive)
 * that hand-off costs the event loop far more than copying the bytes into the page cache itself, which is what
 * RocketMQ's put thread does through its mmap'ed file. The copy normally takes microseconds, but it blocks when the
 * kernel throttles writers (too many dirty pages, a slow disk). So: write on the thread, time every write, and when
 * `slowWritesToClose` writes within `windowMs` each blocked longer than `slowWriteMs`, hand writes to the pool for
 * `poolForMs` before trying again. A lone slow write (the thread was descheduled, a burst of page allocation) does not
 * count as throttling; sustained throttling costs the event loop a few stalls per period at most.
 */
export class SyncWriteGate {
  private poolUntilMs = 0;
  /** When recent slow writes ended, ms, oldest first. */
  private slowAtMs: number[] = [];

  constructor(
    private readonly options: {
      /** A synchronous write slower than this counts as slow, ms. */
      slowWriteMs: number;
      /** Slow writes within {@link windowMs} that send writes to the pool. */
      slowWritesToClose: number;
      /** The window slow writes are counted in, ms. */
      windowMs: number;
      /** How long writes stay in the pool after that, ms. */
      poolForMs: number;
      /** Called when writes move to the pool (for a log line). */
      onClose: (tookMs: number, bytes: number) => void;
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
    const nowMs = this.now();
    this.slowAtMs = this.slowAtMs.filter((at) => nowMs - at < this.options.windowMs);
    this.slowAtMs.push(nowMs);
    if (this.slowAtMs.length < this.options.slowWritesToClose) return;
    this.slowAtMs = [];
    this.poolUntilMs = nowMs + this.options.poolForMs;
    this.options.onClose(tookMs, bytes);
  }

  private now(): number {
    return this.options.now ? this.options.now() : performance.now();
  }
}
