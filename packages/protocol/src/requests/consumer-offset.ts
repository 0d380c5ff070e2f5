/**
 * QUERY_CONSUMER_OFFSET (14) and UPDATE_CONSUMER_OFFSET (15) headers (Java `QueryConsumerOffsetRequestHeader`,
 * `QueryConsumerOffsetResponseHeader`, `UpdateConsumerOffsetRequestHeader`).
 *
 * | header                  | key               | type    | required |
 * |-------------------------|-------------------|---------|----------|
 * | query request (14)      | consumerGroup     | String  | yes      |
 * |                         | topic             | String  | yes      |
 * |                         | queueId           | int     | yes      |
 * |                         | setZeroIfNotFound | Boolean | no (5.x) |
 * | query response          | offset            | long    | yes      |
 * | update request (15)     | consumerGroup     | String  | yes      |
 * |                         | topic             | String  | yes      |
 * |                         | queueId           | int     | yes      |
 * |                         | commitOffset      | long    | yes      |
 *
 * The update response has no header.
 */
import type { ExtFields } from '../ext-fields.js';
import {
  defineHeaderCodec,
  optionalBoolean,
  requiredInt,
  requiredLong,
  requiredString,
} from './header-codec.js';

/** Header of QUERY_CONSUMER_OFFSET (14): a group's committed offset for one queue. */
export interface QueryConsumerOffsetRequestHeader {
  consumerGroup: string;
  topic: string;
  queueId: number;
  /** 5.x: false makes the broker answer QUERY_NOT_FOUND instead of 0 for a group without an offset. */
  setZeroIfNotFound?: boolean;
}

/** Header of a successful QUERY_CONSUMER_OFFSET response. */
export interface QueryConsumerOffsetResponseHeader {
  /** Committed consume-queue offset (long). */
  offset: number;
}

/** Header of UPDATE_CONSUMER_OFFSET (15): commit a group's offset for one queue. */
export interface UpdateConsumerOffsetRequestHeader {
  consumerGroup: string;
  topic: string;
  queueId: number;
  /** Consume-queue offset to store, as given (−1 included; long). */
  commitOffset: number;
}

const queryRequestCodec = defineHeaderCodec<QueryConsumerOffsetRequestHeader>({
  consumerGroup: requiredString(),
  topic: requiredString(),
  queueId: requiredInt(),
  setZeroIfNotFound: optionalBoolean(),
});

const queryResponseCodec = defineHeaderCodec<QueryConsumerOffsetResponseHeader>({
  offset: requiredLong(),
});

const updateRequestCodec = defineHeaderCodec<UpdateConsumerOffsetRequestHeader>({
  consumerGroup: requiredString(),
  topic: requiredString(),
  queueId: requiredInt(),
  commitOffset: requiredLong(),
});

/** Encodes a QUERY_CONSUMER_OFFSET request header. Throws HeaderFieldError on a missing or bad field. */
export function encodeQueryConsumerOffsetRequestHeader(
  h: QueryConsumerOffsetRequestHeader,
): ExtFields {
  return queryRequestCodec.encode(h);
}

/** Decodes a QUERY_CONSUMER_OFFSET request header. Throws HeaderFieldError on a missing or bad key. */
export function decodeQueryConsumerOffsetRequestHeader(
  ext: ExtFields,
): QueryConsumerOffsetRequestHeader {
  return queryRequestCodec.decode(ext);
}

/** Encodes a QUERY_CONSUMER_OFFSET response header. Throws HeaderFieldError on a missing or bad field. */
export function encodeQueryConsumerOffsetResponseHeader(
  h: QueryConsumerOffsetResponseHeader,
): ExtFields {
  return queryResponseCodec.encode(h);
}

/** Decodes a QUERY_CONSUMER_OFFSET response header. Throws HeaderFieldError on a missing or bad key. */
export function decodeQueryConsumerOffsetResponseHeader(
  ext: ExtFields,
): QueryConsumerOffsetResponseHeader {
  return queryResponseCodec.decode(ext);
}

/** Encodes an UPDATE_CONSUMER_OFFSET request header. Throws HeaderFieldError on a missing or bad field. */
export function encodeUpdateConsumerOffsetRequestHeader(
  h: UpdateConsumerOffsetRequestHeader,
): ExtFields {
  return updateRequestCodec.encode(h);
}

/** Decodes an UPDATE_CONSUMER_OFFSET request header. Throws HeaderFieldError on a missing or bad key. */
export function decodeUpdateConsumerOffsetRequestHeader(
  ext: ExtFields,
): UpdateConsumerOffsetRequestHeader {
  return updateRequestCodec.decode(ext);
}
