// @rocketmq-ts/client: RocketMQ 4.x client for Node (Producer, PushConsumer, LitePullConsumer, admin API).

export { CLIENT_DEFAULTS, resolveClientConfig, buildClientId, splitAddrs } from './config.js';
export type { ClientConfig, ClientConfigInput } from './config.js';
export { MQClientError, MQBrokerError } from './errors.js';
export { MQClientAPI, CLIENT_VERSION, expectCode } from './api/mq-client-api.js';
export type { MQClientAPIOptions, QueueOffsetRef } from './api/mq-client-api.js';
export { MQClientInstance, REBALANCE_INTERVAL_MS } from './client-instance.js';
export type { ProducerMember, ConsumerMember } from './client-instance.js';
export {
  topicRouteToPublishInfo,
  topicRouteToSubscribeInfo,
  compareMessageQueues,
  messageQueueKey,
} from './route/topic-route-info.js';
export type { TopicPublishInfo } from './route/topic-route-info.js';
export {
  findBrokerAddressInAdmin,
  findBrokerAddressInPublish,
  findBrokerAddressInSubscribe,
} from './route/broker-addr-lookup.js';
export type { FindBrokerResult } from './route/broker-addr-lookup.js';
export { messageExtFromRecord } from './message/message.js';
export type { Message, MessageExt } from './message/message.js';
export { Producer } from './producer/producer.js';
export type { SendOptions, SendOnewayOptions, SendBatchOptions } from './producer/producer.js';
export {
  PRODUCER_DEFAULTS,
  DEFAULT_PRODUCER_GROUP,
  resolveProducerConfig,
} from './producer/producer-config.js';
export type {
  ProducerConfig,
  ProducerConfigInput,
  ProducerOptions,
} from './producer/producer-config.js';
export { selectByHash, selectByRandom } from './producer/queue-selectors.js';
export type { MessageQueueSelector } from './producer/queue-selectors.js';
export { DEFAULT_REGION_ID } from './producer/send-result.js';
export type { SendResult, SendStatus } from './producer/send-result.js';
export { PushConsumer } from './consumer/push-consumer.js';
export type { PushConsumerInit, PushConsumerState } from './consumer/push-consumer.js';
export { MessageSelector } from './consumer/message-selector.js';
export type { ExpressionType } from './consumer/message-selector.js';
export {
  PUSH_CONSUMER_DEFAULTS,
  resolvePushConsumerConfig,
} from './consumer/push-consumer-config.js';
export {
  DEFAULT_CONSUMER_GROUP,
  parseConsumeTimestamp,
  formatConsumeTimestamp,
} from './consumer/consumer-config.js';
export type {
  PushConsumerConfig,
  PushConsumerConfigInput,
  PushConsumerOptions,
  PushMessageModel,
  PushConsumeFromWhere,
} from './consumer/push-consumer-config.js';
export {
  AllocateMessageQueueAveragely,
  AllocateMessageQueueAveragelyByCircle,
  AllocateMessageQueueConsistentHash,
  AllocateMessageQueueByConfig,
} from './consumer/allocate-strategies.js';
export type {
  AllocateMessageQueueStrategy,
  AllocateInput,
} from './consumer/allocate-strategies.js';
export type {
  MessageListenerConcurrently,
  MessageListenerOrderly,
  ConsumeConcurrentlyStatus,
  ConsumeConcurrentlyContext,
  ConsumeOrderlyStatus,
  ConsumeOrderlyContext,
} from './consumer/message-listener.js';
export { MQAdmin, ORDER_TOPIC_CONFIG_NAMESPACE } from './admin/mq-admin.js';
export { MQ_ADMIN_DEFAULTS, resolveMQAdminConfig } from './admin/admin-config.js';
export type { MQAdminOptions, MQAdminConfig } from './admin/admin-config.js';
export type {
  TopicConfigInput,
  SubscriptionGroupConfigInput,
  TopicQueueStats,
  QueueConsumeProgress,
  GroupConsumeStats,
  SubscriptionMismatch,
  ConsumerConnectionInfo,
  TrackType,
  MessageTrack,
  QueryMessageByKeyOptions,
  QueryMessageByOffsetOptions,
  ConsumeMessageDirectlyOptions,
  ResetOffsetByTimeOptions,
  CloneGroupOffsetOptions,
  QueueOffset,
} from './admin/admin-types.js';
export {
  SUBSCRIPTION_MISMATCH_EXT_FIELD,
  decodeSubscriptionMismatches,
} from './admin/subscription-mismatch.js';
export { TOOLS_CONSUMER_GROUP } from './admin/message-admin.js';
export {
  ConsumerRunningInfoProps,
  encodeConsumerRunningInfo,
  decodeConsumerRunningInfo,
  encodeConsumeMessageDirectlyResult,
  decodeConsumeMessageDirectlyResult,
} from './running-info/consumer-running-info.js';
export type {
  ConsumerRunningInfo,
  ProcessQueueInfo,
  ConsumeStatus,
  CMResult,
  ConsumeMessageDirectlyResult,
} from './running-info/consumer-running-info.js';
export { LitePullConsumer } from './lite-pull/lite-pull-consumer.js';
export {
  LITE_PULL_CONSUMER_DEFAULTS,
  MIN_AUTOCOMMIT_INTERVAL_MILLIS,
  resolveLitePullConsumerConfig,
} from './lite-pull/lite-pull-config.js';
export type {
  LitePullConsumerOptions,
  LitePullConsumerConfig,
  LitePullConsumerConfigInput,
} from './lite-pull/lite-pull-config.js';
export type { TransactionCheckHandler } from './client-instance.js';
export { TransactionProducer } from './producer/transaction-producer.js';
export type { TransactionProducerOptions } from './producer/transaction-producer.js';
export { isLocalTransactionState } from './transaction/transaction-types.js';
export type {
  LocalTransactionState,
  TransactionListener,
  TransactionMessage,
  TransactionSendResult,
} from './transaction/transaction-types.js';
