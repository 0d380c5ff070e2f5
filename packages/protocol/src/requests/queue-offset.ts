/**
 * Queue offset and time lookups: SEARCH_OFFSET_BY_TIMESTAMP (29), GET_MAX_OFFSET (30), GET_MIN_OFFSET (31),
 * GET_EARLIEST_MSG_STORETIME (32) (Java `SearchOffsetRequestHeader`, `GetMaxOffsetRequestHeader`,
 * `GetMinOffsetRequestHeader`, `GetEarliestMsgStoretimeRequestHeader` and their response headers).
 *
 * | code | request keys (type, required)                                                     | response key       |
 * |------|-----------------------------------------------------------------------------------|--------------------|
 * | 29   | topic (String, yes), queueId (int, yes), timestamp (long, yes), boundaryType (enum, no, 5.x) | offset (long, yes) |
 * | 30   | topic (String, yes), queueId (int, yes), committed (boolean, no, 5.x)             | offset (long, yes) |
 * | 31   | topic (String, yes), queueId (int, yes)                                           | offset (long, yes) |
 * | 32   | topic (String, yes), queueId (int, yes)                                           | timestamp (long, yes) |
 */
import { HeaderFieldError } from '../errors.js';
import type { ExtFields } from '../ext-fields.js';
import type { HeaderField } from './header-codec.js';
import {
  defineHeaderCodec,
  optionalBoolean,
  requiredInt,
  requiredLong,
  requiredString,
} from './header-codec.js';

/** Which entry SEARCH_OFFSET_BY_TIMESTAMP returns when several share a store time (Java `BoundaryType`). */
export type BoundaryType = 'LOWER' | 'UPPER';

/** Header of GET_MAX_OFFSET (30). */
export interface GetMaxOffsetRequestHeader {
  topic: string;
  queueId: number;
  /** 5.x: only count committed entries; absent means true. */
  committed?: boolean;
}

/** Header of GET_MIN_OFFSET (31). */
export interface GetMinOffsetRequestHeader {
  topic: string;
  queueId: number;
}

/** Header of GET_EARLIEST_MSG_STORETIME (32). */
export interface GetEarliestMsgStoretimeRequestHeader {
  topic: string;
  queueId: number;
}

/** Header of SEARCH_OFFSET_BY_TIMESTAMP (29). */
export interface SearchOffsetRequestHeader {
  topic: string;
  queueId: number;
  /** Store time to look for, ms since the epoch (long). */
  timestamp: number;
  /** 5.x; absent means LOWER. */
  boundaryType?: BoundaryType;
}

/** Header of a GET_MAX_OFFSET response. */
export interface GetMaxOffsetResponseHeader {
  /** One past the last message's consume-queue offset; 0 for an empty queue (long). */
  offset: number;
}

/** Header of a GET_MIN_OFFSET response. */
export interface GetMinOffsetResponseHeader {
  /** Smallest consume-queue offset still available (long). */
  offset: number;
}

/** Header of a GET_EARLIEST_MSG_STORETIME response. */
export interface GetEarliestMsgStoretimeResponseHeader {
  /** Store time of the min-offset message, ms since the epoch (long). */
  timestamp: number;
}

/** Header of a SEARCH_OFFSET_BY_TIMESTAMP response. */
export interface SearchOffsetResponseHeader {
  /** Consume-queue offset found (long). */
  offset: number;
}

// Java `BoundaryType.getType`: case-insensitive "upper" is UPPER, anything else LOWER; written as the enum name.
const optionalBoundaryType: HeaderField<BoundaryType, false> = {
  type: 'enum',
  required: false,
  parse: (_field, raw) => (raw.toLowerCase() === 'upper' ? 'UPPER' : 'LOWER'),
  format: (field, value) => {
    if (value !== 'LOWER' && value !== 'UPPER') {
      throw new HeaderFieldError(field, `${String(value)} is not LOWER or UPPER`);
    }
    return value;
  },
};

const maxRequestCodec = defineHeaderCodec<GetMaxOffsetRequestHeader>({
  topic: requiredString(),
  queueId: requiredInt(),
  committed: optionalBoolean(),
});
const minRequestCodec = defineHeaderCodec<GetMinOffsetRequestHeader>({
  topic: requiredString(),
  queueId: requiredInt(),
});
const earliestRequestCodec = defineHeaderCodec<GetEarliestMsgStoretimeRequestHeader>({
  topic: requiredString(),
  queueId: requiredInt(),
});
const searchRequestCodec = defineHeaderCodec<SearchOffsetRequestHeader>({
  topic: requiredString(),
  queueId: requiredInt(),
  timestamp: requiredLong(),
  boundaryType: optionalBoundaryType,
});
const offsetResponseCodec = defineHeaderCodec<{ offset: number }>({ offset: requiredLong() });
const timestampResponseCodec = defineHeaderCodec<GetEarliestMsgStoretimeResponseHeader>({
  timestamp: requiredLong(),
});

