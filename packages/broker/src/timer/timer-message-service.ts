import { MessageConst, NOOP_LOGGER, readRecordPropertiesString } from '@rocketmq-ts/protocol';
import type { HostAddress, Logger } from '@rocketmq-ts/protocol';
import type { ConsumeQueueEntry, MessageStore } from '@rocketmq-ts/store';
import { DeliveryLoop } from '../system-topic/delivery-loop.js';
import { putDeliveries, settleDelivery } from '../system-topic/put-delivery.js';
import { restoreRealMessage } from '../system-topic/real-destination.js';
import type { RealDelivery } from '../system-topic/real-destination.js';
import { loadTimerCheckpoint, saveTimerCheckpoint } from './timer-checkpoint.js';
import type { TimerCheckpoint } from './timer-checkpoint.js';
import { TimerBucket, TimerWheel } from './timer-wheel.js';
import { TIMER_TOPIC } from './to-timer-message.js';

/** What {@link TimerMessageService} uses of the store. */
export type TimerMessageStore = Pick<
  MessageStore,
  | 'metadata'
  | 'putMessage'
  | 'readRaw'
  | 'readConsumeQueue'
  | 'getMinOffsetInQueue'
  | 'getMaxOffsetInQueue'
  | 'onMessageArrived'
>;

/** Options of {@link TimerMessageService}. */
export interface TimerMessageServiceOptions {
  /** The broker's store: reads {@link TIMER_TOPIC}, puts due messages, keeps the checkpoint in its metadata. */
  store: TimerMessageStore;
  /** STOREHOST of the delivered records (`BrokerContext.storeHost`). */
  storeHost: () => HostAddress;
  /** Wheel slot width, ms (`timerPrecisionMs`). Default 1000. */
  precisionMs?: number;
  /** Wheel slots; timers further ahead than `slotCount × precisionMs` wait in the overflow. Default 3600. */
  slotCount?: number;
  /** Called once a timer's message is stored in its real topic, with its delivery time and store time, ms. */
  onDelivered?: (deliverAtMs: number, storeTimestampMs: number) => void;
  /** Clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Default no-op. */
  logger?: Logger;
}

/** What the service holds and did, for logs and benchmarks. */
export interface TimerServiceStats {
  /** Timers read and not yet delivered. */
  pending: number;
  /** Of which waiting in the overflow. */
  overflow: number;
  /** Messages delivered since start. */
  delivered: number;
  /** The progress last persisted. */
  checkpoint: Readonly<TimerCheckpoint>;
}

/** Longest sleep between rounds, ms (bounds the effect of clock changes). */
const MAX_SLEEP_MS = 1000;
/** Wait before retrying after a failed put or read, ms. */
const RETRY_AFTER_FAILURE_MS = 1000;
/** Consume-queue entries read per request, and per round. */
const SCAN_BATCH = 256;
const SCAN_PER_ROUND = 4096;
/** Due timers delivered per round, and puts in flight at once (they share the store's group commit). */
const DELIVER_PER_ROUND = 4096;
const PUT_CONCURRENCY = 256;
/** Longest commit-log span read at once while scanning, bytes. */
const MAX_SPAN_BYTES = 1024 * 1024;
/** Queue offsets per pending-count chunk: `lowOffset` moves a chunk at a time. */
const CHUNK_ENTRIES = 1024;

/** Timers of one range of queue offsets still to deliver. */
interface Chunk {
  readonly index: number;
  readonly firstPhyOffset: number;
  pending: number;
}

/** Shortest time between two checkpoint writes while timers flow, ms: bounds lmdb writes under load. */
const PERSIST_MIN_INTERVAL_MS = 200;

