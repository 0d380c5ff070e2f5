/**
 * SQL92 message filtering against real mqnamesrv + mqbroker processes: our PushConsumer subscribed with
 * `MessageSelector.bySql` receives exactly the messages whose properties match (TAGS and user properties set by our
 * Producer), a malformed expression fails start() naming it, ali-ons 3.12.0 (which subscribes with
 * `{ expressionType: 'SQL92', subString }`) is filtered the same way, and a broker without `enablePropertyFilter`
 * refuses SQL92 subscriptions as Java 4.9.8 does.
 */
import {
  LitePullConsumer,
  MQClientError,
  MessageSelector,
  Producer,
  PushConsumer,
} from '@rocketmq-ts/client';
import type { MessageSelector as Selector } from '@rocketmq-ts/client';
import { ResponseCode } from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { startCluster, waitFor } from '@rocketmq-ts/testkit';
import type { TestCluster } from '@rocketmq-ts/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTopic } from './support/broker-admin.js';
import { OnsClients } from './support/ons-clients.js';

const QUEUES = 2;
/** How long to keep listening after the expected messages arrived, to catch any that should not have. */
const SETTLE_MS = 1500;

let topicSeq = 0;
let instanceSeq = 0;
const consumers: PushConsumer[] = [];

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.shutdown()));
});

async function newTopic(cluster: TestCluster, admin: RemotingClient): Promise<string> {
  const topic = `Sql92Topic${++topicSeq}_${Date.now()}`;
  await createTopic({
    client: admin,
    brokerAddr: cluster.brokers[0]!.addr,
    namesrvAddr: cluster.namesrvAddr,
    topic,
    queueNums: QUEUES,
  });
  return topic;
}

function pushConsumer(cluster: TestCluster, group: string, seen: string[]): PushConsumer {
  const consumer = new PushConsumer({
    consumerGroup: group,
    namesrvAddr: cluster.namesrvAddr,
    clientIP: '127.0.0.1',
    instanceName: `sql92-it-${++instanceSeq}`,
    pollNameServerInterval: 1000,
    heartbeatBrokerInterval: 1000,
    persistConsumerOffsetInterval: 200,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    messageListener: async (msgs) => {
      for (const m of msgs) seen.push(m.body.toString());
      return Promise.resolve('CONSUME_SUCCESS');
    },
  });
  consumers.push(consumer);
  return consumer;
}

async function startRejection(consumer: PushConsumer): Promise<MQClientError> {
  const error: unknown = await consumer.start().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MQClientError);
  expect(consumer.state).toBe('START_FAILED');
  return error as MQClientError;
}

