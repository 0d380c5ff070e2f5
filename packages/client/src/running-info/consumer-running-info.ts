import {
  FastjsonDouble,
  encodeFastjson,
  expectObject,
  messageQueueEntriesToJson,
  parseJsonObject,
  readArray,
  readBoolean,
  readEnum,
  readInteger,
  readMessageQueueEntries,
  readNumber,
  readObject,
  readString,
  readStringKeyedEntries,
  subscriptionDataFromJson,
  subscriptionDataToJson,
  toStringMap,
} from '@rocketmq-ts/protocol';
import type { JsonValue, MessageQueueEntries, SubscriptionData } from '@rocketmq-ts/protocol';

/*
 * Bodies a consumer client returns to mqadmin through the broker (remoting-protocol.md §2.2), written by fastjson:
 *
 * ConsumerRunningInfo (GET_CONSUMER_RUNNING_INFO, 307; Java `common/protocol/body/ConsumerRunningInfo.java`):
 *   {"jstack":"…","mqTable":{{"brokerName":"b","queueId":0,"topic":"t"}:{ProcessQueueInfo},…},
 *    "properties":{"PROP_CONSUME_TYPE":"CONSUME_ACTIVELY",…},"statusTable":{"t":{ConsumeStatus}},
 *    "subscriptionSet":[{SubscriptionData},…]}
 * ConsumeMessageDirectlyResult (CONSUME_MESSAGE_DIRECTLY, 309; Java `ConsumeMessageDirectlyResult.java`):
 *   {"autoCommit":true,"consumeResult":"CR_SUCCESS","order":false,"remark":"…","spentTimeMills":3}
 */

/** Property keys Java's MQClientInstance and consumers put into {@link ConsumerRunningInfo.properties}. */
export const ConsumerRunningInfoProps = {
  PROP_NAMESERVER_ADDR: 'PROP_NAMESERVER_ADDR',
  PROP_THREADPOOL_CORE_SIZE: 'PROP_THREADPOOL_CORE_SIZE',
  PROP_CONSUME_ORDERLY: 'PROP_CONSUMEORDERLY',
  PROP_CONSUME_TYPE: 'PROP_CONSUME_TYPE',
  PROP_CLIENT_VERSION: 'PROP_CLIENT_VERSION',
  PROP_CONSUMER_START_TIMESTAMP: 'PROP_CONSUMER_START_TIMESTAMP',
} as const;

/** A consumer's cache and lock state for one queue (Java `ProcessQueueInfo`). Offsets are queue offsets. */
export interface ProcessQueueInfo {
  /** The offset the consumer has committed (in memory) for the queue. */
  commitOffset: number;
  /** Smallest offset among cached (pulled, not yet consumed) messages; 0 when none. */
  cachedMsgMinOffset: number;
  /** Largest offset among cached messages; 0 when none. */
  cachedMsgMaxOffset: number;
  cachedMsgCount: number;
  cachedMsgSizeInMiB: number;
  transactionMsgMinOffset: number;
  transactionMsgMaxOffset: number;
  transactionMsgCount: number;
  /** Orderly consumption: the broker lock is held. */
  locked: boolean;
  tryUnlockTimes: number;
  /** ms since the epoch. */
  lastLockTimestamp: number;
  /** The queue was taken away (Java spells it `droped`). */
  droped: boolean;
  /** ms since the epoch. */
  lastPullTimestamp: number;
  /** ms since the epoch. */
  lastConsumeTimestamp: number;
}

/** A consumer's rates for one topic (Java `ConsumeStatus`); times in ms, rates per second. */
export interface ConsumeStatus {
  pullRT: number;
  pullTPS: number;
  consumeRT: number;
  consumeOKTPS: number;
  consumeFailedTPS: number;
  /** Failed messages in the last hour. */
  consumeFailedMsgs: number;
}

/** What a consumer client reports about itself (Java `ConsumerRunningInfo`). */
export interface ConsumerRunningInfo {
  /** Its configuration and the `PROP_*` keys of {@link ConsumerRunningInfoProps}, as strings. */
  properties: Map<string, string>;
  /** One per subscribed topic. */
  subscriptionSet: SubscriptionData[];
  /** Queue → cache state, for every queue it holds. */
  mqTable: MessageQueueEntries<ProcessQueueInfo>;
  /** Topic → rates. */
  statusTable: Map<string, ConsumeStatus>;
  /** Thread dump (Java clients, when asked with jstackEnable); omitted when absent. */
  jstack?: string;
}

/** Java `CMResult`: the outcome of a CONSUME_MESSAGE_DIRECTLY call. */
export type CMResult =
  'CR_SUCCESS' | 'CR_LATER' | 'CR_ROLLBACK' | 'CR_COMMIT' | 'CR_THROW_EXCEPTION' | 'CR_RETURN_NULL';

const CM_RESULTS: readonly CMResult[] = [
  'CR_SUCCESS',
  'CR_LATER',
  'CR_ROLLBACK',
  'CR_COMMIT',
  'CR_THROW_EXCEPTION',
  'CR_RETURN_NULL',
];

/** A consumer's answer to CONSUME_MESSAGE_DIRECTLY (Java `ConsumeMessageDirectlyResult`). */
export interface ConsumeMessageDirectlyResult {
  /** The consumer is orderly. */
  order: boolean;
  autoCommit: boolean;
  /** Omitted when the consumer sent none. */
  consumeResult?: CMResult;
  /** Omitted when the consumer sent none. */
  remark?: string;
  /** Time the listener took, ms. */
  spentTimeMills: number;
}