/**
 * Delivers timer messages (Java 5.x `TimerMessageStore`, simplified): follows queue 0 of {@link TIMER_TOPIC},
 * reads each record's `TIMER_OUT_MS` and keeps only (deliverAtMs, phyOffset, size) per timer in a
 * {@link TimerWheel} — no bodies, 24 bytes a timer. When a timer falls due it reads the record again, restores
 * `REAL_TOPIC`/`REAL_QID` (removed from the properties, with `TIMER_ENQUEUE_MS` = the timer record's store time and
 * `TIMER_DEQUEUE_MS` = now added, as Java; `UNIQ_KEY`, `TIMER_OUT_MS` and the user's properties stay) and puts it.
 * Due timers go out earliest first, within a few ms of their time; never before it.
 *
 * Restarts: after a round that read or delivered anything (at most every {@link PERSIST_MIN_INTERVAL_MS}) and at
 * close, a {@link TimerCheckpoint} is persisted in the store's metadata. On start the service re-reads the queue from `lowOffset` and skips what the checkpoint says is
 * delivered; the rest is delivered on time, or at once when overdue. A timer is delivered twice only when the
 * broker crashes between its put and the next checkpoint (or a put failed and was retried), never lost. Java keeps
 * its own timer log and wheel files instead; this reuses the consume queue as the log.
 * Runs on a master only (the broker does not start it on a slave).
 */
export class TimerMessageService {
  private readonly store: TimerMessageStore;
  private readonly storeHost: () => HostAddress;
  private readonly precisionMs: number;
  private readonly slotCount: number;
  private readonly onDelivered:
    ((deliverAtMs: number, storeTimestampMs: number) => void) | undefined;
  private readonly now: () => number;
  private readonly logger: Logger;
  private wheel: TimerWheel | undefined;
  private readonly chunks: Chunk[] = [];
  private scanOffset = 0;
  /** Timers below this queue offset and due by `replayUntilMs` were delivered before the restart. */
  private replayEnd = 0;
  private replayUntilMs = 0;
  private deliveredUntilMs = 0;
  private delivered = 0;
  private persisted: TimerCheckpoint = { lowOffset: 0, scanOffset: 0, deliveredUntilMs: 0 };
  private lastPersistMs = 0;
  private readonly loop: DeliveryLoop;
  private started = false;
  private closing: Promise<void> | undefined;

  constructor(options: TimerMessageServiceOptions) {
    this.store = options.store;
    this.storeHost = options.storeHost;
    this.precisionMs = options.precisionMs ?? 1000;
    this.slotCount = options.slotCount ?? 3600;
    this.onDelivered = options.onDelivered;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? NOOP_LOGGER;
    this.loop = new DeliveryLoop({
      round: () => this.round(),
      onError: (error) =>
        this.logger.error('timer round failed; will retry', {
          scanOffset: this.scanOffset,
          error: String(error),
        }),
      idleSleepMs: MAX_SLEEP_MS,
      retryAfterFailureMs: RETRY_AFTER_FAILURE_MS,
      // A new timer may be due before the one the round waits for.
      wakeCutsWait: true,
    });
  }

  /**
   * Loads the checkpoint and starts reading and delivering. Idempotent; does nothing after close.
   * @throws StoreError 'closed' when the store is closed.
   */
  start(): void {
    if (this.started || this.closing) return;
    this.started = true;
    const checkpoint = loadTimerCheckpoint(this.store.metadata);
    this.wheel = new TimerWheel({
      precisionMs: this.precisionMs,
      slotCount: this.slotCount,
      nowMs: this.now(),
    });
    if (checkpoint) {
      this.persisted = checkpoint;
      this.scanOffset = checkpoint.lowOffset;
      this.replayEnd = checkpoint.scanOffset;
      this.replayUntilMs = checkpoint.deliveredUntilMs;
      this.deliveredUntilMs = checkpoint.deliveredUntilMs;
    }
    this.scanOffset = Math.max(this.scanOffset, this.store.getMinOffsetInQueue(TIMER_TOPIC, 0));
    this.store.onMessageArrived((topic) => this.onArrival(topic));
    this.loop.start();
    this.logger.info('timer message service started', { ...this.persisted });
  }

  /** Counts and the persisted progress. */
  stats(): TimerServiceStats {
    return {
      pending: this.wheel?.size ?? 0,
      overflow: this.wheel?.overflowSize ?? 0,
      delivered: this.delivered,
      checkpoint: { ...this.persisted },
    };
  }

