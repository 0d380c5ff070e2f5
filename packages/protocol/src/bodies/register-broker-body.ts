import { deflateSync, inflateSync, constants as zlibConstants } from 'node:zlib';
import { ProtocolError } from '../errors.js';
import { parseFastjson } from '../json/fastjson-parse.js';
import type { JsonObject } from '../json/fastjson-parse.js';
import { encodeFastjson, writeFastjson } from '../json/fastjson-write.js';
import {
  expectObject,
  parseJsonObject,
  readObject,
  readString,
  readStringArray,
  toStringArray,
} from '../json/json-read.js';
import { dataVersionFromJson, dataVersionToJson } from './data-version.js';
import {
  decodeTopicConfigLine,
  encodeTopicConfigLine,
  topicConfigSerializeWrapperFromJson,
  topicConfigSerializeWrapperToJson,
} from './topic-config.js';
import type { TopicConfig, TopicConfigSerializeWrapper } from './topic-config.js';

/*
 * RegisterBrokerBody, the REGISTER_BROKER (103) request body (remoting-protocol.md §4.11; Java
 * `remoting/protocol/body/RegisterBrokerBody.java`).
 *
 * Uncompressed (header compressed=false): JSON
 *   {"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":{…},"topicConfigTable":{…}}}
 *
 * Compressed (header compressed=true): one zlib stream (Deflater BEST_COMPRESSION) of, all int32 big-endian:
 *   [len][DataVersion JSON]
 *   [topicCount] then topicCount × [len][TopicConfig line, UTF-8]      (line format: see topic-config.ts)
 *   [len][filterServerList JSON array]
 *   5.x only: [mappingCount] then mappingCount × [len][TopicQueueMappingInfo JSON]
 * 4.x readers stop after the filter server list, so writing the 5.x count (0 when empty) is safe for both; a 4.x
 * body simply ends after the list. The line format drops topicSysFlag and order.
 */

/** REGISTER_BROKER body: the broker's topic table and its filter servers. */
export interface RegisterBrokerBody {
  /** Topic table with version (5.x mapping sections optional). */
  topicConfigSerializeWrapper: TopicConfigSerializeWrapper;
  /** Filter server addresses; normally empty. */
  filterServerList: string[];
}

/** Options of {@link encodeRegisterBrokerBody}. */
export interface EncodeRegisterBrokerBodyOptions {
  /** Write the zlib form (header `compressed=true`). Default false. */
  compressed?: boolean;
}

/** Options of {@link decodeRegisterBrokerBody}. */
export interface DecodeRegisterBrokerBodyOptions {
  /** The body is the zlib form (header `compressed=true`). Default false. */
  compressed?: boolean;
  /** Largest inflated size accepted for the compressed form, bytes. Default 64 MiB. */
  maxInflatedBytes?: number;
}

/** Default bound on the inflated size of a compressed RegisterBrokerBody, bytes. */
export const REGISTER_BROKER_BODY_MAX_INFLATED_BYTES = 64 * 1024 * 1024;

/**
 * Encodes a RegisterBrokerBody as JSON, or in the compressed layout when `options.compressed`.
 */
export function encodeRegisterBrokerBody(
  body: RegisterBrokerBody,
  options?: EncodeRegisterBrokerBodyOptions,
): Buffer {
  if (options?.compressed !== true) {
    return encodeFastjson({
      filterServerList: body.filterServerList,
      topicConfigSerializeWrapper: topicConfigSerializeWrapperToJson(
        body.topicConfigSerializeWrapper,
      ),
    });
  }
  const w = body.topicConfigSerializeWrapper;
  const chunks: Buffer[] = [];
  const int32 = (n: number): void => {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(n, 0);
    chunks.push(b);
  };
  const block = (text: string): void => {
    const b = Buffer.from(text, 'utf8');
    int32(b.length);
    chunks.push(b);
  };
  block(writeFastjson(dataVersionToJson(w.dataVersion)));
  int32(w.topicConfigTable.size);
  for (const config of w.topicConfigTable.values()) block(encodeTopicConfigLine(config));
  block(writeFastjson(body.filterServerList));
  const mappings = w.topicQueueMappingInfoMap ?? new Map<string, JsonObject>();
  int32(mappings.size);
  for (const info of mappings.values()) block(writeFastjson(info));
  return deflateSync(Buffer.concat(chunks), { level: zlibConstants.Z_BEST_COMPRESSION });
}

