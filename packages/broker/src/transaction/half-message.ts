import {
  MessageConst,
  MessageSysFlag,
  decodeMessageRecord,
  encodeMessageProperties,
  resetTransactionValue,
} from '@rocketmq-ts/protocol';
import type { HostAddress, MessageRecord } from '@rocketmq-ts/protocol';
import type { MessageStore, PutMessageInput } from '@rocketmq-ts/store';
import {
  propertiesMapOf,
  realDestinationOf,
  toSystemTopic,
} from '../system-topic/real-destination.js';
import { TRANS_HALF_TOPIC, TRANS_OP_HALF_TOPIC } from '../topic/topic-validator.js';

/** Consumer group under which the check-back service keeps its half and op queue progress (Java `CID_RMQ_SYS_TRANS`). */
export const TRANSACTION_CHECK_GROUP = 'CID_RMQ_SYS_TRANS';
/** Tag of an op record that marks a half message as done, committed or rolled back (Java `REMOVETAG`). */
export const OP_REMOVE_TAG = 'd';
/** The one queue of the half and op topics. */
export const TRANSACTION_QUEUE_ID = 0;

/**
 * Rewrites a prepared transactional message into its half message (Java `TransactionalMessageBridge
 * .parseHalfMessageInner`): topic `RMQ_SYS_TRANS_HALF_TOPIC` queue 0, the real destination in `REAL_TOPIC` /
 * `REAL_QID`, the transaction bits of sysFlag reset to NOT_TYPE so the half gets a consume-queue slot. `TRAN_MSG`
 * and `PGROUP` stay (the check-back reads them).
 * @param input - the message as the send processor would store it.
 * @returns a new input; `input` is not changed.
 */
export function toHalfMessage(input: PutMessageInput): PutMessageInput {
  const half = toSystemTopic(input, propertiesMapOf(input.properties), {
    topic: TRANS_HALF_TOPIC,
    queueId: TRANSACTION_QUEUE_ID,
  });
  return {
    ...half,
    sysFlag: resetTransactionValue(input.sysFlag ?? 0, MessageSysFlag.TRANSACTION_NOT_TYPE),
  };
}

/**
 * The message a commit stores for a half message (Java `EndTransactionProcessor.endMessageTransaction`): its real
 * topic and queue, body, flag, born time and host, reconsume times, sysFlag with transaction bits = COMMIT,
 * `preparedTransactionOffset` = the half's commit-log offset. `REAL_TOPIC`, `REAL_QID` and `TRAN_MSG` are removed
 * (Java 4.9.8 clears them from the map only and still stores them in its properties string; consumers here do not
 * see them).
 * @throws Error when the half lacks a valid `REAL_TOPIC` / `REAL_QID` (the caller checked {@link realDestination}).
 */
export function toCommittedMessage(half: MessageRecord, storeHost: HostAddress): PutMessageInput {
  const destination = realDestination(half);
  if (destination === undefined) throw new Error('half message has no REAL_TOPIC/REAL_QID');
  const properties = new Map(half.properties);
  properties.delete(MessageConst.PROPERTY_REAL_TOPIC);
  properties.delete(MessageConst.PROPERTY_REAL_QUEUE_ID);
  properties.delete(MessageConst.PROPERTY_TRANSACTION_PREPARED);
  return {
    topic: destination.topic,
    queueId: destination.queueId,
    body: half.body,
    flag: half.flag,
    properties: encodeMessageProperties(properties),
    sysFlag: resetTransactionValue(half.sysFlag, MessageSysFlag.TRANSACTION_COMMIT_TYPE),
    bornTimestamp: half.bornTimestamp,
    bornHost: half.bornHost,
    storeHost,
    reconsumeTimes: half.reconsumeTimes,
    preparedTransactionOffset: half.phyOffset,
  };
}

/**
 * The op record marking the half at `halfQueueOffset` as done (Java `TransactionalMessageBridge.makeOpMessageInner`):
 * topic `RMQ_SYS_TRANS_OP_HALF_TOPIC` queue 0, tag `d`, body = the half's queue offset as decimal text.
 */
export function toOpMessage(halfQueueOffset: number, storeHost: HostAddress): PutMessageInput {
  return {
    topic: TRANS_OP_HALF_TOPIC,
    queueId: TRANSACTION_QUEUE_ID,
    body: Buffer.from(String(halfQueueOffset), 'utf8'),
    properties: encodeMessageProperties(new Map([[MessageConst.PROPERTY_TAGS, OP_REMOVE_TAG]])),
    sysFlag: 0,
    bornTimestamp: Date.now(),
    bornHost: storeHost,
    storeHost,
  };
}

/** `REAL_TOPIC` / `REAL_QID` of a half message, or undefined when either is missing or not a queue id. */
export function realDestination(
  half: MessageRecord,
): { topic: string; queueId: number } | undefined {
  return realDestinationOf(half.properties);
}

/**
 * Reads and decodes the record at a commit-log offset.
 * @returns the record, or undefined when there is none, or the bytes there are not a message record (an offset
 *   that is not a record boundary).
 */
export async function readRecordAt(
  store: Pick<MessageStore, 'lookMessageByOffset'>,
  phyOffset: number,
): Promise<MessageRecord | undefined> {
  if (!Number.isSafeInteger(phyOffset) || phyOffset < 0) return undefined;
  let raw: Buffer | undefined;
  try {
    raw = await store.lookMessageByOffset(phyOffset);
  } catch {
    return undefined;
  }
  if (raw === undefined) return undefined;
  try {
    const decoded = decodeMessageRecord(raw);
    if (decoded.kind !== 'message' || decoded.record.phyOffset !== phyOffset) return undefined;
    return decoded.record;
  } catch {
    return undefined;
  }
}
