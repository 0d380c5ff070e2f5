/**
 * The @rocketmq-ts/client PushConsumer against a real mqnamesrv + mqbroker: tag filtering, queue sharing in a
 * clustering group (also while members join and leave), broadcasting, retries through %RETRY% and the dead letter
 * queue, orderly consumption, restart from the committed offset, and the broker-initiated requests (reset offset,
 * running info, consume directly). Messages are produced with raw SEND_MESSAGE_V2 requests.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PushConsumer,
  decodeConsumeMessageDirectlyResult,
  decodeConsumerRunningInfo,
} from '@rocketmq-ts/client';
import type { MessageExt, PushConsumerInit } from '@rocketmq-ts/client';
import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeGetMaxOffsetResponseHeader,
  encodeGetMaxOffsetRequestHeader,
  encodeMessageProperties,
  encodeResetOffsetRequestHeader,
  encodeSendMessageRequestHeader,
  decodeSendMessageResponseHeader,
} from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { startCluster, waitFor } from '@rocketmq-ts/testkit';
import type { TestCluster } from '@rocketmq-ts/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTopic, queryConsumerOffset, queryMessagesByKey } from './support/broker-admin.js';

const QUEUES = 4;
const TIMEOUT_MS = 3000;

let cluster: TestCluster;
let admin: RemotingClient;
const consumers: PushConsumer[] = [];
const dirs: string[] = [];
let topicSeq = 0;

beforeAll(async () => {
  cluster = await startCluster({
    brokers: 1,
    brokerConfig: {
      mappedFileSizeCommitLog: 16 << 20,
      // Retries come back after a second instead of 10 s, 30 s, 1 min…
      messageDelayLevel: Array.from({ length: 18 }, () => '1s').join(' '),
    },
  });
  admin = new RemotingClient();
}, 60_000);

afterAll(async () => {
  await admin?.close();
  await cluster?.stop();
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.shutdown()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

function brokerAddr(): string {
  return cluster.brokers[0]!.addr;
}

async function newTopic(): Promise<string> {
  const topic = `PushTopic${++topicSeq}_${Date.now()}`;
  await createTopic({
    client: admin,
    brokerAddr: brokerAddr(),
    namesrvAddr: cluster.namesrvAddr,
    topic,
    queueNums: QUEUES,
  });
  return topic;
}

interface Outgoing {
  readonly topic: string;
  readonly body: string;
  readonly tags?: string;
  readonly keys?: string;
  /** Default: round-robin over the queues. */
  readonly queueId?: number;
}

let sendSeq = 0;

/** SEND_MESSAGE_V2 of one message; returns the offset message id. */
async function send(m: Outgoing): Promise<string> {
  const properties: Record<string, string> = { WAIT: 'true', KEYS: m.keys ?? m.body };
  if (m.tags !== undefined) properties.TAGS = m.tags;
  const header = encodeSendMessageRequestHeader(
    {
      producerGroup: 'it-raw-producer',
      topic: m.topic,
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: QUEUES,
      queueId: m.queueId ?? sendSeq++ % QUEUES,
      sysFlag: 0,
      bornTimestamp: Date.now(),
      flag: 0,
      properties: encodeMessageProperties(properties),
      reconsumeTimes: 0,
      unitMode: false,
      batch: false,
    },
    RequestCode.SEND_MESSAGE_V2,
  );
  const response = await admin.invoke(
    brokerAddr(),
    RemotingCommand.request(RequestCode.SEND_MESSAGE_V2, header, Buffer.from(m.body)),
    { timeoutMs: TIMEOUT_MS },
  );
  expect(response.code).toBe(ResponseCode.SUCCESS);
  return decodeSendMessageResponseHeader(response.extFields ?? {}).msgId;
}

async function sendBodies(topic: string, bodies: readonly string[], tags?: string): Promise<void> {
  for (const body of bodies) await send({ topic, body, tags });
}

function bodies(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}

async function maxOffset(topic: string, queueId: number): Promise<number> {
  const response = await admin.invoke(
    brokerAddr(),
    RemotingCommand.request(
      RequestCode.GET_MAX_OFFSET,
      encodeGetMaxOffsetRequestHeader({ topic, queueId }),
    ),
    { timeoutMs: TIMEOUT_MS },
  );
  return decodeGetMaxOffsetResponseHeader(response.extFields ?? {}).offset;
}

