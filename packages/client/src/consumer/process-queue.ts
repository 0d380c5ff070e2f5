import { IntKeyTable } from '@rocketmq-ts/protocol';
import type { MessageExt } from '../message/message.js';
import type { ProcessQueueInfo } from '../running-info/consumer-running-info.js';

/** Java `rocketmq.client.rebalance.lockMaxLiveTime`: a queue lock not renewed for this long is stale, ms. */
export const REBALANCE_LOCK_MAX_LIVE_TIME_MS = 30_000;
/** Java `rocketmq.client.rebalance.lockInterval`: how often an orderly consumer renews its locks, ms. */
export const REBALANCE_LOCK_INTERVAL_MS = 20_000;
/** Java `rocketmq.client.pull.pullMaxIdleTime`: a queue not pulled for this long is rebuilt by the rebalance, ms. */
export const PULL_MAX_IDLE_TIME_MS = 120_000;

/** A process queue's state for GET_CONSUMER_RUNNING_INFO (Java `ProcessQueueInfo` without commitOffset). */
export type ProcessQueueSnapshot = Omit<ProcessQueueInfo, 'commitOffset'>;

/**
 * The pulled-but-not-yet-consumed messages of one queue (Java `ProcessQueue`), keyed and ordered by queue offset.
 * For a concurrent listener the offset to commit is the smallest offset still cached (every message below it has
 * been consumed), or one past the highest offset seen once the cache is empty. For an orderly listener messages move
 * to a "consuming" set while the listener has them and are committed or put back as a whole.
 */
export class ProcessQueue {
  /**
   * offset → message, for the messages cached and not handed to an orderly listener. Not a Map: thousands of
   * messages pass through it a second, and a long-lived Map's replaced tables keep them alive (see IntKeyTable).
   */
  private readonly msgs = new IntKeyTable<MessageExt>();
  /** The keys of `msgs`, ascending. */
  private readonly offsets: number[] = [];
  /** Orderly only: messages the listener currently holds (Java `consumingMsgOrderlyTreeMap`). */
  private readonly consumingOrderly = new IntKeyTable<MessageExt>();
  private count = 0;
  private size = 0;
  private queueOffsetMax = 0;
  /** No more pulls or consumption; results of calls in flight are ignored. */
  dropped = false;
  /** Orderly clustering: this client holds the queue's lock on the broker. */
  locked = false;
  lastLockTimestamp = Date.now();
  lastPullTimestamp = Date.now();
  lastConsumeTimestamp = Date.now();
  tryUnlockTimes = 0;
  /** True while a consume run is scheduled or running (Java `consuming`). */
  consuming = false;

  /** Messages cached, in-flight orderly ones included. */
  get msgCount(): number {
    return this.count;
  }

  /** Body bytes cached. */
  get msgSize(): number {
    return this.size;
  }

  /** Highest offset ever put (Java `queueOffsetMax`). */
  get maxOffset(): number {
    return this.queueOffsetMax;
  }

  /**
   * Caches pulled messages (duplicates by offset are ignored).
   * @returns true when a consume run should be dispatched: messages are cached and none is running (orderly).
   */
  putMessages(msgs: readonly MessageExt[]): boolean {
    for (const msg of msgs) {
      if (this.msgs.has(msg.queueOffset)) continue;
      this.insert(msg);
      this.count++;
      this.size += msg.body.length;
      this.queueOffsetMax = msg.queueOffset;
    }
    if (this.offsets.length > 0 && !this.consuming) {
      this.consuming = true;
      return true;
    }
    return false;
  }

  /** Offsets between the first and the last cached message (Java `getMaxSpan`); 0 when empty. */
  maxSpan(): number {
    return this.offsets.length === 0
      ? 0
      : this.offsets[this.offsets.length - 1]! - this.offsets[0]!;
  }

  /** The cached message with the smallest offset. */
  firstMessage(): MessageExt | undefined {
    return this.offsets.length === 0 ? undefined : this.msgs.get(this.offsets[0]!);
  }

  /**
   * Removes consumed messages (Java `removeMessage`).
   * @returns the offset to commit: the smallest offset still cached, or `maxOffset + 1` once empty; −1 when nothing
   *   was cached before the call.
   */
  removeMessages(msgs: readonly MessageExt[]): number {
    this.lastConsumeTimestamp = Date.now();
    if (this.offsets.length === 0) return -1;
    let result = this.queueOffsetMax + 1;
    for (const msg of msgs) {
      const cached = this.msgs.get(msg.queueOffset);
      if (cached === undefined) continue;
      this.msgs.delete(msg.queueOffset);
      this.offsets.splice(this.indexOf(msg.queueOffset), 1);
      this.count--;
      this.size -= cached.body.length;
    }
    if (this.count === 0) this.size = 0;
    if (this.offsets.length > 0) result = this.offsets[0]!;
    return result;
  }

