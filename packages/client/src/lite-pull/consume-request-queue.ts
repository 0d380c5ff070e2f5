/**
 * A FIFO of pulled batches waiting for `poll()` (Java `DefaultLitePullConsumerImpl.consumeRequestCache`, a
 * LinkedBlockingQueue): pull loops `push`, `poll()` calls `take` and waits up to a deadline. Waiters are served in
 * call order. `close` wakes every waiter with undefined; pushes after it are dropped.
 */
export class ConsumeRequestQueue<T> {
  private readonly items: T[] = [];
  private readonly waiters: Array<(item: T | undefined) => void> = [];
  private closed = false;

  /** Batches waiting. */
  get size(): number {
    return this.items.length;
  }

  /** Hands `item` to the oldest waiter, else queues it. */
  push(item: T): void {
    if (this.closed) return;
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter(item);
    else this.items.push(item);
  }

  /**
   * The oldest batch, waiting up to `timeoutMs` for one.
   * @returns undefined when none arrived in time or the queue was closed.
   */
  take(timeoutMs: number): Promise<T | undefined> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift());
    if (this.closed || timeoutMs <= 0) return Promise.resolve(undefined);
    return new Promise<T | undefined>((resolve) => {
      const waiter = (item: T | undefined): void => {
        clearTimeout(timer);
        resolve(item);
      };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(undefined);
      }, timeoutMs);
      timer.unref();
      this.waiters.push(waiter);
    });
  }

  /** Drops the queued batches for which `predicate` holds (a seek, a queue taken away). */
  removeWhere(predicate: (item: T) => boolean): void {
    for (let i = this.items.length - 1; i >= 0; i--) {
      if (predicate(this.items[i]!)) this.items.splice(i, 1);
    }
  }

  /** Drops everything and wakes every waiter with undefined. Idempotent. */
  close(): void {
    this.closed = true;
    this.items.length = 0;
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }
}
