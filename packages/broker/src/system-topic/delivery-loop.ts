/** Options of {@link DeliveryLoop}. */
export interface DeliveryLoopOptions {
  /**
   * One round of work. Resolves to ms to wait before the next round, or undefined when caught up (the loop then
   * sleeps `idleSleepMs` unless woken).
   */
  round: () => Promise<number | undefined>;
  /** Called when a round throws (log it); the next round then runs after `retryAfterFailureMs`. */
  onError: (error: unknown) => void;
  /** Sleep after a caught-up round, ms (bounds the effect of clock changes and missed wake-ups). */
  idleSleepMs: number;
  /** Wait after a failed round, ms. */
  retryAfterFailureMs: number;
  /**
   * Whether {@link DeliveryLoop.wake} also cuts a wait the round asked for (new work may be due sooner: timers),
   * or only an idle sleep (new work is never due before the work waited for: one delay level's queue).
   */
  wakeCutsWait: boolean;
}

/**
 * Runs rounds of a delivery service one at a time on an unref'd timer: the next round after the wait the last one
 * asked for, at once when woken by new work (see {@link DeliveryLoopOptions.wakeCutsWait}); a wake-up during a
 * round runs the next one right after it.
 */
export class DeliveryLoop {
  private readonly options: DeliveryLoopOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Caught up: a wake-up should run a round now. */
  private idle = false;
  /** Woken while a round was running. */
  private arrived = false;
  private closed = false;

  constructor(options: DeliveryLoopOptions) {
    this.options = options;
  }

  /**
   * Schedules the first round. Does nothing after close.
   * @param firstRoundDelayMs - wait before it, ms; default 0 (as soon as possible).
   */
  start(firstRoundDelayMs = 0): void {
    if (!this.closed) this.schedule(firstRoundDelayMs);
  }

  /** New work arrived. */
  wake(): void {
    if (this.closed) return;
    if (this.running) this.arrived = true;
    else if (this.idle || this.options.wakeCutsWait) this.schedule(0);
  }

  /** Stops: clears the timer and resolves once the round under way has finished. */
  close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    return this.running ?? Promise.resolve();
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), delayMs);
    this.timer.unref();
  }

  private run(): void {
    this.timer = undefined;
    if (this.closed || this.running) return;
    this.idle = false;
    this.arrived = false;
    const { options } = this;
    this.running = options
      .round()
      .catch((error: unknown) => {
        options.onError(error);
        return options.retryAfterFailureMs;
      })
      .then((waitMs) => {
        this.running = undefined;
        if (this.closed) return;
        this.idle = waitMs === undefined;
        const cut = this.arrived && (options.wakeCutsWait || waitMs === undefined);
        this.schedule(cut ? 0 : (waitMs ?? options.idleSleepMs));
      });
  }
}