describe('SQL92 filter, broker with enablePropertyFilter=true', () => {
  let cluster: TestCluster;
  let admin: RemotingClient;
  let producer: Producer;

  beforeAll(async () => {
    cluster = await startCluster({
      brokers: 1,
      brokerConfig: { mappedFileSizeCommitLog: 16 << 20, enablePropertyFilter: true },
    });
    admin = new RemotingClient();
    producer = new Producer({
      producerGroup: 'it-sql92-producer',
      namesrvAddr: cluster.namesrvAddr,
      instanceName: 'it-sql92-producer',
    });
    await producer.start();
  }, 60_000);

  afterAll(async () => {
    await producer?.shutdown();
    await admin?.close();
    await cluster?.stop();
  });

  /** Sends m0..m11 with a = i and TAGS TagA/TagB/TagC in turn, plus two TagA messages without `a`. */
  async function sendSample(topic: string): Promise<void> {
    for (let i = 0; i < 12; i++) {
      const result = await producer.send({
        topic,
        tags: ['TagA', 'TagB', 'TagC'][i % 3]!,
        body: `m${i}`,
        properties: { a: String(i), color: i % 2 === 0 ? 'red' : 'blue' },
      });
      expect(result.sendStatus).toBe('SEND_OK');
    }
    for (const body of ['no-a-1', 'no-a-2']) {
      const result = await producer.send({ topic, tags: 'TagA', body });
      expect(result.sendStatus).toBe('SEND_OK');
    }
  }

  async function expectExactly(seen: string[], expected: string[]): Promise<void> {
    await waitFor(() => expected.every((b) => seen.includes(b)), {
      description: `messages ${expected.join(', ')} to arrive`,
      timeoutMs: 20_000,
    });
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    expect([...new Set(seen)].sort()).toEqual([...expected].sort());
  }

  it('a PushConsumer with bySql receives exactly the matching messages', async () => {
    const topic = await newTopic(cluster, admin);
    await sendSample(topic);
    const seen: string[] = [];
    const consumer = pushConsumer(cluster, `sql92-between-${topicSeq}`, seen);
    consumer.subscribe(
      topic,
      MessageSelector.bySql("a BETWEEN 3 AND 6 AND TAGS IN ('TagA','TagB')"),
    );
    await consumer.start();
    await expectExactly(seen, ['m3', 'm4', 'm6']);
  }, 60_000);

  it('IS NULL, NOT IN and OR select by presence, tags and user properties', async () => {
    const topic = await newTopic(cluster, admin);
    await sendSample(topic);
    const seen: string[] = [];
    const consumer = pushConsumer(cluster, `sql92-null-${topicSeq}`, seen);
    consumer.subscribe(
      topic,
      MessageSelector.bySql("a IS NULL OR (color = 'blue' AND TAGS NOT IN ('TagB') AND a > 6)"),
    );
    await consumer.start();
    // blue = odd a; > 6 and not TagB: 7 (TagB: no), 9 (TagA), 11 (TagC).
    await expectExactly(seen, ['no-a-1', 'no-a-2', 'm9', 'm11']);
  }, 60_000);

  it('a tag selector still filters by tags', async () => {
    const topic = await newTopic(cluster, admin);
    await sendSample(topic);
    const seen: string[] = [];
    const consumer = pushConsumer(cluster, `sql92-tag-${topicSeq}`, seen);
    consumer.subscribe(topic, MessageSelector.byTag('TagC'));
    await consumer.start();
    await expectExactly(seen, ['m2', 'm5', 'm8', 'm11']);
  }, 60_000);

  it('a malformed expression fails start() with an error naming it', async () => {
    const topic = await newTopic(cluster, admin);
    const consumer = pushConsumer(cluster, `sql92-bad-${topicSeq}`, []);
    const expression = "a > 3 AND TAGS IN ('TagA' 'TagB')";
    consumer.subscribe(topic, MessageSelector.bySql(expression));
    const error = await startRejection(consumer);
    expect(error.code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
    expect(error.message).toContain(expression);
    expect(error.message).toMatch(/position \d+/);
  }, 30_000);

  it('a LitePullConsumer with bySql polls exactly the matching messages', async () => {
    const topic = await newTopic(cluster, admin);
    await sendSample(topic);
    const lite = new LitePullConsumer({
      consumerGroup: `sql92-lite-${topicSeq}`,
      namesrvAddr: cluster.namesrvAddr,
      instanceName: `sql92-lite-${topicSeq}`,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    });
    try {
      await lite.subscribe(topic, MessageSelector.bySql("TAGS = 'TagB' AND a >= 4"));
      await lite.start();
      const seen: string[] = [];
      const expected = ['m4', 'm7', 'm10'];
      const deadline = Date.now() + 20_000;
      while (!expected.every((b) => seen.includes(b)) && Date.now() < deadline) {
        for (const m of await lite.poll(500)) seen.push(m.body.toString());
      }
      // One more poll catches anything that should not have come.
      for (const m of await lite.poll(500)) seen.push(m.body.toString());
      expect([...new Set(seen)].sort()).toEqual([...expected].sort());
    } finally {
      await lite.shutdown();
    }
  }, 60_000);

  it('ali-ons 3.12.0 subscribing with an SQL92 expression receives exactly the matching messages', async () => {
    const topic = await newTopic(cluster, admin);
    await sendSample(topic);
    const ons = new OnsClients(cluster.namesrvAddr);
    try {
      // ali-ons takes `{ expressionType, subString }` in place of the tag string (lib/consumer/mq_push_consumer.js
      // buildSubscriptionData) and sends both in its heartbeat and pulls; its typings only name the string.
      const sql = { expressionType: 'SQL92', subString: "color = 'red' AND a < 5" };
      const started = await ons.startConsumer({
        instanceName: `sql92-ons-${topicSeq}`,
        consumerGroup: `sql92-ons-${topicSeq}`,
        topic,
        subExpression: sql as unknown as string,
      });
      const seen = (): string[] => started.deliveries.map((d) => d.body);
      await waitFor(() => ['m0', 'm2', 'm4'].every((b) => seen().includes(b)), {
        description: `ali-ons to receive m0, m2, m4\n${ons.tail()}`,
        timeoutMs: 30_000,
      });
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      expect([...new Set(seen())].sort()).toEqual(['m0', 'm2', 'm4']);
    } finally {
      await ons.closeAll();
    }
  }, 60_000);
});

describe('SQL92 filter, broker without enablePropertyFilter', () => {
  let cluster: TestCluster;
  let admin: RemotingClient;

  beforeAll(async () => {
    cluster = await startCluster({
      brokers: 1,
      brokerConfig: { mappedFileSizeCommitLog: 16 << 20 },
    });
    admin = new RemotingClient();
  }, 60_000);

  afterAll(async () => {
    await admin?.close();
    await cluster?.stop();
  });

  it('refuses an SQL92 subscription at start as Java 4.9.8 does', async () => {
    const topic = await newTopic(cluster, admin);
    const consumer = pushConsumer(cluster, `sql92-off-${topicSeq}`, []);
    const selector: Selector = MessageSelector.bySql('a > 1');
    consumer.subscribe(topic, selector);
    const error = await startRejection(consumer);
    expect(error.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(error.message).toContain(
      'The broker does not support consumer to filter message by SQL92',
    );
    expect(error.message).toContain('a > 1');
  }, 30_000);

  it('still serves tag subscriptions', async () => {
    const topic = await newTopic(cluster, admin);
    const consumer = pushConsumer(cluster, `sql92-off-tag-${topicSeq}`, []);
    consumer.subscribe(topic, MessageSelector.byTag('*'));
    await consumer.start();
    expect(consumer.state).toBe('RUNNING');
  }, 30_000);
});
