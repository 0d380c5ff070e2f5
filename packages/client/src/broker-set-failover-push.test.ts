/**
 * The PushConsumer (concurrent and orderly) against a master/slave broker set whose master suggests the slave,
 * leaves the route, or is named by a slave refusing reads (fakes: see test/fake-broker-set.ts for why).
 */
import { RequestCode, ResponseCode } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { FAILOVER_TOPIC as TOPIC, hasCommitFlag } from '../test/fake-broker.js';
import {
  bodies,
  concurrentListener,
  orderlyListener,
  refusedPulls,
  startPushConsumer,
  startRoutedBrokerSet,
  waitFor,
} from '../test/fake-broker-set.js';

describe('PushConsumer with a master/slave broker set', () => {
  it('pulls where the broker suggests, never commits through a slave pull, and follows PULL_RETRY_IMMEDIATELY back to the master at once', async () => {
    const { namesrv, master, slave, store } = await startRoutedBrokerSet(
      bodies('m', 6),
      'master-and-slave',
    );
    master.suggest = 1;
    slave.suggest = 1;
    const seen: string[] = [];
    await startPushConsumer(namesrv, {
      pullBatchSize: 2,
      messageListener: concurrentListener((body) => seen.push(body)),
    });

    await waitFor(() => seen.length === 6, 'every message consumed');
    // The first pull goes to the master; it suggests the slave, which serves the rest.
    const firstPull = master.received.find((r) => r.code === RequestCode.PULL_MESSAGE);
    expect(firstPull?.queueOffset).toBe(0);
    expect(slave.count(RequestCode.PULL_MESSAGE, (r) => r.answered === ResponseCode.SUCCESS)).toBe(
      2,
    );
    // With everything consumed and committed in memory, held pulls to the slave still carry no commit flag.
    await waitFor(
      () => slave.count(RequestCode.PULL_MESSAGE, (r) => r.queueOffset === 6) >= 2,
      'pulls at the end of the queue',
    );
    expect(slave.count(RequestCode.PULL_MESSAGE, hasCommitFlag)).toBe(0);
    // Consumers heart-beat to slaves too.
    expect(slave.count(RequestCode.HEART_BEAT)).toBeGreaterThan(0);

    // The slave now refuses reads: PULL_RETRY_IMMEDIATELY, "go to the master". The consumer goes there at once.
    master.suggest = 0;
    slave.pullAnswer = 'retry-to-master';
    await waitFor(() => refusedPulls(slave).length > 0, 'a refused pull');
    const refusedAt = refusedPulls(slave)[0]!.at;
    await waitFor(
      () =>
        master.count(RequestCode.PULL_MESSAGE, (r) => r.at >= refusedAt && r.queueOffset === 6) > 0,
      'a pull at the master after the refusal',
    );
    store.bodies.push('m-6');
    await waitFor(() => seen.includes('m-6'), 'a new message consumed from the master');
    expect(refusedPulls(slave).length).toBeLessThan(5);
  });

  it('keeps consuming from the slave after the master leaves the route: offsets read and committed there', async () => {
    const { namesrv, master, slave, store } = await startRoutedBrokerSet(
      bodies('m', 4),
      'master-and-slave',
    );
    const seen = new Set<string>();
    const consumer = await startPushConsumer(namesrv, {
      messageListener: concurrentListener((body) => seen.add(body)),
    });
    await waitFor(() => seen.size === 4, 'the first messages consumed from the master');
    await waitFor(
      () => master.offsets.get(`${TOPIC}:0`) === 4,
      'the offset committed to the master',
    );
    expect(slave.count(RequestCode.PULL_MESSAGE)).toBe(0);

    // The master dies and the NameServer drops it; the slave holds what it had replicated, and more arrives there.
    namesrv.setRoute([{ brokerName: 'broker-a', brokers: [slave] }]);
    await master.close();
    store.bodies.push(...bodies('s', 3));
    await waitFor(() => seen.size === 7, 'the messages consumed from the slave');
    await waitFor(() => slave.offsets.get(`${TOPIC}:0`) === 7, 'the offset committed to the slave');
    expect(slave.count(RequestCode.PULL_MESSAGE, hasCommitFlag)).toBe(0);

    // A consumer started now (another process of the group) reads the group's offset from the slave.
    await consumer.shutdown();
    store.bodies.push('s-3');
    const later = new Set<string>();
    await startPushConsumer(namesrv, {
      messageListener: concurrentListener((body) => later.add(body)),
    });
    await waitFor(() => later.has('s-3'), 'the new message consumed by the second consumer');
    expect([...later]).toEqual(['s-3']);
    expect(slave.count(RequestCode.QUERY_CONSUMER_OFFSET)).toBeGreaterThan(0);
    expect(slave.count(RequestCode.GET_CONSUMER_LIST_BY_GROUP)).toBeGreaterThan(0);
  });

  it('backs off when a slave keeps answering PULL_RETRY_IMMEDIATELY while the master is gone', async () => {
    const { namesrv, slave } = await startRoutedBrokerSet(bodies('m', 2), 'slave-only');
    slave.pullAnswer = 'retry-to-master';
    await startPushConsumer(namesrv, { messageListener: concurrentListener(() => undefined) });
    await waitFor(() => refusedPulls(slave).length >= 5, 'five refused pulls');
    const [first, , , , fifth] = refusedPulls(slave);
    // Once at once, then 50 + 100 + 200 ms between the next ones: no busy loop against the slave.
    expect(fifth!.at - first!.at).toBeGreaterThanOrEqual(340);
    expect(refusedPulls(slave).every((r) => r.queueOffset === 0)).toBe(true);
  });
});

describe('orderly PushConsumer with a master/slave broker set', () => {
  it('locks its queues on the master', async () => {
    const { namesrv, master, slave } = await startRoutedBrokerSet(
      bodies('m', 3),
      'master-and-slave',
    );
    const seen: string[] = [];
    await startPushConsumer(namesrv, { messageListenerOrderly: orderlyListener(seen) });
    await waitFor(() => seen.length === 3, 'every message consumed in order');
    expect(seen).toEqual(bodies('m', 3));
    expect(master.count(RequestCode.LOCK_BATCH_MQ)).toBeGreaterThan(0);
    expect(slave.count(RequestCode.LOCK_BATCH_MQ)).toBe(0);
  });

  it('does not lock on a slave while the master is gone, so the queue waits for the master', async () => {
    const { namesrv, slave } = await startRoutedBrokerSet(bodies('m', 3), 'slave-only');
    const seen: string[] = [];
    await startPushConsumer(namesrv, { messageListenerOrderly: orderlyListener(seen) });
    await waitFor(
      () => slave.count(RequestCode.GET_CONSUMER_LIST_BY_GROUP) > 0,
      'the group members asked of the slave',
    );
    const heartbeats = slave.count(RequestCode.HEART_BEAT);
    await waitFor(
      () => slave.count(RequestCode.HEART_BEAT) >= heartbeats + 2,
      'two more heartbeats to the slave',
    );
    expect(slave.count(RequestCode.LOCK_BATCH_MQ)).toBe(0);
    expect(slave.count(RequestCode.PULL_MESSAGE)).toBe(0);
    expect(seen).toEqual([]);
  });
});