  /**
   * Orderly: hands the first `batchSize` messages to the listener (Java `takeMessages`); an empty result ends the
   * consume run (`consuming` becomes false).
   */
  takeMessages(batchSize: number): MessageExt[] {
    this.lastConsumeTimestamp = Date.now();
    const taken: MessageExt[] = [];
    while (taken.length < batchSize && this.offsets.length > 0) {
      const offset = this.offsets.shift()!;
      const msg = this.msgs.get(offset)!;
      this.msgs.delete(offset);
      this.consumingOrderly.set(offset, msg);
      taken.push(msg);
    }
    if (taken.length === 0) this.consuming = false;
    return taken;
  }

  /**
   * Orderly: the listener consumed what it holds (Java `commit`).
   * @returns one past the highest offset committed, or −1 when it held nothing.
   */
  commit(): number {
    if (this.consumingOrderly.size === 0) return -1;
    let highest = -1;
    for (const msg of this.consumingOrderly.values()) {
      highest = Math.max(highest, msg.queueOffset);
      this.size -= msg.body.length;
    }
    this.count -= this.consumingOrderly.size;
    if (this.count === 0) this.size = 0;
    this.consumingOrderly.clear();
    return highest + 1;
  }

  /** Orderly: puts messages the listener held back in front, to be consumed again (Java `makeMessageToConsumeAgain`). */
  makeMessageToConsumeAgain(msgs: readonly MessageExt[]): void {
    for (const msg of msgs) {
      this.consumingOrderly.delete(msg.queueOffset);
      if (!this.msgs.has(msg.queueOffset)) this.insert(msg);
    }
  }

  /** True while messages are cached (Java `hasTempMessage`). */
  hasTempMessage(): boolean {
    return this.offsets.length > 0;
  }

  /** Forgets every cached message (Java `clear`). */
  clear(): void {
    this.msgs.clear();
    this.offsets.length = 0;
    this.consumingOrderly.clear();
    this.count = 0;
    this.size = 0;
    this.queueOffsetMax = 0;
  }

  /** The lock was not renewed within {@link REBALANCE_LOCK_MAX_LIVE_TIME_MS}. */
  isLockExpired(now = Date.now()): boolean {
    return now - this.lastLockTimestamp > REBALANCE_LOCK_MAX_LIVE_TIME_MS;
  }

  /** No pull started within {@link PULL_MAX_IDLE_TIME_MS}. */
  isPullExpired(now = Date.now()): boolean {
    return now - this.lastPullTimestamp > PULL_MAX_IDLE_TIME_MS;
  }

  /** The state GET_CONSUMER_RUNNING_INFO reports (Java `fillProcessQueueInfo`). */
  snapshot(): ProcessQueueSnapshot {
    const consuming = this.consumingOrderly.values().map((msg) => msg.queueOffset);
    return {
      cachedMsgMinOffset: this.offsets[0] ?? 0,
      cachedMsgMaxOffset: this.offsets[this.offsets.length - 1] ?? 0,
      cachedMsgCount: this.offsets.length,
      cachedMsgSizeInMiB: Math.floor(this.size / (1024 * 1024)),
      transactionMsgMinOffset: consuming.length === 0 ? 0 : Math.min(...consuming),
      transactionMsgMaxOffset: consuming.length === 0 ? 0 : Math.max(...consuming),
      transactionMsgCount: consuming.length,
      locked: this.locked,
      tryUnlockTimes: this.tryUnlockTimes,
      lastLockTimestamp: this.lastLockTimestamp,
      droped: this.dropped,
      lastPullTimestamp: this.lastPullTimestamp,
      lastConsumeTimestamp: this.lastConsumeTimestamp,
    };
  }

  private insert(msg: MessageExt): void {
    const offset = msg.queueOffset;
    this.msgs.set(offset, msg);
    const last = this.offsets[this.offsets.length - 1];
    // Pulls arrive in offset order: appending is the common case.
    if (last === undefined || offset > last) this.offsets.push(offset);
    else this.offsets.splice(this.lowerBound(offset), 0, offset);
  }

  private indexOf(offset: number): number {
    return this.lowerBound(offset);
  }

  /** First index whose offset is ≥ `offset`. */
  private lowerBound(offset: number): number {
    let lo = 0;
    let hi = this.offsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.offsets[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
