import { ProtocolError } from '../errors.js';
import { parseFastjson } from '../json/fastjson-parse.js';
import type { JsonObject, JsonValue } from '../json/fastjson-parse.js';
import { encodeFastjson, writeFastjson } from '../json/fastjson-write.js';
import {
  expectObject,
  parseJsonObject,
  readBoolean,
  readEnum,
  readInteger,
  readObject,
  readString,
  readStringKeyedEntries,
  toStringMap,
} from '../json/json-read.js';
import { dataVersionFromJson, dataVersionToJson } from './data-version.js';
import type { DataVersion } from './data-version.js';

/*
 * TopicConfig and TopicConfigSerializeWrapper (remoting-protocol.md §5.5; Java `common/TopicConfig.java`,
 * `TopicConfigSerializeWrapper`, 5.x `TopicConfigAndMappingSerializeWrapper`):
 *   {"dataVersion":{…},"topicConfigTable":{"TopicTest":{"order":false,"perm":6,"readQueueNums":4,
 *     "topicFilterType":"SINGLE_TAG","topicName":"TopicTest","topicSysFlag":0,"writeQueueNums":4}}}
 * Line format (TopicConfig.encode/decode, used by the compressed RegisterBrokerBody), space separated:
 *   name readQueueNums writeQueueNums perm TOPIC_FILTER_TYPE [attributes-json]
 * 4.x readers need exactly five fields; 5.x readers take an optional sixth (attributes as JSON).
 */

/** How tags of a topic are filtered (Java `TopicFilterType`). */
export type TopicFilterType = 'SINGLE_TAG' | 'MULTI_TAG';

const TOPIC_FILTER_TYPES: readonly TopicFilterType[] = ['SINGLE_TAG', 'MULTI_TAG'];

/** One topic's configuration on a broker. */
export interface TopicConfig {
  /** Topic name. */
  topicName: string;
  /** Queues consumers read from (default 16). */
  readQueueNums: number;
  /** Queues producers write to (default 16). */
  writeQueueNums: number;
  /** Permission bits (§7.2): 2 write, 4 read, 1 inherit; default 6. */
  perm: number;
  /** Default `SINGLE_TAG`. */
  topicFilterType: TopicFilterType;
  /** Bit 0 unit topic, bit 1 unit subscription; default 0. */
  topicSysFlag: number;
  /** Ordered topic; default false. */
  order: boolean;
  /** 5.x only: attributes such as `"message.type":"NORMAL"`; omitted when undefined. */
  attributes?: Map<string, string>;
}

/** Java's TopicConfig defaults (`defaultReadQueueNums` etc.), applied to properties missing on decode. */
export const TOPIC_CONFIG_DEFAULTS = {
  readQueueNums: 16,
  writeQueueNums: 16,
  perm: 6,
  topicFilterType: 'SINGLE_TAG',
  topicSysFlag: 0,
  order: false,
} as const satisfies Partial<TopicConfig>;

/** A broker's topic table with its version (Java `TopicConfigSerializeWrapper`; 5.x adds the mapping sections). */
export interface TopicConfigSerializeWrapper {
  /** Version of the table. */
  dataVersion: DataVersion;
  /** Topic name → config. */
  topicConfigTable: Map<string, TopicConfig>;
  /** 5.x static topics: topic → TopicQueueMappingInfo JSON, kept as parsed; omitted when undefined. */
  topicQueueMappingInfoMap?: Map<string, JsonObject>;
  /** 5.x static topics: topic → TopicQueueMappingDetail JSON, kept as parsed; omitted when undefined. */
  topicQueueMappingDetailMap?: Map<string, JsonObject>;
  /** 5.x: version of the mapping sections; omitted when undefined. */
  mappingDataVersion?: DataVersion;
}

/**
 * Reads a TopicConfig from a decoded JSON value, with Java defaults for missing properties. `topicName` falls back to
 * `fallbackName` (the table key) when absent.
 * @throws ProtocolError when it is not an object or a property has the wrong type or an unknown filter type.
 */
