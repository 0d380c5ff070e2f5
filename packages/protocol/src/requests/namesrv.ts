/**
 * NameServer request and response headers (Java `…/protocol/header/namesrv/*`).
 *
 * | code | header                                   | key                    | type    | required |
 * |------|------------------------------------------|------------------------|---------|----------|
 * | 103  | RegisterBrokerRequestHeader              | brokerName             | String  | yes      |
 * |      |                                          | brokerAddr             | String  | yes      |
 * |      |                                          | clusterName            | String  | yes      |
 * |      |                                          | haServerAddr           | String  | yes      |
 * |      |                                          | brokerId               | long    | yes      |
 * |      |                                          | heartbeatTimeoutMillis | Long    | no (5.x) |
 * |      |                                          | enableActingMaster     | Boolean | no (5.x) |
 * |      |                                          | compressed             | boolean | no       |
 * |      |                                          | bodyCrc32              | Integer | no       |
 * |      |                                          | zoneName               | String  | no (5.x extra extField) |
 * | 103  | RegisterBrokerResponseHeader             | haServerAddr           | String  | no       |
 * |      |                                          | masterAddr             | String  | no       |
 * | 104  | UnRegisterBrokerRequestHeader            | brokerName, brokerAddr, clusterName | String | yes |
 * |      |                                          | brokerId               | long    | yes      |
 * | 105  | GetRouteInfoRequestHeader                | topic                  | String  | yes      |
 * |      |                                          | acceptStandardJsonOnly | Boolean | no       |
 * | 100  | PutKVConfigRequestHeader                 | namespace, key, value  | String  | yes      |
 * | 101  | GetKVConfigRequestHeader                 | namespace, key         | String  | yes      |
 * | 101  | GetKVConfigResponseHeader                | value                  | String  | no       |
 * | 102  | DeleteKVConfigRequestHeader              | namespace, key         | String  | yes      |
 * | 219  | GetKVListByNamespaceRequestHeader        | namespace              | String  | yes      |
 * | 205  | WipeWritePermOfBrokerRequestHeader       | brokerName             | String  | yes      |
 * | 205  | WipeWritePermOfBrokerResponseHeader      | wipeTopicCount         | int     | yes      |
 * | 327  | AddWritePermOfBrokerRequestHeader        | brokerName             | String  | yes      |
 * | 327  | AddWritePermOfBrokerResponseHeader       | addTopicCount          | int     | yes      |
 * | 216  | DeleteTopicFromNamesrvRequestHeader      | topic                  | String  | yes      |
 * |      |                                          | clusterName            | String  | no (5.x) |
 * | 224  | GetTopicsByClusterRequestHeader          | cluster                | String  | yes      |
 * | 322  | QueryDataVersionRequestHeader            | brokerName, brokerAddr, clusterName | String | yes |
 * |      |                                          | brokerId               | long    | yes      |
 * | 322  | QueryDataVersionResponseHeader           | changed                | Boolean | yes      |
 */
import type { ExtFields } from '../ext-fields.js';
import {
  defineHeaderCodec,
  optionalBoolean,
  optionalInt,
  optionalLong,
  optionalString,
  requiredBoolean,
  requiredInt,
  requiredLong,
  requiredString,
} from './header-codec.js';

/** Header of REGISTER_BROKER (103); the body is RegisterBrokerBody. */
export interface RegisterBrokerRequestHeader {
  /** Broker set name. */
  brokerName: string;
  /** `ip:port` clients use. */
  brokerAddr: string;
  clusterName: string;
  /** `brokerIP2:haListenPort`. */
  haServerAddr: string;
  /** 0 = master, > 0 = slave (long). */
  brokerId: number;
  /** 5.x: how long the NameServer keeps the broker without a registration, ms (long). */
  heartbeatTimeoutMillis?: number;
  /** 5.x only. */
  enableActingMaster?: boolean;
  /** The body uses the compressed layout; absent means false. */
  compressed?: boolean;
  /** CRC32 of the body masked to 31 bits; absent or 0 means not checked. */
  bodyCrc32?: number;
  /** 5.x extra extField. */
  zoneName?: string;
}

