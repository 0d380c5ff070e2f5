import { NOOP_LOGGER, encodeMessageProperties } from '@rocketmq-ts/protocol';
import type { PutMessageResult } from '@rocketmq-ts/store';
import { describe, expect, it } from 'vitest';
import { onTestCleanup, openTestStore } from '../../test/broker-test-context.js';
import { resolveBrokerConfig } from '../config.js';
import type { BrokerRole } from '../config.js';
import { startBrokerReplication } from './broker-replication.js';

async function replicationOf(brokerRole: BrokerRole) {
  const { store, dir } = await openTestStore();
  const replication = await startBrokerReplication({
    config: resolveBrokerConfig({
      listenPort: 0,
      bindAddress: '127.0.0.1',
      storePathRootDir: dir,
      brokerRole,
      brokerId: brokerRole === 'SLAVE' ? 1 : 0,
      slaveTimeout: 200,
    }),
    store,
    logger: NOOP_LOGGER,
  });
  onTestCleanup(() => replication.close());
  return replication;
}

function stored(status: PutMessageResult['status']): PutMessageResult {
  return {
    status,
    phyOffsets: [0],
    queueOffsets: [0],
    msgIds: ['X'],
    storeTimestamp: 1,
    wroteBytes: 100,
    endPhyOffset: 100,
  };
}

describe('broker replication', () => {
  it('makes a SYNC_MASTER without a slave answer SLAVE_NOT_AVAILABLE, unless the message says WAIT=false', async () => {
    const replication = await replicationOf('SYNC_MASTER');
    expect(replication.haPort).toBeGreaterThan(0);
    const waiting = encodeMessageProperties({ UNIQ_KEY: 'U1', WAIT: 'true' });
    expect((await replication.awaitSlaves(stored('PUT_OK'), waiting)).status).toBe(
      'SLAVE_NOT_AVAILABLE',
    );
    expect((await replication.awaitSlaves(stored('FLUSH_DISK_TIMEOUT'), '')).status).toBe(
      'SLAVE_NOT_AVAILABLE',
    );
    const noWait = encodeMessageProperties({ UNIQ_KEY: 'U1', WAIT: 'false', KEYS: 'k' });
    expect((await replication.awaitSlaves(stored('PUT_OK'), noWait)).status).toBe('PUT_OK');
    // A key merely ending in WAIT is not the WAIT property.
    const lookalike = encodeMessageProperties({ XWAIT: 'false' });
    expect((await replication.awaitSlaves(stored('PUT_OK'), lookalike)).status).toBe(
      'SLAVE_NOT_AVAILABLE',
    );
    // Refused puts are answered as they are.
    expect((await replication.awaitSlaves(stored('MESSAGE_ILLEGAL'), '')).status).toBe(
      'MESSAGE_ILLEGAL',
    );
    expect(replication.status()).toEqual({ connectedSlaveCount: 0, behindBytes: 0 });
  });

  it('never holds an ASYNC_MASTER answer, and a slave has no HA port', async () => {
    const asyncMaster = await replicationOf('ASYNC_MASTER');
    expect((await asyncMaster.awaitSlaves(stored('PUT_OK'), '')).status).toBe('PUT_OK');
    const slave = await replicationOf('SLAVE');
    expect(slave.haPort).toBeUndefined();
    expect(slave.linkUp()).toBe(false);
    expect(slave.status().behindBytes).toBe(0);
  });
});
