import type { JsonObject, JsonValue } from '../json/fastjson-parse.js';
import { encodeFastjson } from '../json/fastjson-write.js';
import {
  expectObject,
  parseJsonObject,
  readArray,
  readBoolean,
  readInteger,
  readObject,
  readString,
  readStringKeyedEntries,
  toStringMap,
} from '../json/json-read.js';
import { dataVersionFromJson, dataVersionToJson } from './data-version.js';
import type { DataVersion } from './data-version.js';

/*
 * SubscriptionGroupConfig and its wrapper (remoting-protocol.md §5.9; Java
 * `common/subscription/SubscriptionGroupConfig.java`, `broker/subscription/SubscriptionGroupManager`):
 *   UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200) body: one SubscriptionGroupConfig
 *   GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201) response and `subscriptionGroup.json`:
 *     {"dataVersion":{…},"subscriptionGroupTable":{"<group>":{…}}}      5.x also "forbiddenTable"
 * 5.x-only properties are optional here and written only when set, so 4.x output stays 4.x-shaped.
 */

/** A consumer group's broker-side settings. */
export interface SubscriptionGroupConfig {
  /** Group name. */
  groupName: string;
  /** Default true; false refuses pulls. */
  consumeEnable: boolean;
  /** Default true. */
  consumeFromMinEnable: boolean;
  /** Default true. */
  consumeBroadcastEnable: boolean;
  /** Queues of `%RETRY%<group>`; default 1. */
  retryQueueNums: number;
  /** Redeliveries before the DLQ; default 16. */
  retryMaxTimes: number;
  /** Broker id to read from; default 0 (master). */
  brokerId: number;
  /** Broker id suggested when consumption is slow; default 1. */
  whichBrokerWhenConsumeSlowly: number;
  /** Send NOTIFY_CONSUMER_IDS_CHANGED on membership changes; default true. */
  notifyConsumerIdsChangedEnable: boolean;
  /** 5.x: default false; omitted when undefined. */
  consumeMessageOrderly?: boolean;
  /** 5.x: retry policy JSON, kept as parsed; omitted when undefined. */
  groupRetryPolicy?: JsonObject;
  /** 5.x: default 0; omitted when undefined. */
  groupSysFlag?: number;
  /** 5.x: default 15; omitted when undefined. */
  consumeTimeoutMinute?: number;
  /** 5.x: SimpleSubscriptionData list, kept as parsed; omitted when undefined. */
  subscriptionDataSet?: JsonValue[];
  /** 5.x: attributes; omitted when undefined. */
  attributes?: Map<string, string>;
}

/** Java's 4.x SubscriptionGroupConfig defaults, applied to properties missing on decode. */
export const SUBSCRIPTION_GROUP_CONFIG_DEFAULTS = {
  consumeEnable: true,
  consumeFromMinEnable: true,
  consumeBroadcastEnable: true,
  retryQueueNums: 1,
  retryMaxTimes: 16,
  brokerId: 0,
  whichBrokerWhenConsumeSlowly: 1,
  notifyConsumerIdsChangedEnable: true,
} as const satisfies Partial<SubscriptionGroupConfig>;

/** All subscription groups of a broker with their version. */
export interface SubscriptionGroupWrapper {
  /** Version of the table. */
  dataVersion: DataVersion;
  /** Group name → config. */
  subscriptionGroupTable: Map<string, SubscriptionGroupConfig>;
  /** 5.x: group → topic → forbidden bits, kept as parsed; omitted when undefined. */
  forbiddenTable?: JsonObject;
}

/**
 * Reads a SubscriptionGroupConfig with Java defaults for missing properties; `groupName` falls back to
 * `fallbackName` (the table key).
 * @throws ProtocolError on wrong property types.
 */
