/**
 * CONSUMER_SEND_MSG_BACK (36) header (Java `ConsumerSendMsgBackRequestHeader`); the response has no header.
 *
 * | key               | type    | required |
 * |-------------------|---------|----------|
 * | offset            | long    | yes      |
 * | group             | String  | yes      |
 * | delayLevel        | int     | yes      |
 * | originMsgId       | String  | no       |
 * | originTopic       | String  | no       |
 * | unitMode          | boolean | no       |
 * | maxReconsumeTimes | int     | no       |
 */
import type { ExtFields } from '../ext-fields.js';
import {
  defineHeaderCodec,
  optionalBoolean,
  optionalInt,
  optionalString,
  requiredInt,
  requiredLong,
  requiredString,
} from './header-codec.js';

/** Header of CONSUMER_SEND_MSG_BACK (36): give a failed message back for retry or the DLQ. */
export interface ConsumerSendMsgBackRequestHeader {
  /** Commit-log (physical) offset of the failed message (long). */
  offset: number;
  /** Consumer group. */
  group: string;
  /** 0 = let the broker choose (3 + reconsumeTimes), < 0 = straight to the DLQ. */
  delayLevel: number;
  /** Offset message id of the original message. */
  originMsgId?: string;
  originTopic?: string;
  /** Absent means false. */
  unitMode?: boolean;
  /** Per-message retry limit (honoured for request version ≥ 121). */
  maxReconsumeTimes?: number;
}

const codec = defineHeaderCodec<ConsumerSendMsgBackRequestHeader>({
  offset: requiredLong(),
  group: requiredString(),
  delayLevel: requiredInt(),
  originMsgId: optionalString(),
  originTopic: optionalString(),
  unitMode: optionalBoolean(),
  maxReconsumeTimes: optionalInt(),
});

/** Encodes a CONSUMER_SEND_MSG_BACK request header. Throws HeaderFieldError on a missing or bad field. */
export function encodeConsumerSendMsgBackRequestHeader(
  h: ConsumerSendMsgBackRequestHeader,
): ExtFields {
  return codec.encode(h);
}
/** Decodes a CONSUMER_SEND_MSG_BACK request header. Throws HeaderFieldError on a missing or bad key. */
export function decodeConsumerSendMsgBackRequestHeader(
  ext: ExtFields,
): ConsumerSendMsgBackRequestHeader {
  return codec.decode(ext);
}
