import { ProtocolError } from '../errors.js';
import type { JsonValue } from '../json/fastjson-parse.js';
import { encodeFastjson } from '../json/fastjson-write.js';
import {
  expectObject,
  parseJsonObject,
  readStringKeyedEntries,
  toInteger,
} from '../json/json-read.js';

/*
 * Offset tables as Java brokers persist them (and answer GET_ALL_CONSUMER_OFFSET (43) / GET_ALL_DELAY_OFFSET (45)
 * with), for migration tools (remoting-protocol.md §5.0; Java `broker/offset/ConsumerOffsetManager.java`,
 * `store/schedule/ScheduleMessageService.java`). Java writes the integer keys unquoted; both forms are read, quoted
 * keys are written:
 *   consumerOffset.json  {"offsetTable":{"topic@group":{0:12,1:7}}}        queueId → committed queue offset
 *   delayOffset.json     {"offsetTable":{1:100,2:0}}                       delay level → queue offset
 */

/** consumerOffset.json: `topic@group` → queueId → committed queue offset. */
export interface ConsumerOffsetTable {
  /** Key `topic@group` (Java `TOPIC_GROUP_SEPARATOR`), then queueId → queue offset. */
  offsetTable: Map<string, Map<number, number>>;
}

/** delayOffset.json: delay level (1-based) → queue offset in SCHEDULE_TOPIC_XXXX. */
export interface DelayOffsetTable {
  /** Delay level → queue offset. */
  offsetTable: Map<number, number>;
}

const INT_KEY_RE = /^-?\d{1,10}$/;

function intKeyedOffsets(entries: Array<[string, JsonValue]>, path: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const [k, v] of entries) {
    if (!INT_KEY_RE.test(k))
      throw new ProtocolError(`${path}: key ${JSON.stringify(k)} is not an integer`);
    if (v !== null) out.set(Number(k), toInteger(v, `${path}.${k}`));
  }
  return out;
}

/** Encodes a consumerOffset.json-shaped table (quoted integer keys). */
export function encodeConsumerOffsetTable(value: ConsumerOffsetTable): Buffer {
  return encodeFastjson({ offsetTable: value.offsetTable });
}

/**
 * Decodes consumerOffset.json content or a GET_ALL_CONSUMER_OFFSET body; queue ids may be quoted or unquoted.
 * @throws ProtocolError on malformed JSON, a non-integer queue id, or a non-integer offset.
 */
export function decodeConsumerOffsetTable(buf: Buffer | string): ConsumerOffsetTable {
  const path = 'consumerOffsetTable';
  const offsetTable = new Map<string, Map<number, number>>();
  for (const [topicAtGroup, v] of readStringKeyedEntries(
    parseJsonObject(buf, path),
    'offsetTable',
    path,
  )) {
    const p = `${path}.offsetTable.${topicAtGroup}`;
    offsetTable.set(
      topicAtGroup,
      intKeyedOffsets(v === null ? [] : Object.entries(expectObject(v, p)), p),
    );
  }
  return { offsetTable };
}

/** Encodes a delayOffset.json-shaped table (quoted integer keys). */
export function encodeDelayOffsetTable(value: DelayOffsetTable): Buffer {
  return encodeFastjson({ offsetTable: value.offsetTable });
}

/**
 * Decodes delayOffset.json content or a GET_ALL_DELAY_OFFSET body; levels may be quoted or unquoted.
 * @throws ProtocolError on malformed JSON, a non-integer level, or a non-integer offset.
 */
export function decodeDelayOffsetTable(buf: Buffer | string): DelayOffsetTable {
  const path = 'delayOffsetTable';
  const entries = readStringKeyedEntries(parseJsonObject(buf, path), 'offsetTable', path);
  return { offsetTable: intKeyedOffsets(entries, `${path}.offsetTable`) };
}
