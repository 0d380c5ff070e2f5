import {
  MessageConst,
  MessageSysFlag,
  getTransactionValue,
  tagsString2tagsCode,
} from '@rocketmq-ts/protocol';
import type { MessageRecord } from '@rocketmq-ts/protocol';
import type { ConsumeQueueTable } from './consume-queue/consume-queue-table.js';
import { IndexBatchBuilder } from './index-service/index-batch-builder.js';
import type { MessageIndex } from './index-service/message-index.js';
import { deliverTimestamp, scheduleDelayLevel } from './put/delay-tags-code.js';

/** What the dispatcher needs of one stored record (RocketMQ DispatchRequest). */
export interface DispatchRequest {
  topic: string;
  queueId: number;
  queueOffset: number;
  phyOffset: number;
  size: number;
  /**
   * Tags hash of the record. For a delayed record ({@link DispatchRequest.delayLevel} > 0) the dispatcher replaces
   * it with the delivery time before the consume-queue entry is written.
   */
  tagsCode: number;
  /** `DELAY` level of a `SCHEDULE_TOPIC_XXXX` record, 0 for every other record (see `scheduleDelayLevel`). */
  delayLevel: number;
  storeTimestamp: number;
  sysFlag: number;
  /** KEYS property (space-separated), if any. */
  keys: string | undefined;
  /** UNIQ_KEY property, if any. */
  uniqKey: string | undefined;
}

/** Longest an index entry waits to be handed to lmdb, in ms. */
const INDEX_BATCH_DELAY_MS = 500;
/** Index entries that are handed to lmdb at once without waiting. */
const INDEX_BATCH_ENTRIES = 32_768;

/** The dispatch request of a decoded record (recovery, raw appends from replication). */
export function dispatchRequestOf(record: MessageRecord, size: number): DispatchRequest {
  return {
    topic: record.topic,
    queueId: record.queueId,
    queueOffset: record.queueOffset,
    phyOffset: record.phyOffset,
    size,
    tagsCode: tagsString2tagsCode(record.properties.get(MessageConst.PROPERTY_TAGS)),
    delayLevel: scheduleDelayLevel(
      record.topic,
      record.properties.get(MessageConst.PROPERTY_DELAY_TIME_LEVEL),
    ),
    storeTimestamp: record.storeTimestamp,
    sysFlag: record.sysFlag,
    keys: record.properties.get(MessageConst.PROPERTY_KEYS),
    uniqKey: record.properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX),
  };
}

/** Called when a queue grew (long polling wakes parked pulls). `maxOffset` is the queue's new end. */
export type ArrivalListener = (topic: string, queueId: number, maxOffset: number) => void;

/**
 * Feeds consume queues and the key index from stored records (RocketMQ's reput/dispatch), for records appended
 * by this store, re-read during recovery, or appended raw by replication.
 */
export class Dispatcher {
  /** Index entries dispatched since the last hand-over, already encoded as the batch row. */
  private readonly pendingIndex = new IndexBatchBuilder();
  private readonly listeners: ArrivalListener[] = [];
  /** Commit-log offset right after the last dispatched record. */
  dispatchedEnd = 0;
  /** Store time of the last dispatched record. */
  lastStoreTimestamp = 0;

  /**
   * @param delayLevels - delay per level in ms (index 0 = level 1), from the store's `messageDelayLevel`: turns the
   *   DELAY level of schedule-topic records into their delivery time.
   */
  constructor(
    private readonly queues: ConsumeQueueTable,
    private readonly index: MessageIndex | undefined,
    private readonly delayLevels: readonly number[],
  ) {}

  /** Registers a listener for queue growth. */
  onArrival(listener: ArrivalListener): void {
    this.listeners.push(listener);
  }

  /**
   * Dispatches one record: consume-queue entry (not for prepared/rollback), index entries (not for rollback).
   * A delayed record's `tagsCode` is set to its delivery time first.
   */
  dispatch(request: DispatchRequest): void {
    const tranType = getTransactionValue(request.sysFlag);
    if (
      tranType === MessageSysFlag.TRANSACTION_NOT_TYPE ||
      tranType === MessageSysFlag.TRANSACTION_COMMIT_TYPE
    ) {
      if (request.delayLevel > 0) {
        request.tagsCode = deliverTimestamp(
          this.delayLevels,
          request.delayLevel,
          request.storeTimestamp,
        );
      }
      const queue = this.queues.getOrCreate(request.topic, request.queueId);
      if (queue.append(request)) {
        for (const listener of this.listeners)
          listener(request.topic, request.queueId, queue.maxOffset);
      }
    }
    if (this.index && tranType !== MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) {
      const { uniqKey, keys } = request;
      const pending = this.pendingIndex;
      if (uniqKey) pending.append(uniqKey, request);
      if (keys) {
        // The words of KEYS without a split() array; empty words are skipped by append().
        let start = 0;
        for (let space = keys.indexOf(' '); space >= 0; space = keys.indexOf(' ', start)) {
          pending.append(keys.slice(start, space), request);
          start = space + 1;
        }
        pending.append(start === 0 ? keys : keys.slice(start), request);
      }
    }
    this.dispatchedEnd = request.phyOffset + request.size;
    this.lastStoreTimestamp = request.storeTimestamp;
  }

  /** Hands the index entries gathered since the last call to lmdb (one write batch per turn). */
  flushIndex(): Promise<void> {
    if (this.indexTimer !== undefined) {
      clearTimeout(this.indexTimer);
      this.indexTimer = undefined;
    }
    if (!this.index || this.pendingIndex.entries === 0) return this.indexWrites;
    const write = this.index.addBatch(this.pendingIndex.take());
    this.indexWrites = write;
    return write;
  }

  /**
   * Hands gathered index entries to lmdb soon rather than now: each lmdb write batch has a fixed cost, so entries of
   * several writes (up to {@link INDEX_BATCH_DELAY_MS}, or {@link INDEX_BATCH_ENTRIES} entries) share one.
   * Queries call {@link Dispatcher.indexSettled} first, so they still see every dispatched entry.
   */
  scheduleIndexFlush(onError: (error: unknown) => void): void {
    if (this.pendingIndex.entries >= INDEX_BATCH_ENTRIES) {
      this.flushIndex().catch(onError);
      return;
    }
    if (this.indexTimer !== undefined || this.pendingIndex.entries === 0) return;
    this.indexTimer = setTimeout(() => {
      this.indexTimer = undefined;
      this.flushIndex().catch(onError);
    }, INDEX_BATCH_DELAY_MS);
    this.indexTimer.unref();
  }

  private indexTimer: NodeJS.Timeout | undefined;

  /** Resolves when every index entry dispatched so far is committed (queries see it). */
  indexSettled(): Promise<void> {
    return this.flushIndex().catch(() => undefined);
  }

  private indexWrites: Promise<void> = Promise.resolve();
}
