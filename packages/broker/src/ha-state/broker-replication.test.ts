import { NOOP_LOGGER } from '@rocketmq-ts/protocol';
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
  it('makes a SYNC_MASTER without a slave answer SLAVE_NOT_AVAILABLE, unless the sender said WAIT=false', async () => {
    const replication = await replicationOf('SYNC_MASTER');
    expect(replication.haPort).toBeGreaterThan(0);
    const awaitSlaves = replication.awaitSlaves!;
    expect((await awaitSlaves(stored('PUT_OK'), true)).status).toBe('SLAVE_NOT_AVAILABLE');
    expect((await awaitSlaves(stored('FLUSH_DISK_TIMEOUT'), true)).status).toBe(
      'SLAVE_NOT_AVAILABLE',
    );
    expect((await awaitSlaves(stored('PUT_OK'), false)).status).toBe('PUT_OK');
    // Refused puts are answered as they are.
    expect((await awaitSlaves(stored('MESSAGE_ILLEGAL'), true)).status).toBe('MESSAGE_ILLEGAL');
    expect(replication.status()).toEqual({ connectedSlaveCount: 0, behindBytes: 0 });
  });

  it('gives other roles no slave wait at all, and a slave no HA port', async () => {
    const asyncMaster = await replicationOf('ASYNC_MASTER');
    expect(asyncMaster.awaitSlaves).toBeUndefined();
    expect(asyncMaster.haPort).toBeGreaterThan(0);
    const slave = await replicationOf('SLAVE');
    expect(slave.awaitSlaves).toBeUndefined();
    expect(slave.haPort).toBeUndefined();
    expect(slave.linkUp()).toBe(false);
    expect(slave.status().behindBytes).toBe(0);
  });
});