/** Header of a REGISTER_BROKER response. */
export interface RegisterBrokerResponseHeader {
  haServerAddr?: string;
  /** The master's address, for a registering slave. */
  masterAddr?: string;
}

/** Header of UNREGISTER_BROKER (104). */
export interface UnRegisterBrokerRequestHeader {
  brokerName: string;
  brokerAddr: string;
  clusterName: string;
  /** long. */
  brokerId: number;
}

/** Header of GET_ROUTEINFO_BY_TOPIC (105). */
export interface GetRouteInfoRequestHeader {
  topic: string;
  acceptStandardJsonOnly?: boolean;
}

/** Header of PUT_KV_CONFIG (100). */
export interface PutKVConfigRequestHeader {
  namespace: string;
  key: string;
  value: string;
}

/** Header of GET_KV_CONFIG (101). */
export interface GetKVConfigRequestHeader {
  namespace: string;
  key: string;
}

/** Header of a GET_KV_CONFIG response. */
export interface GetKVConfigResponseHeader {
  value?: string;
}

/** Header of DELETE_KV_CONFIG (102). */
export interface DeleteKVConfigRequestHeader {
  namespace: string;
  key: string;
}

/** Header of GET_KVLIST_BY_NAMESPACE (219). */
export interface GetKVListByNamespaceRequestHeader {
  namespace: string;
}

/** Header of WIPE_WRITE_PERM_OF_BROKER (205). */
export interface WipeWritePermOfBrokerRequestHeader {
  brokerName: string;
}

/** Header of a WIPE_WRITE_PERM_OF_BROKER response. */
export interface WipeWritePermOfBrokerResponseHeader {
  /** Number of topics whose write permission was removed. */
  wipeTopicCount: number;
}

/** Header of ADD_WRITE_PERM_OF_BROKER (327). */
export interface AddWritePermOfBrokerRequestHeader {
  brokerName: string;
}

/** Header of an ADD_WRITE_PERM_OF_BROKER response. */
export interface AddWritePermOfBrokerResponseHeader {
  /** Number of topics whose write permission was restored. */
  addTopicCount: number;
}

/** Header of DELETE_TOPIC_IN_NAMESRV (216). */
export interface DeleteTopicFromNamesrvRequestHeader {
  topic: string;
  /** 5.x: only remove the topic from this cluster's brokers. */
  clusterName?: string;
}

/** Header of GET_TOPICS_BY_CLUSTER (224). */
export interface GetTopicsByClusterRequestHeader {
  cluster: string;
}

/** Header of QUERY_DATA_VERSION (322); the body is the broker's DataVersion. */
export interface QueryDataVersionRequestHeader {
  brokerName: string;
  brokerAddr: string;
  clusterName: string;
  /** long. */
  brokerId: number;
}

/** Header of a QUERY_DATA_VERSION response. */
export interface QueryDataVersionResponseHeader {
  /** True when the NameServer's DataVersion for this broker differs from the one sent. */
  changed: boolean;
}

