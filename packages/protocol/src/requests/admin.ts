/**
 * Admin headers used by mqadmin against a broker, and the admin calls a broker relays to a client.
 * Java classes are named in each interface's comment; none of these responses has a header except
 * GET_BROKER_CONFIG.
 *
 * | code | header                                     | key            | type    | required |
 * |------|--------------------------------------------|----------------|---------|----------|
 * | 202  | GetTopicStatsInfoRequestHeader             | topic          | String  | yes      |
 * | 208  | GetConsumeStatsRequestHeader               | consumerGroup  | String  | yes      |
 * |      |                                            | topic          | String  | no       |
 * |      |                                            | topicList      | String  | no (5.x) |
 * | 317  | GetConsumeStatsInBrokerHeader              | isOrder        | boolean | yes      |
 * | 203  | GetConsumerConnectionListRequestHeader     | consumerGroup  | String  | yes      |
 * | 204  | GetProducerConnectionListRequestHeader     | producerGroup  | String  | yes      |
 * | 207  | DeleteSubscriptionGroupRequestHeader       | groupName      | String  | yes      |
 * |      |                                            | removeOffset   | boolean | no (4.9) |
 * |      |                                            | cleanOffset    | boolean | no (5.x) |
 * | 300  | QueryTopicConsumeByWhoRequestHeader        | topic          | String  | yes      |
 * | 303  | QueryConsumeTimeSpanRequestHeader          | topic, group   | String  | yes      |
 * | 307  | GetConsumerRunningInfoRequestHeader        | consumerGroup, clientId | String | yes |
 * |      |                                            | jstackEnable   | boolean | no       |
 * | 309  | ConsumeMessageDirectlyResultRequestHeader  | consumerGroup  | String  | yes      |
 * |      |                                            | clientId, msgId, brokerName | String | no |
 * |      |                                            | topic          | String  | no (5.x) |
 * |      |                                            | topicSysFlag, groupSysFlag | Integer | no (5.x) |
 * | 314  | CloneGroupOffsetRequestHeader              | srcGroup, destGroup | String | yes  |
 * |      |                                            | topic          | String  | no       |
 * |      |                                            | offline        | boolean | no       |
 * | 222, 220 | ResetOffsetRequestHeader               | topic, group   | String  | yes      |
 * |      |                                            | timestamp      | long    | yes      |
 * |      |                                            | isForce        | boolean | yes      |
 * |      |                                            | queueId        | int     | no (5.x) |
 * |      |                                            | offset         | Long    | no (5.x) |
 * | 26   | GetBrokerConfigResponseHeader              | version        | String  | yes      |
 * | 315  | ViewBrokerStatsDataRequestHeader           | statsName, statsKey | String | yes  |
 * | 321  | QueryConsumeQueueRequestHeader             | topic          | String  | no       |
 * |      |                                            | queueId        | int     | no       |
 * |      |                                            | index          | long    | no       |
 * |      |                                            | count          | int     | no       |
 * |      |                                            | consumerGroup  | String  | no       |
 * | 308  | QueryCorrectionOffsetHeader                | filterGroups   | String  | no       |
 * |      |                                            | compareGroup, topic | String | yes  |
 * | 221, 223 | GetConsumerStatusRequestHeader         | topic, group   | String  | yes      |
 * |      |                                            | clientAddr     | String  | no       |
 */
import type { ExtFields } from '../ext-fields.js';
import {
  defineHeaderCodec,
  optionalBoolean,
  optionalInt,
  optionalLong,
  optionalString,
  requiredBoolean,
  requiredLong,
  requiredString,
} from './header-codec.js';

/** GET_TOPIC_STATS_INFO (202) request (Java `GetTopicStatsInfoRequestHeader`). */
export interface GetTopicStatsInfoRequestHeader {
  topic: string;
}

/** GET_CONSUME_STATS (208) request (Java `GetConsumeStatsRequestHeader`). */
export interface GetConsumeStatsRequestHeader {
  consumerGroup: string;
  /** Absent or empty: every topic the group has offsets for. */
  topic?: string;
  /** 5.x: `;`-separated topics. */
  topicList?: string;
}

/** GET_BROKER_CONSUME_STATS (317) request (Java `GetConsumeStatsInBrokerHeader`). */
export interface GetConsumeStatsInBrokerHeader {
  isOrder: boolean;
}

/** GET_CONSUMER_CONNECTION_LIST (203) request (Java `GetConsumerConnectionListRequestHeader`). */
export interface GetConsumerConnectionListRequestHeader {
  consumerGroup: string;
}

