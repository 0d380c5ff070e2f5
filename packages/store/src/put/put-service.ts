/**
 * The put path: validate, assign queue offsets, encode records straight into the commit log's scratch buffer
 * (group commit per event-loop turn), dispatch once written, and resolve per flushDiskType:
 * ASYNC_FLUSH resolves when the write has completed; SYNC_FLUSH when an fdatasync covers the record (waiters of one
 * turn share one fdatasync), or FLUSH_DISK_TIMEOUT past `syncFlushTimeout` (the message stays stored).
 */
import {
  MessageConst,
  MessageRecordWriter,
  MessageSysFlag,
  encodeMessageProperties,
  getTransactionValue,
  messageRecordSize,
  pickMessageProperties,
  tagsString2tagsCode,
} from '@rocketmq-ts/protocol';
import type { Logger, RecordFields } from '@rocketmq-ts/protocol';
import type { CommitLog } from '../commit-log/commit-log.js';
import type { MessageStoreConfig } from '../config.js';
import type { DispatchRequest, Dispatcher } from '../dispatcher.js';
import type {
  PutMessageInput,
  PutMessageResult,
  PutMessageStatus,
  StoreStats,
} from '../store-types.js';
import { scheduleDelayLevel } from './delay-tags-code.js';
import { MessageIdFormatter } from './message-id-formatter.js';
import { validateMessage } from './validate-message.js';
import type { Refusal } from './validate-message.js';

/** The properties the put path reads, in the order of {@link PickedProperty}. */
const PICKED_PROPERTIES = [
  MessageConst.PROPERTY_TAGS,
  MessageConst.PROPERTY_KEYS,
  MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX,
  MessageConst.PROPERTY_DELAY_TIME_LEVEL,
  MessageConst.PROPERTY_WAIT_STORE_MSG_OK,
] as const;
const enum PickedProperty {
  Tags = 0,
  Keys = 1,
  UniqKey = 2,
  Delay = 3,
  Wait = 4,
}

interface PreparedMessage {
  input: PutMessageInput;
  propertiesString: string;
  propertiesBytes: number;
  keys: string | undefined;
  uniqKey: string | undefined;
  /** The WAIT property is `false`. */
  noWait: boolean;
  maxBytes: number;
  tagsCode: number;
  /** DELAY level of a schedule-topic message (the dispatcher turns it into the delivery time), else 0. */
  delayLevel: number;
  consumesSlot: boolean;
}

interface PendingPut {
  end: number;
  /** One request for a single put, one per record for a batch. */
  requests: DispatchRequest | DispatchRequest[];
  result: PutMessageResult;
  waitFlush: boolean;
  resolve: (result: PutMessageResult) => void;
  reject: (error: Error) => void;
}

/** Queue offsets handed out so far: topic → queueId → next offset. */
export class QueueOffsetTable {
  private readonly table = new Map<string, number[]>();

  next(topic: string, queueId: number): number {
    return this.table.get(topic)?.[queueId] ?? 0;
  }

  set(topic: string, queueId: number, nextOffset: number): void {
    let queues = this.table.get(topic);
    if (!queues) this.table.set(topic, (queues = []));
    queues[queueId] = nextOffset;
  }

  deleteTopic(topic: string): void {
    this.table.delete(topic);
  }
}

/** Decides whether puts are accepted right now; a reason when not. */
export type WritableCheck = () => string | undefined;

/** The properties string of a put: as given, or encoded from a map / record. */
function propertiesStringOf(input: PutMessageInput): string {
  const source = input.properties;
  if (typeof source === 'string') return source;
  if (source === undefined) return '';
  return encodeMessageProperties(source);
}

