import { NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type { HostAddress, Logger } from '@rocketmq-ts/protocol';
import { RemotingClient, RemotingServer } from '@rocketmq-ts/remoting';
import { openMessageStore } from '@rocketmq-ts/store';
import type { MessageStore } from '@rocketmq-ts/store';
import type { BrokerContext, BrokerRuntimeConfig } from './broker-context.js';
import { brokerProcessors } from './broker-processors.js';
import type { BrokerServices } from './broker-processors.js';
import { ConsumerManager } from './client/consumer-manager.js';
import { ProducerManager } from './client/producer-manager.js';
import { brokerStoreConfig } from './config.js';
import type { BrokerConfig } from './config.js';
import { BrokerHaState } from './ha-state/broker-ha-state.js';
import { startBrokerReplication } from './ha-state/broker-replication.js';
import type { BrokerReplication } from './ha-state/broker-replication.js';
import type { BrokerHaStatus } from './ha-state/broker-ha-state.js';
import { PullRequestHoldService } from './long-polling/pull-request-hold-service.js';
import { ConsumerOffsetManager } from './offset/consumer-offset-manager.js';
import { notifyChannels } from './processors/client-manage-processor.js';
import { NameServerRegistrar } from './registration/name-server-registrar.js';
import type { NameServerResult } from './registration/name-server-registrar.js';
import { SlaveSynchronize } from './slave/slave-synchronize.js';
import type { SlaveSyncOutcome } from './slave/slave-synchronize.js';
import { SubscriptionGroupManager } from './subscription/subscription-group-manager.js';
import { TopicConfigManager } from './topic/topic-config-manager.js';

/** How often silent clients are looked for, in ms (Java `ClientHousekeepingService`: every 10 s). */
const CLIENT_SCAN_INTERVAL_MS = 10_000;

/** A slave that knows no master yet registers again after this long, in ms (instead of the 30 s period). */
const SLAVE_MASTER_LOOKUP_MS = 2000;

/** Requests of one connection in progress at once (parked pulls included) before the broker stops reading it. */
const PARKED_PULLS_PER_CONNECTION_MAX = 16_384;

/** Options of {@link BrokerController}. */
export interface BrokerControllerOptions {
  /** A resolved config (`resolveBrokerConfig`). */
  config: Readonly<BrokerConfig>;
  /** Default: no-op. */
  logger?: Logger;
  /**
   * Timings of a slave's metadata sync, in ms: first round after `initialDelayMs` (default 3000), then every
   * `intervalMs` (default 10 000), each request timing out after `timeoutMs` (default 3000). Tests pass short ones.
   */
  slaveSync?: { initialDelayMs?: number; intervalMs?: number; timeoutMs?: number };
  /** Re-registration period, in ms. Default `config.registerNameServerPeriod` (≥ 10 s; tests pass a short one). */
  registerPeriodMs?: number;
}

/**
 * A whole broker (Java `BrokerController`): opens the store, builds the managers and processors, serves the
 * remoting port, registers with every name server (at start, every `registerNameServerPeriod`, on topic changes)
 * and shuts down in order: refuse new work, answer parked pulls, unregister, close connections, flush and close the
 * store. A SLAVE also learns its master's addresses from the registration answers and copies the master's metadata
 * ({@link SlaveSynchronize}); the replication stream itself is the HA service's (packages/ha), which plugs in through
 * {@link BrokerController.setMasterLinkProbe} and {@link BrokerController.setHaStatusSource}.
 */
export class BrokerController {
  private readonly config: Readonly<BrokerConfig>;
  private readonly logger: Logger;
  private readonly holdService = new PullRequestHoldService();
  private readonly runtimeConfig: BrokerRuntimeConfig;
  private readonly haState: BrokerHaState;
  private readonly slaveSyncOptions: BrokerControllerOptions['slaveSync'];
  private readonly registerPeriodMs: number | undefined;
  private parts: Started | undefined;
  private masterLookupTimer: NodeJS.Timeout | undefined;
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: BrokerControllerOptions) {
    this.config = options.config;
    this.logger = options.logger ?? NOOP_LOGGER;
    this.runtimeConfig = { brokerPermission: options.config.brokerPermission };
    this.slaveSyncOptions = options.slaveSync;
    this.registerPeriodMs = options.registerPeriodMs;
    this.haState = new BrokerHaState({
      syncIntervalMs: options.slaveSync?.intervalMs,
      logger: this.logger.child({ component: 'ha-state' }),
    });
  }

  /** Slave: its master's remoting address from registration answers (see {@link BrokerContext.masterAddr}). */
  masterAddr(): string | undefined {
    return this.haState.masterAddr();
  }

  /** Slave: its master's HA address from registration answers (see {@link BrokerContext.haServerAddrOfMaster}). */
  haServerAddrOfMaster(): string | undefined {
    return this.haState.haServerAddrOfMaster();
  }

  /** Slave: whether its master answers (see {@link BrokerContext.masterAvailable}). */
  masterAvailable(): boolean {
    return this.haState.masterAvailable();
  }

  /**
   * Sets a probe ORed into {@link BrokerController.masterAvailable}: the HA client's "connected to the master"
   * state. May be called before or after `start()`; undefined removes it.
   */
  setMasterLinkProbe(probe: (() => boolean) | undefined): void {
    this.haState.setMasterLinkProbe(probe);
  }

  /**
   * Sets where GET_BROKER_RUNTIME_INFO reads replication status (haConnectedSlaveCount, haBehindBytes,
   * haMasterAddress) from: the HA service. May be called before or after `start()`; undefined removes it.
   */
  setHaStatusSource(source: (() => BrokerHaStatus) | undefined): void {
    this.haState.setHaStatusSource(source);
  }

  /**
   * Slave: runs one metadata sync round with the master now (or joins the one in progress).
   * @throws Error when the broker is not a started SLAVE.
   */
  syncFromMaster(): Promise<SlaveSyncOutcome> {
    const sync = this.started().slaveSync;
    if (sync === undefined) throw new Error('only a SLAVE synchronizes from a master');
    return sync.syncAll();
  }

  /** The bound remoting port (the real one when `listenPort` is 0). Valid after `start()`. */
  get port(): number {
    return this.started().server.port;
  }

  /** Master: the bound HA port (the real one when `haListenPort` is 0); undefined on a slave. After `start()`. */
  get haPort(): number | undefined {
    return this.started().replication.haPort;
  }

  /** `brokerIP1:port` as registered with the name servers. Valid after `start()`. */
  get brokerAddr(): string {
    return `${this.config.brokerIP1}:${this.port}`;
  }

  /** The shared state processors see. Valid after `start()`. */
  get context(): BrokerContext {
    return this.started().context;
  }

  /** Opens the store, starts serving and registers. Rejects (after undoing what started) when any step fails. */
  start(): Promise<void> {
    if (this.starting !== undefined) throw new Error('broker already started');
    this.starting = this.startParts();
    return this.starting;
  }

  /** Graceful shutdown; idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private started(): Started {
    if (this.parts === undefined) throw new Error('broker not started');
    return this.parts;
  }

  private async startParts(): Promise<void> {
    const { config, logger } = this;
    const store = await openMessageStore({
      ...brokerStoreConfig(config),
      logger: logger.child({ component: 'store' }),
    });
    const cleanups: (() => Promise<void>)[] = [() => store.close()];
    try {
      await this.startOnStore(store, cleanups);
    } catch (error) {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      throw error;
    }
  }

  private async startOnStore(
    store: MessageStore,
    cleanups: (() => Promise<void>)[],
  ): Promise<void> {
    const { config, logger, haState } = this;
    const replication = await startBrokerReplication({
      config,
      store,
      logger: logger.child({ component: 'ha' }),
    });
    cleanups.push(() => replication.close());
    haState.setHaStatusSource(() => replication.status());
    if (config.brokerRole === 'SLAVE') haState.setMasterLinkProbe(() => replication.linkUp());
    const topics = new TopicConfigManager({
      metadata: store.metadata,
      config,
      logger: logger.child({ component: 'topics' }),
    });
    await topics.start();
    const subscriptionGroups = new SubscriptionGroupManager({
      metadata: store.metadata,
      autoCreateSubscriptionGroup: config.autoCreateSubscriptionGroup,
      logger,
    });
    await subscriptionGroups.start();
    const consumers = new ConsumerManager(logger.child({ component: 'consumers' }));
    const producers = new ProducerManager(logger.child({ component: 'producers' }));
    // Built below; the context's closures read them once they exist.
    const late: { server?: RemotingServer; registrar?: NameServerRegistrar } = {};
    let storeHost: HostAddress | undefined;
    const context: BrokerContext = {
      config,
      runtimeConfig: this.runtimeConfig,
      logger,
      store,
      topics,
      subscriptionGroups,
      offsets: new ConsumerOffsetManager({ store }),
      consumers,
      producers,
      storeHost: (): HostAddress => {
        // One object per address rather than per message (every put carries it).
        const port = late.server?.port ?? 0;
        if (storeHost?.host !== config.brokerIP1 || storeHost.port !== port) {
          storeHost = { host: config.brokerIP1, port };
        }
        return storeHost;
      },
      brokerAddr: () => `${config.brokerIP1}:${late.server?.port ?? 0}`,
      requestRegistration: () => {
        late.registrar?.registerAll().catch(() => undefined);
      },
      registerNow: async () => {
        await late.registrar?.registerAll().catch(() => undefined);
      },
      masterAddr: () => haState.masterAddr(),
      haServerAddrOfMaster: () => haState.haServerAddrOfMaster(),
      masterAvailable: () => haState.masterAvailable(),
      setMasterLinkProbe: (probe) => haState.setMasterLinkProbe(probe),
      setHaStatusSource: (source) => haState.setHaStatusSource(source),
      haStatus: () => haState.haStatus(),
      // Absent unless SYNC_MASTER: the send path of other roles takes no extra hop.
      awaitSlaves: replication.awaitSlaves,
    };
    // Built before the server listens, so it sees every offset a client commits to this slave.
    const slaveSync =
      config.brokerRole === 'SLAVE'
        ? new SlaveSynchronize({
            context,
            haState,
            ...this.slaveSyncOptions,
            logger: logger.child({ component: 'slave-sync' }),
          })
        : undefined;
    if (slaveSync !== undefined) cleanups.push(() => slaveSync.close());
    const services: BrokerServices = { holdService: this.holdService };
    const built = brokerProcessors(context, services);
    cleanups.push(() => built.close());
    const server = new RemotingServer({
      listenPort: config.listenPort,
      host: config.bindAddress,
      processors: built.table,
      logger: logger.child({ component: 'remoting' }),
      // A consumer parks one long-poll pull per queue it owns on this broker; those must not stop the connection
      // from being read (its heartbeats and offset commits share it). Java parks pulls outside its thread pools.
      maxConcurrentRequestsPerConnection: PARKED_PULLS_PER_CONNECTION_MAX,
    });
    server.onChannelClose((channel) => {
      this.holdService.releaseChannel(channel.id);
      consumers.channelClosed(channel);
      producers.channelClosed(channel);
    });
    consumers.onMembersLeft((group, info) => {
      const notify = subscriptionGroups.get(group)?.notifyConsumerIdsChangedEnable ?? true;
      if (info !== undefined && notify) {
        notifyChannels(
          [...info.members.values()].map((m) => m.channel),
          group,
        );
      }
    });
    store.onMessageArrived((topic, queueId, maxOffset) => {
      this.holdService.notifyMessageArriving(topic, queueId, maxOffset);
    });
    late.server = server;
    await server.start();
    cleanups.push(() => server.close());
    await built.start();
    const client = new RemotingClient({ logger: logger.child({ component: 'namesrv-client' }) });
    cleanups.push(() => client.close());
    const runtime = this.runtimeConfig;
    const registrar = new NameServerRegistrar({
      client,
      // A getter, so UPDATE_BROKER_CONFIG's brokerPermission reaches the next registration.
      config: {
        ...config,
        get brokerPermission(): number {
          return runtime.brokerPermission;
        },
      },
      topics,
      logger: logger.child({ component: 'registrar' }),
      brokerAddr: context.brokerAddr(),
      periodMs: this.registerPeriodMs,
      // The HA port actually bound (haListenPort 0 binds an ephemeral one).
      haServerAddr:
        replication.haPort === undefined ? undefined : `${config.brokerIP2}:${replication.haPort}`,
      onRegistered: (results) => {
        haState.updateFromRegistration(results);
        const masterHaAddr = haState.haServerAddrOfMaster();
        replication.learnMasterHaAddress(masterHaAddr);
        if (config.brokerRole === 'SLAVE' && masterHaAddr === undefined) this.lookUpMasterSoon();
      },
    });
    late.registrar = registrar;
    cleanups.push(() => registrar.close());
    const results = await registrar.start();
    logRegistration(logger, results);
    slaveSync?.start();
    const scanTimer = setInterval(() => {
      const nowMs = Date.now();
      consumers.scanExpired(nowMs);
      producers.scanExpired(nowMs);
    }, CLIENT_SCAN_INTERVAL_MS);
    scanTimer.unref();
    this.parts = {
      store,
      server,
      client,
      registrar,
      context,
      scanTimer,
      slaveSync,
      replication,
      closeProcessors: () => built.close(),
    };
    logger.info('broker started', {
      brokerName: config.brokerName,
      brokerId: config.brokerId,
      addr: context.brokerAddr(),
      role: config.brokerRole,
      flushDiskType: config.flushDiskType,
      masterAddr: haState.masterAddr(),
    });
  }

  /**
   * A slave learns its master's addresses only from registration answers; one started before its master would wait
   * for the next period (30 s). Registers again soon instead, while no master is known.
   */
  private lookUpMasterSoon(): void {
    if (this.masterLookupTimer !== undefined || this.closing !== undefined) return;
    this.masterLookupTimer = setTimeout(() => {
      this.masterLookupTimer = undefined;
      if (this.closing === undefined) this.parts?.registrar.registerAll().catch(() => undefined);
    }, SLAVE_MASTER_LOOKUP_MS);
    this.masterLookupTimer.unref();
  }

  private async shutdown(): Promise<void> {
    if (this.starting !== undefined) await this.starting.catch(() => undefined);
    clearTimeout(this.masterLookupTimer);
    const parts = this.parts;
    if (parts === undefined) return;
    clearInterval(parts.scanTimer);
    await parts.slaveSync?.close();
    this.holdService.close();
    await parts.closeProcessors().catch((error: unknown) => {
      this.logger.error('closing broker services failed', { error: String(error) });
    });
    const results = await parts.registrar.unregisterAll().catch(() => []);
    for (const r of results) {
      if (!r.ok) {
        this.logger.warn('unregister from name server failed', {
          namesrvAddr: r.namesrvAddr,
          error: r.error.message,
        });
      }
    }
    await parts.registrar.close();
    await parts.server.close();
    await parts.client.close();
    await parts.replication.close();
    // Offsets pulls carried are written in the background: those still under way or waiting go to disk first.
    await parts.context.offsets.flush();
    await parts.store.close();
    this.logger.info('broker closed', { brokerName: this.config.brokerName });
  }
}

interface Started {
  store: MessageStore;
  server: RemotingServer;
  client: RemotingClient;
  registrar: NameServerRegistrar;
  context: BrokerContext;
  scanTimer: NodeJS.Timeout;
  slaveSync: SlaveSynchronize | undefined;
  replication: BrokerReplication;
  closeProcessors: () => Promise<void>;
}

function logRegistration(logger: Logger, results: readonly NameServerResult[]): void {
  for (const r of results) {
    if (r.ok) logger.info('registered to name server', { namesrvAddr: r.namesrvAddr });
    else {
      logger.warn('register to name server failed; retried every period', {
        namesrvAddr: r.namesrvAddr,
        error: r.error.message,
      });
    }
  }
}
