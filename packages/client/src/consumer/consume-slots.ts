/**
 * The consumer's "consume thread pool": at most `size` listener calls in flight, others wait in FIFO order (Java's
 * consume executor, whose queue is unbounded too; the pulls' flow control bounds what can wait). After
 * {@link ConsumeSlots.shutdown} waiting and new acquisitions get false.
 */
export class ConsumeSlots {
  private inFlight = 0;
  private readonly waiting: ((granted: boolean) => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly size: number) {}

  /** Calls running now. */
  get active(): number {
    return this.inFlight;
  }

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves true once a slot is held (call {@link release} after), or false when shut down. */
  acquire(): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    if (this.inFlight < this.size) {
      this.inFlight++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Frees a slot taken by {@link acquire}; the next waiter gets it. */
  release(): void {
    const next = this.stopped ? undefined : this.waiting.shift();
    if (next !== undefined) {
      next(true);
      return;
    }
    this.inFlight--;
    if (this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /**
   * Refuses new calls (waiting ones get false) and waits until the calls in flight are done, at most `timeoutMs`.
   * @returns true when every call finished in time.
   */
  async shutdown(timeoutMs: number): Promise<boolean> {
    this.stopped = true;
    for (const w of this.waiting.splice(0)) w(false);
    if (this.inFlight === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([idle, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