export function subscriptionGroupConfigFromJson(
  value: JsonValue | undefined,
  path: string,
  fallbackName = '',
): SubscriptionGroupConfig {
  const o = expectObject(value, path);
  const d = SUBSCRIPTION_GROUP_CONFIG_DEFAULTS;
  const out: SubscriptionGroupConfig = {
    groupName: readString(o, 'groupName', path) ?? fallbackName,
    consumeEnable: readBoolean(o, 'consumeEnable', path) ?? d.consumeEnable,
    consumeFromMinEnable: readBoolean(o, 'consumeFromMinEnable', path) ?? d.consumeFromMinEnable,
    consumeBroadcastEnable:
      readBoolean(o, 'consumeBroadcastEnable', path) ?? d.consumeBroadcastEnable,
    retryQueueNums: readInteger(o, 'retryQueueNums', path) ?? d.retryQueueNums,
    retryMaxTimes: readInteger(o, 'retryMaxTimes', path) ?? d.retryMaxTimes,
    brokerId: readInteger(o, 'brokerId', path) ?? d.brokerId,
    whichBrokerWhenConsumeSlowly:
      readInteger(o, 'whichBrokerWhenConsumeSlowly', path) ?? d.whichBrokerWhenConsumeSlowly,
    notifyConsumerIdsChangedEnable:
      readBoolean(o, 'notifyConsumerIdsChangedEnable', path) ?? d.notifyConsumerIdsChangedEnable,
  };
  const orderly = readBoolean(o, 'consumeMessageOrderly', path);
  if (orderly !== undefined) out.consumeMessageOrderly = orderly;
  const policy = readObject(o, 'groupRetryPolicy', path);
  if (policy !== undefined) out.groupRetryPolicy = policy;
  const sysFlag = readInteger(o, 'groupSysFlag', path);
  if (sysFlag !== undefined) out.groupSysFlag = sysFlag;
  const timeout = readInteger(o, 'consumeTimeoutMinute', path);
  if (timeout !== undefined) out.consumeTimeoutMinute = timeout;
  const subs = readArray(o, 'subscriptionDataSet', path);
  if (subs !== undefined) out.subscriptionDataSet = subs;
  const attributes = readObject(o, 'attributes', path);
  if (attributes !== undefined) out.attributes = toStringMap(attributes, `${path}.attributes`);
  return out;
}

/** The plain object fastjson writes for a SubscriptionGroupConfig (undefined 5.x properties omitted). */
export function subscriptionGroupConfigToJson(c: SubscriptionGroupConfig): Record<string, unknown> {
  return {
    attributes: c.attributes,
    brokerId: c.brokerId,
    consumeBroadcastEnable: c.consumeBroadcastEnable,
    consumeEnable: c.consumeEnable,
    consumeFromMinEnable: c.consumeFromMinEnable,
    consumeMessageOrderly: c.consumeMessageOrderly,
    consumeTimeoutMinute: c.consumeTimeoutMinute,
    groupName: c.groupName,
    groupRetryPolicy: c.groupRetryPolicy,
    groupSysFlag: c.groupSysFlag,
    notifyConsumerIdsChangedEnable: c.notifyConsumerIdsChangedEnable,
    retryMaxTimes: c.retryMaxTimes,
    retryQueueNums: c.retryQueueNums,
    subscriptionDataSet: c.subscriptionDataSet,
    whichBrokerWhenConsumeSlowly: c.whichBrokerWhenConsumeSlowly,
  };
}

/** Encodes a SubscriptionGroupConfig body (UPDATE_AND_CREATE_SUBSCRIPTIONGROUP). */
export function encodeSubscriptionGroupConfig(value: SubscriptionGroupConfig): Buffer {
  return encodeFastjson(subscriptionGroupConfigToJson(value));
}

/**
 * Decodes a SubscriptionGroupConfig body (missing properties get Java defaults).
 * @throws ProtocolError on malformed JSON or wrong property types.
 */
export function decodeSubscriptionGroupConfig(buf: Buffer | string): SubscriptionGroupConfig {
  return subscriptionGroupConfigFromJson(
    parseJsonObject(buf, 'subscriptionGroupConfig'),
    'subscriptionGroupConfig',
  );
}

/** Encodes a SubscriptionGroupWrapper (GET_ALL_SUBSCRIPTIONGROUP_CONFIG response, `subscriptionGroup.json`). */
export function encodeSubscriptionGroupWrapper(value: SubscriptionGroupWrapper): Buffer {
  return encodeFastjson({
    dataVersion: dataVersionToJson(value.dataVersion),
    forbiddenTable: value.forbiddenTable,
    subscriptionGroupTable: new Map(
      [...value.subscriptionGroupTable].map(([g, c]) => [g, subscriptionGroupConfigToJson(c)]),
    ),
  });
}

/**
 * Decodes a SubscriptionGroupWrapper body or `subscriptionGroup.json` content (missing table = empty).
 * @throws ProtocolError on malformed JSON or wrong property types.
 */
export function decodeSubscriptionGroupWrapper(buf: Buffer | string): SubscriptionGroupWrapper {
  const path = 'subscriptionGroupWrapper';
  const o = parseJsonObject(buf, path);
  const table = new Map<string, SubscriptionGroupConfig>();
  for (const [group, v] of readStringKeyedEntries(o, 'subscriptionGroupTable', path)) {
    table.set(
      group,
      subscriptionGroupConfigFromJson(v, `${path}.subscriptionGroupTable.${group}`, group),
    );
  }
  const dv = readObject(o, 'dataVersion', path);
  const out: SubscriptionGroupWrapper = {
    dataVersion:
      dv === undefined
        ? { counter: 0, timestamp: 0 }
        : dataVersionFromJson(dv, `${path}.dataVersion`),
    subscriptionGroupTable: table,
  };
  const forbidden = readObject(o, 'forbiddenTable', path);
  if (forbidden !== undefined) out.forbiddenTable = forbidden;
  return out;
}