/** GET_PRODUCER_CONNECTION_LIST (204) request (Java `GetProducerConnectionListRequestHeader`). */
export interface GetProducerConnectionListRequestHeader {
  producerGroup: string;
}

/** DELETE_SUBSCRIPTIONGROUP (207) request (Java `DeleteSubscriptionGroupRequestHeader`). */
export interface DeleteSubscriptionGroupRequestHeader {
  groupName: string;
  /** 4.9 name of "also delete the group's offsets"; absent means false. */
  removeOffset?: boolean;
  /** 5.x name of the same flag; absent means false. */
  cleanOffset?: boolean;
}

/** QUERY_TOPIC_CONSUME_BY_WHO (300) request (Java `QueryTopicConsumeByWhoRequestHeader`). */
export interface QueryTopicConsumeByWhoRequestHeader {
  topic: string;
}

/** QUERY_CONSUME_TIME_SPAN (303) request (Java `QueryConsumeTimeSpanRequestHeader`). */
export interface QueryConsumeTimeSpanRequestHeader {
  topic: string;
  group: string;
}

/** GET_CONSUMER_RUNNING_INFO (307) request, mqadmin → broker → client (Java `GetConsumerRunningInfoRequestHeader`). */
export interface GetConsumerRunningInfoRequestHeader {
  consumerGroup: string;
  clientId: string;
  /** Include thread stacks; absent means false. */
  jstackEnable?: boolean;
}

/** CONSUME_MESSAGE_DIRECTLY (309) request, mqadmin → broker → client (Java `ConsumeMessageDirectlyResultRequestHeader`). */
export interface ConsumeMessageDirectlyResultRequestHeader {
  consumerGroup: string;
  clientId?: string;
  msgId?: string;
  brokerName?: string;
  /** 5.x only. */
  topic?: string;
  /** 5.x only. */
  topicSysFlag?: number;
  /** 5.x only. */
  groupSysFlag?: number;
}

/** CLONE_GROUP_OFFSET (314) request (Java `CloneGroupOffsetRequestHeader`). */
export interface CloneGroupOffsetRequestHeader {
  srcGroup: string;
  destGroup: string;
  topic?: string;
  /** Absent means false. */
  offline?: boolean;
}

/**
 * INVOKE_BROKER_TO_RESET_OFFSET (222) and RESET_CONSUMER_CLIENT_OFFSET (220) request (Java
 * `ResetOffsetRequestHeader`).
 */
export interface ResetOffsetRequestHeader {
  topic: string;
  group: string;
  /** Target store time in ms since the epoch; −1 = to the max offset (long). */
  timestamp: number;
  /** Also move offsets forward. */
  isForce: boolean;
  /** 5.x: a single queue; absent means −1 (all queues). */
  queueId?: number;
  /** 5.x: an explicit target offset for `queueId` (long). */
  offset?: number;
}

/** GET_BROKER_CONFIG (26) response (Java `GetBrokerConfigResponseHeader`). */
export interface GetBrokerConfigResponseHeader {
  /** The broker config's DataVersion, as JSON text. */
  version: string;
}

/** VIEW_BROKER_STATS_DATA (315) request (Java `ViewBrokerStatsDataRequestHeader`). */
export interface ViewBrokerStatsDataRequestHeader {
  statsName: string;
  statsKey: string;
}

/**
 * QUERY_CONSUME_QUEUE (321) request (Java `QueryConsumeQueueRequestHeader`). Java declares every field
 * without `@CFNotNull`; absent numbers are 0 there.
 */
export interface QueryConsumeQueueRequestHeader {
  topic?: string;
  queueId?: number;
  /** First consume-queue offset to read (long). */
  index?: number;
  /** Number of entries to read. */
  count?: number;
  consumerGroup?: string;
}

/** QUERY_CORRECTION_OFFSET (308) request (Java `QueryCorrectionOffsetHeader`). */
export interface QueryCorrectionOffsetHeader {
  /** Comma-separated groups to filter. */
  filterGroups?: string;
  compareGroup: string;
  topic: string;
}

/**
 * GET_CONSUMER_STATUS_FROM_CLIENT (221) and INVOKE_BROKER_TO_GET_CONSUMER_STATUS (223) request (Java
 * `GetConsumerStatusRequestHeader`).
 */
export interface GetConsumerStatusRequestHeader {
  topic: string;
  group: string;
  /** Only this client (its address); absent = every client of the group. */
  clientAddr?: string;
}