/** Reads the inflated compressed layout with a bounds check before every read. */
class BlockReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  int32(what: string): number {
    if (this.remaining < 4) {
      throw new ProtocolError(
        `register broker body: truncated ${what} at inflated offset ${this.pos}`,
      );
    }
    const n = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return n;
  }

  /** A count of items that each take at least 4 bytes. */
  count(what: string): number {
    const at = this.pos;
    const n = this.int32(what);
    if (n < 0 || n > this.remaining / 4) {
      throw new ProtocolError(
        `register broker body: impossible ${what} ${n} at inflated offset ${at}`,
      );
    }
    return n;
  }

  text(what: string): string {
    const at = this.pos;
    const len = this.int32(`${what} length`);
    if (len < 0 || len > this.remaining) {
      throw new ProtocolError(
        `register broker body: ${what} length ${len} exceeds the ${this.remaining} bytes left at inflated offset ${at}`,
      );
    }
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
}

function inflate(buf: Buffer, maxOutputLength: number): Buffer {
  try {
    return inflateSync(buf, { maxOutputLength });
  } catch (err) {
    throw new ProtocolError(
      `register broker body: zlib stream is invalid or inflates beyond ${maxOutputLength} bytes`,
      {
        cause: err,
      },
    );
  }
}

function decodeCompressed(buf: Buffer, maxInflatedBytes: number): RegisterBrokerBody {
  const r = new BlockReader(inflate(buf, maxInflatedBytes));
  const dataVersion = dataVersionFromJson(parseFastjson(r.text('dataVersion')), 'dataVersion');
  const topicConfigTable = new Map<string, TopicConfig>();
  const topics = r.count('topic count');
  for (let i = 0; i < topics; i++) {
    const config = decodeTopicConfigLine(r.text('topic config line'));
    topicConfigTable.set(config.topicName, config);
  }
  let filterServerList: string[] = [];
  const filterJson = r.text('filter server list');
  try {
    filterServerList = toStringArray(parseFastjson(filterJson), 'filterServerList');
  } catch (err) {
    // Java logs and keeps an empty list when this JSON does not parse.
    if (!(err instanceof ProtocolError)) throw err;
  }
  const wrapper: TopicConfigSerializeWrapper = { dataVersion, topicConfigTable };
  if (r.remaining > 0) {
    const infos = new Map<string, JsonObject>();
    const n = r.count('topic queue mapping count');
    for (let i = 0; i < n; i++) {
      const path = `topicQueueMappingInfo[${i}]`;
      const info = expectObject(parseFastjson(r.text('topic queue mapping info')), path);
      infos.set(readString(info, 'topic', path) ?? '', info);
    }
    wrapper.topicQueueMappingInfoMap = infos;
  }
  return { topicConfigSerializeWrapper: wrapper, filterServerList };
}

/**
 * Decodes a RegisterBrokerBody, JSON or (with `options.compressed`) the zlib layout. Unknown JSON properties are
 * ignored; a filter server list that does not parse becomes empty, as in Java.
 * @throws ProtocolError on malformed JSON, an invalid or oversized zlib stream, or a truncated/impossible length.
 */
export function decodeRegisterBrokerBody(
  buf: Buffer,
  options?: DecodeRegisterBrokerBodyOptions,
): RegisterBrokerBody {
  if (options?.compressed === true) {
    return decodeCompressed(
      buf,
      options.maxInflatedBytes ?? REGISTER_BROKER_BODY_MAX_INFLATED_BYTES,
    );
  }
  const path = 'registerBrokerBody';
  const o = parseJsonObject(buf, path);
  const w = readObject(o, 'topicConfigSerializeWrapper', path);
  return {
    topicConfigSerializeWrapper: topicConfigSerializeWrapperFromJson(
      w ?? {},
      `${path}.topicConfigSerializeWrapper`,
    ),
    filterServerList: readStringArray(o, 'filterServerList', path),
  };
}
