/**
 * @rocketmq-ts/client and the pure-JS 4.x client ali-ons 3.12.0 on one real mqnamesrv + mqbroker, in both
 * directions: what ali-ons sends (tags, keys, user properties, a compressed body, no UNIQ_KEY) reaches a PushConsumer
 * intact, and what our Producer sends (UNIQ_KEY, zlib body with the 4.9.8 type bits) reaches an ali-ons consumer
 * intact. ali-ons quirks relied on: remoting-protocol.md §8.5 and §8.7.
 */
import { MessageSysFlag } from '@rocketmq-ts/protocol';
import { Producer, PushConsumer } from '@rocketmq-ts/client';
import type { MessageExt, SendResult } from '@rocketmq-ts/client';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { startCluster, waitFor } from '@rocketmq-ts/testkit';
import type { TestCluster } from '@rocketmq-ts/testkit';
import { Message as OnsMessage } from 'ali-ons';
import type { SendResult as OnsSendResult } from 'ali-ons';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTopic } from './support/broker-admin.js';
import { OnsClients } from './support/ons-clients.js';

const QUEUES = 4;
/** Over both clients' compression threshold (4096 bytes) and compressible. */
const LARGE_BODY = 'interop-large-body '.repeat(600);

let cluster: TestCluster;
let admin: RemotingClient;
let ons: OnsClients;
const ours: { shutdown(): Promise<void> }[] = [];

beforeAll(async () => {
  cluster = await startCluster({ brokers: 1, brokerConfig: { mappedFileSizeCommitLog: 16 << 20 } });
  admin = new RemotingClient();
}, 60_000);

afterAll(async () => {
  await admin?.close();
  await cluster?.stop();
});

beforeEach(() => {
  ons = new OnsClients(cluster.namesrvAddr);
});

afterEach(async () => {
  await Promise.all(ours.splice(0).map((c) => c.shutdown()));
  await ons.closeAll();
});

/** Creates the topic and waits for its route: ali-ons cannot send to a topic without one (§8.7.3). */
async function newTopic(topic: string): Promise<void> {
  await createTopic({
    client: admin,
    brokerAddr: cluster.brokers[0]!.addr,
    namesrvAddr: cluster.namesrvAddr,
    topic,
    queueNums: QUEUES,
  });
}

/** Our client options with short timers, so routes and offsets settle within a second. */
function ourClientOptions(instanceName: string): {
  namesrvAddr: string;
  clientIP: string;
  instanceName: string;
  pollNameServerInterval: number;
  heartbeatBrokerInterval: number;
  persistConsumerOffsetInterval: number;
} {
  return {
    namesrvAddr: cluster.namesrvAddr,
    clientIP: '127.0.0.1',
    instanceName,
    pollNameServerInterval: 1000,
    heartbeatBrokerInterval: 1000,
    persistConsumerOffsetInterval: 200,
  };
}