const topicOnly = defineHeaderCodec<GetTopicStatsInfoRequestHeader>({ topic: requiredString() });
const consumeStats = defineHeaderCodec<GetConsumeStatsRequestHeader>({
  consumerGroup: requiredString(),
  topic: optionalString(),
  topicList: optionalString(),
});
const consumeStatsInBroker = defineHeaderCodec<GetConsumeStatsInBrokerHeader>({
  isOrder: requiredBoolean(),
});
const consumerGroupOnly = defineHeaderCodec<GetConsumerConnectionListRequestHeader>({
  consumerGroup: requiredString(),
});
const producerGroupOnly = defineHeaderCodec<GetProducerConnectionListRequestHeader>({
  producerGroup: requiredString(),
});
const deleteSubscriptionGroup = defineHeaderCodec<DeleteSubscriptionGroupRequestHeader>({
  groupName: requiredString(),
  removeOffset: optionalBoolean(),
  cleanOffset: optionalBoolean(),
});
const consumeTimeSpan = defineHeaderCodec<QueryConsumeTimeSpanRequestHeader>({
  topic: requiredString(),
  group: requiredString(),
});
const consumerRunningInfo = defineHeaderCodec<GetConsumerRunningInfoRequestHeader>({
  consumerGroup: requiredString(),
  clientId: requiredString(),
  jstackEnable: optionalBoolean(),
});
const consumeMessageDirectly = defineHeaderCodec<ConsumeMessageDirectlyResultRequestHeader>({
  consumerGroup: requiredString(),
  clientId: optionalString(),
  msgId: optionalString(),
  brokerName: optionalString(),
  topic: optionalString(),
  topicSysFlag: optionalInt(),
  groupSysFlag: optionalInt(),
});
const cloneGroupOffset = defineHeaderCodec<CloneGroupOffsetRequestHeader>({
  srcGroup: requiredString(),
  destGroup: requiredString(),
  topic: optionalString(),
  offline: optionalBoolean(),
});
const resetOffset = defineHeaderCodec<ResetOffsetRequestHeader>({
  topic: requiredString(),
  group: requiredString(),
  timestamp: requiredLong(),
  isForce: requiredBoolean(),
  queueId: optionalInt(),
  offset: optionalLong(),
});
const brokerConfigResponse = defineHeaderCodec<GetBrokerConfigResponseHeader>({
  version: requiredString(),
});
const viewBrokerStatsData = defineHeaderCodec<ViewBrokerStatsDataRequestHeader>({
  statsName: requiredString(),
  statsKey: requiredString(),
});
const queryConsumeQueue = defineHeaderCodec<QueryConsumeQueueRequestHeader>({
  topic: optionalString(),
  queueId: optionalInt(),
  index: optionalLong(),
  count: optionalInt(),
  consumerGroup: optionalString(),
});
const queryCorrectionOffset = defineHeaderCodec<QueryCorrectionOffsetHeader>({
  filterGroups: optionalString(),
  compareGroup: requiredString(),
  topic: requiredString(),
});
const consumerStatus = defineHeaderCodec<GetConsumerStatusRequestHeader>({
  topic: requiredString(),
  group: requiredString(),
  clientAddr: optionalString(),
});