export function topicConfigFromJson(
  value: JsonValue | undefined,
  path: string,
  fallbackName = '',
): TopicConfig {
  const o = expectObject(value, path);
  const d = TOPIC_CONFIG_DEFAULTS;
  const out: TopicConfig = {
    topicName: readString(o, 'topicName', path) ?? fallbackName,
    readQueueNums: readInteger(o, 'readQueueNums', path) ?? d.readQueueNums,
    writeQueueNums: readInteger(o, 'writeQueueNums', path) ?? d.writeQueueNums,
    perm: readInteger(o, 'perm', path) ?? d.perm,
    topicFilterType:
      readEnum(o, 'topicFilterType', { path, allowed: TOPIC_FILTER_TYPES }) ?? d.topicFilterType,
    topicSysFlag: readInteger(o, 'topicSysFlag', path) ?? d.topicSysFlag,
    order: readBoolean(o, 'order', path) ?? d.order,
  };
  const attributes = readObject(o, 'attributes', path);
  if (attributes !== undefined) out.attributes = toStringMap(attributes, `${path}.attributes`);
  return out;
}

/** The plain object fastjson writes for a TopicConfig. */
export function topicConfigToJson(c: TopicConfig): Record<string, unknown> {
  return {
    attributes: c.attributes,
    order: c.order,
    perm: c.perm,
    readQueueNums: c.readQueueNums,
    topicFilterType: c.topicFilterType,
    topicName: c.topicName,
    topicSysFlag: c.topicSysFlag,
    writeQueueNums: c.writeQueueNums,
  };
}

/** Encodes one TopicConfig as JSON. */
export function encodeTopicConfig(value: TopicConfig): Buffer {
  return encodeFastjson(topicConfigToJson(value));
}

/**
 * Decodes one TopicConfig JSON body (missing properties get Java defaults).
 * @throws ProtocolError on malformed JSON or wrong property types.
 */
export function decodeTopicConfig(buf: Buffer | string): TopicConfig {
  return topicConfigFromJson(parseJsonObject(buf, 'topicConfig'), 'topicConfig');
}

function jsonObjectMap(
  obj: JsonObject,
  key: string,
  path: string,
): Map<string, JsonObject> | undefined {
  if (readObject(obj, key, path) === undefined) return undefined;
  return new Map(
    readStringKeyedEntries(obj, key, path).map(([k, v]) => [
      k,
      expectObject(v, `${path}.${key}.${k}`),
    ]),
  );
}

/**
 * Reads a TopicConfigSerializeWrapper from a decoded JSON value (missing table = empty, missing version = zeros).
 * @throws ProtocolError on wrong property types.
 */
export function topicConfigSerializeWrapperFromJson(
  value: JsonValue | undefined,
  path: string,
): TopicConfigSerializeWrapper {
  const o = expectObject(value, path);
  const table = new Map<string, TopicConfig>();
  for (const [name, v] of readStringKeyedEntries(o, 'topicConfigTable', path)) {
    table.set(name, topicConfigFromJson(v, `${path}.topicConfigTable.${name}`, name));
  }
  const dv = readObject(o, 'dataVersion', path);
  const out: TopicConfigSerializeWrapper = {
    dataVersion:
      dv === undefined
        ? { counter: 0, timestamp: 0 }
        : dataVersionFromJson(dv, `${path}.dataVersion`),
    topicConfigTable: table,
  };
  const info = jsonObjectMap(o, 'topicQueueMappingInfoMap', path);
  if (info !== undefined) out.topicQueueMappingInfoMap = info;
  const detail = jsonObjectMap(o, 'topicQueueMappingDetailMap', path);
  if (detail !== undefined) out.topicQueueMappingDetailMap = detail;
  const mdv = readObject(o, 'mappingDataVersion', path);
  if (mdv !== undefined)
    out.mappingDataVersion = dataVersionFromJson(mdv, `${path}.mappingDataVersion`);
  return out;
}

function mapValues<K, V, R>(m: Map<K, V>, f: (v: V) => R): Map<K, R> {
  return new Map([...m].map(([k, v]) => [k, f(v)]));
}

