/**
 * Client registration headers: UNREGISTER_CLIENT (35), GET_CONSUMER_LIST_BY_GROUP (38) and the
 * broker-to-client NOTIFY_CONSUMER_IDS_CHANGED (40) (Java `UnregisterClientRequestHeader`,
 * `GetConsumerListByGroupRequestHeader`, `NotifyConsumerIdsChangedRequestHeader`). HEART_BEAT (34) has no
 * header fields (its data is the HeartbeatData body), and none of these responses has a header.
 *
 * | header                  | key           | type   | required |
 * |-------------------------|---------------|--------|----------|
 * | unregister (35)         | clientID      | String | yes      |
 * |                         | producerGroup | String | no       |
 * |                         | consumerGroup | String | no       |
 * | consumer list (38)      | consumerGroup | String | yes      |
 * | ids changed (40)        | consumerGroup | String | yes      |
 */
import type { ExtFields } from '../ext-fields.js';
import { defineHeaderCodec, optionalString, requiredString } from './header-codec.js';

/** Header of UNREGISTER_CLIENT (35): leave a producer and/or consumer group. */
export interface UnregisterClientRequestHeader {
  /** `clientIP@instanceName`; note the capital `ID`, as in RocketMQ. */
  clientID: string;
  producerGroup?: string;
  consumerGroup?: string;
}

/** Header of GET_CONSUMER_LIST_BY_GROUP (38). */
export interface GetConsumerListByGroupRequestHeader {
  consumerGroup: string;
}

/** Header of NOTIFY_CONSUMER_IDS_CHANGED (40), sent oneway by the broker to each member of the group. */
export interface NotifyConsumerIdsChangedRequestHeader {
  consumerGroup: string;
}

const unregisterCodec = defineHeaderCodec<UnregisterClientRequestHeader>({
  clientID: requiredString(),
  producerGroup: optionalString(),
  consumerGroup: optionalString(),
});
const consumerListCodec = defineHeaderCodec<GetConsumerListByGroupRequestHeader>({
  consumerGroup: requiredString(),
});
const idsChangedCodec = defineHeaderCodec<NotifyConsumerIdsChangedRequestHeader>({
  consumerGroup: requiredString(),
});

/** Encodes an UNREGISTER_CLIENT request header. Throws HeaderFieldError when `clientID` is missing. */
export function encodeUnregisterClientRequestHeader(h: UnregisterClientRequestHeader): ExtFields {
  return unregisterCodec.encode(h);
}
/** Decodes an UNREGISTER_CLIENT request header. Throws HeaderFieldError when `clientID` is missing. */
export function decodeUnregisterClientRequestHeader(ext: ExtFields): UnregisterClientRequestHeader {
  return unregisterCodec.decode(ext);
}
/** Encodes a GET_CONSUMER_LIST_BY_GROUP request header. Throws HeaderFieldError when `consumerGroup` is missing. */
export function encodeGetConsumerListByGroupRequestHeader(
  h: GetConsumerListByGroupRequestHeader,
): ExtFields {
  return consumerListCodec.encode(h);
}
/** Decodes a GET_CONSUMER_LIST_BY_GROUP request header. Throws HeaderFieldError when `consumerGroup` is missing. */
export function decodeGetConsumerListByGroupRequestHeader(
  ext: ExtFields,
): GetConsumerListByGroupRequestHeader {
  return consumerListCodec.decode(ext);
}
/** Encodes a NOTIFY_CONSUMER_IDS_CHANGED request header. Throws HeaderFieldError when `consumerGroup` is missing. */
export function encodeNotifyConsumerIdsChangedRequestHeader(
  h: NotifyConsumerIdsChangedRequestHeader,
): ExtFields {
  return idsChangedCodec.encode(h);
}
/** Decodes a NOTIFY_CONSUMER_IDS_CHANGED request header. Throws HeaderFieldError when `consumerGroup` is missing. */
export function decodeNotifyConsumerIdsChangedRequestHeader(
  ext: ExtFields,
): NotifyConsumerIdsChangedRequestHeader {
  return idsChangedCodec.decode(ext);
}
