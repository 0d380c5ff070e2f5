import type { JsonValue } from '../json/fastjson-parse.js';
import { encodeFastjson } from '../json/fastjson-write.js';
import {
  expectObject,
  parseJsonObject,
  readArray,
  readEnum,
  readInteger,
  readString,
  readStringKeyedEntries,
} from '../json/json-read.js';
import { CONSUME_FROM_WHERES, CONSUME_TYPES, MESSAGE_MODELS } from './heartbeat-data.js';
import type { ConsumeFromWhere, ConsumeType, MessageModel } from './heartbeat-data.js';
import { subscriptionDataFromJson, subscriptionDataToJson } from './subscription-data.js';
import type { SubscriptionData } from './subscription-data.js';

/*
 * ConsumerConnection / ProducerConnection, the GET_CONSUMER_CONNECTION_LIST (203) and
 * GET_PRODUCER_CONNECTION_LIST (204) response bodies (remoting-protocol.md §5.7; Java
 * `common/protocol/body/Connection.java`, `ConsumerConnection.java`, `ProducerConnection.java`):
 *   {"connectionSet":[{"clientAddr":"10.0.0.5:53122","clientId":"10.0.0.5@12345","language":"JAVA","version":409}],
 *    "consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","consumeType":"CONSUME_PASSIVELY","messageModel":"CLUSTERING",
 *    "subscriptionTable":{"TopicTest":{…SubscriptionData…}}}
 */

/** One client connection of a group. */
export interface Connection {
  /** Client id from the heartbeat. */
  clientId: string;
  /** Remote `ip:port` of the connection. */
  clientAddr: string;
  /** LanguageCode name from the client's frame header, e.g. `JAVA`, `NODE_JS`. */
  language: string;
  /** Client version number from the frame header. */
  version: number;
}

/** The live members of a consumer group and the group's settings. */
export interface ConsumerConnection {
  /** One per live client. */
  connectionSet: Connection[];
  /** Topic → subscription. */
  subscriptionTable: Map<string, SubscriptionData>;
  /** Omitted when undefined (Java null). */
  consumeType?: ConsumeType;
  /** Omitted when undefined (Java null). */
  messageModel?: MessageModel;
  /** Omitted when undefined (Java null). */
  consumeFromWhere?: ConsumeFromWhere;
}

/** The live members of a producer group. */
export interface ProducerConnection {
  /** One per live client. */
  connectionSet: Connection[];
}

function connectionFromJson(value: JsonValue, path: string): Connection {
  const o = expectObject(value, path);
  return {
    clientId: readString(o, 'clientId', path) ?? '',
    clientAddr: readString(o, 'clientAddr', path) ?? '',
    language: readString(o, 'language', path) ?? '',
    version: readInteger(o, 'version', path) ?? 0,
  };
}

function connectionSetToJson(set: Connection[]): Record<string, unknown>[] {
  return set.map((c) => ({
    clientAddr: c.clientAddr,
    clientId: c.clientId,
    language: c.language,
    version: c.version,
  }));
}

function connectionSetFromJson(value: JsonValue[] | undefined, path: string): Connection[] {
  return (value ?? []).map((c, i) => connectionFromJson(c, `${path}.connectionSet[${i}]`));
}

/** Encodes a ConsumerConnection body. */
export function encodeConsumerConnection(value: ConsumerConnection): Buffer {
  return encodeFastjson({
    connectionSet: connectionSetToJson(value.connectionSet),
    consumeFromWhere: value.consumeFromWhere,
    consumeType: value.consumeType,
    messageModel: value.messageModel,
    subscriptionTable: new Map(
      [...value.subscriptionTable].map(([t, s]) => [t, subscriptionDataToJson(s)]),
    ),
  });
}

/**
 * Decodes a ConsumerConnection body.
 * @throws ProtocolError on malformed JSON, wrong property types or unknown enum names.
 */
export function decodeConsumerConnection(buf: Buffer | string): ConsumerConnection {
  const path = 'consumerConnection';
  const o = parseJsonObject(buf, path);
  const subscriptionTable = new Map<string, SubscriptionData>();
  for (const [topic, s] of readStringKeyedEntries(o, 'subscriptionTable', path)) {
    subscriptionTable.set(topic, subscriptionDataFromJson(s, `${path}.subscriptionTable.${topic}`));
  }
  const out: ConsumerConnection = {
    connectionSet: connectionSetFromJson(readArray(o, 'connectionSet', path), path),
    subscriptionTable,
  };
  const consumeType = readEnum(o, 'consumeType', { path, allowed: CONSUME_TYPES });
  if (consumeType !== undefined) out.consumeType = consumeType;
  const messageModel = readEnum(o, 'messageModel', { path, allowed: MESSAGE_MODELS });
  if (messageModel !== undefined) out.messageModel = messageModel;
  const from = readEnum(o, 'consumeFromWhere', { path, allowed: CONSUME_FROM_WHERES });
  if (from !== undefined) out.consumeFromWhere = from;
  return out;
}

/** Encodes a ProducerConnection body. */
export function encodeProducerConnection(value: ProducerConnection): Buffer {
  return encodeFastjson({ connectionSet: connectionSetToJson(value.connectionSet) });
}

/**
 * Decodes a ProducerConnection body.
 * @throws ProtocolError on malformed JSON or wrong property types.
 */
export function decodeProducerConnection(buf: Buffer | string): ProducerConnection {
  const path = 'producerConnection';
  const o = parseJsonObject(buf, path);
  return { connectionSet: connectionSetFromJson(readArray(o, 'connectionSet', path), path) };
}