/** The record fields of a prepared message at its queue offset and store time (phyOffset set on append). */
function recordFieldsOf(
  prepared: PreparedMessage,
  queueOffset: number,
  storeTimestamp: number,
): RecordFields {
  const { input } = prepared;
  return {
    topic: input.topic,
    body: input.body,
    queueId: input.queueId,
    flag: input.flag ?? 0,
    queueOffset,
    sysFlag: input.sysFlag ?? 0,
    bornTimestamp: input.bornTimestamp,
    bornHost: input.bornHost,
    storeTimestamp,
    storeHost: input.storeHost,
    reconsumeTimes: input.reconsumeTimes ?? 0,
    preparedTransactionOffset: input.preparedTransactionOffset ?? 0,
    properties: prepared.propertiesString,
    propertiesBytes: prepared.propertiesBytes,
    phyOffset: 0,
  };
}

export class PutService {
  private readonly pending: PendingPut[] = [];
  private readonly msgIds = new MessageIdFormatter();
  private readonly recordWriter = new MessageRecordWriter();
  /** Reused by every put: the values of {@link PICKED_PROPERTIES}. */
  private readonly picked: (string | undefined)[] = [];
  private pendingHead = 0;
  private syncGroup: PendingPut[] = [];
  private syncScheduled = false;

  constructor(
    private readonly deps: {
      config: Readonly<MessageStoreConfig>;
      commitLog: CommitLog;
      dispatcher: Dispatcher;
      offsets: QueueOffsetTable;
      stats: StoreStats;
      logger: Logger;
      writable: WritableCheck;
    },
  ) {
    deps.commitLog.onWritten((writtenEnd) => this.onWritten(writtenEnd));
  }

