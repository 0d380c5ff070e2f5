/**
 * Master/slave replication with real mqnamesrv + mqbroker processes and the @rocketmq-ts/client: byte-identical
 * commit logs, the SYNC_MASTER statuses with the slave up, stalled (SIGSTOP) and gone, consumption from the slave
 * after the master is killed (offsets committed there survive the master's return), and clusterList's roles.
 */
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Producer, PushConsumer, SendResult } from '@rocketmq-ts/client';
import { waitFor } from '@rocketmq-ts/testkit';
import { describe, expect, it } from 'vitest';
import { queryConsumerOffset } from './support/broker-admin.js';
import { sendWithLimit, startBroker, waitForSlaveCaughtUp } from './support/broker-set.js';
import type { MasterSlaveSet } from './support/broker-set.js';
import { useHaEnvironment } from './support/ha-environment.js';

const MQADMIN = fileURLToPath(new URL('../../../packages/admin/dist/main.js', import.meta.url));
const QUEUES = 4;

const env = useHaEnvironment();
const { startSet, newProducer } = env;

function newTopic(set: MasterSlaveSet, topic: string): Promise<void> {
  return env.createTopic(set, topic, QUEUES);
}

async function send(producer: Producer, topic: string, body: string): Promise<SendResult> {
  return producer.send({ topic, body: Buffer.from(body), tags: 'TagHA', keys: [body] });
}

/** Sum over the topic's queues of the group's committed offsets on one broker (a queue without one counts 0). */
async function committedOffsets(brokerAddr: string, group: string, topic: string): Promise<number> {
  let sum = 0;
  for (let queueId = 0; queueId < QUEUES; queueId++) {
    const offset = await queryConsumerOffset({
      client: env.remoting,
      brokerAddr,
      consumerGroup: group,
      topic,
      queueId,
    });
    sum += offset ?? 0;
  }
  return sum;
}

