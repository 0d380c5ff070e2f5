// @rocketmq-ts/broker: the RocketMQ broker as a library (config, topic table, name server registration).

export {
  BROKER_DEFAULTS,
  REGISTER_PERIOD_MIN_MS,
  REGISTER_PERIOD_MAX_MS,
  resolveBrokerConfig,
  splitNamesrvAddr,
  brokerStoreConfig,
} from './config.js';
export type { BrokerConfig, BrokerConfigInput, BrokerRole } from './config.js';
export { brokerConfigFromProperties } from './broker-properties.js';
export { TopicConfigManager } from './topic/topic-config-manager.js';
export type {
  TopicConfigManagerConfig,
  TopicConfigManagerOptions,
  CreateOrUpdateTopicOptions,
  CreateTopicInSendRequest,
  TopicChangeListener,
} from './topic/topic-config-manager.js';
export {
  PERM_INHERIT,
  PERM_WRITE,
  PERM_READ,
  AUTO_CREATE_TOPIC_KEY_TOPIC,
  SCHEDULE_TOPIC,
  SCHEDULE_TOPIC_QUEUE_NUMS,
  BENCHMARK_TOPIC,
  SELF_TEST_TOPIC,
  OFFSET_MOVED_EVENT,
  TRANS_HALF_TOPIC,
  TRANS_OP_HALF_TOPIC,
  TRANS_CHECK_MAX_TIME_TOPIC,
  TRACE_TOPIC,
  RETRY_GROUP_TOPIC_PREFIX,
  DLQ_GROUP_TOPIC_PREFIX,
  SYSTEM_TOPIC_PREFIX,
  TOPIC_MAX_LENGTH,
  isSystemTopic,
  validateTopicName,
  retryTopicOf,
  dlqTopicOf,
} from './topic/topic-validator.js';
export { NameServerRegistrar } from './registration/name-server-registrar.js';
export type {
  NameServerRegistrarConfig,
  NameServerRegistrarOptions,
  NameServerResult,
} from './registration/name-server-registrar.js';
export { ConsumerOffsetManager } from './offset/consumer-offset-manager.js';
export type {
  ConsumerOffsetManagerOptions,
  ConsumerOffsetStore,
  ConsumerOffsetQuery,
  ConsumerOffsetCommit,
  ClientOffsetQuery,
} from './offset/consumer-offset-manager.js';
export {
  ConsumerManageProcessor,
  QUERY_OFFSET_NOT_FOUND_REMARK,
} from './processors/consumer-manage-processor.js';
export { QueueOffsetProcessor } from './processors/queue-offset-processor.js';
export type { QueueOffsetStore } from './processors/queue-offset-processor.js';
