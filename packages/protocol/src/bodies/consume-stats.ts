import type { JsonValue } from '../json/fastjson-parse.js';
import { FastjsonDouble, encodeFastjson } from '../json/fastjson-write.js';
import { expectObject, parseJsonObject, readInteger, readNumber } from '../json/json-read.js';
import { messageQueueEntriesToJson, readMessageQueueEntries } from './message-queue.js';
import type { MessageQueueEntries } from './message-queue.js';

/*
 * ConsumeStats, the GET_CONSUME_STATS (208) response body (remoting-protocol.md §5.8; Java
 * `common/admin/ConsumeStats.java`, `OffsetWrapper.java`). Object keys (§5.0) and a Java double:
 *   {"consumeTps":0.0,"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"TopicTest"}:
 *     {"brokerOffset":42,"consumerOffset":40,"lastTimestamp":1700000000000},…}}
 */

/** A group's progress on one queue. */
export interface OffsetWrapper {
  /** The queue's max offset on the broker. */
  brokerOffset: number;
  /** The group's committed offset (negative written as 0 by the broker). */
  consumerOffset: number;
  /** Store time of the message at consumerOffset − 1, ms since the epoch. */
  lastTimestamp: number;
  /** 5.x only: pull offset; omitted when undefined. */
  pullOffset?: number;
}

/** A consumer group's progress on every queue of its topics on one broker. */
export interface ConsumeStats {
  /** Queue → progress, in output order. */
  offsetTable: MessageQueueEntries<OffsetWrapper>;
  /** Messages per second consumed by the group (Java double, written as `0.0` style). */
  consumeTps: number;
}

function offsetWrapperFromJson(value: JsonValue, path: string): OffsetWrapper {
  const o = expectObject(value, path);
  const out: OffsetWrapper = {
    brokerOffset: readInteger(o, 'brokerOffset', path) ?? 0,
    consumerOffset: readInteger(o, 'consumerOffset', path) ?? 0,
    lastTimestamp: readInteger(o, 'lastTimestamp', path) ?? 0,
  };
  const pullOffset = readInteger(o, 'pullOffset', path);
  if (pullOffset !== undefined) out.pullOffset = pullOffset;
  return out;
}

/** Encodes a ConsumeStats body in fastjson's form: object keys, `consumeTps` as a Java double. */
export function encodeConsumeStats(value: ConsumeStats): Buffer {
  return encodeFastjson({
    consumeTps: new FastjsonDouble(value.consumeTps),
    offsetTable: messageQueueEntriesToJson(value.offsetTable, (w) => ({
      brokerOffset: w.brokerOffset,
      consumerOffset: w.consumerOffset,
      lastTimestamp: w.lastTimestamp,
      pullOffset: w.pullOffset,
    })),
  });
}

/**
 * Decodes a ConsumeStats body (object keys; `{}` = empty; missing consumeTps = 0).
 * @throws ProtocolError on malformed JSON, a key that is not a MessageQueue, or wrong property types.
 */
export function decodeConsumeStats(buf: Buffer | string): ConsumeStats {
  const path = 'consumeStats';
  const o = parseJsonObject(buf, path);
  return {
    offsetTable: readMessageQueueEntries(o, 'offsetTable', { path, value: offsetWrapperFromJson }),
    consumeTps: readNumber(o, 'consumeTps', path) ?? 0,
  };
}
