// @rocketmq-ts/protocol: RocketMQ 4.x remoting codecs. No I/O.

export { RequestCode, GET_ROUTEINTO_BY_TOPIC, requestCodeName } from './codes/request-code.js';
export type { RequestCodeName, RequestCodeValue } from './codes/request-code.js';
export { ResponseCode, isRetriableCode, responseCodeName } from './codes/response-code.js';
export type { ResponseCodeName } from './codes/response-code.js';

export {
  RocketMQError,
  ProtocolError,
  HeaderFieldError,
  BrokerResponseError,
  ConfigError,
} from './errors.js';
export { NOOP_LOGGER, createMemoryLogger, createJsonLinesLogger } from './logger.js';
export type { Logger, LogFields, LogLine, LogLevel } from './logger.js';
export { IntKeyTable } from './int-key-table.js';
export { parseJavaProperties, stringifyJavaProperties } from './config/java-properties.js';
export type { ExtFields } from './ext-fields.js';

export {
  RemotingCommand,
  SerializeType,
  RPC_TYPE_RESPONSE,
  RPC_ONEWAY,
  DEFAULT_MQ_VERSION,
} from './command/remoting-command.js';
export type { SerializeTypeValue, JsonHeaderShape } from './command/remoting-command.js';
export { LanguageCode, languageCodeName, languageCodeNumber } from './command/language-code.js';
export type { LanguageCodeName } from './command/language-code.js';
export {
  FrameDecoder,
  encodeFrame,
  encodeFrameParts,
  decodeFrameContent,
  DEFAULT_MAX_FRAME_BYTES,
} from './command/frame-codec.js';
export type { FrameDecoderOptions } from './command/frame-codec.js';
export { FrameOutbox } from './command/frame-outbox.js';
export { decodeJsonHeader, encodeJsonHeader } from './command/json-header.js';
export {
  decodeBinaryHeader,
  writeBinaryHeader,
  binaryHeaderLength,
  BINARY_HEADER_FIXED_BYTES,
} from './command/binary-header.js';