describe('interoperability with ali-ons', () => {
  it('hands ali-ons messages to a PushConsumer with their tags, keys, user properties and body, msgId being the offset id', async () => {
    const topic = 'InteropOnsToOurs';
    await newTopic(topic);
    const received: MessageExt[] = [];
    const consumer = new PushConsumer({
      ...ourClientOptions('interop-push'),
      consumerGroup: 'it-interop-push-cg',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      messageListener: (msgs) => {
        received.push(...msgs);
        return Promise.resolve('CONSUME_SUCCESS');
      },
    });
    consumer.subscribe(topic, 'TagA');
    ours.push(consumer);
    await consumer.start();

    const producer = await ons.startProducer({
      producerGroup: 'it-interop-ons-pg',
      instanceName: 'interop-ons-p',
    });
    const send = async (options: {
      tags: string;
      keys: string[];
      body: string;
      properties?: Record<string, string>;
    }): Promise<OnsSendResult> => {
      const message = new OnsMessage(topic, options.tags, options.body);
      message.keys = options.keys;
      Object.assign(message.properties, options.properties);
      const result = await producer.send(message);
      expect(result.sendStatus).toBe('SEND_OK');
      return result;
    };
    const small = await send({
      tags: 'TagA',
      keys: ['ons-order-1', 'ons-customer-7'],
      body: 'from ali-ons',
      properties: { region: 'eu', 'trace-id': 'a1b2' },
    });
    await send({ tags: 'TagB', keys: ['ons-filtered'], body: 'not subscribed' });
    const large = await send({ tags: 'TagA', keys: ['ons-large'], body: LARGE_BODY });

    await waitFor(() => received.length >= 2, {
      description: 'the PushConsumer to receive the two TagA messages ali-ons sent',
      timeoutMs: 15_000,
    });
    const byKeys = new Map(received.map((m) => [m.keys, m]));
    expect([...byKeys.keys()].sort()).toEqual(['ons-large', 'ons-order-1 ons-customer-7']);

    const first = byKeys.get('ons-order-1 ons-customer-7')!;
    expect(first.topic).toBe(topic);
    expect(first.tags).toBe('TagA');
    expect(first.body.toString()).toBe('from ali-ons');
    expect(first.properties.get('region')).toBe('eu');
    expect(first.properties.get('trace-id')).toBe('a1b2');
    // ali-ons sets no UNIQ_KEY (§8.7.7): the message id is the broker's offset id, which ali-ons also returned.
    expect(first.properties.has('UNIQ_KEY')).toBe(false);
    expect(first.offsetMsgId).toBe(small.msgId);
    expect(first.msgId).toBe(first.offsetMsgId);
    expect(first.queueId).toBe(Number(small.messageQueue.queueId));
    expect(first.queueOffset).toBe(small.queueOffset);

    // ali-ons deflates bodies of 4096 bytes and more and sets only the compressed bit (§8.7.8).
    const big = byKeys.get('ons-large')!;
    expect(big.sysFlag & MessageSysFlag.COMPRESSED_FLAG).toBe(MessageSysFlag.COMPRESSED_FLAG);
    expect(big.body.toString()).toBe(LARGE_BODY);
    expect(big.msgId).toBe(large.msgId);
  });

  it('hands Producer messages to an ali-ons consumer with their tags, keys, user properties, UNIQ_KEY and inflated body', async () => {
    const topic = 'InteropOursToOns';
    await newTopic(topic);
    const received: OnsMessage[] = [];
    await ons.startConsumer({
      instanceName: 'interop-ons-c',
      consumerGroup: 'it-interop-ons-cg',
      topic,
      subExpression: 'TagA',
      beforeAck: (message) => {
        received.push(message);
      },
    });

    const producer = new Producer({
      ...ourClientOptions('interop-producer'),
      producerGroup: 'it-interop-pg',
    });
    ours.push(producer);
    await producer.start();
    const small = await producer.send({
      topic,
      tags: 'TagA',
      keys: ['our-order-1', 'our-customer-7'],
      properties: { region: 'eu', 'trace-id': 'c3d4' },
      body: 'from @rocketmq-ts/client',
    });
    await producer.send({ topic, tags: 'TagB', keys: 'our-filtered', body: 'not subscribed' });
    const large = await producer.send({ topic, tags: 'TagA', keys: 'our-large', body: LARGE_BODY });
    for (const r of [small, large]) expect(r.sendStatus).toBe('SEND_OK');

    await waitFor(() => received.length >= 2, {
      description: `the ali-ons consumer to receive the two TagA messages; ali-ons log:\n${ons.tail()}`,
      timeoutMs: 15_000,
    });
    const byKeys = new Map(received.map((m) => [m.keys, m]));
    expect([...byKeys.keys()].sort()).toEqual(['our-large', 'our-order-1 our-customer-7']);

    const first = byKeys.get('our-order-1 our-customer-7')!;
    expectOnsMessage(first, { topic, result: small, body: 'from @rocketmq-ts/client' });
    expect(first.properties.region).toBe('eu');
    expect(first.properties['trace-id']).toBe('c3d4');

    // Stored compressed (bit 0 plus the zlib type bits 0x300 of the 4.9.8 producer); ali-ons looks at bit 0 only.
    const big = byKeys.get('our-large')!;
    expectOnsMessage(big, { topic, result: large, body: LARGE_BODY });
    expect(big.sysFlag & MessageSysFlag.COMPRESSED_FLAG).toBe(MessageSysFlag.COMPRESSED_FLAG);
  });
});

/** What every message our Producer sent looks like to ali-ons. */
function expectOnsMessage(
  message: OnsMessage,
  expected: { topic: string; result: SendResult; body: string },
): void {
  expect(message.topic).toBe(expected.topic);
  expect(message.tags).toBe('TagA');
  expect(message.body.toString()).toBe(expected.body);
  // ali-ons' msgId is always the offset id (§8.5); our msgId travels as the UNIQ_KEY property.
  expect(message.msgId).toBe(expected.result.offsetMsgId);
  expect(message.properties.UNIQ_KEY).toBe(expected.result.msgId);
  expect(message.queueId).toBe(expected.result.messageQueue.queueId);
  expect(message.queueOffset).toBe(expected.result.queueOffset);
}
