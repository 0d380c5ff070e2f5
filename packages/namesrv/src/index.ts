// @rocketmq-ts/namesrv: the RocketMQ NameServer as a library.

export { NAMESRV_DEFAULTS, resolveNamesrvConfig } from './config.js';
export type { NamesrvConfig } from './config.js';
export { NameServer } from './name-server.js';
export { KVConfigManager, NAMESPACE_ORDER_TOPIC_CONFIG } from './kv-config-manager.js';
export type { KVConfigManagerOptions } from './kv-config-manager.js';
export {
  RouteInfoManager,
  MASTER_ID,
  PERM_READ,
  PERM_WRITE,
  FLAG_UNIT,
  FLAG_UNIT_SUB,
} from './route-info-manager.js';
export type {
  RouteInfoManagerOptions,
  BrokerRegistration,
  RegisterBrokerResult,
  BrokerIdentity,
} from './route-info-manager.js';
export { namesrvProcessors } from './processors/index.js';
export type { NamesrvProcessorDeps } from './processors/deps.js';