// ---- typed request/response headers (src/requests) ----
export {
  readRaw,
  parseJavaInt,
  parseJavaLong,
  parseJavaBoolean,
  readRequiredString,
  readOptionalString,
  readRequiredInt,
  readOptionalInt,
  readRequiredLong,
  readOptionalLong,
  readRequiredBoolean,
  readOptionalBoolean,
  formatJavaInt,
  formatJavaLong,
  ExtFieldsWriter,
} from './requests/header-fields.js';
export {
  requiredString,
  optionalString,
  requiredInt,
  optionalInt,
  requiredLong,
  optionalLong,
  requiredBoolean,
  optionalBoolean,
  defineHeaderCodec,
} from './requests/header-codec.js';
export type {
  HeaderFieldType,
  HeaderField,
  HeaderSchema,
  HeaderCodec,
} from './requests/header-codec.js';
export {
  toSendMessageRequestHeaderV2,
  fromSendMessageRequestHeaderV2,
  encodeSendMessageRequestHeaderV1,
  decodeSendMessageRequestHeaderV1,
  encodeSendMessageRequestHeaderV2,
  decodeSendMessageRequestHeaderV2,
  encodeSendMessageRequestHeader,
  decodeSendMessageRequestHeader,
  encodeSendMessageResponseHeader,
  decodeSendMessageResponseHeader,
} from './requests/send-message.js';
export type {
  SendMessageRequestHeader,
  SendMessageRequestHeaderV2,
  SendMessageResponseHeader,
} from './requests/send-message.js';
export {
  PullSysFlag,
  buildPullSysFlag,
  hasPullSysFlag,
  clearPullSysFlag,
  encodePullMessageRequestHeader,
  decodePullMessageRequestHeader,
  encodePullMessageResponseHeader,
  decodePullMessageResponseHeader,
} from './requests/pull-message.js';
export type {
  PullMessageRequestHeader,
  PullMessageResponseHeader,
  PullSysFlagBit,
  PullSysFlagOptions,
} from './requests/pull-message.js';
export {
  encodeQueryConsumerOffsetRequestHeader,
  decodeQueryConsumerOffsetRequestHeader,
  encodeQueryConsumerOffsetResponseHeader,
  decodeQueryConsumerOffsetResponseHeader,
  encodeUpdateConsumerOffsetRequestHeader,
  decodeUpdateConsumerOffsetRequestHeader,
} from './requests/consumer-offset.js';
export type {
  QueryConsumerOffsetRequestHeader,
  QueryConsumerOffsetResponseHeader,
  UpdateConsumerOffsetRequestHeader,
} from './requests/consumer-offset.js';
export {
  encodeGetMaxOffsetRequestHeader,
  decodeGetMaxOffsetRequestHeader,
  encodeGetMaxOffsetResponseHeader,
  decodeGetMaxOffsetResponseHeader,
  encodeGetMinOffsetRequestHeader,
  decodeGetMinOffsetRequestHeader,
  encodeGetMinOffsetResponseHeader,
  decodeGetMinOffsetResponseHeader,
  encodeGetEarliestMsgStoretimeRequestHeader,
  decodeGetEarliestMsgStoretimeRequestHeader,
  encodeGetEarliestMsgStoretimeResponseHeader,
  decodeGetEarliestMsgStoretimeResponseHeader,
  encodeSearchOffsetRequestHeader,
  decodeSearchOffsetRequestHeader,
  encodeSearchOffsetResponseHeader,
  decodeSearchOffsetResponseHeader,
} from './requests/queue-offset.js';
export type {
  BoundaryType,
  GetMaxOffsetRequestHeader,
  GetMinOffsetRequestHeader,
  GetEarliestMsgStoretimeRequestHeader,
  SearchOffsetRequestHeader,
  GetMaxOffsetResponseHeader,
  GetMinOffsetResponseHeader,
  GetEarliestMsgStoretimeResponseHeader,
  SearchOffsetResponseHeader,
} from './requests/queue-offset.js';
export {
  encodeQueryMessageRequestHeader,
  decodeQueryMessageRequestHeader,
  encodeQueryMessageResponseHeader,
  decodeQueryMessageResponseHeader,
  encodeViewMessageRequestHeader,
  decodeViewMessageRequestHeader,
} from './requests/query-message.js';
export type {
  QueryMessageRequestHeader,
  QueryMessageResponseHeader,
  ViewMessageRequestHeader,
} from './requests/query-message.js';
export {
  encodeUnregisterClientRequestHeader,
  decodeUnregisterClientRequestHeader,
  encodeGetConsumerListByGroupRequestHeader,
  decodeGetConsumerListByGroupRequestHeader,
  encodeNotifyConsumerIdsChangedRequestHeader,
  decodeNotifyConsumerIdsChangedRequestHeader,
} from './requests/client-registration.js';
export type {
  UnregisterClientRequestHeader,
  GetConsumerListByGroupRequestHeader,
  NotifyConsumerIdsChangedRequestHeader,
} from './requests/client-registration.js';
export {
  encodeConsumerSendMsgBackRequestHeader,
  decodeConsumerSendMsgBackRequestHeader,
} from './requests/consumer-send-msg-back.js';
export type { ConsumerSendMsgBackRequestHeader } from './requests/consumer-send-msg-back.js';
export {
  TransactionCommitType,
  encodeEndTransactionRequestHeader,
  decodeEndTransactionRequestHeader,
  encodeCheckTransactionStateRequestHeader,
  decodeCheckTransactionStateRequestHeader,
} from './requests/end-transaction.js';
export type {
  TransactionCommitTypeValue,
  EndTransactionRequestHeader,
  CheckTransactionStateRequestHeader,
} from './requests/end-transaction.js';
export {
  encodeRegisterBrokerRequestHeader,
  decodeRegisterBrokerRequestHeader,
  encodeRegisterBrokerResponseHeader,
  decodeRegisterBrokerResponseHeader,
  encodeUnRegisterBrokerRequestHeader,
  decodeUnRegisterBrokerRequestHeader,
  encodeGetRouteInfoRequestHeader,
  decodeGetRouteInfoRequestHeader,
  encodePutKVConfigRequestHeader,
  decodePutKVConfigRequestHeader,
  encodeGetKVConfigRequestHeader,
  decodeGetKVConfigRequestHeader,
  encodeGetKVConfigResponseHeader,
  decodeGetKVConfigResponseHeader,
  encodeDeleteKVConfigRequestHeader,
  decodeDeleteKVConfigRequestHeader,
  encodeGetKVListByNamespaceRequestHeader,
  decodeGetKVListByNamespaceRequestHeader,
  encodeWipeWritePermOfBrokerRequestHeader,
  decodeWipeWritePermOfBrokerRequestHeader,
  encodeWipeWritePermOfBrokerResponseHeader,
  decodeWipeWritePermOfBrokerResponseHeader,
  encodeAddWritePermOfBrokerRequestHeader,
  decodeAddWritePermOfBrokerRequestHeader,
  encodeAddWritePermOfBrokerResponseHeader,
  decodeAddWritePermOfBrokerResponseHeader,
  encodeDeleteTopicFromNamesrvRequestHeader,
  decodeDeleteTopicFromNamesrvRequestHeader,
  encodeGetTopicsByClusterRequestHeader,
  decodeGetTopicsByClusterRequestHeader,
  encodeQueryDataVersionRequestHeader,
  decodeQueryDataVersionRequestHeader,
  encodeQueryDataVersionResponseHeader,
  decodeQueryDataVersionResponseHeader,
} from './requests/namesrv.js';
export type {
  RegisterBrokerRequestHeader,
  RegisterBrokerResponseHeader,
  UnRegisterBrokerRequestHeader,
  GetRouteInfoRequestHeader,
  PutKVConfigRequestHeader,
  GetKVConfigRequestHeader,
  GetKVConfigResponseHeader,
  DeleteKVConfigRequestHeader,
  GetKVListByNamespaceRequestHeader,
  WipeWritePermOfBrokerRequestHeader,
  WipeWritePermOfBrokerResponseHeader,
  AddWritePermOfBrokerRequestHeader,
  AddWritePermOfBrokerResponseHeader,
  DeleteTopicFromNamesrvRequestHeader,
  GetTopicsByClusterRequestHeader,
  QueryDataVersionRequestHeader,
  QueryDataVersionResponseHeader,
} from './requests/namesrv.js';
export {
  encodeCreateTopicRequestHeader,
  decodeCreateTopicRequestHeader,
  encodeDeleteTopicRequestHeader,
  decodeDeleteTopicRequestHeader,
} from './requests/topic-admin.js';
export type { CreateTopicRequestHeader, DeleteTopicRequestHeader } from './requests/topic-admin.js';
export {
  encodeGetTopicStatsInfoRequestHeader,
  decodeGetTopicStatsInfoRequestHeader,
  encodeGetConsumeStatsRequestHeader,
  decodeGetConsumeStatsRequestHeader,
  encodeGetConsumeStatsInBrokerHeader,
  decodeGetConsumeStatsInBrokerHeader,
  encodeGetConsumerConnectionListRequestHeader,
  decodeGetConsumerConnectionListRequestHeader,
  encodeGetProducerConnectionListRequestHeader,
  decodeGetProducerConnectionListRequestHeader,
  encodeDeleteSubscriptionGroupRequestHeader,
  decodeDeleteSubscriptionGroupRequestHeader,
  encodeQueryTopicConsumeByWhoRequestHeader,
  decodeQueryTopicConsumeByWhoRequestHeader,
  encodeQueryConsumeTimeSpanRequestHeader,
  decodeQueryConsumeTimeSpanRequestHeader,
  encodeGetConsumerRunningInfoRequestHeader,
  decodeGetConsumerRunningInfoRequestHeader,
  encodeConsumeMessageDirectlyResultRequestHeader,
  decodeConsumeMessageDirectlyResultRequestHeader,
  encodeCloneGroupOffsetRequestHeader,
  decodeCloneGroupOffsetRequestHeader,
  encodeResetOffsetRequestHeader,
  decodeResetOffsetRequestHeader,
  encodeGetBrokerConfigResponseHeader,
  decodeGetBrokerConfigResponseHeader,
  encodeViewBrokerStatsDataRequestHeader,
  decodeViewBrokerStatsDataRequestHeader,
  encodeQueryConsumeQueueRequestHeader,
  decodeQueryConsumeQueueRequestHeader,
  encodeQueryCorrectionOffsetHeader,
  decodeQueryCorrectionOffsetHeader,
  encodeGetConsumerStatusRequestHeader,
  decodeGetConsumerStatusRequestHeader,
} from './requests/admin.js';
export type {
  GetTopicStatsInfoRequestHeader,
  GetConsumeStatsRequestHeader,
  GetConsumeStatsInBrokerHeader,
  GetConsumerConnectionListRequestHeader,
  GetProducerConnectionListRequestHeader,
  DeleteSubscriptionGroupRequestHeader,
  QueryTopicConsumeByWhoRequestHeader,
  QueryConsumeTimeSpanRequestHeader,
  GetConsumerRunningInfoRequestHeader,
  ConsumeMessageDirectlyResultRequestHeader,
  CloneGroupOffsetRequestHeader,
  ResetOffsetRequestHeader,
  GetBrokerConfigResponseHeader,
  ViewBrokerStatsDataRequestHeader,
  QueryConsumeQueueRequestHeader,
  QueryCorrectionOffsetHeader,
  GetConsumerStatusRequestHeader,
} from './requests/admin.js';

