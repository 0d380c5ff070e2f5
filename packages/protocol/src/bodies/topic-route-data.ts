import { ProtocolError } from '../errors.js';
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
  toStringArray,
  toStringValue,
} from '../json/json-read.js';

/*
 * TopicRouteData, the GET_ROUTEINFO_BY_TOPIC (105) response body (remoting-protocol.md §5.1; Java
 * `common/protocol/route/TopicRouteData.java`, `QueueData.java`, `BrokerData.java`):
 *   {"brokerDatas":[{"brokerAddrs":{"0":"10.0.0.1:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}],
 *    "filterServerTable":{},
 *    "queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4}]}
 * brokerAddrs keys are broker ids: Java writes them unquoted ({0:"…"}) unless asked for standard JSON; both are read,
 * quoted keys are written. Older 4.x spells topicSysFlag "topicSynFlag"; both are read.
 */

/** One broker set hosting the topic, with its queue counts. */
export interface QueueData {
  /** Broker set name. */
  brokerName: string;
  /** Readable queues. */
  readQueueNums: number;
  /** Writable queues. */
  writeQueueNums: number;
  /** Permission bits (§7.2): readable when `perm & 4`, writable when `perm & 2`. */
  perm: number;
  /** Topic system flag; default 0. */
  topicSysFlag: number;
}

/** One broker set: its cluster, name and addresses by broker id. */
export interface BrokerData {
  /** Cluster name. */
  cluster: string;
  /** Broker set name. */
  brokerName: string;
  /** Broker id → `ip:port`; id 0 is the master, ids > 0 are slaves. */
  brokerAddrs: Map<number, string>;
  /** 5.x only: zone name; omitted when undefined. */
  zoneName?: string;
  /** 5.x only: acting master enabled; omitted when undefined. */
  enableActingMaster?: boolean;
}

/** A topic's route: where its queues are and how to reach the brokers. */
export interface TopicRouteData {
  /** `brokerName:queueCount;…` from KV namespace ORDER_TOPIC_CONFIG; omitted when undefined. */
  orderTopicConf?: string;
  /** One entry per broker set hosting the topic. */
  queueDatas: QueueData[];
  /** The broker sets. */
  brokerDatas: BrokerData[];
  /** Broker address → filter server addresses; normally empty. */
  filterServerTable: Map<string, string[]>;
  /** 5.x static topics: brokerName → TopicQueueMappingInfo JSON, kept as parsed; omitted when undefined. */
  topicQueueMappingByBroker?: Map<string, JsonObject>;
}

/**
 * Reads a QueueData (accepts the old `topicSynFlag` spelling).
 * @throws ProtocolError on wrong property types.
 */
export function queueDataFromJson(value: JsonValue | undefined, path: string): QueueData {
  const o = expectObject(value, path);
  return {
    brokerName: readString(o, 'brokerName', path) ?? '',
    readQueueNums: readInteger(o, 'readQueueNums', path) ?? 0,
    writeQueueNums: readInteger(o, 'writeQueueNums', path) ?? 0,
    perm: readInteger(o, 'perm', path) ?? 0,
    topicSysFlag: readInteger(o, 'topicSysFlag', path) ?? readInteger(o, 'topicSynFlag', path) ?? 0,
  };
}

const BROKER_ID_RE = /^-?\d{1,16}$/;

/**
 * Reads a BrokerData; brokerAddrs keys (quoted or not) become numbers.
 * @throws ProtocolError on wrong property types or a broker id key that is not an integer.
 */
export function brokerDataFromJson(value: JsonValue | undefined, path: string): BrokerData {
  const o = expectObject(value, path);
  const brokerAddrs = new Map<number, string>();
  for (const [k, v] of readStringKeyedEntries(o, 'brokerAddrs', path)) {
    if (!BROKER_ID_RE.test(k)) {
      throw new ProtocolError(
        `${path}.brokerAddrs: broker id ${JSON.stringify(k)} is not an integer`,
      );
    }
    if (v !== null) brokerAddrs.set(Number(k), toStringValue(v, `${path}.brokerAddrs.${k}`));
  }
  const out: BrokerData = {
    cluster: readString(o, 'cluster', path) ?? '',
    brokerName: readString(o, 'brokerName', path) ?? '',
    brokerAddrs,
  };
  const zoneName = readString(o, 'zoneName', path);
  if (zoneName !== undefined) out.zoneName = zoneName;
  const acting = readBoolean(o, 'enableActingMaster', path);
  if (acting !== undefined) out.enableActingMaster = acting;
  return out;
}

/** The plain object fastjson writes for a BrokerData (ids written as quoted keys). */
export function brokerDataToJson(b: BrokerData): Record<string, unknown> {
  return {
    brokerAddrs: b.brokerAddrs,
    brokerName: b.brokerName,
    cluster: b.cluster,
    enableActingMaster: b.enableActingMaster,
    zoneName: b.zoneName,
  };
}

/**
 * Reads a TopicRouteData from a decoded JSON value.
 * @throws ProtocolError on wrong property types.
 */
export function topicRouteDataFromJson(value: JsonValue | undefined, path: string): TopicRouteData {
  const o = expectObject(value, path);
  const filterServerTable = new Map<string, string[]>();
  for (const [addr, list] of readStringKeyedEntries(o, 'filterServerTable', path)) {
    filterServerTable.set(addr, toStringArray(list, `${path}.filterServerTable.${addr}`));
  }
  const out: TopicRouteData = {
    queueDatas: (readArray(o, 'queueDatas', path) ?? []).map((q, i) =>
      queueDataFromJson(q, `${path}.queueDatas[${i}]`),
    ),
    brokerDatas: (readArray(o, 'brokerDatas', path) ?? []).map((b, i) =>
      brokerDataFromJson(b, `${path}.brokerDatas[${i}]`),
    ),
    filterServerTable,
  };
  const orderTopicConf = readString(o, 'orderTopicConf', path);
  if (orderTopicConf !== undefined) out.orderTopicConf = orderTopicConf;
  if (readObject(o, 'topicQueueMappingByBroker', path) !== undefined) {
    out.topicQueueMappingByBroker = new Map(
      readStringKeyedEntries(o, 'topicQueueMappingByBroker', path).map(([k, v]) => [
        k,
        expectObject(v, `${path}.topicQueueMappingByBroker.${k}`),
      ]),
    );
  }
  return out;
}

/** The plain object fastjson writes for a TopicRouteData. */
export function topicRouteDataToJson(r: TopicRouteData): Record<string, unknown> {
  return {
    brokerDatas: r.brokerDatas.map(brokerDataToJson),
    filterServerTable: r.filterServerTable,
    orderTopicConf: r.orderTopicConf,
    queueDatas: r.queueDatas.map((q) => ({
      brokerName: q.brokerName,
      perm: q.perm,
      readQueueNums: q.readQueueNums,
      topicSysFlag: q.topicSysFlag,
      writeQueueNums: q.writeQueueNums,
    })),
    topicQueueMappingByBroker: r.topicQueueMappingByBroker,
  };
}

/** Encodes a TopicRouteData body (quoted broker id keys, which every known reader accepts). */
export function encodeTopicRouteData(value: TopicRouteData): Buffer {
  return encodeFastjson(topicRouteDataToJson(value));
}

/**
 * Decodes a TopicRouteData body; broker id keys may be quoted or unquoted.
 * @throws ProtocolError on malformed JSON or wrong property types.
 */
export function decodeTopicRouteData(buf: Buffer | string): TopicRouteData {
  return topicRouteDataFromJson(parseJsonObject(buf, 'topicRouteData'), 'topicRouteData');
}
