import { MessageConst, NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type { HostAddress, Logger } from '@rocketmq-ts/protocol';
import type { ConsumeQueueEntry, MessageStore } from '@rocketmq-ts/store';
import { DeliveryLoop } from '../system-topic/delivery-loop.js';
import { putDeliveries, settleDelivery } from '../system-topic/put-delivery.js';
import { restoreRealMessage } from '../system-topic/real-destination.js';
import type { RealDelivery } from '../system-topic/real-destination.js';
import { SCHEDULE_TOPIC } from '../topic/topic-validator.js';

/** What {@link ScheduleMessageService} uses of the store. */
export type ScheduleMessageStore = Pick<
  MessageStore,
  | 'metadata'
  | 'putMessage'
  | 'lookMessageByOffset'
  | 'readConsumeQueue'
  | 'getMinOffsetInQueue'
  | 'getMaxOffsetInQueue'
  | 'onMessageArrived'
>;

/** Options of {@link ScheduleMessageService}. */
export interface ScheduleMessageServiceOptions {
  /** The broker's store: reads `SCHEDULE_TOPIC_XXXX`, puts due messages, keeps delay offsets in its metadata. */
  store: ScheduleMessageStore;
  /**
   * Delay of each level in ms, index 0 = level 1: `parseMessageDelayLevel(messageDelayLevel)` of the store config
   * (the store computes delivery times with the same table).
   */
  levels: readonly number[];
  /** STOREHOST of the delivered records (`BrokerContext.storeHost`). */
  storeHost: () => HostAddress;
  /** Default no-op. */
  logger?: Logger;
}

/** Longest sleep before a level looks at its queue again, in ms (bounds the effect of clock changes). */
const MAX_SLEEP_MS = 1000;
/** Wait before retrying after a failed put or read, in ms. */
const RETRY_AFTER_FAILURE_MS = 1000;
/** Consume-queue entries read (and due messages put) per round. */
const DELIVER_BATCH = 32;

interface LevelState {
  readonly level: number;
  readonly queueId: number;
  readonly delayMs: number;
  /** Next queue offset of `SCHEDULE_TOPIC_XXXX` queue `level − 1` to deliver (persisted as the delay offset). */
  offset: number;
  readonly loop: DeliveryLoop;
}

/**
 * Delivers delayed messages (Java `ScheduleMessageService`, 4.9.8): for each delay level L it follows queue L − 1
 * of `SCHEDULE_TOPIC_XXXX` from the level's delay offset, and puts every message whose delivery time (the entry's
 * tags code) has come back into its `REAL_TOPIC`/`REAL_QID` without `DELAY`, keeping body, flag, sysFlag, born
 * time and host, reconsume times and the other properties (`REAL_TOPIC`/`REAL_QID` stay, as in Java). A level
 * stops at its first entry not yet due and sleeps until then (at most {@link MAX_SLEEP_MS}); a level that has
 * caught up wakes when a message arrives in its queue.
 *
 * The delay offset moves past a message only once its put stored it, and is persisted in the store's metadata
 * after each round (Java flushes `delayOffset.json` every 10 s), so a restart delivers the rest and nothing twice.
 * A put the store refuses for now (shutting down, disk full, page cache busy) is retried after
 * {@link RETRY_AFTER_FAILURE_MS}; when a later message of the same round was stored anyway it is delivered again.
 * Skipped, with an error log: records that are gone (retention), are not schedule records, lack their real
 * destination, target the transaction half topic (as Java), or are refused for good (MESSAGE_ILLEGAL).
 *
 * Deviations from Java 4.9.8: Java leaves `DELAY` in the stored properties string of the delivered message (it
 * only clears it from the map); this removes it. Java treats a FLUSH_DISK_TIMEOUT put as failed and delivers the
 * message again; this counts it as stored. Runs on a master only (the broker does not start it on a slave).
 */
export class ScheduleMessageService {
  private readonly store: ScheduleMessageStore;
  private readonly storeHost: () => HostAddress;
  private readonly logger: Logger;
  private readonly states: LevelState[];
  private started = false;
  private closing: Promise<void> | undefined;

  constructor(options: ScheduleMessageServiceOptions) {
    this.store = options.store;
    this.storeHost = options.storeHost;
    this.logger = options.logger ?? NOOP_LOGGER;
    this.states = options.levels.map((delayMs, i) => {
      const state: LevelState = {
        level: i + 1,
        queueId: i,
        delayMs,
        offset: 0,
        loop: new DeliveryLoop({
          round: () => this.deliverDue(state),
          onError: (error) =>
            this.logger.error('delivering delayed messages failed; will retry', {
              level: state.level,
              queueOffset: state.offset,
              error: String(error),
            }),
          idleSleepMs: MAX_SLEEP_MS,
          retryAfterFailureMs: RETRY_AFTER_FAILURE_MS,
          wakeCutsWait: false,
        }),
      };
      return state;
    });
  }

  /**
   * Loads each level's delay offset and starts delivering. Idempotent; does nothing after close.
   * @throws StoreError 'closed' when the store is closed.
   */
  start(): void {
    if (this.started || this.closing) return;
    this.started = true;
    for (const state of this.states) {
      state.offset = this.store.metadata.getDelayOffset(state.level) ?? 0;
    }
    this.store.onMessageArrived((topic, queueId) => this.onArrival(topic, queueId));
    for (const state of this.states) state.loop.start();
    this.logger.info('schedule message service started', {
      levels: this.states.length,
      offsets: this.states.map((s) => s.offset),
    });
  }

  /** The next queue offset each level will deliver (level → offset), as persisted. */
  offsetTable(): Map<number, number> {
    return new Map(this.states.map((s) => [s.level, s.offset]));
  }

  /** Stops: clears every timer and resolves once the puts under way have finished. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await Promise.all(this.states.map((s) => s.loop.close()));
    if (this.started) this.logger.info('schedule message service stopped');
  }

  private onArrival(topic: string, queueId: number): void {
    if (topic !== SCHEDULE_TOPIC || this.closing) return;
    this.states[queueId]?.loop.wake();
  }

  /**
   * Delivers the due messages of one level from its offset.
   * @returns ms to wait before looking again, or undefined when the queue has no more entries.
   */
  private async deliverDue(state: LevelState): Promise<number | undefined> {
    while (!this.closing) {
      const entries = await this.store.readConsumeQueue({
        topic: SCHEDULE_TOPIC,
        queueId: state.queueId,
        queueOffset: state.offset,
        maxEntries: DELIVER_BATCH,
      });
      if (entries.length === 0) {
        if (await this.correctOffset(state)) continue;
        return undefined;
      }
      const now = Date.now();
      let due = 0;
      let waitMs: number | undefined;
      for (const entry of entries) {
        // A delivery time further away than the level's delay means the clock went back: deliver now (Java
        // correctDeliverTimestamp).
        const deliverAt = entry.tagsCode > now + state.delayMs ? now : entry.tagsCode;
        if (deliverAt > now) {
          waitMs = Math.min(deliverAt - now, MAX_SLEEP_MS);
          break;
        }
        due++;
      }
      if (due > 0) {
        const done = await this.deliver(state, entries.slice(0, due));
        if (done > 0) {
          state.offset += done;
          await this.store.metadata.setDelayOffset(state.level, state.offset);
        }
        if (done < due) return RETRY_AFTER_FAILURE_MS;
      }
      if (waitMs !== undefined) return waitMs;
    }
    return undefined;
  }

  /** Moves an offset outside the queue back inside it (retention removed entries, or the queue shrank). */
  private async correctOffset(state: LevelState): Promise<boolean> {
    const min = this.store.getMinOffsetInQueue(SCHEDULE_TOPIC, state.queueId);
    const max = this.store.getMaxOffsetInQueue(SCHEDULE_TOPIC, state.queueId);
    const corrected = state.offset < min ? min : state.offset > max ? max : state.offset;
    if (corrected === state.offset) return false;
    this.logger.warn('delay offset outside the schedule queue; moved inside', {
      level: state.level,
      queueOffset: state.offset,
      minOffset: min,
      maxOffset: max,
    });
    state.offset = corrected;
    await this.store.metadata.setDelayOffset(state.level, state.offset);
    return true;
  }

  /**
   * Puts the messages of due entries into their real topics, all at once (they share the store's group commit).
   * @returns how many entries from the first are done (stored or skipped); fewer than given after a failure.
   */
  private async deliver(state: LevelState, entries: ConsumeQueueEntry[]): Promise<number> {
    const deliveries: RealDelivery[] = [];
    for (const entry of entries) deliveries.push(await this.prepare(entry));
    const results = await putDeliveries(this.store, deliveries);
    let done = 0;
    for (let i = 0; i < deliveries.length; i++) {
      const settled = settleDelivery({
        delivery: deliveries[i]!,
        result: results[i]!,
        logger: this.logger,
        noun: 'delayed',
        fields: {
          level: state.level,
          queueOffset: state.offset + i,
          phyOffset: entries[i]!.phyOffset,
        },
      });
      if (!settled.done) break;
      done++;
    }
    return done;
  }

  /** Reads the record of a due entry and builds the message to put (Java `messageTimeup`). */
  private async prepare(entry: ConsumeQueueEntry): Promise<RealDelivery> {
    return restoreRealMessage({
      raw: await this.store.lookMessageByOffset(entry.phyOffset),
      systemTopic: SCHEDULE_TOPIC,
      phyOffset: entry.phyOffset,
      recordKind: 'schedule',
      storeHost: this.storeHost,
      editProperties: (properties) => {
        properties.delete(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
      },
    });
  }
}