  /** Stops: clears the timer and resolves once the round under way has finished. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.loop.close();
    if (this.started && this.wheel !== undefined && this.scanOffset >= this.replayEnd) {
      await this.persist().catch((error: unknown) =>
        this.logger.error('saving the timer checkpoint at close failed', { error: String(error) }),
      );
    }
    if (this.started) this.logger.info('timer message service stopped', { ...this.persisted });
  }

  private onArrival(topic: string): void {
    if (topic !== TIMER_TOPIC || this.closing) return;
    this.loop.wake();
  }

  /**
   * Reads new timers, delivers the due ones, persists progress.
   * @returns ms to wait before the next round.
   */
  private async round(): Promise<number> {
    const wheel = this.wheel!;
    const scanned = await this.scan();
    const nowMs = this.now();
    const due = new TimerBucket();
    const complete = wheel.takeDue(nowMs, DELIVER_PER_ROUND, due);
    // Everything due up to here is taken (max hit: up to just before the last one taken).
    let until = complete ? nowMs : due.deliverAtMs(due.size - 1) - 1;
    const firstFailedMs = await this.deliver(due);
    until = Math.min(until, firstFailedMs - 1);
    this.deliveredUntilMs = until;
    const progressed = scanned > 0 || due.size > 0;
    // At most one checkpoint write per PERSIST_MIN_INTERVAL_MS under load; close() writes the last one.
    if (
      progressed &&
      this.scanOffset >= this.replayEnd &&
      this.now() - this.lastPersistMs >= PERSIST_MIN_INTERVAL_MS
    ) {
      await this.persist();
    }
    if (scanned === SCAN_PER_ROUND || !complete) return 0;
    if (Number.isFinite(firstFailedMs)) return RETRY_AFTER_FAILURE_MS;
    const next = wheel.nextDueMs();
    if (next === undefined) return MAX_SLEEP_MS;
    return Math.max(0, Math.min(next - this.now(), MAX_SLEEP_MS));
  }

  private async persist(): Promise<void> {
    while (this.chunks.length > 1 && this.chunks[0]!.pending === 0) this.chunks.shift();
    const first = this.chunks[0];
    const checkpoint: TimerCheckpoint = {
      lowOffset: first && first.pending > 0 ? first.index * CHUNK_ENTRIES : this.scanOffset,
      scanOffset: this.scanOffset,
      deliveredUntilMs: this.deliveredUntilMs,
    };
    this.lastPersistMs = this.now();
    await saveTimerCheckpoint(this.store.metadata, checkpoint);
    this.persisted = checkpoint;
  }

  /** Reads up to {@link SCAN_PER_ROUND} new timer entries into the wheel. @returns how many were read. */
  private async scan(): Promise<number> {
    let total = 0;
    while (total < SCAN_PER_ROUND && !this.closing) {
      const entries = await this.store.readConsumeQueue({
        topic: TIMER_TOPIC,
        queueId: 0,
        queueOffset: this.scanOffset,
        maxEntries: SCAN_BATCH,
      });
      if (entries.length === 0) {
        if (this.correctScanOffset()) continue;
        break;
      }
      const deliverTimes = await this.readDeliverTimes(entries);
      for (let i = 0; i < entries.length; i++) {
        this.track(this.scanOffset + i, entries[i]!, deliverTimes[i]!);
      }
      this.scanOffset += entries.length;
      total += entries.length;
      if (entries.length < SCAN_BATCH) break;
    }
    return total;
  }

  /** Moves a scan offset that retention left behind to the queue's first entry. */
  private correctScanOffset(): boolean {
    const min = this.store.getMinOffsetInQueue(TIMER_TOPIC, 0);
    if (this.scanOffset >= min) return false;
    this.logger.warn('timer scan offset below the timer queue; moved to its start', {
      queueOffset: this.scanOffset,
      minOffset: min,
    });
    this.scanOffset = min;
    return true;
  }

  private track(queueOffset: number, entry: ConsumeQueueEntry, deliverAtMs: number): void {
    // Before the restart's checkpoint and due by its time: delivered already.
    if (queueOffset < this.replayEnd && deliverAtMs <= this.replayUntilMs) return;
    const index = Math.floor(queueOffset / CHUNK_ENTRIES);
    let chunk = this.chunks[this.chunks.length - 1];
    if (chunk?.index !== index) {
      chunk = { index, firstPhyOffset: entry.phyOffset, pending: 0 };
      this.chunks.push(chunk);
    }
    chunk.pending++;
    this.wheel!.add(deliverAtMs, entry.phyOffset, entry.size);
  }

