/**
 * Pending timers as (deliverAtMs, phyOffset, size) triples in one growable Float64Array: 24 bytes a timer, no
 * objects, so a million pending timers take about 24 MB. Entries before `head` are taken already.
 */
export class TimerBucket {
  private data = new Float64Array(0);
  private count = 0;
  private head = 0;
  private sorted = true;

  /** Timers not taken yet. */
  get size(): number {
    return this.count - this.head;
  }

  /** Appends a timer. */
  push(deliverAtMs: number, phyOffset: number, size: number): void {
    if (this.count * 3 === this.data.length) {
      const grown = new Float64Array(Math.max(48, this.data.length * 2));
      grown.set(this.data);
      this.data = grown;
    }
    const at = this.count * 3;
    if (this.count > this.head && this.data[at - 3]! > deliverAtMs) this.sorted = false;
    this.data[at] = deliverAtMs;
    this.data[at + 1] = phyOffset;
    this.data[at + 2] = size;
    this.count++;
  }

  /** Delivery time of the i-th timer not taken yet, ms. */
  deliverAtMs(i: number): number {
    return this.data[(this.head + i) * 3]!;
  }

  /** Commit-log offset of the i-th timer not taken yet. */
  phyOffset(i: number): number {
    return this.data[(this.head + i) * 3 + 1]!;
  }

  /** Record size of the i-th timer not taken yet, bytes. */
  recordSize(i: number): number {
    return this.data[(this.head + i) * 3 + 2]!;
  }

  /** Earliest delivery time not taken yet (sorts first), or undefined when empty. */
  earliestMs(): number | undefined {
    if (this.size === 0) return undefined;
    this.sort();
    return this.deliverAtMs(0);
  }

  /**
   * Moves the timers due at `nowMs` (deliverAtMs ≤ nowMs), earliest first, to `out`, at most `max` of them.
   * @returns how many moved.
   */
  takeDue(nowMs: number, max: number, out: TimerBucket): number {
    this.sort();
    let moved = 0;
    while (moved < max && this.head < this.count && this.data[this.head * 3]! <= nowMs) {
      const at = this.head * 3;
      out.push(this.data[at]!, this.data[at + 1]!, this.data[at + 2]!);
      this.head++;
      moved++;
    }
    if (this.head === this.count) this.clear();
    return moved;
  }

  /** Hands every timer not taken to `add` (overflow → wheel), then empties this bucket. */
  drainInto(add: (deliverAtMs: number, phyOffset: number, size: number) => void): void {
    for (let i = this.head; i < this.count; i++) {
      add(this.data[i * 3]!, this.data[i * 3 + 1]!, this.data[i * 3 + 2]!);
    }
    this.clear();
  }

  private clear(): void {
    this.count = 0;
    this.head = 0;
    this.sorted = true;
    // Give memory back once a large slot has been delivered.
    if (this.data.length > 3 * 4096) this.data = new Float64Array(0);
  }

  /** Sorts the timers not taken yet by delivery time (stable for equal times: commit-log order). */
  private sort(): void {
    if (this.sorted) return;
    const n = this.size;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const base = this.head * 3;
    const src = this.data;
    order.sort((a, b) => src[base + a * 3]! - src[base + b * 3]! || a - b);
    const sorted = new Float64Array(Math.max(48, n * 3));
    for (let i = 0; i < n; i++) {
      const from = base + order[i]! * 3;
      sorted[i * 3] = src[from]!;
      sorted[i * 3 + 1] = src[from + 1]!;
      sorted[i * 3 + 2] = src[from + 2]!;
    }
    this.data = sorted;
    this.count = n;
    this.head = 0;
    this.sorted = true;
  }
}

/** Options of {@link TimerWheel}. */
export interface TimerWheelOptions {
  /** Slot width, ms (`timerPrecisionMs`). */
  precisionMs: number;
  /** Slots in the wheel; timers further than `slotCount × precisionMs` ahead wait in the overflow. */
  slotCount: number;
  /** The clock when the wheel starts, ms: timers before its slot are overdue. */
  nowMs: number;
}

/**
 * A hashed timing wheel (Varghese & Lauck) of {@link TimerBucket}s: slot key `k = floor(deliverAtMs / precisionMs)`
 * lives in slot `k mod slotCount` while `cursor ≤ k < cursor + slotCount`; keys further ahead wait in an overflow
 * map by round (`floor(k / slotCount)`) and move into the wheel when the cursor reaches the start of their round;
 * keys behind the cursor (timers that arrive late) go to the overdue bucket. Taking due timers yields them earliest
 * first across overdue bucket and slots, each slot sorted by delivery time when first taken from.
 */
