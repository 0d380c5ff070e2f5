import type { HostAddress, Logger } from '@rocketmq-ts/protocol';
import type { MessageStore, PutMessageResult } from '@rocketmq-ts/store';
import type { ConsumerManager } from './client/consumer-manager.js';
import type { ProducerManager } from './client/producer-manager.js';
import type { BrokerConfig } from './config.js';
import type { BrokerHaStatus } from './ha-state/broker-ha-state.js';
import type { ConsumerOffsetManager } from './offset/consumer-offset-manager.js';
import type { SubscriptionGroupManager } from './subscription/subscription-group-manager.js';
import type { TopicConfigManager } from './topic/topic-config-manager.js';

/**
 * What the broker's processors and services share: its config and its managers. Built once by the
 * BrokerController; processors take it (or the parts they need) in their constructor and never reach further.
 */
export interface BrokerContext {
  /** Resolved broker config. Runtime changes (UPDATE_BROKER_CONFIG) go through {@link BrokerContext.runtimeConfig}. */
  readonly config: Readonly<BrokerConfig>;
  /** Settings that UPDATE_BROKER_CONFIG may change while running (brokerPermission, autoCreate flags…). */
  readonly runtimeConfig: BrokerRuntimeConfig;
  readonly logger: Logger;
  readonly store: MessageStore;
  readonly topics: TopicConfigManager;
  readonly subscriptionGroups: SubscriptionGroupManager;
  readonly offsets: ConsumerOffsetManager;
  readonly consumers: ConsumerManager;
  readonly producers: ProducerManager;
  /** `brokerIP1:<bound listen port>`: the STOREHOST of every record this broker writes. Set once started. */
  storeHost(): HostAddress;
  /** `brokerIP1:<bound listen port>` as clients dial it. */
  brokerAddr(): string;
  /** Asks the registrar to re-register with the name servers soon (topic or permission changes). */
  requestRegistration(): void;
  /**
   * Registers with every name server now and resolves when they answered (failures are logged, not thrown), for
   * changes a client reads right after the broker's answer: Java registers a new `%RETRY%<group>` synchronously
   * before answering the heartbeat that created it.
   */
  registerNow(): Promise<void>;
  /**
   * Slave: remoting address (`host:port`) of its master, the latest non-empty `masterAddr` of the REGISTER_BROKER
   * answers; undefined until a name server reports it, and on a master.
   */
  masterAddr(): string | undefined;
  /** Slave: the master's HA address (`haServerAddr` of the REGISTER_BROKER answers), where replication connects. */
  haServerAddrOfMaster(): string | undefined;
  /**
   * Slave: whether its master answers: a master address is known and the last metadata sync with it succeeded
   * within two sync intervals, or the link probe ({@link BrokerContext.setMasterLinkProbe}) reports the HA link up.
   */
  masterAvailable(): boolean;
  /** Sets a probe ORed into {@link BrokerContext.masterAvailable} (the HA client's connection state). */
  setMasterLinkProbe(probe: (() => boolean) | undefined): void;
  /** Sets where runtime info reads replication status from (the HA service). */
  setHaStatusSource(source: (() => BrokerHaStatus) | undefined): void;
  /** The HA service's status, or undefined without a source. */
  haStatus(): BrokerHaStatus | undefined;
  /**
   * SYNC_MASTER only (absent on other roles): resolves the put's result once a slave has its bytes, or with
   * FLUSH_SLAVE_TIMEOUT / SLAVE_NOT_AVAILABLE; `waitForSlaves` false (the sender's `WAIT=false`) skips the wait.
   */
  readonly awaitSlaves?: (
    result: PutMessageResult,
    waitForSlaves: boolean,
  ) => Promise<PutMessageResult>;
}

/** Broker settings that may change at runtime. */
export interface BrokerRuntimeConfig {
  /** Permission mask of the whole broker (6 RW, 4 read-only, 2 write-only). */
  brokerPermission: number;
}
