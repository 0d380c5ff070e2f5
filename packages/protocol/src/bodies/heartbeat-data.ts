import type { JsonValue } from '../json/fastjson-parse.js';
import { encodeFastjson } from '../json/fastjson-write.js';
import {
  expectObject,
  parseJsonObject,
  readArray,
  readBoolean,
  readEnum,
  readInteger,
  readString,
} from '../json/json-read.js';
import { subscriptionDataFromJson, subscriptionDataToJson } from './subscription-data.js';
import type { SubscriptionData } from './subscription-data.js';

/*
 * HeartbeatData, the HEART_BEAT (34) request body (remoting-protocol.md §5.3, §8.6; Java
 * `common/protocol/heartbeat/HeartbeatData.java`, `ProducerData.java`, `ConsumerData.java`):
 *   {"clientID":"10.0.0.5@12345",
 *    "consumerDataSet":[{"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","consumeType":"CONSUME_PASSIVELY",
 *      "groupName":"cg","messageModel":"CLUSTERING","subscriptionDataSet":[…],"unitMode":false}],
 *    "producerDataSet":[{"groupName":"pg"},{"groupName":"CLIENT_INNER_PRODUCER"}]}
 */

/** Pull (`CONSUME_ACTIVELY`), push (`CONSUME_PASSIVELY`) or 5.x pop (`CONSUME_POP`). */
export type ConsumeType = 'CONSUME_ACTIVELY' | 'CONSUME_PASSIVELY' | 'CONSUME_POP';
/** Every queue to one member (`CLUSTERING`) or every queue to every member (`BROADCASTING`). */
export type MessageModel = 'BROADCASTING' | 'CLUSTERING';
/** Where a group with no committed offset starts (deprecated values included, as clients may still send them). */
export type ConsumeFromWhere =
  | 'CONSUME_FROM_LAST_OFFSET'
  | 'CONSUME_FROM_FIRST_OFFSET'
  | 'CONSUME_FROM_TIMESTAMP'
  | 'CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST'
  | 'CONSUME_FROM_MIN_OFFSET'
  | 'CONSUME_FROM_MAX_OFFSET';

/** Every ConsumeType name. */
export const CONSUME_TYPES: readonly ConsumeType[] = [
  'CONSUME_ACTIVELY',
  'CONSUME_PASSIVELY',
  'CONSUME_POP',
];
/** Every MessageModel name. */
export const MESSAGE_MODELS: readonly MessageModel[] = ['BROADCASTING', 'CLUSTERING'];
/** Every ConsumeFromWhere name. */
export const CONSUME_FROM_WHERES: readonly ConsumeFromWhere[] = [
  'CONSUME_FROM_LAST_OFFSET',
  'CONSUME_FROM_FIRST_OFFSET',
  'CONSUME_FROM_TIMESTAMP',
  'CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST',
  'CONSUME_FROM_MIN_OFFSET',
  'CONSUME_FROM_MAX_OFFSET',
];

/** A producer group the client belongs to. */
export interface ProducerData {
  /** Producer group name. */
  groupName: string;
}

/** A consumer group the client belongs to, with its settings and subscriptions. */
export interface ConsumerData {
  /** Consumer group name. */
  groupName: string;
  /** Default `CONSUME_PASSIVELY` when absent. */
  consumeType: ConsumeType;
  /** Default `CLUSTERING` when absent. */
  messageModel: MessageModel;
  /** Default `CONSUME_FROM_LAST_OFFSET` when absent. */
  consumeFromWhere: ConsumeFromWhere;
  /** One per subscribed topic (including `%RETRY%<group>` for clustering push consumers). */
  subscriptionDataSet: SubscriptionData[];
  /** Unit mode; default false. */
  unitMode: boolean;
}

/** A client's heartbeat: its id and every producer/consumer group it runs. */
export interface HeartbeatData {
  /** Client id, e.g. `10.0.0.5@12345`. */
  clientID: string;
  /** Producer groups. */
  producerDataSet: ProducerData[];
  /** Consumer groups. */
  consumerDataSet: ConsumerData[];
  /** 5.x heartbeat v2 fingerprint; omitted when undefined. */
  heartbeatFingerprint?: number;
  /** 5.x heartbeat v2: subscriptions left out because unchanged; omitted when undefined. */
  withoutSub?: boolean;
}

/**
 * Reads a ConsumerData (enum defaults as documented on {@link ConsumerData}).
 * @throws ProtocolError on wrong property types or unknown enum names.
 */
export function consumerDataFromJson(value: JsonValue | undefined, path: string): ConsumerData {
  const o = expectObject(value, path);
  return {
    groupName: readString(o, 'groupName', path) ?? '',
    consumeType:
      readEnum(o, 'consumeType', { path, allowed: CONSUME_TYPES }) ?? 'CONSUME_PASSIVELY',
    messageModel: readEnum(o, 'messageModel', { path, allowed: MESSAGE_MODELS }) ?? 'CLUSTERING',
    consumeFromWhere:
      readEnum(o, 'consumeFromWhere', { path, allowed: CONSUME_FROM_WHERES }) ??
      'CONSUME_FROM_LAST_OFFSET',
    subscriptionDataSet: (readArray(o, 'subscriptionDataSet', path) ?? []).map((s, i) =>
      subscriptionDataFromJson(s, `${path}.subscriptionDataSet[${i}]`),
    ),
    unitMode: readBoolean(o, 'unitMode', path) ?? false,
  };
}

/** The plain object fastjson writes for a ConsumerData. */
export function consumerDataToJson(c: ConsumerData): Record<string, unknown> {
  return {
    consumeFromWhere: c.consumeFromWhere,
    consumeType: c.consumeType,
    groupName: c.groupName,
    messageModel: c.messageModel,
    subscriptionDataSet: c.subscriptionDataSet.map(subscriptionDataToJson),
    unitMode: c.unitMode,
  };
}

/** Encodes a HeartbeatData body. */
export function encodeHeartbeatData(value: HeartbeatData): Buffer {
  return encodeFastjson({
    clientID: value.clientID,
    consumerDataSet: value.consumerDataSet.map(consumerDataToJson),
    heartbeatFingerprint: value.heartbeatFingerprint,
    producerDataSet: value.producerDataSet.map((p) => ({ groupName: p.groupName })),
    withoutSub: value.withoutSub,
  });
}

/**
 * Decodes a HeartbeatData body (Java or ali-ons); missing sets are empty.
 * @throws ProtocolError on malformed JSON, wrong property types or unknown enum names.
 */
export function decodeHeartbeatData(buf: Buffer | string): HeartbeatData {
  const path = 'heartbeatData';
  const o = parseJsonObject(buf, path);
  const out: HeartbeatData = {
    clientID: readString(o, 'clientID', path) ?? '',
    producerDataSet: (readArray(o, 'producerDataSet', path) ?? []).map((p, i) => {
      const po = expectObject(p, `${path}.producerDataSet[${i}]`);
      return { groupName: readString(po, 'groupName', `${path}.producerDataSet[${i}]`) ?? '' };
    }),
    consumerDataSet: (readArray(o, 'consumerDataSet', path) ?? []).map((c, i) =>
      consumerDataFromJson(c, `${path}.consumerDataSet[${i}]`),
    ),
  };
  const fingerprint = readInteger(o, 'heartbeatFingerprint', path);
  if (fingerprint !== undefined) out.heartbeatFingerprint = fingerprint;
  const withoutSub = readBoolean(o, 'withoutSub', path);
  if (withoutSub !== undefined) out.withoutSub = withoutSub;
  return out;
}