// ---- fastjson-compatible JSON and the JSON bodies (src/json, src/bodies) ----
export { parseFastjson, ObjectKeyMap, FASTJSON_MAX_DEPTH } from './json/fastjson-parse.js';
export type {
  JsonValue,
  JsonObject,
  ObjectKeyEntry,
  ParseFastjsonOptions,
} from './json/fastjson-parse.js';
export {
  writeFastjson,
  encodeFastjson,
  formatJavaDouble,
  FastjsonDouble,
} from './json/fastjson-write.js';
export {
  expectObject,
  parseJsonObject,
  readString,
  requireString,
  readInteger,
  readNumber,
  readBoolean,
  readArray,
  readObject,
  readStringKeyedEntries,
  readObjectKeyedEntries,
  readStringArray,
  readEnum,
  toNumber,
  toInteger,
  toStringValue,
  toStringArray,
  toStringMap,
} from './json/json-read.js';
export {
  messageQueueKey,
  compareMessageQueue,
  messageQueueFromJson,
  messageQueueToJson,
  readMessageQueueEntries,
  messageQueueEntriesToJson,
} from './bodies/message-queue.js';
export type { MessageQueue, MessageQueueEntries } from './bodies/message-queue.js';
export {
  encodeDataVersion,
  decodeDataVersion,
  dataVersionFromJson,
  dataVersionToJson,
} from './bodies/data-version.js';
export type { DataVersion } from './bodies/data-version.js';
export {
  TOPIC_CONFIG_DEFAULTS,
  encodeTopicConfig,
  decodeTopicConfig,
  encodeTopicConfigSerializeWrapper,
  decodeTopicConfigSerializeWrapper,
  encodeTopicConfigLine,
  decodeTopicConfigLine,
  topicConfigFromJson,
  topicConfigToJson,
  topicConfigSerializeWrapperFromJson,
  topicConfigSerializeWrapperToJson,
} from './bodies/topic-config.js';
export type {
  TopicConfig,
  TopicFilterType,
  TopicConfigSerializeWrapper,
} from './bodies/topic-config.js';
export {
  encodeRegisterBrokerBody,
  decodeRegisterBrokerBody,
  REGISTER_BROKER_BODY_MAX_INFLATED_BYTES,
} from './bodies/register-broker-body.js';
export type {
  RegisterBrokerBody,
  EncodeRegisterBrokerBodyOptions,
  DecodeRegisterBrokerBodyOptions,
} from './bodies/register-broker-body.js';
export {
  encodeTopicRouteData,
  decodeTopicRouteData,
  topicRouteDataFromJson,
  topicRouteDataToJson,
  queueDataFromJson,
  brokerDataFromJson,
  brokerDataToJson,
} from './bodies/topic-route-data.js';
export type { TopicRouteData, QueueData, BrokerData } from './bodies/topic-route-data.js';
export { encodeClusterInfo, decodeClusterInfo } from './bodies/cluster-info.js';
export type { ClusterInfo } from './bodies/cluster-info.js';
export { subscriptionDataFromJson, subscriptionDataToJson } from './bodies/subscription-data.js';
export type { SubscriptionData } from './bodies/subscription-data.js';
export {
  encodeHeartbeatData,
  decodeHeartbeatData,
  consumerDataFromJson,
  consumerDataToJson,
  CONSUME_TYPES,
  MESSAGE_MODELS,
  CONSUME_FROM_WHERES,
} from './bodies/heartbeat-data.js';
export type {
  HeartbeatData,
  ProducerData,
  ConsumerData,
  ConsumeType,
  MessageModel,
  ConsumeFromWhere,
} from './bodies/heartbeat-data.js';
export { encodeTopicList, decodeTopicList } from './bodies/topic-list.js';
export type { TopicList } from './bodies/topic-list.js';
export { encodeKVTable, decodeKVTable } from './bodies/kv-table.js';
export type { KVTable } from './bodies/kv-table.js';
export { encodeGroupList, decodeGroupList } from './bodies/group-list.js';
export type { GroupList } from './bodies/group-list.js';
export {
  encodeGetConsumerListByGroupResponseBody,
  decodeGetConsumerListByGroupResponseBody,
} from './bodies/consumer-list-by-group.js';
export type { GetConsumerListByGroupResponseBody } from './bodies/consumer-list-by-group.js';
export {
  encodeConsumerConnection,
  decodeConsumerConnection,
  encodeProducerConnection,
  decodeProducerConnection,
} from './bodies/connection.js';
export type { Connection, ConsumerConnection, ProducerConnection } from './bodies/connection.js';
export { encodeTopicStatsTable, decodeTopicStatsTable } from './bodies/topic-stats-table.js';
export type { TopicStatsTable, TopicOffset } from './bodies/topic-stats-table.js';
export { encodeConsumeStats, decodeConsumeStats } from './bodies/consume-stats.js';
export type { ConsumeStats, OffsetWrapper } from './bodies/consume-stats.js';
export { encodeResetOffsetBody, decodeResetOffsetBody } from './bodies/reset-offset-body.js';
export type { ResetOffsetBody } from './bodies/reset-offset-body.js';
export {
  encodeLockBatchRequestBody,
  decodeLockBatchRequestBody,
  encodeLockBatchResponseBody,
  decodeLockBatchResponseBody,
  encodeUnlockBatchRequestBody,
  decodeUnlockBatchRequestBody,
} from './bodies/lock-batch.js';
export type {
  LockBatchRequestBody,
  LockBatchResponseBody,
  UnlockBatchRequestBody,
} from './bodies/lock-batch.js';
export {
  SUBSCRIPTION_GROUP_CONFIG_DEFAULTS,
  encodeSubscriptionGroupConfig,
  decodeSubscriptionGroupConfig,
  encodeSubscriptionGroupWrapper,
  decodeSubscriptionGroupWrapper,
  subscriptionGroupConfigFromJson,
  subscriptionGroupConfigToJson,
} from './bodies/subscription-group-config.js';
export type {
  SubscriptionGroupConfig,
  SubscriptionGroupWrapper,
} from './bodies/subscription-group-config.js';
export {
  encodeConsumerOffsetTable,
  decodeConsumerOffsetTable,
  encodeDelayOffsetTable,
  decodeDelayOffsetTable,
} from './bodies/offset-tables.js';
export type { ConsumerOffsetTable, DelayOffsetTable } from './bodies/offset-tables.js';

