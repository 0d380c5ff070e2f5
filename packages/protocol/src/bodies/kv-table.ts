import { encodeFastjson } from '../json/fastjson-write.js';
import { parseJsonObject, readObject, toStringMap } from '../json/json-read.js';

/*
 * KVTable (remoting-protocol.md §5.6, §5.10; Java `common/protocol/body/KVTable.java`):
 *   {"table":{"k":"v"}}
 * Answers GET_KVLIST_BY_NAMESPACE (219), GET_BROKER_RUNTIME_INFO (28), and is the REGISTER_BROKER response body.
 */

/** A string → string table. */
export interface KVTable {
  /** Entries in input order. */
  table: Map<string, string>;
}

/** Encodes a KVTable body. */
export function encodeKVTable(value: KVTable): Buffer {
  return encodeFastjson({ table: value.table });
}

/**
 * Decodes a KVTable body; a missing table is empty, non-string scalar values become strings.
 * @throws ProtocolError on malformed JSON or wrong property types.
 */
export function decodeKVTable(buf: Buffer | string): KVTable {
  const o = parseJsonObject(buf, 'kvTable');
  const table = readObject(o, 'table', 'kvTable');
  return {
    table: table === undefined ? new Map<string, string>() : toStringMap(table, 'kvTable.table'),
  };
}
