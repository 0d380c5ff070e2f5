// @rocketmq-ts/store: an embeddable RocketMQ-compatible commit-log store.

export { openMessageStore, MessageStore } from './message-store.js';
export type { OpenMessageStoreOptions, QueryMessageResult } from './message-store.js';
export { resolveStoreConfig, STORE_DEFAULTS } from './config.js';
export {
  parseMessageDelayLevel,
  deliverTimestamp,
  DEFAULT_MESSAGE_DELAY_LEVEL,
} from './put/delay-tags-code.js';
export type { ConsumeQueueEntry } from './consume-queue/consume-queue.js';
export type { MessageStoreConfig, FlushDiskType } from './config.js';
export { StoreError } from './errors.js';
export type { StoreErrorKind } from './errors.js';
export type {
  PutMessageInput,
  PutMessageResult,
  PutMessageStatus,
  GetMessageRequest,
  GetMessageResult,
  GetMessageStatus,
  QueryMessageRequest,
  StoreStats,
} from './store-types.js';
export type { RecoveryReport } from './lifecycle/recovery.js';
export type { CleanReport } from './retention/clean-service.js';
export type { ArrivalListener } from './dispatcher.js';
export { MetadataStore } from './metadata/metadata-store.js';
export type {
  MetadataStoreOptions,
  ConsumerOffsetRef,
  ConsumerOffsetUpdate,
} from './metadata/metadata-store.js';
export { ROCKETMQ_CONFIG_FILES } from './metadata/rocketmq-config-dir.js';
export type { RocketMQConfigImport } from './metadata/rocketmq-config-dir.js';