// ---- the stored message record and message helpers (src/message) ----
export {
  MessageSysFlag,
  CompressionType,
  getTransactionValue,
  resetTransactionValue,
  clearCompressedFlag,
  getCompressionType,
  setCompressionType,
} from './message/message-sys-flag.js';
export { MessageConst } from './message/message-const.js';
export {
  NAME_VALUE_SEPARATOR,
  PROPERTY_SEPARATOR,
  MAX_PROPERTIES_BYTES,
  encodeMessageProperties,
  decodeMessageProperties,
  messagePropertiesByteLength,
  propertiesToWire,
  pickMessageProperties,
  forEachMessageProperty,
} from './message/properties.js';
export type { MessagePropertiesInput } from './message/properties.js';
export { parseIpAddress, formatIpAddress, parseIPv4ToUint32 } from './message/host-address.js';
export type { HostAddress } from './message/host-address.js';
export { crc32, messageBodyCrc } from './message/body-crc.js';
export {
  COMPRESS_MSG_BODY_OVER_HOWMUCH_DEFAULT,
  COMPRESS_LEVEL_DEFAULT,
  compressBody,
  decompressBody,
} from './message/compression.js';
export type {
  CompressBodyOptions,
  CompressedBody,
  DecompressBodyOptions,
} from './message/compression.js';
export {
  RecordPosition,
  MESSAGE_MAGIC_CODE_V1,
  MESSAGE_MAGIC_CODE_V2,
  BLANK_MAGIC_CODE,
  bornHostLength,
  storeHostLength,
  storeTimestampPosition,
  bodyLengthPosition,
  readRecordTotalSize,
  readRecordMagicCode,
  readRecordBodyCrc,
  readRecordQueueId,
  readRecordQueueOffset,
  readRecordPhyOffset,
  readRecordSysFlag,
  readRecordBornTimestamp,
  readRecordStoreTimestamp,
  recordTopicOffset,
  readRecordTopic,
  recordPropertiesOffset,
  readRecordPropertiesString,
  writeRecordQueueOffset,
  writeRecordPhyOffset,
  writeRecordStoreTimestamp,
} from './message/record-fields.js';
export {
  MAX_TOPIC_BYTES_V1,
  MAX_TOPIC_BYTES_V2,
  messageRecordSize,
  encodeMessageRecord,
  encodeMessageRecordInto,
} from './message/message-record.js';
export type {
  MessageRecord,
  MessageRecordInput,
  MessageRecordSizeInput,
} from './message/message-record.js';
export { MessageRecordWriter } from './message/message-record-writer.js';
export type { RecordFields } from './message/message-record-writer.js';
export { decodeMessageRecord, decodeMessageRecords } from './message/message-record-decoder.js';
export type {
  DecodeMessageRecordOptions,
  DecodedRecordEntry,
} from './message/message-record-decoder.js';
export { BATCH_ENTRY_OVERHEAD, encodeBatchBody, decodeBatchBody } from './message/batch-body.js';
export type { BatchMessageInput, BatchMessageEntry } from './message/batch-body.js';
export {
  createOffsetMessageId,
  parseOffsetMessageId,
  createUniqIdGenerator,
  parseUniqId,
} from './message/message-id.js';
export type {
  OffsetMessageId,
  UniqIdGeneratorOptions,
  UniqIdGenerator,
  UniqIdInfo,
} from './message/message-id.js';
export {
  javaStringHashCode,
  tagsString2tagsCode,
  parseSubscriptionExpression,
  SUB_ALL,
} from './message/tags-hash.js';
export type { TagSubscription } from './message/tags-hash.js';
