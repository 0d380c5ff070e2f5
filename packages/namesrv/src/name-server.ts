import { RemotingServer } from '@rocketmq-ts/remoting';
import type { NamesrvConfig } from './config.js';
import { KVConfigManager } from './kv-config-manager.js';
import { namesrvProcessors } from './processors/index.js';
import { RouteInfoManager } from './route-info-manager.js';

/**
 * A RocketMQ NameServer you can start in-process: the remoting server on `listenPort`, the route tables, the KV
 * store and the broker-liveness scan. Build the config with `resolveNamesrvConfig`.
 */
export class NameServer {
  /** Route tables: brokers, clusters, topic queue data, liveness. */
  readonly routes: RouteInfoManager;
  /** The namespaced KV store persisted to `kvConfigPath`. */
  readonly kvConfig: KVConfigManager;
  private readonly config: Readonly<NamesrvConfig>;
  private readonly server: RemotingServer;
  private scanTimer: NodeJS.Timeout | undefined;
  private removeCloseListener: (() => void) | undefined;
  private started = false;
  /** Persist on close only a table that was loaded: never overwrite a file we could not read. */
  private kvLoaded = false;
  private closing: Promise<void> | undefined;

  constructor(config: Readonly<NamesrvConfig>) {
    this.config = config;
    const logger = config.logger;
    this.routes = new RouteInfoManager({
      brokerChannelExpiredTime: config.brokerChannelExpiredTime,
      now: config.now,
      logger: logger.child({ component: 'routes' }),
    });
    this.kvConfig = new KVConfigManager({
      kvConfigPath: config.kvConfigPath,
      logger: logger.child({ component: 'kv-config' }),
    });
    this.server = new RemotingServer({
      listenPort: config.listenPort,
      host: config.host,
      logger,
      processors: namesrvProcessors({
        config,
        routes: this.routes,
        kvConfig: this.kvConfig,
        logger,
      }),
    });
  }

  /** The bound port (the real one when `listenPort` was 0). Valid after `start()`. */
  get port(): number {
    return this.server.port;
  }

  /**
   * Loads the KV store, binds the port and starts the liveness scan.
   * @throws ConfigError when `kvConfigPath` holds an unreadable KV file; a listen error when the port is taken.
   */
  async start(): Promise<void> {
    if (this.started) throw new Error('name server already started');
    this.started = true;
    await this.kvConfig.load();
    this.kvLoaded = true;
    this.removeCloseListener = this.server.onChannelClose((channel) => {
      this.routes.onChannelDestroy(channel);
    });
    await this.server.start();
    this.scanTimer = setInterval(() => {
      this.routes.scanNotActiveBroker();
    }, this.config.scanNotActiveBrokerInterval);
    this.scanTimer.unref();
    this.config.logger.info('name server started', { port: this.port });
  }

  /** Stops the scan, closes every connection and the listener, and persists the KV store. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    if (this.scanTimer !== undefined) clearInterval(this.scanTimer);
    this.scanTimer = undefined;
    await this.server.close();
    this.removeCloseListener?.();
    if (this.kvLoaded) await this.kvConfig.persist();
    this.config.logger.info('name server closed', { port: this.port });
  }
}
