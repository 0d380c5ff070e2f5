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
  SYSTEM_TOPIC_LIST,
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
  ClientCommitListener,
} from './offset/consumer-offset-manager.js';
export {
  ConsumerManageProcessor,
  QUERY_OFFSET_NOT_FOUND_REMARK,
} from './processors/consumer-manage-processor.js';
export { QueueOffsetProcessor } from './processors/queue-offset-processor.js';
export type { QueueOffsetStore } from './processors/queue-offset-processor.js';
export { BrokerController } from './broker-controller.js';
export type { BrokerControllerOptions } from './broker-controller.js';
export type { BrokerContext, BrokerRuntimeConfig } from './broker-context.js';
export { BrokerHaState, SLAVE_SYNC_INTERVAL_MS } from './ha-state/broker-ha-state.js';
export type { BrokerHaStatus, BrokerHaStateOptions } from './ha-state/broker-ha-state.js';
export {
  SlaveSynchronize,
  SLAVE_SYNC_INITIAL_DELAY_MS,
  SLAVE_SYNC_TIMEOUT_MS,
} from './slave/slave-synchronize.js';
export type { SlaveSynchronizeOptions, SlaveSyncOutcome } from './slave/slave-synchronize.js';
export { ClientOffsetJournal, offsetTableKey } from './slave/client-offset-journal.js';
export type { JournaledOffset } from './slave/client-offset-journal.js';
export {
  SlaveRefusalProcessor,
  SLAVE_REFUSED_CODES,
} from './processors/slave-refusal-processor.js';
export { brokerProcessors } from './broker-processors.js';
export type { BrokerServices, BuiltProcessors } from './broker-processors.js';
export {
  SubscriptionGroupManager,
  defaultGroupConfig,
} from './subscription/subscription-group-manager.js';
export type { SubscriptionGroupManagerOptions } from './subscription/subscription-group-manager.js';
export { ConsumerManager } from './client/consumer-manager.js';
export type {
  ConsumerMember,
  ConsumerGroupInfo,
  SubscriptionMismatch,
  ConsumerRegistration,
  ConsumerGroupChangeListener,
} from './client/consumer-manager.js';
export { ProducerManager } from './client/producer-manager.js';
export { CLIENT_CHANNEL_EXPIRED_MS } from './client/client-channel.js';
export type { ClientChannelInfo } from './client/client-channel.js';
export { PullRequestHoldService } from './long-polling/pull-request-hold-service.js';
export type { ParkRequest, WakeReason } from './long-polling/pull-request-hold-service.js';
export { SendMessageProcessor } from './processors/send-message-processor.js';
export type {
  SendMessageProcessorOptions,
  ScheduleRewriter,
} from './processors/send-message-processor.js';
export { PullMessageProcessor } from './processors/pull-message-processor.js';
export type { PullMessageProcessorOptions } from './processors/pull-message-processor.js';
export { ClientManageProcessor } from './processors/client-manage-processor.js';
export type { ClientManageProcessorOptions } from './processors/client-manage-processor.js';
export {
  RebalanceLockManager,
  REBALANCE_LOCK_MAX_LIVE_TIME_MS,
} from './lock/rebalance-lock-manager.js';
export type {
  RebalanceLockManagerOptions,
  RebalanceLockRequest,
} from './lock/rebalance-lock-manager.js';
export { LockProcessor } from './processors/lock-processor.js';
export type { LockProcessorOptions } from './processors/lock-processor.js';
export {
  QueryMessageProcessor,
  QUERY_MESSAGE_NOT_FOUND_REMARK,
  DEFAULT_QUERY_MAX_NUM,
  MAX_MSGS_NUM_BATCH,
} from './processors/query-message-processor.js';
export type {
  QueryMessageStore,
  QueryMessageProcessorOptions,
} from './processors/query-message-processor.js';
export { ScheduleMessageService } from './schedule/schedule-message-service.js';
export type {
  ScheduleMessageServiceOptions,
  ScheduleMessageStore,
} from './schedule/schedule-message-service.js';
export {
  toScheduleMessage,
  delayLevelOf,
  propertiesMapOf,
} from './schedule/to-schedule-message.js';
export { SendBackProcessor } from './processors/send-back-processor.js';
export type { SendBackProcessorOptions } from './processors/send-back-processor.js';
export {
  TopicAdminProcessor,
  TOPIC_ADMIN_CODES,
} from './processors/admin/topic-admin-processor.js';
export {
  GroupAdminProcessor,
  GROUP_ADMIN_CODES,
} from './processors/admin/group-admin-processor.js';
export {
  StatsAdminProcessor,
  STATS_ADMIN_CODES,
} from './processors/admin/stats-admin-processor.js';
export {
  ConnectionAdminProcessor,
  CONNECTION_ADMIN_CODES,
  SUBSCRIPTION_MISMATCH_EXT_FIELD,
  encodeSubscriptionMismatches,
} from './processors/admin/connection-admin-processor.js';
export {
  ConsumerCallProcessor,
  CONSUMER_CALL_CODES,
  CONSUMER_CALL_TIMEOUT_MS,
} from './processors/admin/consumer-call-processor.js';
export type { ConsumerCallProcessorOptions } from './processors/admin/consumer-call-processor.js';
export {
  ConfigAdminProcessor,
  CONFIG_ADMIN_CODES,
} from './processors/admin/config-admin-processor.js';
export {
  OffsetAdminProcessor,
  OFFSET_ADMIN_CODES,
} from './processors/admin/offset-admin-processor.js';
export {
  RuntimeInfoProcessor,
  RUNTIME_INFO_CODES,
} from './processors/admin/runtime-info-processor.js';
export {
  BrokerRuntimeStats,
  RUNTIME_STATS_SAMPLE_INTERVAL_MS,
} from './processors/admin/broker-runtime-stats.js';
export type {
  BrokerRuntimeStatsOptions,
  DailyTotals,
  RuntimeTps,
} from './processors/admin/broker-runtime-stats.js';
export { SLAVE_REFUSAL_REMARK } from './processors/admin/admin-request-guards.js';
export { EndTransactionProcessor } from './transaction/end-transaction-processor.js';
export type { EndTransactionProcessorOptions } from './transaction/end-transaction-processor.js';
export { TransactionCheckService } from './transaction/transaction-check-service.js';
export type {
  TransactionCheckServiceOptions,
  TransactionCheckRound,
} from './transaction/transaction-check-service.js';
export {
  TRANSACTION_CHECK_GROUP,
  OP_REMOVE_TAG,
  toHalfMessage,
  toCommittedMessage,
  toOpMessage,
} from './transaction/half-message.js';
export {
  EXPRESSION_TYPE_SQL92,
  Sql92FilterCache,
  compileSql92,
  isTagExpressionType,
} from './filter/sql92-filter.js';
export type { Sql92Filter, Sql92FilterCacheOptions } from './filter/sql92-filter.js';
export { SqlParseError } from './filter/sql-tokenizer.js';
export { parseSql92 } from './filter/sql-parser.js';
export type { SqlNode, SqlValue, SqlCompareOp } from './filter/sql-parser.js';
export { matchesSql92 } from './filter/sql-evaluator.js';
export type { SqlProperties } from './filter/sql-evaluator.js';
export { decodeCheckClientRequestBody } from './filter/check-client-body.js';
export type { CheckClientRequestBody } from './filter/check-client-body.js';
export { TimerMessageService } from './timer/timer-message-service.js';
export type {
  TimerMessageServiceOptions,
  TimerMessageStore,
  TimerServiceStats,
} from './timer/timer-message-service.js';
export {
  TIMER_TOPIC,
  PROPERTY_START_DELIVER_TIME,
  timerDeliverTimeOf,
  toTimerMessage,
  timerRewriterOf,
} from './timer/to-timer-message.js';
export type { TimerDeliverTime, TimerLimits, TimerRewriter } from './timer/to-timer-message.js';
