/**
 * The LitePullConsumer against a master/slave broker set whose master suggests the slave or has left the route
 * (fakes: see test/fake-broker-set.ts for why).
 */
import { RequestCode } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { FAILOVER_TOPIC as TOPIC } from '../test/fake-broker.js';
import {
  bodies,
  pollBodies,
  refusedPulls,
  startLitePullConsumer,
  startRoutedBrokerSet,
  waitFor,
} from '../test/fake-broker-set.js';

describe('LitePullConsumer with a master/slave broker set', () => {
  it('polls from the slave of a set without a master and commits the offset there', async () => {
    const { namesrv, master, slave } = await startRoutedBrokerSet(bodies('m', 5), 'slave-only');
    slave.offsets.set(`${TOPIC}:0`, 2);
    const consumer = await startLitePullConsumer(namesrv, { autoCommit: false });
    expect(await pollBodies(consumer, 3)).toEqual(['m-2', 'm-3', 'm-4']);
    await consumer.commitSync();
    expect(slave.offsets.get(`${TOPIC}:0`)).toBe(5);
    expect(master.received).toEqual([]);
  });

  it('starts a new group at the max offset the slave reports when the set has no master', async () => {
    const { namesrv, slave, store } = await startRoutedBrokerSet(bodies('old', 3), 'slave-only');
    const consumer = await startLitePullConsumer(namesrv, {
      consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
    });
    await waitFor(
      () => slave.count(RequestCode.PULL_MESSAGE, (r) => r.queueOffset === 3) > 0,
      'a pull at the max offset',
    );
    store.bodies.push('new-0');
    expect(await pollBodies(consumer, 1)).toEqual(['new-0']);
    expect(slave.count(RequestCode.GET_MAX_OFFSET)).toBe(1);
  });

  it('backs off when a slave keeps answering PULL_RETRY_IMMEDIATELY while the master is gone', async () => {
    const { namesrv, slave } = await startRoutedBrokerSet(bodies('m', 2), 'slave-only');
    slave.pullAnswer = 'retry-to-master';
    await startLitePullConsumer(namesrv, { consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    await waitFor(() => refusedPulls(slave).length >= 5, 'five refused pulls');
    const [first, , , , fifth] = refusedPulls(slave);
    expect(fifth!.at - first!.at).toBeGreaterThanOrEqual(340);
  });

  it('follows the suggested broker id from the master to the slave', async () => {
    const { namesrv, master, slave } = await startRoutedBrokerSet(
      bodies('m', 4),
      'master-and-slave',
    );
    master.suggest = 1;
    slave.suggest = 1;
    const consumer = await startLitePullConsumer(namesrv, {
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      pullBatchSize: 2,
    });
    expect(await pollBodies(consumer, 4)).toEqual(bodies('m', 4));
    expect(master.count(RequestCode.PULL_MESSAGE, (r) => r.answered === 0)).toBe(1);
    expect(slave.count(RequestCode.PULL_MESSAGE, (r) => r.answered === 0)).toBe(1);
  });
});
