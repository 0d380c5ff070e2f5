import {
  MessageConst,
  MessageSysFlag,
  decodeMessageProperties,
  decodeMessageRecord,
  encodeMessageProperties,
  getTransactionValue,
} from '@rocketmq-ts/protocol';
import type { HostAddress, MessageRecord } from '@rocketmq-ts/protocol';
import type { PutMessageInput } from '@rocketmq-ts/store';
import { TRANS_HALF_TOPIC } from '../topic/topic-validator.js';

/**
 * Properties of a {@link PutMessageInput} as a new Map (a copy: changing it leaves the input alone).
 * @param properties - a properties string, a Map or a record, as PutMessageInput allows.
 */
export function propertiesMapOf(properties: PutMessageInput['properties']): Map<string, string> {
  if (properties === undefined) return new Map();
  if (typeof properties === 'string') return decodeMessageProperties(properties);
  if (properties instanceof Map) return new Map(properties as ReadonlyMap<string, string>);
  return new Map(Object.entries(properties as Readonly<Record<string, string>>));
}

/**
 * Whether a message may wait in a system topic (delay level or timer): not a prepared or rollback transactional
 * message (a half message is delayed only once committed), as Java 4.9.8 `CommitLog` and 5.x `HookUtils` check.
 * @param sysFlag - the message's sysFlag; default 0.
 */
export function mayWaitInSystemTopic(sysFlag = 0): boolean {
  const tranType = getTransactionValue(sysFlag);
  return (
    tranType === MessageSysFlag.TRANSACTION_NOT_TYPE ||
    tranType === MessageSysFlag.TRANSACTION_COMMIT_TYPE
  );
}

/** Where {@link toSystemTopic} puts a message. */
export interface SystemTopicTarget {
  /** The system topic (`SCHEDULE_TOPIC_XXXX`, `rmq_sys_wheel_timer`). */
  topic: string;
  /** Its queue. */
  queueId: number;
}

/**
 * Rewrites a message for a system topic where it waits: its real destination goes to `REAL_TOPIC`/`REAL_QID`,
 * every other field stays. {@link restoreRealMessage} turns the stored record back into the real message.
 * @param input - the message as it would be stored.
 * @param properties - its properties with the caller's additions (`DELAY`, `TIMER_OUT_MS`); changed in place.
 * @param target - the system topic and queue.
 * @returns a new input with the properties encoded as a string.
 */
export function toSystemTopic(
  input: PutMessageInput,
  properties: Map<string, string>,
  target: SystemTopicTarget,
): PutMessageInput {
  properties.set(MessageConst.PROPERTY_REAL_TOPIC, input.topic);
  properties.set(MessageConst.PROPERTY_REAL_QUEUE_ID, String(input.queueId));
  return {
    ...input,
    topic: target.topic,
    queueId: target.queueId,
    properties: encodeMessageProperties(properties),
  };
}

/**
 * The real destination a system-topic or half message keeps in `REAL_TOPIC` / `REAL_QID`.
 * @param properties - the stored message's properties.
 * @returns undefined when either is missing, or `REAL_QID` is not a decimal queue id.
 */
export function realDestinationOf(
  properties: ReadonlyMap<string, string>,
): { topic: string; queueId: number } | undefined {
  const topic = properties.get(MessageConst.PROPERTY_REAL_TOPIC);
  const queueIdText = properties.get(MessageConst.PROPERTY_REAL_QUEUE_ID) ?? '';
  const queueId = /^\d+$/.test(queueIdText) ? Number(queueIdText) : NaN;
  if (!topic || !Number.isSafeInteger(queueId)) return undefined;
  return { topic, queueId };
}

/** What to do with one waiting message that is due: put it into its real topic, or skip it (and why). */
export type RealDelivery =
  { kind: 'put'; input: PutMessageInput } | { kind: 'skip'; reason: string };

/** Options of {@link restoreRealMessage}. */
export interface RestoreRealMessageOptions {
  /** The stored record read at `phyOffset`; undefined when it could not be read whole. */
  raw: Buffer | undefined;
  /** The system topic the record must belong to. */
  systemTopic: string;
  /** Where the consume-queue entry says the record is (the record must say the same). */
  phyOffset: number;
  /** Name of the record kind in skip reasons (`schedule`, `timer`). */
  recordKind: string;
  /** STOREHOST of the delivered message (`BrokerContext.storeHost`). */
  storeHost: () => HostAddress;
  /**
   * Changes the properties (a copy) for delivery: e.g. remove `DELAY`, or remove `REAL_TOPIC`/`REAL_QID` and add
   * `TIMER_*` times. Called once the real destination is known and valid.
   */
  editProperties: (properties: Map<string, string>, record: MessageRecord) => void;
}

/**
 * Builds the real message of a due record of a system topic (Java `messageTimeup` / `TimerMessageStore.convert`):
 * its `REAL_TOPIC`/`REAL_QID` destination with body, flag, sysFlag, born time and host, reconsume times and the
 * properties as edited. Never throws.
 * @returns a skip with its reason when the record is gone, does not decode, is not a record of `systemTopic` at
 *   `phyOffset`, lacks a valid real destination, or targets the transaction half topic (as Java).
 */
export function restoreRealMessage(options: RestoreRealMessageOptions): RealDelivery {
  const { raw, phyOffset } = options;
  if (!raw) return { kind: 'skip', reason: 'no record at this offset (removed by retention?)' };
  let record: MessageRecord;
  try {
    const decoded = decodeMessageRecord(raw);
    if (decoded.kind !== 'message') return { kind: 'skip', reason: 'not a message record' };
    record = decoded.record;
  } catch (error) {
    return { kind: 'skip', reason: `record does not decode: ${String(error)}` };
  }
  if (record.topic !== options.systemTopic || record.phyOffset !== phyOffset) {
    return {
      kind: 'skip',
      reason: `record of ${record.topic} is not a ${options.recordKind} record`,
    };
  }
  const properties = new Map(record.properties);
  const destination = realDestinationOf(properties);
  if (destination === undefined) {
    return { kind: 'skip', reason: 'no REAL_TOPIC/REAL_QID property' };
  }
  const { topic, queueId } = destination;
  if (topic === TRANS_HALF_TOPIC) {
    return { kind: 'skip', reason: `real topic is ${TRANS_HALF_TOPIC}` };
  }
  options.editProperties(properties, record);
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
      storeHost: options.storeHost(),
      reconsumeTimes: record.reconsumeTimes,
    },
  };
}
