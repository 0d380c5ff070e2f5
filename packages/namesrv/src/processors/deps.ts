import type { Logger } from '@rocketmq-ts/protocol';
import type { NamesrvConfig } from '../config.js';
import type { KVConfigManager } from '../kv-config-manager.js';
import type { RouteInfoManager } from '../route-info-manager.js';

/** What the NameServer's processors work on. */
export interface NamesrvProcessorDeps {
  /** The resolved configuration (GET_NAMESRV_CONFIG, order-topic switches). */
  readonly config: Readonly<NamesrvConfig>;
  /** Route tables. */
  readonly routes: RouteInfoManager;
  /** KV store. */
  readonly kvConfig: KVConfigManager;
  /** Logger for request-level events. */
  readonly logger: Logger;
}