  /**
   * Stores one message. The common case gets its own path: the record's exact size is measured first, so it is
   * written once, straight into the commit log's write buffer, with no per-put arrays besides the result's.
   */
  putMessage(input: PutMessageInput): Promise<PutMessageResult> {
    const refusedBecause = this.deps.writable();
    if (refusedBecause !== undefined) {
      return this.refuse({ status: 'SERVICE_NOT_AVAILABLE', remark: refusedBecause });
    }
    const prepared = this.prepare(input);
    if ('status' in prepared) return this.refuse(prepared);
    const { topic, queueId } = input;
    const { offsets, commitLog } = this.deps;
    const queueOffset = prepared.consumesSlot ? offsets.next(topic, queueId) : 0;
    const storeTimestamp = Date.now();
    const fields = recordFieldsOf(prepared, queueOffset, storeTimestamp);
    let size: number;
    try {
      size = this.recordWriter.measure(fields);
    } catch (error) {
      return this.refuse({
        status: 'MESSAGE_ILLEGAL',
        remark: error instanceof Error ? error.message : String(error),
      });
    }
    let phyOffset: number;
    try {
      phyOffset = commitLog.appendRecord(size, fields, this.recordWriter);
    } catch (error) {
      this.deps.stats.putMessageFailedTimes++;
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (prepared.consumesSlot) offsets.set(topic, queueId, queueOffset + 1);
    const end = phyOffset + size;
    const request: DispatchRequest = {
      topic,
      queueId,
      queueOffset,
      phyOffset,
      size,
      tagsCode: prepared.tagsCode,
      delayLevel: prepared.delayLevel,
      storeTimestamp,
      sysFlag: fields.sysFlag,
      keys: prepared.keys,
      uniqKey: prepared.uniqKey,
    };
    this.deps.stats.putMessageTimesTotal++;
    this.deps.stats.putMessageSizeTotal += size;
    const result: PutMessageResult = {
      status: 'PUT_OK',
      phyOffsets: [phyOffset],
      queueOffsets: [queueOffset],
      msgIds: [this.msgIds.format(input.storeHost, phyOffset)],
      storeTimestamp,
      wroteBytes: size,
      endPhyOffset: end,
    };
    const waitFlush = this.waitsForFlush(input, prepared);
    return new Promise<PutMessageResult>((resolve, reject) => {
      this.pending.push({ end, requests: request, waitFlush, resolve, reject, result });
    });
  }

  /** Stores messages as one unit (a batch): consecutive records, consecutive queue offsets, one segment. */
  putMessages(inputs: readonly PutMessageInput[]): Promise<PutMessageResult> {
    return this.put(inputs);
  }

  private put(inputs: readonly PutMessageInput[]): Promise<PutMessageResult> {
    const refusedBecause = this.deps.writable();
    if (refusedBecause !== undefined) {
      return this.refuse({ status: 'SERVICE_NOT_AVAILABLE', remark: refusedBecause });
    }
    if (inputs.length === 0)
      return this.refuse({ status: 'MESSAGE_ILLEGAL', remark: 'no messages to put' });
    const prepared: PreparedMessage[] = [];
    let maxBytes = 0;
    for (const input of inputs) {
      const message = this.prepare(input);
      if ('status' in message) return this.refuse(message);
      prepared.push(message);
      maxBytes += message.maxBytes;
    }
    const storeTimestamp = Date.now();
    const { offsets } = this.deps;
    // Slots per (topic, queue) for this unit; applied to the table only once the records are in.
    const queueOffsets: number[] = new Array<number>(prepared.length);
    const updates: { topic: string; queueId: number; next: number }[] = [];
    for (let i = 0; i < prepared.length; i++) {
      const { input, consumesSlot } = prepared[i]!;
      let update = updates.find((u) => u.topic === input.topic && u.queueId === input.queueId);
      if (!update) {
        update = {
          topic: input.topic,
          queueId: input.queueId,
          next: offsets.next(input.topic, input.queueId),
        };
        updates.push(update);
      }
      queueOffsets[i] = consumesSlot ? update.next : 0;
      if (consumesSlot) update.next++;
    }
    let phyOffsets: number[];
    try {
      phyOffsets = this.deps.commitLog.append({
        count: prepared.length,
        maxBytes,
        encode: (i, target, offset) => {
          // The unit's records get their phyOffsets patched in by the commit log afterwards.
          const fields = recordFieldsOf(prepared[i]!, queueOffsets[i]!, storeTimestamp);
          const size = this.recordWriter.measure(fields);
          this.recordWriter.write(target, offset, fields);
          return size;
        },
      });
    } catch (error) {
      this.deps.stats.putMessageFailedTimes++;
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    // Only now that the records are in: advance the queue offsets.
    for (const update of updates) offsets.set(update.topic, update.queueId, update.next);
    const end = this.deps.commitLog.maxOffset;
    const requests: DispatchRequest[] = [];
    const msgIds: string[] = [];
    let wroteBytes = 0;
    for (let i = 0; i < prepared.length; i++) {
      const { input, keys, uniqKey, tagsCode, delayLevel } = prepared[i]!;
      const phyOffset = phyOffsets[i]!;
      const size = (phyOffsets[i + 1] ?? end) - phyOffset;
      wroteBytes += size;
      msgIds.push(this.msgIds.format(input.storeHost, phyOffset));
      requests.push({
        topic: input.topic,
        queueId: input.queueId,
        queueOffset: queueOffsets[i]!,
        phyOffset,
        size,
        tagsCode,
        delayLevel,
        storeTimestamp,
        sysFlag: input.sysFlag ?? 0,
        keys,
        uniqKey,
      });
    }
    const waitFlush = this.waitsForFlush(prepared[0]!.input, prepared[0]!);
    this.deps.stats.putMessageTimesTotal += prepared.length;
    this.deps.stats.putMessageSizeTotal += wroteBytes;
    return new Promise<PutMessageResult>((resolve, reject) => {
      this.pending.push({
        end,
        requests,
        waitFlush,
        resolve,
        reject,
        result: {
          status: 'PUT_OK',
          phyOffsets,
          queueOffsets,
          msgIds,
          storeTimestamp,
          wroteBytes,
          endPhyOffset: end,
        },
      });
    });
  }

  /** Whether a put resolves only once flushed: SYNC_FLUSH, unless the caller or the WAIT property says not to. */
  private waitsForFlush(input: PutMessageInput, prepared: PreparedMessage): boolean {
    return (
      this.deps.config.flushDiskType === 'SYNC_FLUSH' && (input.waitStoreMsgOk ?? !prepared.noWait)
    );
  }

  private prepare(input: PutMessageInput): PreparedMessage | Refusal {
    let propertiesString: string;
    try {
      propertiesString = propertiesStringOf(input);
    } catch (error) {
      return {
        status: 'MESSAGE_ILLEGAL',
        remark: error instanceof Error ? error.message : String(error),
      };
    }
    const picked = this.picked;
    pickMessageProperties(propertiesString, PICKED_PROPERTIES, picked);
    const topicBytes = Buffer.byteLength(input.topic, 'utf8');
    const propertiesBytes =
      propertiesString.length === 0 ? 0 : Buffer.byteLength(propertiesString, 'utf8');
    const refusal = validateMessage({
      topic: input.topic,
      queueId: input.queueId,
      bodyBytes: input.body.length,
      propertiesBytes,
      maxMessageSize: this.deps.config.maxMessageSize,
    });
    if (refusal) return refusal;
    const tranType = getTransactionValue(input.sysFlag ?? 0);
    return {
      input,
      propertiesString,
      propertiesBytes,
      keys: picked[PickedProperty.Keys],
      uniqKey: picked[PickedProperty.UniqKey],
      noWait: picked[PickedProperty.Wait] === 'false',
      // Upper bound: both hosts as IPv6.
      maxBytes: messageRecordSize({
        sysFlag: MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG,
        bodyLength: input.body.length,
        topicLength: topicBytes,
        propertiesLength: propertiesBytes,
      }),
      tagsCode: tagsString2tagsCode(picked[PickedProperty.Tags]),
      delayLevel: scheduleDelayLevel(input.topic, picked[PickedProperty.Delay]),
      consumesSlot:
        tranType === MessageSysFlag.TRANSACTION_NOT_TYPE ||
        tranType === MessageSysFlag.TRANSACTION_COMMIT_TYPE,
    };
  }

  private refuse(refusal: Refusal): Promise<PutMessageResult> {
    this.deps.stats.putMessageFailedTimes++;
    return Promise.resolve({
      status: refusal.status,
      remark: refusal.remark,
      phyOffsets: [],
      queueOffsets: [],
      msgIds: [],
      storeTimestamp: 0,
      wroteBytes: 0,
      endPhyOffset: 0,
    });
  }

  private onWritten(writtenEnd: number): void {
    const failure = this.deps.commitLog.failure;
    const { dispatcher } = this.deps;
    while (this.pendingHead < this.pending.length) {
      const put = this.pending[this.pendingHead]!;
      if (put.end > writtenEnd && !failure) break;
      this.pending[this.pendingHead++] = undefined as never;
      if (put.end > writtenEnd) {
        put.reject(failure!);
        continue;
      }
      const { requests } = put;
      if (Array.isArray(requests)) for (const request of requests) dispatcher.dispatch(request);
      else dispatcher.dispatch(requests);
      if (put.waitFlush) this.syncGroup.push(put);
      else put.resolve(put.result);
    }
    if (this.pendingHead === this.pending.length) {
      this.pending.length = 0;
      this.pendingHead = 0;
    }
    dispatcher.scheduleIndexFlush((error: unknown) =>
      this.deps.logger.error('index write failed', { error: String(error) }),
    );
    if (this.syncGroup.length > 0 && !this.syncScheduled) {
      this.syncScheduled = true;
      queueMicrotask(() => this.syncFlush());
    }
  }

  private syncFlush(): void {
    this.syncScheduled = false;
    const group = this.syncGroup;
    this.syncGroup = [];
    let settled = false;
    const settle = (status: PutMessageStatus) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const put of group)
        put.resolve(status === 'PUT_OK' ? put.result : { ...put.result, status });
    };
    const timer = setTimeout(() => settle('FLUSH_DISK_TIMEOUT'), this.deps.config.syncFlushTimeout);
    timer.unref();
    this.deps.commitLog.flush({ onThread: true }).then(
      () => settle('PUT_OK'),
      (error: unknown) => {
        this.deps.logger.error('sync flush failed', { error: String(error) });
        settle('FLUSH_DISK_TIMEOUT');
      },
    );
  }
}