const registerBroker = defineHeaderCodec<RegisterBrokerRequestHeader>({
  brokerName: requiredString(),
  brokerAddr: requiredString(),
  clusterName: requiredString(),
  haServerAddr: requiredString(),
  brokerId: requiredLong(),
  heartbeatTimeoutMillis: optionalLong(),
  enableActingMaster: optionalBoolean(),
  compressed: optionalBoolean(),
  bodyCrc32: optionalInt(),
  zoneName: optionalString(),
});
const registerBrokerResponse = defineHeaderCodec<RegisterBrokerResponseHeader>({
  haServerAddr: optionalString(),
  masterAddr: optionalString(),
});
const brokerIdentity = defineHeaderCodec<UnRegisterBrokerRequestHeader>({
  brokerName: requiredString(),
  brokerAddr: requiredString(),
  clusterName: requiredString(),
  brokerId: requiredLong(),
});
const getRouteInfo = defineHeaderCodec<GetRouteInfoRequestHeader>({
  topic: requiredString(),
  acceptStandardJsonOnly: optionalBoolean(),
});
const putKVConfig = defineHeaderCodec<PutKVConfigRequestHeader>({
  namespace: requiredString(),
  key: requiredString(),
  value: requiredString(),
});
const kvKey = defineHeaderCodec<GetKVConfigRequestHeader>({
  namespace: requiredString(),
  key: requiredString(),
});
const getKVConfigResponse = defineHeaderCodec<GetKVConfigResponseHeader>({
  value: optionalString(),
});
const kvNamespace = defineHeaderCodec<GetKVListByNamespaceRequestHeader>({
  namespace: requiredString(),
});
const brokerNameOnly = defineHeaderCodec<WipeWritePermOfBrokerRequestHeader>({
  brokerName: requiredString(),
});
const wipeWritePermResponse = defineHeaderCodec<WipeWritePermOfBrokerResponseHeader>({
  wipeTopicCount: requiredInt(),
});
const addWritePermResponse = defineHeaderCodec<AddWritePermOfBrokerResponseHeader>({
  addTopicCount: requiredInt(),
});
const deleteTopicFromNamesrv = defineHeaderCodec<DeleteTopicFromNamesrvRequestHeader>({
  topic: requiredString(),
  clusterName: optionalString(),
});
const topicsByCluster = defineHeaderCodec<GetTopicsByClusterRequestHeader>({
  cluster: requiredString(),
});
const queryDataVersionResponse = defineHeaderCodec<QueryDataVersionResponseHeader>({
  changed: requiredBoolean(),
});