/** Encodes a GET_MAX_OFFSET request header. Throws HeaderFieldError on a missing or bad field. */
export function encodeGetMaxOffsetRequestHeader(h: GetMaxOffsetRequestHeader): ExtFields {
  return maxRequestCodec.encode(h);
}
/** Decodes a GET_MAX_OFFSET request header. Throws HeaderFieldError on a missing or bad key. */
export function decodeGetMaxOffsetRequestHeader(ext: ExtFields): GetMaxOffsetRequestHeader {
  return maxRequestCodec.decode(ext);
}
/** Encodes a GET_MAX_OFFSET response header. Throws HeaderFieldError on a missing or bad field. */
export function encodeGetMaxOffsetResponseHeader(h: GetMaxOffsetResponseHeader): ExtFields {
  return offsetResponseCodec.encode(h);
}
/** Decodes a GET_MAX_OFFSET response header. Throws HeaderFieldError on a missing or bad key. */
export function decodeGetMaxOffsetResponseHeader(ext: ExtFields): GetMaxOffsetResponseHeader {
  return offsetResponseCodec.decode(ext);
}

/** Encodes a GET_MIN_OFFSET request header. Throws HeaderFieldError on a missing or bad field. */
export function encodeGetMinOffsetRequestHeader(h: GetMinOffsetRequestHeader): ExtFields {
  return minRequestCodec.encode(h);
}
/** Decodes a GET_MIN_OFFSET request header. Throws HeaderFieldError on a missing or bad key. */
export function decodeGetMinOffsetRequestHeader(ext: ExtFields): GetMinOffsetRequestHeader {
  return minRequestCodec.decode(ext);
}
/** Encodes a GET_MIN_OFFSET response header. Throws HeaderFieldError on a missing or bad field. */
export function encodeGetMinOffsetResponseHeader(h: GetMinOffsetResponseHeader): ExtFields {
  return offsetResponseCodec.encode(h);
}
/** Decodes a GET_MIN_OFFSET response header. Throws HeaderFieldError on a missing or bad key. */
export function decodeGetMinOffsetResponseHeader(ext: ExtFields): GetMinOffsetResponseHeader {
  return offsetResponseCodec.decode(ext);
}

/** Encodes a GET_EARLIEST_MSG_STORETIME request header. Throws HeaderFieldError on a missing or bad field. */
export function encodeGetEarliestMsgStoretimeRequestHeader(
  h: GetEarliestMsgStoretimeRequestHeader,
): ExtFields {
  return earliestRequestCodec.encode(h);
}
/** Decodes a GET_EARLIEST_MSG_STORETIME request header. Throws HeaderFieldError on a missing or bad key. */
export function decodeGetEarliestMsgStoretimeRequestHeader(
  ext: ExtFields,
): GetEarliestMsgStoretimeRequestHeader {
  return earliestRequestCodec.decode(ext);
}
/** Encodes a GET_EARLIEST_MSG_STORETIME response header. Throws HeaderFieldError on a missing or bad field. */
export function encodeGetEarliestMsgStoretimeResponseHeader(
  h: GetEarliestMsgStoretimeResponseHeader,
): ExtFields {
  return timestampResponseCodec.encode(h);
}
/** Decodes a GET_EARLIEST_MSG_STORETIME response header. Throws HeaderFieldError on a missing or bad key. */
export function decodeGetEarliestMsgStoretimeResponseHeader(
  ext: ExtFields,
): GetEarliestMsgStoretimeResponseHeader {
  return timestampResponseCodec.decode(ext);
}

/** Encodes a SEARCH_OFFSET_BY_TIMESTAMP request header. Throws HeaderFieldError on a missing or bad field. */
export function encodeSearchOffsetRequestHeader(h: SearchOffsetRequestHeader): ExtFields {
  return searchRequestCodec.encode(h);
}
/** Decodes a SEARCH_OFFSET_BY_TIMESTAMP request header. Throws HeaderFieldError on a missing or bad key. */
export function decodeSearchOffsetRequestHeader(ext: ExtFields): SearchOffsetRequestHeader {
  return searchRequestCodec.decode(ext);
}
/** Encodes a SEARCH_OFFSET_BY_TIMESTAMP response header. Throws HeaderFieldError on a missing or bad field. */
export function encodeSearchOffsetResponseHeader(h: SearchOffsetResponseHeader): ExtFields {
  return offsetResponseCodec.encode(h);
}
/** Decodes a SEARCH_OFFSET_BY_TIMESTAMP response header. Throws HeaderFieldError on a missing or bad key. */
export function decodeSearchOffsetResponseHeader(ext: ExtFields): SearchOffsetResponseHeader {
  return offsetResponseCodec.decode(ext);
}
