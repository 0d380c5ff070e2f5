import type { JsonValue } from '../json/fastjson-parse.js';
import {
  expectObject,
  readArray,
  readBoolean,
  readInteger,
  readString,
  readStringArray,
  toInteger,
} from '../json/json-read.js';

/*
 * SubscriptionData (remoting-protocol.md §5.3; Java `common/protocol/heartbeat/SubscriptionData.java`):
 *   {"classFilterMode":false,"codeSet":[2598919],"expressionType":"TAG","subString":"TagA",
 *    "subVersion":1700000000000,"tagsSet":["TagA"],"topic":"TopicTest"}
 * ali-ons omits expressionType (Java's default is "TAG").
 */

/** A consumer's subscription to one topic. */
export interface SubscriptionData {
  /** Subscribed topic. */
  topic: string;
  /** Filter expression: tags joined by `||`, `*` for all, or an SQL92 expression. */
  subString: string;
  /** The tags of a TAG expression (empty for `*`). */
  tagsSet: string[];
  /** Java `String.hashCode` of each tag, in tagsSet order. */
  codeSet: number[];
  /** Subscription version, ms timestamp when it was built. */
  subVersion: number;
  /** `TAG` (default when absent) or `SQL92`. */
  expressionType: string;
  /** Class filter mode (removed in 5.x); default false. */
  classFilterMode: boolean;
  /** Filter class source (class filter mode only); omitted when undefined. */
  filterClassSource?: string;
}

/**
 * Reads a SubscriptionData from a decoded JSON value; missing lists are empty, expressionType defaults to `TAG`.
 * @throws ProtocolError on wrong property types.
 */
export function subscriptionDataFromJson(
  value: JsonValue | undefined,
  path: string,
): SubscriptionData {
  const o = expectObject(value, path);
  const out: SubscriptionData = {
    topic: readString(o, 'topic', path) ?? '',
    subString: readString(o, 'subString', path) ?? '',
    tagsSet: readStringArray(o, 'tagsSet', path),
    codeSet: (readArray(o, 'codeSet', path) ?? []).map((c, i) =>
      toInteger(c, `${path}.codeSet[${i}]`),
    ),
    subVersion: readInteger(o, 'subVersion', path) ?? 0,
    expressionType: readString(o, 'expressionType', path) ?? 'TAG',
    classFilterMode: readBoolean(o, 'classFilterMode', path) ?? false,
  };
  const filterClassSource = readString(o, 'filterClassSource', path);
  if (filterClassSource !== undefined) out.filterClassSource = filterClassSource;
  return out;
}

/** The plain object fastjson writes for a SubscriptionData. */
export function subscriptionDataToJson(s: SubscriptionData): Record<string, unknown> {
  return {
    classFilterMode: s.classFilterMode,
    codeSet: s.codeSet,
    expressionType: s.expressionType,
    filterClassSource: s.filterClassSource,
    subString: s.subString,
    subVersion: s.subVersion,
    tagsSet: s.tagsSet,
    topic: s.topic,
  };
}