/** Encodes a REGISTER_BROKER request header. Throws HeaderFieldError on a missing or bad field. */
export function encodeRegisterBrokerRequestHeader(h: RegisterBrokerRequestHeader): ExtFields {
  return registerBroker.encode(h);
}
/** Decodes a REGISTER_BROKER request header. Throws HeaderFieldError on a missing or bad key. */
export function decodeRegisterBrokerRequestHeader(ext: ExtFields): RegisterBrokerRequestHeader {
  return registerBroker.decode(ext);
}
/** Encodes a REGISTER_BROKER response header. Never throws. */
export function encodeRegisterBrokerResponseHeader(h: RegisterBrokerResponseHeader): ExtFields {
  return registerBrokerResponse.encode(h);
}
/** Decodes a REGISTER_BROKER response header. Throws HeaderFieldError only for a non-string value. */
export function decodeRegisterBrokerResponseHeader(ext: ExtFields): RegisterBrokerResponseHeader {
  return registerBrokerResponse.decode(ext);
}
/** Encodes an UNREGISTER_BROKER request header. Throws HeaderFieldError on a missing or bad field. */
export function encodeUnRegisterBrokerRequestHeader(h: UnRegisterBrokerRequestHeader): ExtFields {
  return brokerIdentity.encode(h);
}
/** Decodes an UNREGISTER_BROKER request header. Throws HeaderFieldError on a missing or bad key. */
export function decodeUnRegisterBrokerRequestHeader(ext: ExtFields): UnRegisterBrokerRequestHeader {
  return brokerIdentity.decode(ext);
}
/** Encodes a GET_ROUTEINFO_BY_TOPIC request header. Throws HeaderFieldError when `topic` is missing. */
export function encodeGetRouteInfoRequestHeader(h: GetRouteInfoRequestHeader): ExtFields {
  return getRouteInfo.encode(h);
}
/** Decodes a GET_ROUTEINFO_BY_TOPIC request header. Throws HeaderFieldError when `topic` is missing. */
export function decodeGetRouteInfoRequestHeader(ext: ExtFields): GetRouteInfoRequestHeader {
  return getRouteInfo.decode(ext);
}
/** Encodes a PUT_KV_CONFIG request header. Throws HeaderFieldError on a missing field. */
export function encodePutKVConfigRequestHeader(h: PutKVConfigRequestHeader): ExtFields {
  return putKVConfig.encode(h);
}
/** Decodes a PUT_KV_CONFIG request header. Throws HeaderFieldError on a missing key. */
export function decodePutKVConfigRequestHeader(ext: ExtFields): PutKVConfigRequestHeader {
  return putKVConfig.decode(ext);
}
/** Encodes a GET_KV_CONFIG request header. Throws HeaderFieldError on a missing field. */
export function encodeGetKVConfigRequestHeader(h: GetKVConfigRequestHeader): ExtFields {
  return kvKey.encode(h);
}
/** Decodes a GET_KV_CONFIG request header. Throws HeaderFieldError on a missing key. */
export function decodeGetKVConfigRequestHeader(ext: ExtFields): GetKVConfigRequestHeader {
  return kvKey.decode(ext);
}
/** Encodes a GET_KV_CONFIG response header. Never throws. */
export function encodeGetKVConfigResponseHeader(h: GetKVConfigResponseHeader): ExtFields {
  return getKVConfigResponse.encode(h);
}
/** Decodes a GET_KV_CONFIG response header. Throws HeaderFieldError only for a non-string value. */
export function decodeGetKVConfigResponseHeader(ext: ExtFields): GetKVConfigResponseHeader {
  return getKVConfigResponse.decode(ext);
}
/** Encodes a DELETE_KV_CONFIG request header. Throws HeaderFieldError on a missing field. */
export function encodeDeleteKVConfigRequestHeader(h: DeleteKVConfigRequestHeader): ExtFields {
  return kvKey.encode(h);
}
/** Decodes a DELETE_KV_CONFIG request header. Throws HeaderFieldError on a missing key. */
export function decodeDeleteKVConfigRequestHeader(ext: ExtFields): DeleteKVConfigRequestHeader {
  return kvKey.decode(ext);
}
/** Encodes a GET_KVLIST_BY_NAMESPACE request header. Throws HeaderFieldError when `namespace` is missing. */
export function encodeGetKVListByNamespaceRequestHeader(
  h: GetKVListByNamespaceRequestHeader,
): ExtFields {
  return kvNamespace.encode(h);
}
/** Decodes a GET_KVLIST_BY_NAMESPACE request header. Throws HeaderFieldError when `namespace` is missing. */
export function decodeGetKVListByNamespaceRequestHeader(
  ext: ExtFields,
): GetKVListByNamespaceRequestHeader {
  return kvNamespace.decode(ext);
}
/** Encodes a WIPE_WRITE_PERM_OF_BROKER request header. Throws HeaderFieldError when `brokerName` is missing. */
export function encodeWipeWritePermOfBrokerRequestHeader(
  h: WipeWritePermOfBrokerRequestHeader,
): ExtFields {
  return brokerNameOnly.encode(h);
}
/** Decodes a WIPE_WRITE_PERM_OF_BROKER request header. Throws HeaderFieldError when `brokerName` is missing. */
export function decodeWipeWritePermOfBrokerRequestHeader(
  ext: ExtFields,
): WipeWritePermOfBrokerRequestHeader {
  return brokerNameOnly.decode(ext);
}
/** Encodes a WIPE_WRITE_PERM_OF_BROKER response header. Throws HeaderFieldError on a missing or bad field. */
export function encodeWipeWritePermOfBrokerResponseHeader(
  h: WipeWritePermOfBrokerResponseHeader,
): ExtFields {
  return wipeWritePermResponse.encode(h);
}
/** Decodes a WIPE_WRITE_PERM_OF_BROKER response header. Throws HeaderFieldError on a missing or bad key. */
export function decodeWipeWritePermOfBrokerResponseHeader(
  ext: ExtFields,
): WipeWritePermOfBrokerResponseHeader {
  return wipeWritePermResponse.decode(ext);
}
/** Encodes an ADD_WRITE_PERM_OF_BROKER request header. Throws HeaderFieldError when `brokerName` is missing. */
export function encodeAddWritePermOfBrokerRequestHeader(
  h: AddWritePermOfBrokerRequestHeader,
): ExtFields {
  return brokerNameOnly.encode(h);
}
/** Decodes an ADD_WRITE_PERM_OF_BROKER request header. Throws HeaderFieldError when `brokerName` is missing. */
export function decodeAddWritePermOfBrokerRequestHeader(
  ext: ExtFields,
): AddWritePermOfBrokerRequestHeader {
  return brokerNameOnly.decode(ext);
}
/** Encodes an ADD_WRITE_PERM_OF_BROKER response header. Throws HeaderFieldError on a missing or bad field. */
export function encodeAddWritePermOfBrokerResponseHeader(
  h: AddWritePermOfBrokerResponseHeader,
): ExtFields {
  return addWritePermResponse.encode(h);
}
/** Decodes an ADD_WRITE_PERM_OF_BROKER response header. Throws HeaderFieldError on a missing or bad key. */
export function decodeAddWritePermOfBrokerResponseHeader(
  ext: ExtFields,
): AddWritePermOfBrokerResponseHeader {
  return addWritePermResponse.decode(ext);
}
/** Encodes a DELETE_TOPIC_IN_NAMESRV request header. Throws HeaderFieldError when `topic` is missing. */
export function encodeDeleteTopicFromNamesrvRequestHeader(
  h: DeleteTopicFromNamesrvRequestHeader,
): ExtFields {
  return deleteTopicFromNamesrv.encode(h);
}
/** Decodes a DELETE_TOPIC_IN_NAMESRV request header. Throws HeaderFieldError when `topic` is missing. */
export function decodeDeleteTopicFromNamesrvRequestHeader(
  ext: ExtFields,
): DeleteTopicFromNamesrvRequestHeader {
  return deleteTopicFromNamesrv.decode(ext);
}
/** Encodes a GET_TOPICS_BY_CLUSTER request header. Throws HeaderFieldError when `cluster` is missing. */
export function encodeGetTopicsByClusterRequestHeader(
  h: GetTopicsByClusterRequestHeader,
): ExtFields {
  return topicsByCluster.encode(h);
}
/** Decodes a GET_TOPICS_BY_CLUSTER request header. Throws HeaderFieldError when `cluster` is missing. */
export function decodeGetTopicsByClusterRequestHeader(
  ext: ExtFields,
): GetTopicsByClusterRequestHeader {
  return topicsByCluster.decode(ext);
}
/** Encodes a QUERY_DATA_VERSION request header. Throws HeaderFieldError on a missing or bad field. */
export function encodeQueryDataVersionRequestHeader(h: QueryDataVersionRequestHeader): ExtFields {
  return brokerIdentity.encode(h);
}
/** Decodes a QUERY_DATA_VERSION request header. Throws HeaderFieldError on a missing or bad key. */
export function decodeQueryDataVersionRequestHeader(ext: ExtFields): QueryDataVersionRequestHeader {
  return brokerIdentity.decode(ext);
}
/** Encodes a QUERY_DATA_VERSION response header. Throws HeaderFieldError when `changed` is missing. */
export function encodeQueryDataVersionResponseHeader(h: QueryDataVersionResponseHeader): ExtFields {
  return queryDataVersionResponse.encode(h);
}
/** Decodes a QUERY_DATA_VERSION response header. Throws HeaderFieldError when `changed` is missing. */
export function decodeQueryDataVersionResponseHeader(
  ext: ExtFields,
): QueryDataVersionResponseHeader {
  return queryDataVersionResponse.decode(ext);
}