async function committedTotal(group: string, topic: string): Promise<number> {
  let total = 0;
  for (let queueId = 0; queueId < QUEUES; queueId++) {
    total +=
      (await queryConsumerOffset({
        client: admin,
        brokerAddr: brokerAddr(),
        consumerGroup: group,
        topic,
        queueId,
      })) ?? 0;
  }
  return total;
}

/** What a listener saw. */
interface Delivery {
  readonly consumer: string;
  readonly topic: string;
  readonly body: string;
  readonly tags: string | undefined;
  readonly queueId: number;
  readonly reconsumeTimes: number;
}

function record(consumer: string, msg: MessageExt): Delivery {
  return {
    consumer,
    topic: msg.topic,
    body: msg.body.toString(),
    tags: msg.tags,
    queueId: msg.queueId,
    reconsumeTimes: msg.reconsumeTimes,
  };
}

let instanceSeq = 0;

/** A consumer with the test timers; started, and shut down after the test. */
async function startConsumer(
  options: Omit<PushConsumerInit, 'namesrvAddr'> & { topic: string; subExpression?: string },
): Promise<{ consumer: PushConsumer; instanceName: string }> {
  const { topic, subExpression, ...init } = options;
  const instanceName = init.instanceName ?? `push-it-${++instanceSeq}`;
  const consumer = new PushConsumer({
    namesrvAddr: cluster.namesrvAddr,
    clientIP: '127.0.0.1',
    pollNameServerInterval: 1000,
    heartbeatBrokerInterval: 1000,
    persistConsumerOffsetInterval: 200,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    ...init,
    instanceName,
  });
  consumer.subscribe(topic, subExpression ?? '*');
  consumers.push(consumer);
  await consumer.start();
  return { consumer, instanceName };
}

/** A concurrent consumer recording every delivery it acknowledged. */
async function recordingConsumer(
  options: Omit<PushConsumerInit, 'namesrvAddr'> & { topic: string; subExpression?: string },
  sink: Delivery[],
): Promise<PushConsumer> {
  let name = '';
  const started = await startConsumer({
    ...options,
    messageListener: async (msgs) => {
      for (const m of msgs) sink.push(record(name, m));
      return Promise.resolve('CONSUME_SUCCESS');
    },
  });
  name = started.instanceName;
  return started.consumer;
}

function distinctBodies(deliveries: readonly Delivery[]): Set<string> {
  return new Set(deliveries.map((d) => d.body));
}

