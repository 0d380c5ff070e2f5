import {
  MessageConst,
  NOOP_LOGGER,
  decodeMessageRecord,
  encodeMessageProperties,
} from '@rocketmq-ts/protocol';
import type { HostAddress, Logger, MessageRecord } from '@rocketmq-ts/protocol';
import type {
  ConsumeQueueEntry,
  MessageStore,
  PutMessageInput,
  PutMessageResult,
} from '@rocketmq-ts/store';
import { SCHEDULE_TOPIC, TRANS_HALF_TOPIC } from '../topic/topic-validator.js';

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

/** Put statuses after which the message is stored (durability waits timed out, the record is in). */
const STORED: ReadonlySet<PutMessageResult['status']> = new Set([
  'PUT_OK',
  'FLUSH_DISK_TIMEOUT',
  'FLUSH_SLAVE_TIMEOUT',
  'SLAVE_NOT_AVAILABLE',
]);
/** Put statuses that will never change for the same message: retrying would block the level for good. */
const REFUSED_FOR_GOOD: ReadonlySet<PutMessageResult['status']> = new Set([
  'MESSAGE_ILLEGAL',
  'PROPERTIES_SIZE_EXCEEDED',
]);

interface LevelState {
  readonly level: number;
  readonly queueId: number;
  readonly delayMs: number;
  /** Next queue offset of `SCHEDULE_TOPIC_XXXX` queue `level − 1` to deliver (persisted as the delay offset). */
  offset: number;
  timer: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
  /** Caught up with the queue: a new message there should wake the level now. */
  idle: boolean;
  /** A message arrived while a round was running. */
  arrived: boolean;
}

/** What to do with one due entry. */
type Delivery = { kind: 'put'; input: PutMessageInput } | { kind: 'skip'; reason: string };

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
    this.states = options.levels.map((delayMs, i) => ({
      level: i + 1,
      queueId: i,
      delayMs,
      offset: 0,
      timer: undefined,
      running: undefined,
      idle: false,
      arrived: false,
    }));
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
    for (const state of this.states) this.schedule(state, 0);
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
    for (const state of this.states) {
      clearTimeout(state.timer);
      state.timer = undefined;
    }
    await Promise.all(this.states.map((s) => s.running ?? Promise.resolve()));
    if (this.started) this.logger.info('schedule message service stopped');
  }

  private onArrival(topic: string, queueId: number): void {
    if (topic !== SCHEDULE_TOPIC || this.closing) return;
    const state = this.states[queueId];
    if (!state) return;
    if (state.running) state.arrived = true;
    else if (state.idle) this.schedule(state, 0);
  }

  private schedule(state: LevelState, delayMs: number): void {
    clearTimeout(state.timer);
    state.timer = setTimeout(() => this.run(state), delayMs);
    state.timer.unref();
  }

  private run(state: LevelState): void {
    state.timer = undefined;
    if (this.closing || state.running) return;
    state.idle = false;
    state.arrived = false;
    state.running = this.deliverDue(state)
      .catch((error: unknown) => {
        this.logger.error('delivering delayed messages failed; will retry', {
          level: state.level,
          queueOffset: state.offset,
          error: String(error),
        });
        return RETRY_AFTER_FAILURE_MS;
      })
      .then((waitMs) => {
        state.running = undefined;
        if (this.closing) return;
        state.idle = waitMs === undefined;
        this.schedule(state, waitMs ?? (state.arrived ? 0 : MAX_SLEEP_MS));
      });
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
    const deliveries: Delivery[] = [];
    for (const entry of entries) deliveries.push(await this.prepare(entry));
    const results = await Promise.allSettled(
      deliveries.map((d) =>
        d.kind === 'put' ? this.store.putMessage(d.input) : Promise.resolve(undefined),
      ),
    );
    let done = 0;
    for (let i = 0; i < deliveries.length; i++) {
      const delivery = deliveries[i]!;
      const entry = entries[i]!;
      const fields = {
        level: state.level,
        queueOffset: state.offset + i,
        phyOffset: entry.phyOffset,
      };
      if (delivery.kind === 'skip') {
        this.logger.error('dropped a delayed message that cannot be delivered', {
          ...fields,
          reason: delivery.reason,
        });
        done++;
        continue;
      }
      const result = results[i]!;
      if (result.status === 'rejected') {
        this.logger.warn('delayed message put failed; will retry', {
          ...fields,
          error: String(result.reason),
        });
        break;
      }
      const status = result.value!.status;
      if (REFUSED_FOR_GOOD.has(status)) {
        this.logger.error('dropped a delayed message the store refuses', {
          ...fields,
          status,
          remark: result.value!.remark,
          topic: delivery.input.topic,
        });
      } else if (!STORED.has(status)) {
        this.logger.warn('delayed message put refused; will retry', {
          ...fields,
          status,
          remark: result.value!.remark,
        });
        break;
      }
      done++;
    }
    return done;
  }

  /** Reads the record of a due entry and builds the message to put (Java `messageTimeup`). */
  private async prepare(entry: ConsumeQueueEntry): Promise<Delivery> {
    const raw = await this.store.lookMessageByOffset(entry.phyOffset);
    if (!raw) return { kind: 'skip', reason: 'no record at this offset (removed by retention?)' };
    let record: MessageRecord;
    try {
      const decoded = decodeMessageRecord(raw);
      if (decoded.kind !== 'message') return { kind: 'skip', reason: 'not a message record' };
      record = decoded.record;
    } catch (error) {
      return { kind: 'skip', reason: `record does not decode: ${String(error)}` };
    }
    if (record.topic !== SCHEDULE_TOPIC || record.phyOffset !== entry.phyOffset) {
      return { kind: 'skip', reason: `record of ${record.topic} is not a schedule record` };
    }
    const properties = new Map(record.properties);
    const topic = properties.get(MessageConst.PROPERTY_REAL_TOPIC);
    const queueIdText = properties.get(MessageConst.PROPERTY_REAL_QUEUE_ID) ?? '';
    const queueId = /^\d+$/.test(queueIdText) ? Number(queueIdText) : NaN;
    if (!topic || !Number.isSafeInteger(queueId)) {
      return { kind: 'skip', reason: 'no REAL_TOPIC/REAL_QID property' };
    }
    if (topic === TRANS_HALF_TOPIC) {
      return { kind: 'skip', reason: `real topic is ${TRANS_HALF_TOPIC}` };
    }
    properties.delete(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
    return {
      kind: 'put',
      input: {
        topic,
        queueId,
        body: record.body,
        flag: record.flag,
        properties: encodeMessageProperties(properties),
        sysFlag: record.sysFlag,
        bornTimestamp: record.bornTimestamp,
        bornHost: record.bornHost,
        storeHost: this.storeHost(),
        reconsumeTimes: record.reconsumeTimes,
      },
    };
  }
}