/** The plain object fastjson writes for a TopicConfigSerializeWrapper. */
export function topicConfigSerializeWrapperToJson(
  w: TopicConfigSerializeWrapper,
): Record<string, unknown> {
  return {
    dataVersion: dataVersionToJson(w.dataVersion),
    mappingDataVersion: w.mappingDataVersion && dataVersionToJson(w.mappingDataVersion),
    topicConfigTable: mapValues(w.topicConfigTable, topicConfigToJson),
    topicQueueMappingDetailMap: w.topicQueueMappingDetailMap,
    topicQueueMappingInfoMap: w.topicQueueMappingInfoMap,
  };
}

/** Encodes a TopicConfigSerializeWrapper (GET_ALL_TOPIC_CONFIG response, `topics.json`). */
export function encodeTopicConfigSerializeWrapper(value: TopicConfigSerializeWrapper): Buffer {
  return encodeFastjson(topicConfigSerializeWrapperToJson(value));
}

/**
 * Decodes a TopicConfigSerializeWrapper body or `topics.json` file content.
 * @throws ProtocolError on malformed JSON or wrong property types.
 */
export function decodeTopicConfigSerializeWrapper(
  buf: Buffer | string,
): TopicConfigSerializeWrapper {
  return topicConfigSerializeWrapperFromJson(
    parseJsonObject(buf, 'topicConfigSerializeWrapper'),
    'topicConfigSerializeWrapper',
  );
}

/**
 * Writes a TopicConfig in Java's line format `name readQueueNums writeQueueNums perm FILTER_TYPE [attributes-json]`.
 * The attributes field is written only when there are attributes, so 4.x readers (exactly five fields) accept the
 * line; `topicSysFlag` and `order` are not part of the format.
 */
export function encodeTopicConfigLine(c: TopicConfig): string {
  const base = `${c.topicName} ${c.readQueueNums} ${c.writeQueueNums} ${c.perm} ${c.topicFilterType}`;
  return c.attributes !== undefined && c.attributes.size > 0
    ? `${base} ${writeFastjson(c.attributes)}`
    : base;
}

const JAVA_INT_RE = /^[-+]?\d{1,10}$/;

function lineInt(text: string | undefined, field: string): number {
  const n = text !== undefined && JAVA_INT_RE.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < -2147483648 || n > 2147483647) {
    throw new ProtocolError(`topic config line: ${field} ${JSON.stringify(text)} is not an int`);
  }
  return n;
}

/**
 * Reads a TopicConfig line (Java `TopicConfig.decode`). Attributes that do not parse as a JSON string map are ignored,
 * as Java does; `topicSysFlag` and `order` get their defaults.
 * @throws ProtocolError when there are fewer than five fields, a number is not an int, or the filter type is unknown.
 */
export function decodeTopicConfigLine(line: string): TopicConfig {
  const parts = line.split(' ');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop(); // Java String.split drops trailing empties
  if (parts.length < 5) {
    throw new ProtocolError(`topic config line: expected at least 5 fields, got ${parts.length}`);
  }
  const filter = parts[4] ?? '';
  if (!(TOPIC_FILTER_TYPES as readonly string[]).includes(filter)) {
    throw new ProtocolError(
      `topic config line: unknown topic filter type ${JSON.stringify(filter)}`,
    );
  }
  const out: TopicConfig = {
    topicName: parts[0] ?? '',
    readQueueNums: lineInt(parts[1], 'readQueueNums'),
    writeQueueNums: lineInt(parts[2], 'writeQueueNums'),
    perm: lineInt(parts[3], 'perm'),
    topicFilterType: filter as TopicFilterType,
    topicSysFlag: TOPIC_CONFIG_DEFAULTS.topicSysFlag,
    order: TOPIC_CONFIG_DEFAULTS.order,
  };
  if (parts.length > 5) {
    try {
      out.attributes = toStringMap(parseFastjson(parts.slice(5).join(' ')), 'attributes');
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
    }
  }
  return out;
}