describe('PushConsumer', () => {
  it('delivers only the subscribed tags and commits past the filtered-out messages', async () => {
    const topic = await newTopic();
    const group = `push-tags-${topicSeq}`;
    const all = bodies('tag', 24);
    const tagOf = (i: number): string => ['TagA', 'TagB', 'TagC'][i % 3]!;
    for (const [i, body] of all.entries()) await send({ topic, body, tags: tagOf(i) });
    const seen: Delivery[] = [];
    await recordingConsumer({ consumerGroup: group, topic, subExpression: 'TagA || TagC' }, seen);
    const expected = all.filter((_, i) => tagOf(i) !== 'TagB');
    await waitFor(() => distinctBodies(seen).size === expected.length, {
      description: 'every TagA and TagC message to arrive',
      timeoutMs: 20_000,
    });
    expect([...distinctBodies(seen)].sort()).toEqual([...expected].sort());
    expect(seen.every((d) => d.tags === 'TagA' || d.tags === 'TagC')).toBe(true);
    // A trailing TagB counts as consumed once the next pull answers "no new message" (Java
    // `correctTagsOffset`); that pull is long-polled, so it can take the broker's whole 15 s hold.
    await waitFor(async () => (await committedTotal(group, topic)) === all.length, {
      description: 'committed offsets to cover all 24 messages, TagB ones included',
      timeoutMs: 25_000,
    });
  }, 60_000);

  it('shares the queues of a clustering group between two consumers and consumes every message', async () => {
    const topic = await newTopic();
    const group = `push-share-${topicSeq}`;
    const seen: Delivery[] = [];
    const c1 = await recordingConsumer({ consumerGroup: group, topic }, seen);
    const c2 = await recordingConsumer({ consumerGroup: group, topic }, seen);
    const topicQueues = (c: PushConsumer): number =>
      c.assignedQueues().filter((q) => q.topic === topic).length;
    await waitFor(() => topicQueues(c1) === 2 && topicQueues(c2) === 2, {
      description: 'the 4 queues to be split 2 and 2',
      timeoutMs: 20_000,
    });
    const all = bodies('share', 40);
    await sendBodies(topic, all);
    await waitFor(() => distinctBodies(seen).size === all.length, {
      description: 'all 40 messages to be consumed',
      timeoutMs: 20_000,
    });
    const consumersSeen = new Set(seen.map((d) => d.consumer));
    expect(consumersSeen.size).toBe(2);
    // Stable membership: nothing is consumed twice.
    expect(seen.length).toBe(all.length);
  }, 60_000);

  it('loses nothing while consumers join and leave the group (at least once)', async () => {
    const topic = await newTopic();
    const group = `push-churn-${topicSeq}`;
    const seen: Delivery[] = [];
    // A slow listener keeps messages in flight while the membership changes.
    const slow = async (name: string, msgs: MessageExt[]): Promise<'CONSUME_SUCCESS'> => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      for (const m of msgs) seen.push(record(name, m));
      return 'CONSUME_SUCCESS';
    };
    const { consumer: c1 } = await startConsumer({
      consumerGroup: group,
      topic,
      instanceName: `churn-1-${topicSeq}`,
      consumeThreadMax: 2,
      consumeThreadMin: 1,
      messageListener: (msgs) => slow('c1', msgs),
    });
    const all = bodies('churn', 150);
    await sendBodies(topic, all.slice(0, 50));
    const { consumer: c2 } = await startConsumer({
      consumerGroup: group,
      topic,
      instanceName: `churn-2-${topicSeq}`,
      consumeThreadMax: 2,
      consumeThreadMin: 1,
      messageListener: (msgs) => slow('c2', msgs),
    });
    await sendBodies(topic, all.slice(50, 100));
    await waitFor(() => seen.some((d) => d.consumer === 'c2'), {
      description: 'the joining consumer to take over some queues',
      timeoutMs: 20_000,
    });
    await c1.shutdown();
    await sendBodies(topic, all.slice(100));
    await waitFor(() => distinctBodies(seen).size === all.length, {
      description: 'all 150 messages to be consumed across the membership changes',
      timeoutMs: 30_000,
    });
    expect(seen.some((d) => d.consumer === 'c1')).toBe(true);
    // At least once: re-deliveries around the hand-overs are allowed, but only of messages in flight then.
    expect(seen.length - all.length).toBeLessThanOrEqual(50);
    await waitFor(() => c2.assignedQueues().filter((q) => q.topic === topic).length === QUEUES, {
      description: 'the remaining consumer to hold every queue',
      timeoutMs: 20_000,
    });
  }, 90_000);

  it('gives every message to every consumer in broadcasting mode and keeps offsets in a local file', async () => {
    const topic = await newTopic();
    const group = `push-bcast-${topicSeq}`;
    const dir = await mkdtemp(join(tmpdir(), 'rmq-'));
    dirs.push(dir);
    const seen1: Delivery[] = [];
    const seen2: Delivery[] = [];
    const common = {
      consumerGroup: group,
      topic,
      messageModel: 'BROADCASTING' as const,
      offsetStoreDir: dir,
    };
    const c1 = await recordingConsumer(common, seen1);
    await recordingConsumer(common, seen2);
    const all = bodies('bcast', 20);
    await sendBodies(topic, all);
    await waitFor(() => distinctBodies(seen1).size === 20 && distinctBodies(seen2).size === 20, {
      description: 'both broadcasting consumers to receive all 20 messages',
      timeoutMs: 20_000,
    });
    const clientId = c1.clientId!;
    await c1.shutdown();
    const file = await readFile(join(dir, clientId, group, 'offsets.json'), 'utf8');
    const offsets = [...file.matchAll(/"topic":"([^"]+)"\}:(\d+)/g)]
      .filter((m) => m[1] === topic)
      .reduce((sum, m) => sum + Number(m[2]), 0);
    expect(offsets).toBe(20);
  }, 60_000);

  it('redelivers a failed message through %RETRY% with reconsumeTimes + 1, then moves it to the DLQ', async () => {
    const topic = await newTopic();
    const group = `push-retry-${topicSeq}`;
    const attempts: Delivery[] = [];
    const okOnSecond: Delivery[] = [];
    await startConsumer({
      consumerGroup: group,
      topic,
      maxReconsumeTimes: 2,
      messageListener: async (msgs) => {
        const m = msgs[0]!;
        const d = record('c', m);
        if (d.body === 'always-fails') {
          attempts.push(d);
          throw new Error('listener failure');
        }
        okOnSecond.push(d);
        return Promise.resolve(d.reconsumeTimes === 0 ? 'RECONSUME_LATER' : 'CONSUME_SUCCESS');
      },
    });
    await send({ topic, body: 'always-fails', keys: `dlq-key-${topicSeq}` });
    await send({ topic, body: 'fails-once' });
    await waitFor(() => okOnSecond.length === 2 && attempts.length === 3, {
      description: 'one retry of fails-once and three deliveries of always-fails',
      timeoutMs: 30_000,
    });
    expect(okOnSecond.map((d) => d.reconsumeTimes)).toEqual([0, 1]);
    expect(attempts.map((d) => d.reconsumeTimes)).toEqual([0, 1, 2]);
    // Retried messages are shown with their original topic.
    expect([...attempts, ...okOnSecond].every((d) => d.topic === topic)).toBe(true);
    const dlq = `%DLQ%${group}`;
    await waitFor(async () => (await maxOffset(dlq, 0)) === 1, {
      description: 'the exhausted message to reach the dead letter queue',
      timeoutMs: 10_000,
    });
    const [inDlq] = await queryMessagesByKey({
      client: admin,
      brokerAddr: brokerAddr(),
      topic: dlq,
      key: `dlq-key-${topicSeq}`,
    });
    expect(inDlq?.body.toString()).toBe('always-fails');
    expect(inDlq?.properties.get('RETRY_TOPIC')).toBe(topic);
  }, 60_000);

  it('consumes each queue in order with an orderly listener, retrying a suspended batch first', async () => {
    const topic = await newTopic();
    const group = `push-orderly-${topicSeq}`;
    const perQueue = 15;
    const consumed = new Map<number, number[]>();
    const suspended = new Set<string>();
    await startConsumer({
      consumerGroup: group,
      topic,
      suspendCurrentQueueTimeMillis: 50,
      messageListenerOrderly: async (msgs) => {
        const m = msgs[0]!;
        const [, queueText, seqText] = m.body.toString().split('-');
        const seq = Number(seqText);
        // Every fifth message is refused once: its successors must wait for it.
        if (seq % 5 === 2 && !suspended.has(m.body.toString())) {
          suspended.add(m.body.toString());
          return Promise.resolve('SUSPEND_CURRENT_QUEUE_A_MOMENT');
        }
        const list = consumed.get(Number(queueText)) ?? [];
        list.push(seq);
        consumed.set(Number(queueText), list);
        return Promise.resolve('SUCCESS');
      },
    });
    for (let seq = 0; seq < perQueue; seq++) {
      for (let queueId = 0; queueId < QUEUES; queueId++) {
        await send({ topic, body: `ord-${queueId}-${seq}`, queueId });
      }
    }
    const total = (): number => [...consumed.values()].reduce((n, l) => n + l.length, 0);
    await waitFor(() => total() === perQueue * QUEUES, {
      description: 'every ordered message to be consumed',
      timeoutMs: 30_000,
    });
    for (let queueId = 0; queueId < QUEUES; queueId++) {
      expect(consumed.get(queueId)).toEqual(Array.from({ length: perQueue }, (_, i) => i));
    }
  }, 60_000);

  it('moves an orderly message to the DLQ after maxReconsumeTimes suspensions and goes on with the queue', async () => {
    const topic = await newTopic();
    const group = `push-orderly-dlq-${topicSeq}`;
    const calls: Delivery[] = [];
    await startConsumer({
      consumerGroup: group,
      topic,
      maxReconsumeTimes: 1,
      suspendCurrentQueueTimeMillis: 50,
      messageListenerOrderly: async (msgs) => {
        const d = record('c', msgs[0]!);
        calls.push(d);
        return Promise.resolve(d.body === 'poison' ? 'SUSPEND_CURRENT_QUEUE_A_MOMENT' : 'SUCCESS');
      },
    });
    await send({ topic, body: 'poison', queueId: 0, keys: `orderly-dlq-${topicSeq}` });
    await send({ topic, body: 'next', queueId: 0 });
    await waitFor(() => calls.some((d) => d.body === 'next'), {
      description: 'the message after the poison one to be consumed',
      timeoutMs: 20_000,
    });
    expect(calls.map((d) => [d.body, d.reconsumeTimes])).toEqual([
      ['poison', 0],
      ['poison', 1],
      ['next', 0],
    ]);
    await waitFor(async () => (await maxOffset(`%DLQ%${group}`, 0)) === 1, {
      description: 'the poison message to reach the dead letter queue',
      timeoutMs: 10_000,
    });
  }, 60_000);

  it('resumes from the committed offset after a restart', async () => {
    const topic = await newTopic();
    const group = `push-restart-${topicSeq}`;
    const first: Delivery[] = [];
    const c1 = await recordingConsumer({ consumerGroup: group, topic }, first);
    await sendBodies(topic, bodies('before', 20));
    await waitFor(() => distinctBodies(first).size === 20, {
      description: 'the first 20 messages to be consumed',
      timeoutMs: 20_000,
    });
    await c1.shutdown();
    expect(await committedTotal(group, topic)).toBe(20);
    const later = bodies('after', 10);
    await sendBodies(topic, later);
    const second: Delivery[] = [];
    await recordingConsumer(
      { consumerGroup: group, topic, consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET' },
      second,
    );
    await waitFor(() => distinctBodies(second).size === 10, {
      description: 'the 10 messages sent while stopped to be consumed',
      timeoutMs: 20_000,
    });
    expect([...distinctBodies(second)].sort()).toEqual([...later].sort());
  }, 60_000);

  it('answers the broker: running info, consume directly, and a reset of its offsets', async () => {
    const topic = await newTopic();
    const group = `push-admin-${topicSeq}`;
    const seen: Delivery[] = [];
    const consumer = await recordingConsumer({ consumerGroup: group, topic }, seen);
    const msgId = await send({ topic, body: 'admin-0' });
    await sendBodies(topic, bodies('admin-rest', 7));
    await waitFor(() => distinctBodies(seen).size === 8, {
      description: 'the first 8 messages to be consumed',
      timeoutMs: 20_000,
    });
    await waitFor(async () => (await committedTotal(group, topic)) === 8, {
      description: 'offsets of all 8 messages to be committed',
      timeoutMs: 10_000,
    });

    const info = await admin.invoke(
      brokerAddr(),
      RemotingCommand.request(RequestCode.GET_CONSUMER_RUNNING_INFO, {
        consumerGroup: group,
        clientId: consumer.clientId!,
      }),
      { timeoutMs: 15_000 },
    );
    expect(info.code).toBe(ResponseCode.SUCCESS);
    const running = decodeConsumerRunningInfo(info.body!);
    expect(running.properties.get('PROP_CONSUME_TYPE')).toBe('CONSUME_PASSIVELY');
    expect(running.properties.get('consumerGroup')).toBe(group);
    expect(running.subscriptionSet.map((sub) => sub.topic).sort()).toEqual(
      [`%RETRY%${group}`, topic].sort(),
    );
    const held = running.mqTable.filter(([mq]) => mq.topic === topic);
    expect(held).toHaveLength(QUEUES);
    expect(held.reduce((sum, [, pq]) => sum + pq.commitOffset, 0)).toBe(8);

    const direct = await admin.invoke(
      brokerAddr(),
      RemotingCommand.request(RequestCode.CONSUME_MESSAGE_DIRECTLY, {
        consumerGroup: group,
        clientId: consumer.clientId!,
        msgId,
      }),
      { timeoutMs: 15_000 },
    );
    expect(direct.code).toBe(ResponseCode.SUCCESS);
    expect(decodeConsumeMessageDirectlyResult(direct.body!)).toMatchObject({
      consumeResult: 'CR_SUCCESS',
      order: false,
      autoCommit: true,
    });
    expect(seen.filter((d) => d.body === 'admin-0')).toHaveLength(2);

    const reset = await admin.invoke(
      brokerAddr(),
      RemotingCommand.request(
        RequestCode.INVOKE_BROKER_TO_RESET_OFFSET,
        encodeResetOffsetRequestHeader({ topic, group, timestamp: 0, isForce: true }),
      ),
      { timeoutMs: TIMEOUT_MS },
    );
    expect(reset.code).toBe(ResponseCode.SUCCESS);
    await waitFor(() => seen.length >= 8 + 1 + 8, {
      description: 'every message to be consumed again after the reset to the start',
      timeoutMs: 20_000,
    });
    const counts = new Map<string, number>();
    for (const d of seen) counts.set(d.body, (counts.get(d.body) ?? 0) + 1);
    expect([...counts.values()].every((n) => n >= 2)).toBe(true);
  }, 60_000);
});
