import { ObjectKeyMap } from '../json/fastjson-parse.js';
import type { JsonObject, JsonValue } from '../json/fastjson-parse.js';
import {
  expectObject,
  readObjectKeyedEntries,
  requireString,
  readInteger,
} from '../json/json-read.js';
import { ProtocolError } from '../errors.js';

/**
 * One queue of a topic on one broker set (Java `org.apache.rocketmq.common.message.MessageQueue`). fastjson writes it
 * with properties in alphabetical order: `{"brokerName":"b","queueId":0,"topic":"t"}`.
 */
export interface MessageQueue {
  /** Topic name. */
  topic: string;
  /** Broker set name (`brokerName`). */
  brokerName: string;
  /** Queue index within the topic on that broker set, from 0. */
  queueId: number;
}

/**
 * A `Map<MessageQueue, T>` as ordered entries. Encoded in fastjson's object-key form
 * `{{"brokerName":…,"queueId":…,"topic":…}:T,…}` (remoting-protocol.md §5.0).
 */
export type MessageQueueEntries<T> = Array<[MessageQueue, T]>;

/**
 * A stable, unambiguous string for a queue, usable as a `Map` key: the JSON array `["topic","brokerName",queueId]`.
 */
export function messageQueueKey(mq: MessageQueue): string {
  return JSON.stringify([mq.topic, mq.brokerName, mq.queueId]);
}

/**
 * Orders queues as Java's `MessageQueue.compareTo` does: by topic, then brokerName, then queueId (the order rebalance
 * strategies sort by). Strings compare by UTF-16 code unit like `String.compareTo`.
 * @returns negative, zero or positive.
 */
export function compareMessageQueue(a: MessageQueue, b: MessageQueue): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.brokerName !== b.brokerName) return a.brokerName < b.brokerName ? -1 : 1;
  return a.queueId - b.queueId;
}

/**
 * Reads a MessageQueue from a decoded JSON object (unknown properties ignored).
 * @throws ProtocolError when topic, brokerName or queueId is missing or of the wrong type.
 */
export function messageQueueFromJson(value: JsonValue | undefined, path: string): MessageQueue {
  const o = expectObject(value, path);
  const queueId = readInteger(o, 'queueId', path);
  if (queueId === undefined) throw new ProtocolError(`${path}.queueId: missing`);
  return {
    topic: requireString(o, 'topic', path),
    brokerName: requireString(o, 'brokerName', path),
    queueId,
  };
}

/** The plain object fastjson writes for a queue (only the three wire properties, whatever else `mq` carries). */
export function messageQueueToJson(mq: MessageQueue): {
  brokerName: string;
  queueId: number;
  topic: string;
} {
  return { brokerName: mq.brokerName, queueId: mq.queueId, topic: mq.topic };
}

/**
 * Reads a fastjson `Map<MessageQueue, T>` property (object-key form; `{}` or absent = empty).
 * @throws ProtocolError when the property is not an object-keyed map or a key is not a MessageQueue.
 */
export function readMessageQueueEntries<T>(
  obj: JsonObject,
  key: string,
  spec: { path: string; value: (value: JsonValue, path: string) => T },
): MessageQueueEntries<T> {
  return readObjectKeyedEntries(obj, key, spec.path).map(([k, v], i) => {
    const p = `${spec.path}.${key}[${i}]`;
    return [messageQueueFromJson(k, `${p}.key`), spec.value(v, `${p}.value`)];
  });
}

/** Builds the writer input for a `Map<MessageQueue, T>` in fastjson's object-key form. */
export function messageQueueEntriesToJson<T, TOut>(
  entries: MessageQueueEntries<T>,
  value: (v: T) => TOut,
): ObjectKeyMap<object, TOut> {
  return new ObjectKeyMap(entries.map(([mq, v]) => [messageQueueToJson(mq), value(v)] as const));
}
