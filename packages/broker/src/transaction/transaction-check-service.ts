import {
  MessageConst,
  MessageSysFlag,
  RemotingCommand,
  RequestCode,
  createOffsetMessageId,
  encodeCheckTransactionStateRequestHeader,
  encodeMessageProperties,
  encodeMessageRecord,
  resetTransactionValue,
} from '@rocketmq-ts/protocol';
import type { MessageRecord } from '@rocketmq-ts/protocol';
import type { PutMessageInput, PutMessageResult } from '@rocketmq-ts/store';
import type { BrokerContext } from '../broker-context.js';
import {
  TRANS_CHECK_MAX_TIME_TOPIC,
  TRANS_HALF_TOPIC,
  TRANS_OP_HALF_TOPIC,
} from '../topic/topic-validator.js';
import { DeliveryLoop } from '../system-topic/delivery-loop.js';
import { STORED_STATUSES } from '../system-topic/put-delivery.js';
import {
  OP_REMOVE_TAG,
  TRANSACTION_CHECK_GROUP,
  TRANSACTION_QUEUE_ID,
  readRecordAt,
  realDestination,
} from './half-message.js';

/** Options of {@link TransactionCheckService}. */
export interface TransactionCheckServiceOptions {
  /** The broker's shared state: store, offsets, producer channels, config (`transactionCheckInterval`, …). */
  context: BrokerContext;
  /** Clock, ms since the epoch (tests). Default `Date.now`. */
  now?: () => number;
}

/** What one check round did. */
export interface TransactionCheckRound {
  /** Half messages a CHECK_TRANSACTION_STATE was sent (or due, when no producer was online) for. */
  checked: number;
  /** Half messages moved to `TRANS_CHECK_MAX_TIME_TOPIC` after `transactionCheckMax` checks. */
  discarded: number;
  /** Half messages skipped because an op record marks them done. */
  done: number;
}

/** Entries read from the op or half queue per store call. */
const READ_BATCH = 32;
/** Most op entries one round reads, so a huge backlog cannot stall the broker. */
const MAX_OP_ENTRIES_PER_ROUND = 64 * 1024;
/** Longest one round runs before it saves its progress and yields, ms (Java `MAX_PROCESS_TIME_LIMIT`). */
const MAX_ROUND_MS = 60_000;

/**
 * The transaction check-back of a master (Java `TransactionalMessageCheckService` +
 * `TransactionalMessageServiceImpl.check`, 4.9.8): every `transactionCheckInterval` it walks the half queue from the
 * consume offset of group `CID_RMQ_SYS_TRANS`, skips halves that an op record marks done, and for each half older
 * than `transactionTimeOut` (or its `CHECK_IMMUNITY_TIME_IN_SECONDS`) re-puts the half with
 * `TRANSACTION_CHECK_TIMES` + 1 and sends a oneway CHECK_TRANSACTION_STATE for the new copy to one live producer
 * channel of the half's `PGROUP`. A half checked `transactionCheckMax` times is moved to
 * `TRANS_CHECK_MAX_TIME_TOPIC`. The half and op queue offsets are saved as consumer offsets after each round, so a
 * restart carries on where it stopped. A round stops at the first half still too young, and at halves stored after
 * the round began (the re-put copies).
 */
export class TransactionCheckService {
  private readonly ctx: BrokerContext;
  private readonly now: () => number;
  private readonly loop: DeliveryLoop;
  private started = false;
  private closed = false;

  constructor(options: TransactionCheckServiceOptions) {
    this.ctx = options.context;
    this.now = options.now ?? Date.now;
    const intervalMs = this.ctx.config.transactionCheckInterval;
    // Every round, failed or not, is followed by one interval: Java's check thread waits the interval between rounds.
    this.loop = new DeliveryLoop({
      round: async () => {
        await this.check();
        return undefined;
      },
      onError: (error) => {
        this.ctx.logger.warn('transaction check round failed; will retry', {
          error: String(error),
        });
      },
      idleSleepMs: intervalMs,
      retryAfterFailureMs: intervalMs,
      wakeCutsWait: false,
    });
  }

  /** Starts the periodic rounds, the first one interval from now. Idempotent; does nothing after close. */
  start(): void {
    if (this.closed || this.started) return;
    this.started = true;
    this.loop.start(this.ctx.config.transactionCheckInterval);
  }