  /** The chunk holding the timer at `phyOffset` (queue order is commit-log order in the one timer queue). */
  private release(phyOffset: number): void {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.chunks[mid]!.firstPhyOffset <= phyOffset) lo = mid;
      else hi = mid - 1;
    }
    const chunk = this.chunks[lo];
    if (chunk && chunk.pending > 0) chunk.pending--;
  }

  /** `TIMER_OUT_MS` of each entry's record; 0 (due at once) when unreadable — delivery then logs why. */
  private async readDeliverTimes(entries: ConsumeQueueEntry[]): Promise<number[]> {
    const first = entries[0]!;
    const last = entries[entries.length - 1]!;
    const span = last.phyOffset + last.size - first.phyOffset;
    const block =
      span > 0 && span <= MAX_SPAN_BYTES
        ? await this.store.readRaw(first.phyOffset, span)
        : undefined;
    const out: number[] = [];
    for (const entry of entries) {
      const at = entry.phyOffset - first.phyOffset;
      const raw =
        block && at >= 0 && at + entry.size <= block.length
          ? block.subarray(at, at + entry.size)
          : await this.store.readRaw(entry.phyOffset, entry.size);
      out.push(raw && raw.length === entry.size ? timerOutMsOf(raw) : 0);
    }
    return out;
  }

  /**
   * Puts the messages of due timers into their real topics; failed ones go back into the wheel.
   * @returns the earliest delivery time among failed puts, or Infinity.
   */
  private async deliver(due: TimerBucket): Promise<number> {
    let firstFailedMs = Infinity;
    for (let from = 0; from < due.size && !this.closing; from += PUT_CONCURRENCY) {
      const to = Math.min(due.size, from + PUT_CONCURRENCY);
      const deliveries: Promise<RealDelivery>[] = [];
      for (let i = from; i < to; i++) {
        deliveries.push(this.prepare(due.phyOffset(i), due.recordSize(i)));
      }
      const prepared = await Promise.all(deliveries);
      const results = await putDeliveries(this.store, prepared);
      for (let i = from; i < to; i++) {
        const phyOffset = due.phyOffset(i);
        const deliverAtMs = due.deliverAtMs(i);
        const { done, stored } = settleDelivery({
          delivery: prepared[i - from]!,
          result: results[i - from]!,
          logger: this.logger,
          noun: 'timer',
          fields: { phyOffset, deliverAtMs },
        });
        if (stored) {
          this.delivered++;
          this.onDelivered?.(deliverAtMs, stored.storeTimestamp);
        }
        if (done) {
          this.release(phyOffset);
        } else {
          firstFailedMs = Math.min(firstFailedMs, deliverAtMs);
          this.wheel!.add(deliverAtMs, phyOffset, due.recordSize(i));
        }
      }
    }
    return firstFailedMs;
  }

  /** Reads the record of a due timer and builds the message to put (Java `TimerMessageStore.convert`). */
  private async prepare(phyOffset: number, size: number): Promise<RealDelivery> {
    const raw = await this.store.readRaw(phyOffset, size);
    return restoreRealMessage({
      raw: raw && raw.length === size ? raw : undefined,
      systemTopic: TIMER_TOPIC,
      phyOffset,
      recordKind: 'timer',
      storeHost: this.storeHost,
      editProperties: (properties, record) => {
        properties.delete(MessageConst.PROPERTY_REAL_TOPIC);
        properties.delete(MessageConst.PROPERTY_REAL_QUEUE_ID);
        properties.set(MessageConst.PROPERTY_TIMER_ENQUEUE_MS, String(record.storeTimestamp));
        properties.set(MessageConst.PROPERTY_TIMER_DEQUEUE_MS, String(this.now()));
      },
    });
  }
}

/** `TIMER_OUT_MS` of a raw timer record, found in its properties string without decoding the rest; 0 if none. */
function timerOutMsOf(raw: Buffer): number {
  let text: string;
  try {
    text = readRecordPropertiesString(raw);
  } catch {
    return 0;
  }
  const name = `${MessageConst.PROPERTY_TIMER_OUT_MS}\u0001`;
  let at = text.indexOf(name);
  while (at > 0 && text[at - 1] !== '\u0002') at = text.indexOf(name, at + 1);
  if (at < 0) return 0;
  const start = at + name.length;
  const end = text.indexOf('\u0002', start);
  const value = Number(text.slice(start, end < 0 ? undefined : end));
  return Number.isSafeInteger(value) ? value : 0;
}
