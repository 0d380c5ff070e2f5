import type { JsonValue } from '../json/fastjson-parse.js';
import { encodeFastjson } from '../json/fastjson-write.js';
import { expectObject, parseJsonObject, readInteger } from '../json/json-read.js';

/*
 * DataVersion (remoting-protocol.md §5.2; Java `org.apache.rocketmq.common.DataVersion`):
 *   {"counter":5,"timestamp":1700000000000}        5.x adds "stateVersion":0
 * counter: AtomicLong, bumped on every topic/group config change; timestamp: ms since epoch of the last bump.
 */

/** Version stamp of a broker's topic or subscription-group table. */
export interface DataVersion {
  /** Change counter (Java AtomicLong), starts at 0. */
  counter: number;
  /** Time of the last change, ms since the epoch. */
  timestamp: number;
  /** 5.x only: controller state version; omitted when undefined. */
  stateVersion?: number;
}

/**
 * Reads a DataVersion from a decoded JSON value; missing numbers default to 0.
 * @throws ProtocolError when it is not an object or a property has the wrong type.
 */
export function dataVersionFromJson(value: JsonValue | undefined, path: string): DataVersion {
  const o = expectObject(value, path);
  const out: DataVersion = {
    counter: readInteger(o, 'counter', path) ?? 0,
    timestamp: readInteger(o, 'timestamp', path) ?? 0,
  };
  const stateVersion = readInteger(o, 'stateVersion', path);
  if (stateVersion !== undefined) out.stateVersion = stateVersion;
  return out;
}

/** The plain object fastjson writes for a DataVersion. */
export function dataVersionToJson(v: DataVersion): Record<string, number | undefined> {
  return { counter: v.counter, stateVersion: v.stateVersion, timestamp: v.timestamp };
}

/** Encodes a DataVersion body: `{"counter":…,"timestamp":…}`. */
export function encodeDataVersion(value: DataVersion): Buffer {
  return encodeFastjson(dataVersionToJson(value));
}

/**
 * Decodes a DataVersion body.
 * @throws ProtocolError on malformed JSON or wrong property types.
 */
export function decodeDataVersion(buf: Buffer | string): DataVersion {
  return dataVersionFromJson(parseJsonObject(buf, 'dataVersion'), 'dataVersion');
}