  /** Stops the rounds and waits for the one under way. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.loop.close();
  }

  /**
   * Runs one check round now.
   * @returns what it did.
   * @throws StoreError when the store is closed.
   */
  async check(): Promise<TransactionCheckRound> {
    const { config, store } = this.ctx;
    const startMs = this.now();
    const round: TransactionCheckRound = { checked: 0, discarded: 0, done: 0 };
    const halfStart = this.startOffset(TRANS_HALF_TOPIC);
    const opStart = this.startOffset(TRANS_OP_HALF_TOPIC);
    const halfEnd = store.getMaxOffsetInQueue(TRANS_HALF_TOPIC, TRANSACTION_QUEUE_ID);
    const { removed, doneOps } = await this.readOps(opStart, halfStart);
    let next = halfStart;
    while (next < halfEnd && !this.closed && this.now() - startMs < MAX_ROUND_MS) {
      const opOffset = removed.get(next);
      if (opOffset !== undefined) {
        removed.delete(next);
        doneOps.add(opOffset);
        round.done++;
        next++;
        continue;
      }
      const half = await this.readHalf(next);
      if (half === undefined) {
        // Gone (retention) or unreadable: nothing to check any more.
        next++;
        continue;
      }
      if (half.storeTimestamp >= startMs) break;
      const checkTimes = Number(
        half.properties.get(MessageConst.PROPERTY_TRANSACTION_CHECK_TIMES) ?? 0,
      );
      if (Number.isFinite(checkTimes) && checkTimes >= config.transactionCheckMax) {
        await this.discard(half);
        round.discarded++;
        next++;
        continue;
      }
      const ageMs = this.now() - half.bornTimestamp;
      if (ageMs >= 0 && ageMs < this.immunityMs(half)) break;
      const copy = await this.putBack(half, (Number.isFinite(checkTimes) ? checkTimes : 0) + 1);
      if (copy === undefined) break;
      this.sendCheck(copy);
      round.checked++;
      next++;
    }
    if (next !== halfStart) await this.saveOffset(TRANS_HALF_TOPIC, next);
    let opNext = opStart;
    while (doneOps.has(opNext)) opNext++;
    if (opNext !== opStart) await this.saveOffset(TRANS_OP_HALF_TOPIC, opNext);
    return round;
  }

  private startOffset(topic: string): number {
    const stored = this.ctx.offsets.queryOffset({
      group: TRANSACTION_CHECK_GROUP,
      topic,
      queueId: TRANSACTION_QUEUE_ID,
    });
    const min = this.ctx.store.getMinOffsetInQueue(topic, TRANSACTION_QUEUE_ID);
    return stored < min ? min : stored;
  }

  private saveOffset(topic: string, offset: number): Promise<void> {
    return this.ctx.offsets.commitOffset({
      group: TRANSACTION_CHECK_GROUP,
      topic,
      queueId: TRANSACTION_QUEUE_ID,
      offset,
    });
  }

  /**
   * Reads the op queue from `opStart` (Java `fillOpRemoveMap`): ops naming a half before `halfStart` are done
   * already; the others map half queue offset → op queue offset.
   */
  private async readOps(
    opStart: number,
    halfStart: number,
  ): Promise<{ removed: Map<number, number>; doneOps: Set<number> }> {
    const removed = new Map<number, number>();
    const doneOps = new Set<number>();
    const end = Math.min(
      this.ctx.store.getMaxOffsetInQueue(TRANS_OP_HALF_TOPIC, TRANSACTION_QUEUE_ID),
      opStart + MAX_OP_ENTRIES_PER_ROUND,
    );
    let offset = opStart;
    while (offset < end) {
      const entries = await this.ctx.store.readConsumeQueue({
        topic: TRANS_OP_HALF_TOPIC,
        queueId: TRANSACTION_QUEUE_ID,
        queueOffset: offset,
        maxEntries: Math.min(READ_BATCH, end - offset),
      });
      if (entries.length === 0) break;
      for (const entry of entries) {
        const opOffset = offset++;
        const op = await readRecordAt(this.ctx.store, entry.phyOffset);
        const text = op?.body.toString('utf8') ?? '';
        if (
          op?.properties.get(MessageConst.PROPERTY_TAGS) !== OP_REMOVE_TAG ||
          !/^\d+$/.test(text)
        ) {
          doneOps.add(opOffset);
          continue;
        }
        const halfOffset = Number(text);
        if (halfOffset < halfStart) doneOps.add(opOffset);
        else removed.set(halfOffset, opOffset);
      }
    }
    return { removed, doneOps };
  }

  private async readHalf(queueOffset: number): Promise<MessageRecord | undefined> {
    const [entry] = await this.ctx.store.readConsumeQueue({
      topic: TRANS_HALF_TOPIC,
      queueId: TRANSACTION_QUEUE_ID,
      queueOffset,
      maxEntries: 1,
    });
    if (entry === undefined) return undefined;
    const half = await readRecordAt(this.ctx.store, entry.phyOffset);
    return half?.topic === TRANS_HALF_TOPIC && realDestination(half) !== undefined
      ? half
      : undefined;
  }

