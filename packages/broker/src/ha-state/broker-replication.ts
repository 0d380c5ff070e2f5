/**
 * The broker's side of master/slave replication (store-format.md §8): a master serves its commit log on the HA port
 * (HAMasterService) and, as SYNC_MASTER, holds send answers until a slave has the bytes; a slave follows its master
 * (HAClient) at `haMasterAddress`, or else at the `haServerAddr` the name servers return when it registers.
 */
import { HAClient, HAMasterService } from '@rocketmq-ts/ha';
import type { ReplicaWaitResult } from '@rocketmq-ts/ha';
import type { Logger } from '@rocketmq-ts/protocol';
import type { MessageStore, PutMessageResult } from '@rocketmq-ts/store';
import type { BrokerConfig } from '../config.js';
import type { BrokerHaStatus } from './broker-ha-state.js';

/**
 * A slave retries its master this often at most, in ms. Java waits 5 s; a shorter wait costs one connect attempt
 * per period and brings a restarted master's slave back sooner (SYNC_MASTER answers SLAVE_NOT_AVAILABLE until then).
 */
const SLAVE_RECONNECT_MAX_MS = 1000;

/** What the rest of the broker sees of replication. */
export interface BrokerReplication {
  /** Master: the bound HA port (the real one when `haListenPort` is 0); undefined on a slave. */
  readonly haPort: number | undefined;
  /** Status for GET_BROKER_RUNTIME_INFO (`haConnectedSlaveCount`, `haBehindBytes`, `haMasterAddress`). */
  status(): BrokerHaStatus;
  /** Slave: whether the replication link to the master is up. Always false on a master. */
  linkUp(): boolean;
  /** Slave: follow the master at this HA address (from registration) unless `haMasterAddress` is configured. */
  learnMasterHaAddress(address: string | undefined): void;
  /**
   * SYNC_MASTER only (undefined on other roles): the put's result once a slave has acknowledged its bytes — unchanged
   * when it did, FLUSH_SLAVE_TIMEOUT after `slaveTimeout`, SLAVE_NOT_AVAILABLE when no slave is connected (the message
   * stays stored either way). Refused puts and `waitForSlaves` false (`WAIT=false`) get their result back at once.
   */
  readonly awaitSlaves:
    ((result: PutMessageResult, waitForSlaves: boolean) => Promise<PutMessageResult>) | undefined;
  close(): Promise<void>;
}

/** Starts the HA side that fits `config.brokerRole`. @throws when the HA port cannot be bound. */
export async function startBrokerReplication(options: {
  config: Readonly<BrokerConfig>;
  store: MessageStore;
  logger: Logger;
}): Promise<BrokerReplication> {
  const { config, store, logger } = options;
  if (config.brokerRole === 'SLAVE') {
    const configured = config.haMasterAddress.trim();
    const client = new HAClient({
      store,
      masterAddress: configured === '' ? undefined : configured,
      heartbeatIntervalMs: config.haSendHeartbeatInterval,
      housekeepingIntervalMs: config.haHousekeepingInterval,
      reconnectIntervalMs: Math.min(SLAVE_RECONNECT_MAX_MS, config.haSendHeartbeatInterval),
      logger,
    });
    client.start();
    return {
      haPort: undefined,
      status: () => {
        const s = client.status();
        return { behindBytes: s.behindBytes, masterAddress: s.masterAddress };
      },
      linkUp: () => client.connected,
      learnMasterHaAddress: (address) => {
        if (configured === '' && address !== undefined && address !== client.masterAddress) {
          logger.info('following the master named by the name servers', {
            haMasterAddress: address,
          });
          client.setMasterAddress(address);
        }
      },
      awaitSlaves: undefined,
      close: () => client.close(),
    };
  }
  const master = new HAMasterService({
    store,
    port: config.haListenPort,
    host: config.bindAddress,
    transferBatchBytes: config.haTransferBatchSize,
    heartbeatIntervalMs: config.haSendHeartbeatInterval,
    housekeepingIntervalMs: config.haHousekeepingInterval,
    slaveFallbehindMaxBytes: config.haSlaveFallbehindMax,
    logger,
  });
  await master.start();
  const syncMaster = config.brokerRole === 'SYNC_MASTER';
  return {
    haPort: master.port,
    status: () => {
      const slaves = master.slaves();
      return {
        connectedSlaveCount: slaves.length,
        behindBytes: slaves.reduce((most, s) => Math.max(most, s.behindBytes), 0),
      };
    },
    linkUp: () => false,
    learnMasterHaAddress: () => undefined,
    awaitSlaves: syncMaster
      ? async (result, waitForSlaves) => {
          const stored = result.status === 'PUT_OK' || result.status === 'FLUSH_DISK_TIMEOUT';
          if (!waitForSlaves || !stored) return result;
          const status: ReplicaWaitResult = await master.waitForReplica(
            result.endPhyOffset,
            config.slaveTimeout,
          );
          // As Java: a replication failure replaces the flush status (the message is stored on the master anyway).
          return status === 'PUT_OK' ? result : { ...result, status };
        }
      : undefined,
    close: () => master.close(),
  };
}
