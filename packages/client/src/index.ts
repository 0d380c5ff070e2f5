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