  /** `transactionTimeOut`, or the half's `CHECK_IMMUNITY_TIME_IN_SECONDS` in ms when it is a valid number. */
  private immunityMs(half: MessageRecord): number {
    const text = half.properties.get(MessageConst.PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS);
    const seconds = text === undefined ? NaN : Number(text);
    return Number.isFinite(seconds) && seconds >= 0
      ? seconds * 1000
      : this.ctx.config.transactionTimeOut;
  }

  /**
   * Stores a copy of the half with its check count (Java `putBackHalfMsgQueue`), so the count survives and the
   * check names a half that is still ahead of the saved offset.
   * @returns the copy as stored, or undefined when the put failed (the round stops and retries later).
   */
  private async putBack(
    half: MessageRecord,
    checkTimes: number,
  ): Promise<MessageRecord | undefined> {
    const properties = new Map(half.properties);
    properties.set(MessageConst.PROPERTY_TRANSACTION_CHECK_TIMES, String(checkTimes));
    const input = { ...this.halfInput(half, properties), topic: TRANS_HALF_TOPIC };
    const result = await this.ctx.store.putMessage(input);
    if (!this.stored(result, 'putting back a half message failed')) return undefined;
    return {
      ...half,
      properties,
      propertiesString: input.properties,
      queueOffset: result.queueOffsets[0] ?? 0,
      phyOffset: result.phyOffsets[0] ?? 0,
      storeTimestamp: result.storeTimestamp,
    };
  }

  /** Moves a half checked too often to `TRANS_CHECK_MAX_TIME_TOPIC` (Java `resolveDiscardMsg`). */
  private async discard(half: MessageRecord): Promise<void> {
    this.ctx.logger.error(
      'half message checked too many times; moved to ' + TRANS_CHECK_MAX_TIME_TOPIC,
      {
        phyOffset: half.phyOffset,
        queueOffset: half.queueOffset,
        msgId: half.properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX),
      },
    );
    const result = await this.ctx.store.putMessage({
      ...this.halfInput(half, half.properties),
      topic: TRANS_CHECK_MAX_TIME_TOPIC,
    });
    this.stored(result, 'moving a half message to ' + TRANS_CHECK_MAX_TIME_TOPIC + ' failed');
  }

  private halfInput(
    half: MessageRecord,
    properties: ReadonlyMap<string, string>,
  ): PutMessageInput & { properties: string } {
    return {
      topic: half.topic,
      queueId: TRANSACTION_QUEUE_ID,
      body: half.body,
      flag: half.flag,
      properties: encodeMessageProperties(properties),
      sysFlag: resetTransactionValue(half.sysFlag, MessageSysFlag.TRANSACTION_NOT_TYPE),
      bornTimestamp: half.bornTimestamp,
      bornHost: half.bornHost,
      storeHost: this.ctx.storeHost(),
      reconsumeTimes: half.reconsumeTimes,
    };
  }

  private stored(result: PutMessageResult, what: string): boolean {
    if (STORED_STATUSES.has(result.status)) return true;
    this.ctx.logger.warn(what, { status: result.status, remark: result.remark });
    return false;
  }

  /**
   * Sends CHECK_TRANSACTION_STATE (oneway) for a half to one live producer of its group (Java
   * `AbstractTransactionalMessageCheckListener.sendCheckMessage`); the body is the half encoded as a record with its
   * real topic and queue. Without a live producer it only logs: the next round asks again.
   */
  private sendCheck(half: MessageRecord): void {
    const group = half.properties.get(MessageConst.PROPERTY_PRODUCER_GROUP) ?? '';
    const channel = this.ctx.producers.availableChannel(group);
    if (channel === undefined) {
      this.ctx.logger.warn('transaction check skipped: no producer of the group is online', {
        group,
        queueOffset: half.queueOffset,
      });
      return;
    }
    const uniqKey = half.properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
    const destination = realDestination(half)!;
    const storeHost = this.ctx.storeHost();
    const body = encodeMessageRecord({
      ...half,
      topic: destination.topic,
      queueId: destination.queueId,
      properties: half.propertiesString,
      storeHost,
    });
    const request = RemotingCommand.oneway(
      RequestCode.CHECK_TRANSACTION_STATE,
      encodeCheckTransactionStateRequestHeader({
        tranStateTableOffset: half.queueOffset,
        commitLogOffset: half.phyOffset,
        msgId: uniqKey,
        transactionId: uniqKey,
        offsetMsgId: createOffsetMessageId(storeHost, half.phyOffset),
      }),
      body,
    );
    try {
      channel.invokeOneway(request);
    } catch (error) {
      this.ctx.logger.warn('sending CHECK_TRANSACTION_STATE failed', {
        group,
        error: String(error),
      });
    }
  }
}
