/**
 * LitePullConsumer of @rocketmq-ts/client against a real mqnamesrv + mqbroker: assigned queues with poll, seek and
 * commit; a broker-driven offset reset; tag filtering; two members of one group sharing a topic's queues.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LitePullConsumer, MQAdmin } from '@rocketmq-ts/client';
import type { MessageExt } from '@rocketmq-ts/client';
import { ResponseCode } from '@rocketmq-ts/protocol';
import type { MessageQueue } from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { startCluster, waitFor } from '@rocketmq-ts/testkit';
import type { TestCluster } from '@rocketmq-ts/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTopic } from './support/broker-admin.js';
import { sendRaw } from './support/raw-client.js';

let cluster: TestCluster;
let admin: MQAdmin;
let raw: RemotingClient;
const consumers: LitePullConsumer[] = [];

beforeAll(async () => {
  cluster = await startCluster({ brokers: 1, brokerConfig: { mappedFileSizeCommitLog: 16 << 20 } });
  admin = new MQAdmin({ namesrvAddr: cluster.namesrvAddr });
  await admin.start();
  raw = new RemotingClient();
}, 60_000);

afterAll(async () => {
  await admin?.close();
  await raw?.close();
  await cluster?.stop();
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.shutdown()));
});

function brokerAddr(): string {
  return cluster.brokers[0]!.addr;
}

async function newTopic(topic: string, queueNums: number): Promise<void> {
  await createTopic({
    client: raw,
    brokerAddr: brokerAddr(),
    namesrvAddr: cluster.namesrvAddr,
    topic,
    queueNums,
  });
}

function consumer(
  options: Omit<ConstructorParameters<typeof LitePullConsumer>[0], 'namesrvAddr'>,
): LitePullConsumer {
  const c = new LitePullConsumer({ namesrvAddr: cluster.namesrvAddr, ...options });
  consumers.push(c);
  return c;
}

function queue(topic: string, queueId: number): MessageQueue {
  return { topic, brokerName: cluster.brokers[0]!.brokerName, queueId };
}

/** Polls until `count` messages arrived (each poll waits at most 1 s), within a deadline. */
async function pollN(
  c: LitePullConsumer,
  count: number,
  timeoutMs = 15_000,
): Promise<MessageExt[]> {
  const got: MessageExt[] = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < count && Date.now() < deadline) got.push(...(await c.poll(1000)));
  if (got.length < count) {
    throw new Error(`polled ${got.length} of ${count} messages within ${timeoutMs} ms`);
  }
  return got;
}

function bodies(messages: readonly MessageExt[], queueId?: number): string[] {
  return messages
    .filter((m) => queueId === undefined || m.queueId === queueId)
    .map((m) => m.body.toString());
}