export class TimerWheel {
  private readonly precisionMs: number;
  private readonly slotCount: number;
  private readonly slots: TimerBucket[];
  private readonly overflow = new Map<number, TimerBucket>();
  private overdue = new TimerBucket();
  /** Slot key of the current slot: every earlier slot is empty. */
  private cursor: number;
  private inWheel = 0;
  private inOverflow = 0;

  constructor(options: TimerWheelOptions) {
    this.precisionMs = options.precisionMs;
    this.slotCount = options.slotCount;
    this.slots = Array.from({ length: options.slotCount }, () => new TimerBucket());
    this.cursor = Math.floor(options.nowMs / options.precisionMs);
  }

  /** Timers waiting, overflow and overdue included. */
  get size(): number {
    return this.inWheel + this.inOverflow + this.overdue.size;
  }

  /** Timers waiting in the overflow (further than the wheel reaches). */
  get overflowSize(): number {
    return this.inOverflow;
  }

  /** Adds a timer. */
  add(deliverAtMs: number, phyOffset: number, size: number): void {
    const key = Math.floor(deliverAtMs / this.precisionMs);
    if (key < this.cursor) {
      this.overdue.push(deliverAtMs, phyOffset, size);
    } else if (key < this.cursor + this.slotCount) {
      this.slots[key % this.slotCount]!.push(deliverAtMs, phyOffset, size);
      this.inWheel++;
    } else {
      const round = Math.floor(key / this.slotCount);
      let bucket = this.overflow.get(round);
      if (bucket === undefined) this.overflow.set(round, (bucket = new TimerBucket()));
      bucket.push(deliverAtMs, phyOffset, size);
      this.inOverflow++;
    }
  }

  /**
   * Moves up to `max` timers due at `nowMs` to `out`, earliest first.
   * @returns true when every timer due at `nowMs` was moved (false: `max` stopped it).
   */
  takeDue(nowMs: number, max: number, out: TimerBucket): boolean {
    // Overdue timers are due whatever the clock says (it may have gone back since they were added).
    let left = max - this.overdue.takeDue(Infinity, max, out);
    if (this.overdue.size > 0) return false;
    const nowKey = Math.floor(nowMs / this.precisionMs);
    while (this.cursor <= nowKey) {
      if (this.inWheel === 0) {
        // Nothing in the wheel: jump to now, or to the next overflow round's start if that comes first.
        let next = nowKey;
        for (const round of this.overflow.keys()) next = Math.min(next, round * this.slotCount);
        if (next > this.cursor) this.moveCursor(next);
        if (this.inWheel === 0) break;
      }
      const slot = this.slots[this.cursor % this.slotCount]!;
      const moved = slot.takeDue(nowMs, left, out);
      this.inWheel -= moved;
      left -= moved;
      if (slot.size > 0) return left > 0;
      if (this.cursor === nowKey) break;
      this.moveCursor(this.cursor + 1);
      if (left === 0) return false;
    }
    return true;
  }

  /** When the next timer falls due, ms (may be in the past), or undefined when nothing waits. */
  nextDueMs(): number | undefined {
    if (this.overdue.size > 0) return this.overdue.earliestMs();
    if (this.size === 0) return undefined;
    const current = this.slots[this.cursor % this.slotCount]!.earliestMs();
    // Later slots are looked at when the cursor reaches them: wake at the next slot's start.
    return current ?? (this.cursor + 1) * this.precisionMs;
  }

  private moveCursor(to: number): void {
    while (this.cursor < to) {
      this.cursor = this.inWheel === 0 ? to : this.cursor + 1;
      if (this.cursor % this.slotCount === 0 || this.inWheel === 0) this.migrate();
    }
  }

  /** Moves overflow rounds that now fit the wheel into it. */
  private migrate(): void {
    // Round r holds keys in [r × slotCount, (r + 1) × slotCount): once the cursor is at or past its start, every
    // key of it is behind the cursor (overdue) or within one wheel turn ahead.
    for (const [round, bucket] of this.overflow) {
      if (round * this.slotCount > this.cursor) continue;
      this.overflow.delete(round);
      this.inOverflow -= bucket.size;
      bucket.drainInto((d, p, s) => this.add(d, p, s));
    }
  }
}