const EMPTY_PROCESS_QUEUE_INFO: ProcessQueueInfo = {
  commitOffset: 0,
  cachedMsgMinOffset: 0,
  cachedMsgMaxOffset: 0,
  cachedMsgCount: 0,
  cachedMsgSizeInMiB: 0,
  transactionMsgMinOffset: 0,
  transactionMsgMaxOffset: 0,
  transactionMsgCount: 0,
  locked: false,
  tryUnlockTimes: 0,
  lastLockTimestamp: 0,
  droped: false,
  lastPullTimestamp: 0,
  lastConsumeTimestamp: 0,
};

function processQueueInfoFromJson(value: JsonValue, path: string): ProcessQueueInfo {
  const o = expectObject(value, path);
  const out: ProcessQueueInfo = { ...EMPTY_PROCESS_QUEUE_INFO };
  for (const key of Object.keys(out) as Array<keyof ProcessQueueInfo>) {
    if (key === 'locked' || key === 'droped') out[key] = readBoolean(o, key, path) ?? false;
    else out[key] = readInteger(o, key, path) ?? 0;
  }
  return out;
}

function consumeStatusFromJson(value: JsonValue, path: string): ConsumeStatus {
  const o = expectObject(value, path);
  return {
    pullRT: readNumber(o, 'pullRT', path) ?? 0,
    pullTPS: readNumber(o, 'pullTPS', path) ?? 0,
    consumeRT: readNumber(o, 'consumeRT', path) ?? 0,
    consumeOKTPS: readNumber(o, 'consumeOKTPS', path) ?? 0,
    consumeFailedTPS: readNumber(o, 'consumeFailedTPS', path) ?? 0,
    consumeFailedMsgs: readInteger(o, 'consumeFailedMsgs', path) ?? 0,
  };
}

/**
 * Decodes a ConsumerRunningInfo body (object-keyed `mqTable`; missing sections are empty).
 * @throws ProtocolError on malformed JSON or wrong property types.
 */
export function decodeConsumerRunningInfo(buf: Buffer | string): ConsumerRunningInfo {
  const path = 'consumerRunningInfo';
  const o = parseJsonObject(buf, path);
  const props = readObject(o, 'properties', path);
  const statusTable = new Map<string, ConsumeStatus>();
  for (const [topic, v] of readStringKeyedEntries(o, 'statusTable', path)) {
    statusTable.set(topic, consumeStatusFromJson(v, `${path}.statusTable.${topic}`));
  }
  const out: ConsumerRunningInfo = {
    properties:
      props === undefined ? new Map<string, string>() : toStringMap(props, `${path}.properties`),
    subscriptionSet: (readArray(o, 'subscriptionSet', path) ?? []).map((s, i) =>
      subscriptionDataFromJson(s, `${path}.subscriptionSet[${i}]`),
    ),
    mqTable: readMessageQueueEntries(o, 'mqTable', { path, value: processQueueInfoFromJson }),
    statusTable,
  };
  const jstack = readString(o, 'jstack', path);
  if (jstack !== undefined) out.jstack = jstack;
  return out;
}

/** Encodes a ConsumerRunningInfo body in fastjson's form (object keys, Java doubles), for Java's mqadmin. */
export function encodeConsumerRunningInfo(value: ConsumerRunningInfo): Buffer {
  return encodeFastjson({
    jstack: value.jstack,
    mqTable: messageQueueEntriesToJson(value.mqTable, (info) => ({ ...info })),
    properties: value.properties,
    statusTable: new Map(
      [...value.statusTable].map(([topic, s]) => [
        topic,
        {
          consumeFailedMsgs: s.consumeFailedMsgs,
          consumeFailedTPS: new FastjsonDouble(s.consumeFailedTPS),
          consumeOKTPS: new FastjsonDouble(s.consumeOKTPS),
          consumeRT: new FastjsonDouble(s.consumeRT),
          pullRT: new FastjsonDouble(s.pullRT),
          pullTPS: new FastjsonDouble(s.pullTPS),
        },
      ]),
    ),
    subscriptionSet: value.subscriptionSet.map(subscriptionDataToJson),
  });
}

/**
 * Decodes a ConsumeMessageDirectlyResult body.
 * @throws ProtocolError on malformed JSON, wrong property types or an unknown `consumeResult`.
 */
export function decodeConsumeMessageDirectlyResult(
  buf: Buffer | string,
): ConsumeMessageDirectlyResult {
  const path = 'consumeMessageDirectlyResult';
  const o = parseJsonObject(buf, path);
  const out: ConsumeMessageDirectlyResult = {
    order: readBoolean(o, 'order', path) ?? false,
    autoCommit: readBoolean(o, 'autoCommit', path) ?? true,
    spentTimeMills: readInteger(o, 'spentTimeMills', path) ?? 0,
  };
  const consumeResult = readEnum(o, 'consumeResult', { path, allowed: CM_RESULTS });
  if (consumeResult !== undefined) out.consumeResult = consumeResult;
  const remark = readString(o, 'remark', path);
  if (remark !== undefined) out.remark = remark;
  return out;
}

/** Encodes a ConsumeMessageDirectlyResult body. */
export function encodeConsumeMessageDirectlyResult(value: ConsumeMessageDirectlyResult): Buffer {
  return encodeFastjson({
    autoCommit: value.autoCommit,
    consumeResult: value.consumeResult,
    order: value.order,
    remark: value.remark,
    spentTimeMills: value.spentTimeMills,
  });
}