describe('LitePullConsumer', () => {
  it('polls assigned queues, seeks, commits, and follows a reset by the broker', async () => {
    const topic = 'it-lite-assign';
    await newTopic(topic, 2);
    for (let i = 0; i < 5; i++)
      await sendRaw(raw, brokerAddr(), { topic, queueId: 0, body: `a${i}` });
    for (let i = 0; i < 3; i++)
      await sendRaw(raw, brokerAddr(), { topic, queueId: 1, body: `b${i}` });
    const group = 'it-lite-assign-group';
    const c = consumer({
      consumerGroup: group,
      autoCommit: false,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    });
    await c.start();
    const queues = await c.fetchMessageQueues(topic);
    expect(queues).toEqual([queue(topic, 0), queue(topic, 1)]);
    c.assign(queues);
    expect(c.assignment()).toEqual(queues);

    const first = await pollN(c, 8);
    expect(bodies(first, 0)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(bodies(first, 1)).toEqual(['b0', 'b1', 'b2']);
    expect(first.every((m) => m.brokerName === 'broker-0' && m.topic === topic)).toBe(true);
    expect(await c.poll(200)).toEqual([]);

    await c.commitSync();
    expect(await c.committed(queue(topic, 0))).toBe(5);
    const progress = await admin.consumeStats(group, topic);
    expect(progress.queues.map((q) => [q.mq.queueId, q.consumerOffset, q.lag])).toEqual([
      [0, 5, 0],
      [1, 3, 0],
    ]);

    await c.seek(queue(topic, 0), 2);
    expect(bodies(await pollN(c, 3))).toEqual(['a2', 'a3', 'a4']);
    await c.seekToBegin(queue(topic, 0));
    expect(bodies(await pollN(c, 5))).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    await expect(c.seek(queue(topic, 0), 6)).rejects.toThrow(
      /outside the queue's offsets \[0, 5\]/,
    );
    await expect(c.seek(queue('it-lite-other', 0), 0)).rejects.toThrow(/is not assigned/);
    expect(await c.offsetForTimestamp(queue(topic, 0), 0)).toBe(0);

    // A long-polling pull is answered as soon as a message arrives.
    await c.seekToEnd(queue(topic, 1));
    await sendRaw(raw, brokerAddr(), { topic, queueId: 1, body: 'b3' });
    expect(bodies(await pollN(c, 1))).toEqual(['b3']);
    await c.commitSync();
    expect((await admin.consumeStats(group, topic)).queues[1]?.consumerOffset).toBe(4);

    // The broker commits the reset and tells the member, which restarts its queues there.
    await admin.resetOffsetByTime({ consumerGroup: group, topic, timestamp: 0 });
    const again = await pollN(c, 9);
    expect(bodies(again, 0)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(bodies(again, 1)).toEqual(['b0', 'b1', 'b2', 'b3']);

    const info = await admin.consumerRunningInfo(
      group,
      (await admin.consumerConnection(group)).connectionSet[0]!.clientId,
    );
    expect(info.properties.get('PROP_CONSUME_TYPE')).toBe('CONSUME_ACTIVELY');
    expect(info.properties.get('consumerGroup')).toBe(group);
    expect(info.mqTable.map(([mq]) => mq.queueId)).toEqual([0, 1]);
  }, 60_000);

  it('returns only the subscribed tags and commits past the filtered messages', async () => {
    const topic = 'it-lite-tags';
    await newTopic(topic, 1);
    for (const tags of ['TagA', 'TagB', 'TagA', 'TagB']) {
      await sendRaw(raw, brokerAddr(), { topic, queueId: 0, body: tags, tags });
    }
    const group = 'it-lite-tags-group';
    const c = consumer({
      consumerGroup: group,
      autoCommit: false,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    });
    await c.subscribe(topic, 'TagA');
    await c.start();
    const got = await pollN(c, 2);
    expect(got.map((m) => [m.tags, m.queueOffset])).toEqual([
      ['TagA', 0],
      ['TagA', 2],
    ]);
    await c.commitSync();
    expect((await admin.consumeStats(group, topic)).diffTotal).toBe(0);
    const connection = await waitFor(() => admin.consumerConnection(group), {
      description: `the connection of ${group} (its retry topic routed)`,
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    expect(connection.consumeType).toBe('CONSUME_ACTIVELY');
    expect(connection.subscriptionTable.get(topic)?.subString).toBe('TagA');
    await c.unsubscribe(topic);
    expect(c.assignment()).toEqual([]);
  }, 30_000);

  it('shares the queues of a subscribed topic between two members of a group and commits on shutdown', async () => {
    const topic = 'it-lite-shared';
    await newTopic(topic, 4);
    const group = 'it-lite-shared-group';
    const options = { consumerGroup: group, autoCommitIntervalMillis: 1000 };
    const a = consumer({ ...options, instanceName: 'lite-a' });
    const b = consumer({ ...options, instanceName: 'lite-b' });
    await a.subscribe(topic);
    await a.start();
    await waitFor(() => a.assignment().length === 4, {
      description: 'the only member to own every queue',
      timeoutMs: 10_000,
    });
    await b.subscribe(topic);
    await b.start();
    await waitFor(() => a.assignment().length === 2 && b.assignment().length === 2, {
      description: 'two members to own two queues each',
      timeoutMs: 25_000,
      intervalMs: 100,
    });
    const ownedByA = new Set(a.assignment().map((mq) => mq.queueId));
    const ownedByB = new Set(b.assignment().map((mq) => mq.queueId));
    expect([...ownedByA, ...ownedByB].sort()).toEqual([0, 1, 2, 3]);

    for (let queueId = 0; queueId < 4; queueId++) {
      for (let i = 0; i < 3; i++) {
        await sendRaw(raw, brokerAddr(), { topic, queueId, body: `q${queueId}-${i}` });
      }
    }
    const [fromA, fromB] = await Promise.all([pollN(a, 6), pollN(b, 6)]);
    expect(fromA.every((m) => ownedByA.has(m.queueId))).toBe(true);
    expect(fromB.every((m) => ownedByB.has(m.queueId))).toBe(true);
    expect([...bodies(fromA), ...bodies(fromB)].sort()).toEqual(
      [0, 1, 2, 3].flatMap((q) => [0, 1, 2].map((i) => `q${q}-${i}`)).sort(),
    );

    const connection = await admin.consumerConnection(group);
    expect(connection.connectionSet).toHaveLength(2);

    // B leaves: its offsets are committed, and A takes its queues over from there.
    await b.shutdown();
    await waitFor(() => a.assignment().length === 4, {
      description: 'the remaining member to own every queue again',
      timeoutMs: 25_000,
      intervalMs: 100,
    });
    expect(await a.poll(500)).toEqual([]);
    await a.shutdown();
    const progress = await admin.consumeStats(group, topic);
    expect(progress.queues.map((q) => q.consumerOffset)).toEqual([3, 3, 3, 3]);
    expect(progress.diffTotal).toBe(0);
    await expect(admin.consumerConnection(group)).rejects.toMatchObject({
      code: ResponseCode.CONSUMER_NOT_ONLINE,
    });
  }, 90_000);

  it('pauses and resumes the pulls of a queue', async () => {
    const topic = 'it-lite-pause';
    await newTopic(topic, 1);
    const c = consumer({ consumerGroup: 'it-lite-pause-group', autoCommit: false });
    await c.start();
    c.assign(await c.fetchMessageQueues(topic));
    expect(await c.poll(300)).toEqual([]);
    c.pause([queue(topic, 0)]);
    // A pull already parked on the broker may still deliver one batch; no pull starts while paused.
    await sendRaw(raw, brokerAddr(), { topic, queueId: 0, body: 'p1' });
    const whilePaused = await c.poll(1500);
    expect(bodies(whilePaused).every((b) => b === 'p1')).toBe(true);
    await sendRaw(raw, brokerAddr(), { topic, queueId: 0, body: 'p2' });
    expect(await c.poll(1500)).toEqual([]);
    c.resume([queue(topic, 0)]);
    const afterResume = await pollN(c, 2 - whilePaused.length);
    expect([...bodies(whilePaused), ...bodies(afterResume)]).toEqual(['p1', 'p2']);
  }, 30_000);

  it('gives every broadcasting member every queue and keeps offsets in a local file', async () => {
    const topic = 'it-lite-broadcast';
    await newTopic(topic, 2);
    for (let queueId = 0; queueId < 2; queueId++) {
      await sendRaw(raw, brokerAddr(), { topic, queueId, body: `q${queueId}` });
    }
    const dir = await mkdtemp(join(tmpdir(), 'rmq-lite-'));
    try {
      const options = {
        consumerGroup: 'it-lite-broadcast-group',
        messageModel: 'BROADCASTING' as const,
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' as const,
        offsetStoreDir: dir,
        autoCommit: false,
      };
      const a = consumer({ ...options, instanceName: 'bc-a' });
      const b = consumer({ ...options, instanceName: 'bc-b' });
      for (const c of [a, b]) {
        await c.subscribe(topic);
        await c.start();
      }
      for (const c of [a, b]) {
        expect(bodies(await pollN(c, 2)).sort()).toEqual(['q0', 'q1']);
        expect(c.assignment()).toHaveLength(2);
        await c.commitSync();
        expect(await c.committed(queue(topic, 1))).toBe(1);
      }
      const files = await readdir(dir, { recursive: true });
      expect(files.filter((f) => f.endsWith('offsets.json'))).toHaveLength(2);
    } finally {
      await Promise.all(consumers.splice(0).map((c) => c.shutdown()));
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('refuses to mix subscribe and assign and to poll before start', async () => {
    const c = consumer({ consumerGroup: 'it-lite-misuse' });
    await c.subscribe('it-lite-misuse-topic');
    expect(() => c.assign([queue('it-lite-misuse-topic', 0)])).toThrow(/mutually exclusive/);
    await expect(c.poll(10)).rejects.toThrow(/not running: await start\(\) first/);
    expect(
      () =>
        new LitePullConsumer({
          namesrvAddr: cluster.namesrvAddr,
          consumerGroup: 'DEFAULT_CONSUMER',
        }),
    ).toThrow(/can not equal DEFAULT_CONSUMER/);
  });
});