/** Encodes a GET_TOPIC_STATS_INFO request header. Throws HeaderFieldError when `topic` is missing. */
export function encodeGetTopicStatsInfoRequestHeader(h: GetTopicStatsInfoRequestHeader): ExtFields {
  return topicOnly.encode(h);
}
/** Decodes a GET_TOPIC_STATS_INFO request header. Throws HeaderFieldError when `topic` is missing. */
export function decodeGetTopicStatsInfoRequestHeader(
  ext: ExtFields,
): GetTopicStatsInfoRequestHeader {
  return topicOnly.decode(ext);
}
/** Encodes a GET_CONSUME_STATS request header. Throws HeaderFieldError when `consumerGroup` is missing. */
export function encodeGetConsumeStatsRequestHeader(h: GetConsumeStatsRequestHeader): ExtFields {
  return consumeStats.encode(h);
}
/** Decodes a GET_CONSUME_STATS request header. Throws HeaderFieldError when `consumerGroup` is missing. */
export function decodeGetConsumeStatsRequestHeader(ext: ExtFields): GetConsumeStatsRequestHeader {
  return consumeStats.decode(ext);
}
/** Encodes a GET_BROKER_CONSUME_STATS request header. Throws HeaderFieldError when `isOrder` is missing. */
export function encodeGetConsumeStatsInBrokerHeader(h: GetConsumeStatsInBrokerHeader): ExtFields {
  return consumeStatsInBroker.encode(h);
}
/** Decodes a GET_BROKER_CONSUME_STATS request header. Throws HeaderFieldError when `isOrder` is missing. */
export function decodeGetConsumeStatsInBrokerHeader(ext: ExtFields): GetConsumeStatsInBrokerHeader {
  return consumeStatsInBroker.decode(ext);
}
/** Encodes a GET_CONSUMER_CONNECTION_LIST request header. Throws HeaderFieldError when `consumerGroup` is missing. */
export function encodeGetConsumerConnectionListRequestHeader(
  h: GetConsumerConnectionListRequestHeader,
): ExtFields {
  return consumerGroupOnly.encode(h);
}
/** Decodes a GET_CONSUMER_CONNECTION_LIST request header. Throws HeaderFieldError when `consumerGroup` is missing. */
export function decodeGetConsumerConnectionListRequestHeader(
  ext: ExtFields,
): GetConsumerConnectionListRequestHeader {
  return consumerGroupOnly.decode(ext);
}
/** Encodes a GET_PRODUCER_CONNECTION_LIST request header. Throws HeaderFieldError when `producerGroup` is missing. */
export function encodeGetProducerConnectionListRequestHeader(
  h: GetProducerConnectionListRequestHeader,
): ExtFields {
  return producerGroupOnly.encode(h);
}
/** Decodes a GET_PRODUCER_CONNECTION_LIST request header. Throws HeaderFieldError when `producerGroup` is missing. */
export function decodeGetProducerConnectionListRequestHeader(
  ext: ExtFields,
): GetProducerConnectionListRequestHeader {
  return producerGroupOnly.decode(ext);
}
/** Encodes a DELETE_SUBSCRIPTIONGROUP request header. Throws HeaderFieldError when `groupName` is missing. */
export function encodeDeleteSubscriptionGroupRequestHeader(
  h: DeleteSubscriptionGroupRequestHeader,
): ExtFields {
  return deleteSubscriptionGroup.encode(h);
}
/** Decodes a DELETE_SUBSCRIPTIONGROUP request header. Throws HeaderFieldError when `groupName` is missing. */
export function decodeDeleteSubscriptionGroupRequestHeader(
  ext: ExtFields,
): DeleteSubscriptionGroupRequestHeader {
  return deleteSubscriptionGroup.decode(ext);
}
/** Encodes a QUERY_TOPIC_CONSUME_BY_WHO request header. Throws HeaderFieldError when `topic` is missing. */
export function encodeQueryTopicConsumeByWhoRequestHeader(
  h: QueryTopicConsumeByWhoRequestHeader,
): ExtFields {
  return topicOnly.encode(h);
}
/** Decodes a QUERY_TOPIC_CONSUME_BY_WHO request header. Throws HeaderFieldError when `topic` is missing. */
export function decodeQueryTopicConsumeByWhoRequestHeader(
  ext: ExtFields,
): QueryTopicConsumeByWhoRequestHeader {
  return topicOnly.decode(ext);
}
/** Encodes a QUERY_CONSUME_TIME_SPAN request header. Throws HeaderFieldError on a missing field. */
export function encodeQueryConsumeTimeSpanRequestHeader(
  h: QueryConsumeTimeSpanRequestHeader,
): ExtFields {
  return consumeTimeSpan.encode(h);
}
/** Decodes a QUERY_CONSUME_TIME_SPAN request header. Throws HeaderFieldError on a missing key. */
export function decodeQueryConsumeTimeSpanRequestHeader(
  ext: ExtFields,
): QueryConsumeTimeSpanRequestHeader {
  return consumeTimeSpan.decode(ext);
}
/** Encodes a GET_CONSUMER_RUNNING_INFO request header. Throws HeaderFieldError on a missing field. */
export function encodeGetConsumerRunningInfoRequestHeader(
  h: GetConsumerRunningInfoRequestHeader,
): ExtFields {
  return consumerRunningInfo.encode(h);
}
/** Decodes a GET_CONSUMER_RUNNING_INFO request header. Throws HeaderFieldError on a missing key. */
export function decodeGetConsumerRunningInfoRequestHeader(
  ext: ExtFields,
): GetConsumerRunningInfoRequestHeader {
  return consumerRunningInfo.decode(ext);
}
/** Encodes a CONSUME_MESSAGE_DIRECTLY request header. Throws HeaderFieldError on a missing or bad field. */
export function encodeConsumeMessageDirectlyResultRequestHeader(
  h: ConsumeMessageDirectlyResultRequestHeader,
): ExtFields {
  return consumeMessageDirectly.encode(h);
}
/** Decodes a CONSUME_MESSAGE_DIRECTLY request header. Throws HeaderFieldError on a missing or bad key. */
export function decodeConsumeMessageDirectlyResultRequestHeader(
  ext: ExtFields,
): ConsumeMessageDirectlyResultRequestHeader {
  return consumeMessageDirectly.decode(ext);
}
/** Encodes a CLONE_GROUP_OFFSET request header. Throws HeaderFieldError on a missing field. */
export function encodeCloneGroupOffsetRequestHeader(h: CloneGroupOffsetRequestHeader): ExtFields {
  return cloneGroupOffset.encode(h);
}
/** Decodes a CLONE_GROUP_OFFSET request header. Throws HeaderFieldError on a missing key. */
export function decodeCloneGroupOffsetRequestHeader(ext: ExtFields): CloneGroupOffsetRequestHeader {
  return cloneGroupOffset.decode(ext);
}
/** Encodes a reset-offset (222, 220) request header. Throws HeaderFieldError on a missing or bad field. */
export function encodeResetOffsetRequestHeader(h: ResetOffsetRequestHeader): ExtFields {
  return resetOffset.encode(h);
}
/** Decodes a reset-offset (222, 220) request header. Throws HeaderFieldError on a missing or bad key. */
export function decodeResetOffsetRequestHeader(ext: ExtFields): ResetOffsetRequestHeader {
  return resetOffset.decode(ext);
}
/** Encodes a GET_BROKER_CONFIG response header. Throws HeaderFieldError when `version` is missing. */
export function encodeGetBrokerConfigResponseHeader(h: GetBrokerConfigResponseHeader): ExtFields {
  return brokerConfigResponse.encode(h);
}
/** Decodes a GET_BROKER_CONFIG response header. Throws HeaderFieldError when `version` is missing. */
export function decodeGetBrokerConfigResponseHeader(ext: ExtFields): GetBrokerConfigResponseHeader {
  return brokerConfigResponse.decode(ext);
}
/** Encodes a VIEW_BROKER_STATS_DATA request header. Throws HeaderFieldError on a missing field. */
export function encodeViewBrokerStatsDataRequestHeader(
  h: ViewBrokerStatsDataRequestHeader,
): ExtFields {
  return viewBrokerStatsData.encode(h);
}
/** Decodes a VIEW_BROKER_STATS_DATA request header. Throws HeaderFieldError on a missing key. */
export function decodeViewBrokerStatsDataRequestHeader(
  ext: ExtFields,
): ViewBrokerStatsDataRequestHeader {
  return viewBrokerStatsData.decode(ext);
}
/** Encodes a QUERY_CONSUME_QUEUE request header. Throws HeaderFieldError on an out-of-range number. */
export function encodeQueryConsumeQueueRequestHeader(h: QueryConsumeQueueRequestHeader): ExtFields {
  return queryConsumeQueue.encode(h);
}
/** Decodes a QUERY_CONSUME_QUEUE request header. Throws HeaderFieldError on an unparsable number. */
export function decodeQueryConsumeQueueRequestHeader(
  ext: ExtFields,
): QueryConsumeQueueRequestHeader {
  return queryConsumeQueue.decode(ext);
}
/** Encodes a QUERY_CORRECTION_OFFSET request header. Throws HeaderFieldError on a missing field. */
export function encodeQueryCorrectionOffsetHeader(h: QueryCorrectionOffsetHeader): ExtFields {
  return queryCorrectionOffset.encode(h);
}
/** Decodes a QUERY_CORRECTION_OFFSET request header. Throws HeaderFieldError on a missing key. */
export function decodeQueryCorrectionOffsetHeader(ext: ExtFields): QueryCorrectionOffsetHeader {
  return queryCorrectionOffset.decode(ext);
}
/** Encodes a consumer-status (221, 223) request header. Throws HeaderFieldError on a missing field. */
export function encodeGetConsumerStatusRequestHeader(h: GetConsumerStatusRequestHeader): ExtFields {
  return consumerStatus.encode(h);
}
/** Decodes a consumer-status (221, 223) request header. Throws HeaderFieldError on a missing key. */
export function decodeGetConsumerStatusRequestHeader(
  ext: ExtFields,
): GetConsumerStatusRequestHeader {
  return consumerStatus.decode(ext);
}
