/**
 * QUERY_MESSAGE (12) and VIEW_MESSAGE_BY_ID (33) headers (Java `QueryMessageRequestHeader`,
 * `QueryMessageResponseHeader`, `ViewMessageRequestHeader`).
 *
 * | header              | key                      | type    | required |
 * |---------------------|--------------------------|---------|----------|
 * | query request (12)  | topic                    | String  | yes      |
 * |                     | key                      | String  | yes      |
 * |                     | maxNum                   | int     | yes      |
 * |                     | beginTimestamp           | long    | yes      |
 * |                     | endTimestamp             | long    | yes      |
 * |                     | _UNIQUE_KEY_QUERY        | boolean | no (extra extField, not a Java header field) |
 * | query response      | indexLastUpdateTimestamp | long    | yes      |
 * |                     | indexLastUpdatePhyoffset | long    | yes      |
 * | view request (33)   | offset                   | long    | yes      |
 * |                     | topic                    | String  | no (5.x) |
 *
 * The view response has no header.
 */
import type { ExtFields } from '../ext-fields.js';
import type { HeaderField } from './header-codec.js';
import {
  defineHeaderCodec,
  optionalString,
  requiredInt,
  requiredLong,
  requiredString,
} from './header-codec.js';

/** Header of QUERY_MESSAGE (12): find messages by key (or unique key) through the index. */
export interface QueryMessageRequestHeader {
  topic: string;
  /** A `KEYS` entry, or the `UNIQ_KEY` when `_UNIQUE_KEY_QUERY` is true. */
  key: string;
  /** Most messages to return (the broker uses its `defaultQueryMaxNum` for a unique-key query). */
  maxNum: number;
  /** Store-time window start, ms since the epoch (long). */
  beginTimestamp: number;
  /** Store-time window end, ms since the epoch (long). */
  endTimestamp: number;
  /**
   * Extra extField `_UNIQUE_KEY_QUERY` (Java `MixAll.UNIQUE_MSG_QUERY_FLAG`): `key` is a `UNIQ_KEY`. The Java
   * broker compares with `"true"` case-sensitively, and so does this decoder. Absent means false.
   */
  _UNIQUE_KEY_QUERY?: boolean;
}

/** Header of a successful QUERY_MESSAGE response. */
export interface QueryMessageResponseHeader {
  /** Time of the index's last update, ms since the epoch (long). */
  indexLastUpdateTimestamp: number;
  /** Commit-log offset the index covers up to (long). */
  indexLastUpdatePhyoffset: number;
}

/** Header of VIEW_MESSAGE_BY_ID (33): read the record at a commit-log offset. */
export interface ViewMessageRequestHeader {
  /** Commit-log (physical) offset of the record (long). */
  offset: number;
  /** 5.x only. */
  topic?: string;
}

// `isUniqueKey.equals("true")` in QueryMessageProcessor: exact, unlike Boolean.parseBoolean.
const uniqueKeyFlag: HeaderField<boolean, false> = {
  type: 'boolean',
  required: false,
  parse: (_field, raw) => raw === 'true',
  format: (_field, value) => (value ? 'true' : 'false'),
};

const queryRequestCodec = defineHeaderCodec<QueryMessageRequestHeader>({
  topic: requiredString(),
  key: requiredString(),
  maxNum: requiredInt(),
  beginTimestamp: requiredLong(),
  endTimestamp: requiredLong(),
  _UNIQUE_KEY_QUERY: uniqueKeyFlag,
});

const queryResponseCodec = defineHeaderCodec<QueryMessageResponseHeader>({
  indexLastUpdateTimestamp: requiredLong(),
  indexLastUpdatePhyoffset: requiredLong(),
});

const viewRequestCodec = defineHeaderCodec<ViewMessageRequestHeader>({
  offset: requiredLong(),
  topic: optionalString(),
});

/** Encodes a QUERY_MESSAGE request header (with `_UNIQUE_KEY_QUERY` when set). Throws HeaderFieldError on a missing or bad field. */
export function encodeQueryMessageRequestHeader(h: QueryMessageRequestHeader): ExtFields {
  return queryRequestCodec.encode(h);
}
/** Decodes a QUERY_MESSAGE request header. Throws HeaderFieldError on a missing or bad key. */
export function decodeQueryMessageRequestHeader(ext: ExtFields): QueryMessageRequestHeader {
  return queryRequestCodec.decode(ext);
}
/** Encodes a QUERY_MESSAGE response header. Throws HeaderFieldError on a missing or bad field. */
export function encodeQueryMessageResponseHeader(h: QueryMessageResponseHeader): ExtFields {
  return queryResponseCodec.encode(h);
}
/** Decodes a QUERY_MESSAGE response header. Throws HeaderFieldError on a missing or bad key. */
export function decodeQueryMessageResponseHeader(ext: ExtFields): QueryMessageResponseHeader {
  return queryResponseCodec.decode(ext);
}
/** Encodes a VIEW_MESSAGE_BY_ID request header. Throws HeaderFieldError on a missing or bad field. */
export function encodeViewMessageRequestHeader(h: ViewMessageRequestHeader): ExtFields {
  return viewRequestCodec.encode(h);
}
/** Decodes a VIEW_MESSAGE_BY_ID request header. Throws HeaderFieldError on a missing or bad key. */
export function decodeViewMessageRequestHeader(ext: ExtFields): ViewMessageRequestHeader {
  return viewRequestCodec.decode(ext);
}
