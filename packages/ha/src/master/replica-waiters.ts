/**
 * SYNC_MASTER waiters (RocketMQ's `GroupTransferService`): each waits until the best slave ack reaches its record
 * end, or its deadline passes. Built for tens of thousands of waits per second: no timer per waiter. Waiters sit in
 * two queues, one ordered by end offset (acks settle a prefix) and one by deadline (one periodic sweep settles a
 * prefix). Ends and deadlines mostly arrive in increasing order, so both inserts are appends; a waiter settled
 * through one queue is dropped lazily from the other when it reaches its head.
 */

/** Outcome of a wait for replicas. */
export type ReplicaWaitResult = 'PUT_OK' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE';

interface Waiter {
  readonly endPhyOffset: number;
  readonly deadlineMs: number;
  settled: boolean;
  readonly resolve: (result: ReplicaWaitResult) => void;
}

/** A queue sorted by a numeric key, appended at the tail in the common case, consumed from the head. */
class SortedQueue {
  private items: Waiter[] = [];
  private head = 0;

  constructor(private readonly keyOf: (waiter: Waiter) => number) {}

  get size(): number {
    return this.items.length - this.head;
  }

  peek(): Waiter | undefined {
    return this.items[this.head];
  }

  insert(waiter: Waiter): void {
    const key = this.keyOf(waiter);
    const last = this.items[this.items.length - 1];
    if (this.size === 0 || last === undefined || this.keyOf(last) <= key) {
      this.items.push(waiter);
      return;
    }
    // Out of order (a smaller end or a shorter timeout): binary search for the first larger key.
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keyOf(this.items[mid]!) <= key) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, waiter);
  }

  shift(): void {
    this.items[this.head] = undefined as unknown as Waiter;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  drain(): Waiter[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
}

/** The pending waits of one master; see the module comment. */
export class ReplicaWaiters {
  private readonly byEnd = new SortedQueue((w) => w.endPhyOffset);
  private readonly byDeadline = new SortedQueue((w) => w.deadlineMs);
  private sweepTimer: NodeJS.Timeout | undefined;
  private pendingCount = 0;

  /** @param sweepIntervalMs how often deadlines are checked while waits are pending. */
  constructor(private readonly sweepIntervalMs = 50) {}

  /** Waits not yet settled. */
  get pending(): number {
    return this.pendingCount;
  }

  /** Resolves PUT_OK once {@link ack} reaches `endPhyOffset`, FLUSH_SLAVE_TIMEOUT after `timeoutMs`. */
  add(endPhyOffset: number, timeoutMs: number): Promise<ReplicaWaitResult> {
    return new Promise<ReplicaWaitResult>((resolve) => {
      const waiter: Waiter = {
        endPhyOffset,
        deadlineMs: Date.now() + Math.max(0, timeoutMs),
        settled: false,
        resolve,
      };
      this.byEnd.insert(waiter);
      this.byDeadline.insert(waiter);
      this.pendingCount++;
      this.sweepTimer ??= setInterval(() => this.sweep(Date.now()), this.sweepIntervalMs).unref();
    });
  }

  /** The best slave ack is now `ackOffset`: settles every wait for an end at or below it. */
  ack(ackOffset: number): void {
    for (let w = this.byEnd.peek(); w && (w.settled || w.endPhyOffset <= ackOffset);) {
      this.byEnd.shift();
      this.settle(w, 'PUT_OK');
      w = this.byEnd.peek();
    }
    this.dropSettledHeads(this.byDeadline);
  }

  /** Settles every wait whose deadline is at or before `nowMs` with FLUSH_SLAVE_TIMEOUT. */
  sweep(nowMs: number): void {
    for (let w = this.byDeadline.peek(); w && (w.settled || w.deadlineMs <= nowMs);) {
      this.byDeadline.shift();
      this.settle(w, 'FLUSH_SLAVE_TIMEOUT');
      w = this.byDeadline.peek();
    }
    this.dropSettledHeads(this.byEnd);
  }

  /** Settles every pending wait with `result` (master closing) and stops the sweep timer. */
  settleAll(result: ReplicaWaitResult): void {
    this.byDeadline.drain();
    for (const w of this.byEnd.drain()) this.settle(w, result);
    this.stopTimerIfIdle();
  }

  private settle(waiter: Waiter, result: ReplicaWaitResult): void {
    if (waiter.settled) return;
    waiter.settled = true;
    this.pendingCount--;
    waiter.resolve(result);
  }

  private dropSettledHeads(queue: SortedQueue): void {
    for (let w = queue.peek(); w?.settled; w = queue.peek()) queue.shift();
    this.stopTimerIfIdle();
  }

  private stopTimerIfIdle(): void {
    if (this.pendingCount === 0 && this.sweepTimer) {
      clearInterval(this.sweepTimer);
      this.sweepTimer = undefined;
    }
  }
}