function mqadmin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MQADMIN, ...args, '-n', env.namesrvAddr],
      { timeout: 20_000, env: { ...process.env, NAMESRV_ADDR: '' } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('master/slave replication', () => {
  it('gives the slave a byte-identical commit log, and clusterList shows both roles', async () => {
    const set = await startSet('ha-copy', 'ASYNC_MASTER');
    const topic = 'HaCopy';
    await newTopic(set, topic);
    const producer = await newProducer('ha-copy-pg');
    const bodies = Array.from({ length: 300 }, (_, i) => `copy-${i}-${'x'.repeat(i * 7)}`);
    const results = await sendWithLimit(bodies, 16, (body) => send(producer, topic, body));
    expect(new Set(results.map((r) => r.sendStatus))).toEqual(new Set(['SEND_OK']));
    const end = await waitForSlaveCaughtUp(env.admin, set);

    const cluster = await mqadmin('clusterList');
    expect(cluster.stderr).toBe('');
    const rows = cluster.stdout.split('\n').filter((l) => l.includes('ha-copy'));
    expect(rows.some((r) => /\s0\s+127\.0\.0\.1/.test(r) && r.includes('ASYNC_MASTER'))).toBe(true);
    expect(rows.some((r) => /\s1\s+127\.0\.0\.1/.test(r) && r.includes('SLAVE'))).toBe(true);

    await Promise.all([set.master!.stop(), set.slave!.stop()]);
    set.master = set.slave = undefined;
    const masterDir = join(set.masterSpec.storePathRootDir, 'commitlog');
    const slaveDir = join(set.slaveSpec.storePathRootDir, 'commitlog');
    const segments = (await readdir(masterDir)).sort();
    expect((await readdir(slaveDir)).sort()).toEqual(segments);
    for (const name of segments) {
      const [a, b] = await Promise.all([
        readFile(join(masterDir, name)),
        readFile(join(slaveDir, name)),
      ]);
      // Bytes past the end of the data are the segment's unwritten (zero) tail on both sides.
      expect(b.subarray(0, end).equals(a.subarray(0, end)), `segment ${name}`).toBe(true);
    }
  }, 60_000);

  it('answers SYNC_MASTER sends by the slave: SEND_OK, FLUSH_SLAVE_TIMEOUT when stalled, SLAVE_NOT_AVAILABLE when gone, SEND_OK for WAIT=false', async () => {
    const set = await startSet('ha-sync', 'SYNC_MASTER', { slaveTimeout: 1000 });
    const topic = 'HaSync';
    await newTopic(set, topic);
    const producer = await newProducer('ha-sync-pg');
    await waitFor(async () => (await send(producer, topic, 'probe')).sendStatus === 'SEND_OK', {
      description: 'the slave to connect and ack',
      timeoutMs: 20_000,
      intervalMs: 200,
    });
    expect((await send(producer, topic, 'with-slave')).sendStatus).toBe('SEND_OK');

    process.kill(set.slave!.pid, 'SIGSTOP');
    try {
      expect((await send(producer, topic, 'slave-stalled')).sendStatus).toBe('FLUSH_SLAVE_TIMEOUT');
    } finally {
      process.kill(set.slave!.pid, 'SIGCONT');
    }
    await waitFor(async () => (await send(producer, topic, 'resumed')).sendStatus === 'SEND_OK', {
      description: 'acks again once the slave runs',
      timeoutMs: 20_000,
      intervalMs: 200,
    });

    await set.slave!.stop();
    set.slave = undefined;
    await waitFor(
      async () => (await send(producer, topic, 'no-slave')).sendStatus === 'SLAVE_NOT_AVAILABLE',
      {
        description: 'SLAVE_NOT_AVAILABLE once the slave is gone',
        timeoutMs: 20_000,
        intervalMs: 200,
      },
    );
    // A sender that does not wait for the store (WAIT=false) is answered at once, slave or not.
    const noWait = await producer.send({
      topic,
      body: Buffer.from('no-wait'),
      waitStoreMsgOK: false,
    });
    expect(noWait.sendStatus).toBe('SEND_OK');
  }, 60_000);

  it('keeps consuming from the slave after the master is killed, and the offsets committed there survive its return', async () => {
    const set = await startSet('ha-failover', 'ASYNC_MASTER');
    const topic = 'HaFailover';
    const group = 'ha-failover-cg';
    await newTopic(set, topic);
    const producer = await newProducer('ha-failover-pg');
    const first = Array.from({ length: 40 }, (_, i) => `before-${i}`);
    const second = Array.from({ length: 60 }, (_, i) => `after-${i}`);
    for (const body of first)
      expect((await send(producer, topic, body)).sendStatus).toBe('SEND_OK');

    const seen = new Set<string>();
    const startConsumer = (instanceName: string): Promise<PushConsumer> =>
      env.collectBodies({ topic, group, into: seen, instanceName });
    const before = await startConsumer('ha-failover-c1');
    await waitFor(() => first.every((b) => seen.has(b)), {
      description: 'the first messages consumed from the master',
      timeoutMs: 30_000,
    });
    await before.shutdown();

    for (const body of second)
      expect((await send(producer, topic, body)).sendStatus).toBe('SEND_OK');
    await waitForSlaveCaughtUp(env.admin, set);
    // The slave learns topics and offsets from its master's metadata every 10 s (first after 3 s), as Java's does.
    await waitFor(
      async () => (await committedOffsets(set.slaveAddr, group, topic)) === first.length,
      {
        description: "the master's topics and offsets synchronized to the slave",
        timeoutMs: 30_000,
      },
    );
    process.kill(set.master!.pid, 'SIGKILL');
    await set.master!.stop().catch(() => undefined);
    set.master = undefined;
    await waitFor(
      async () => {
        const route = await env.admin.topicRoute(topic);
        const addrs = route.brokerDatas.find((b) => b.brokerName === set.brokerName)?.brokerAddrs;
        return addrs !== undefined && !addrs.has(0) && addrs.get(1) === set.slaveAddr;
      },
      { description: 'the route to list only the slave', timeoutMs: 30_000, intervalMs: 200 },
    );

    const after = await startConsumer('ha-failover-c2');
    await waitFor(() => second.every((b) => seen.has(b)), {
      description: 'the messages sent before the kill consumed from the slave',
      timeoutMs: 30_000,
    });
    // The consumer commits to the slave while the master is down.
    const total = first.length + second.length;
    const committedOnSlave = (): Promise<number> => committedOffsets(set.slaveAddr, group, topic);
    await waitFor(async () => (await committedOnSlave()) === total, {
      description: 'every offset committed on the slave',
      timeoutMs: 20_000,
    });
    // Only the slave knows these offsets now: the returning master must get them from it, not from a consumer.
    await after.shutdown();

    set.master = await startBroker(env.namesrvAddr, set.masterSpec);
    const committedOnMaster = (): Promise<number> => committedOffsets(set.masterAddr, group, topic);
    await waitFor(async () => (await committedOnMaster()) === total, {
      description: "the slave's offsets adopted by the returning master",
      timeoutMs: 40_000,
    });
    // And the slave's table still holds them after syncing with the master.
    expect(await committedOnSlave()).toBe(total);
  }, 120_000);
});
