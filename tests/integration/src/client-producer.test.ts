/**
 * @rocketmq-ts/client Producer against real mqnamesrv + two mqbroker processes: what it sends is what the broker
 * stores and a pull returns (tags, keys, user properties, msgId = UNIQ_KEY, offsetMsgId = the storing broker),
 * auto-creation through TBW102, batches, oneway, ordered sends, compression, the client-side size limit,
 * concurrency, and fail-over when one master stops.
 */
import { MQClientError, Producer, messageExtFromRecord, selectByHash } from '@rocketmq-ts/client';
import type { Message, SendResult } from '@rocketmq-ts/client';
import {
  MessageSysFlag,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  buildPullSysFlag,
  createMemoryLogger,
  decodeMessageRecords,
  decompressBody,
  encodePullMessageRequestHeader,
  parseOffsetMessageId,
} from '@rocketmq-ts/protocol';
import type { LogLine, MessageRecord } from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { startCluster, waitFor } from '@rocketmq-ts/testkit';
import type { ClusterBroker, TestCluster } from '@rocketmq-ts/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_REQUEST_TIMEOUT_MS,
  createTopic,
  queryMessagesByKey,
  queryRoute,
  viewMessage,
} from './support/broker-admin.js';

const TOPIC = 'ProducerIT';

let cluster: TestCluster;
let admin: RemotingClient;
let producer: Producer;
let broker0: ClusterBroker;
let broker1: ClusterBroker;
const logLines: LogLine[] = [];

beforeAll(async () => {
  cluster = await startCluster({ brokers: 2, brokerConfig: { mappedFileSizeCommitLog: 16 << 20 } });
  [broker0, broker1] = cluster.brokers as [ClusterBroker, ClusterBroker];
  admin = new RemotingClient();
  await createTopic({
    client: admin,
    brokerAddr: broker0.addr,
    namesrvAddr: cluster.namesrvAddr,
    topic: TOPIC,
    queueNums: 4,
  });
  producer = new Producer({
    producerGroup: 'it-client-producer',
    namesrvAddr: cluster.namesrvAddr,
    instanceName: 'it-client-producer',
    logger: createMemoryLogger(logLines),
  });
  await producer.start();
}, 60_000);

afterAll(async () => {
  await producer?.shutdown();
  await admin?.close();
  await cluster?.stop();
});

function brokerByName(name: string): ClusterBroker {
  const broker = cluster.brokers.find((b) => b.brokerName === name);
  if (broker === undefined) throw new Error(`no broker ${name} in the cluster`);
  return broker;
}

/** PULL_MESSAGE (11) of one queue from `queueOffset`, with the subscription `*` in the request. */
async function pull(options: {
  broker: ClusterBroker;
  topic: string;
  queueId: number;
  queueOffset: number;
}): Promise<MessageRecord[]> {
  const response = await admin.invoke(
    options.broker.addr,
    RemotingCommand.request(
      RequestCode.PULL_MESSAGE,
      encodePullMessageRequestHeader({
        consumerGroup: 'it-client-producer-check',
        topic: options.topic,
        queueId: options.queueId,
        queueOffset: options.queueOffset,
        maxMsgNums: 32,
        sysFlag: buildPullSysFlag({ subscription: true }),
        commitOffset: 0,
        suspendTimeoutMillis: 0,
        subscription: '*',
        subVersion: Date.now(),
      }),
    ),
    { timeoutMs: ADMIN_REQUEST_TIMEOUT_MS },
  );
  expect(response.code, response.remark).toBe(ResponseCode.SUCCESS);
  return decodeMessageRecords(response.body ?? Buffer.alloc(0));
}

/** The record an offset message id points at, read from the broker it names. */
async function storedRecord(offsetMsgId: string): Promise<MessageRecord> {
  const { storeHost, phyOffset } = parseOffsetMessageId(offsetMsgId);
  const broker = cluster.brokers.find((b) => b.handle.ready.listenPort === storeHost.port);
  if (broker === undefined) throw new Error(`no broker listens on ${storeHost.port}`);
  const [record] = await viewMessage({ client: admin, brokerAddr: broker.addr, phyOffset });
  if (record === undefined) throw new Error(`no record at ${phyOffset} on ${broker.brokerName}`);
  return record;
}

describe('Producer against mqnamesrv and mqbroker', () => {
  it('stores tags, keys and user properties, and a pull returns the message under the msgId the send reported', async () => {
    const result = await producer.send({
      topic: TOPIC,
      tags: 'TagA',
      keys: ['it-key-1', 'it-key-2'],
      body: 'hello from the producer',
      properties: { color: 'red' },
    });
    expect(result.sendStatus).toBe('SEND_OK');
    expect(result.msgId).toMatch(/^[0-9A-F]{32}$/);
    expect(result.messageQueue).toMatchObject({ topic: TOPIC, brokerName: 'broker-0' });
    expect(result.regionId).toBe('DefaultRegion');
    // The offset id names the broker that stored the message.
    expect(parseOffsetMessageId(result.offsetMsgId).storeHost).toEqual({
      host: '127.0.0.1',
      port: broker0.handle.ready.listenPort,
    });

    const records = await pull({
      broker: broker0,
      topic: TOPIC,
      queueId: result.messageQueue.queueId,
      queueOffset: result.queueOffset,
    });
    expect(records.length).toBeGreaterThanOrEqual(1);
    const message = messageExtFromRecord(records[0]!, 'broker-0');
    expect(message.msgId).toBe(result.msgId);
    expect(message.properties.get('UNIQ_KEY')).toBe(result.msgId);
    expect(message.offsetMsgId).toBe(result.offsetMsgId);
    expect(message.queueOffset).toBe(result.queueOffset);
    expect(message.tags).toBe('TagA');
    expect(message.keys).toBe('it-key-1 it-key-2');
    expect(message.properties.get('color')).toBe('red');
    expect(message.body.toString()).toBe('hello from the producer');

    // Both keys are indexed.
    for (const key of ['it-key-1', 'it-key-2']) {
      const found = await queryMessagesByKey({
        client: admin,
        brokerAddr: broker0.addr,
        topic: TOPIC,
        key,
      });
      expect(found.map((r) => r.properties.get('UNIQ_KEY'))).toEqual([result.msgId]);
    }
  });

  it('creates a missing topic on first send through the TBW102 route', async () => {
    const topic = 'ProducerITAutoCreated';
    expect(await queryRoute(admin, cluster.namesrvAddr, topic)).toBeUndefined();
    const result = await producer.send({ topic, body: 'first message of a new topic' });
    expect(result.sendStatus).toBe('SEND_OK');
    // The broker created it with defaultTopicQueueNums (4) queues and registered it.
    const route = await waitFor(
      async () => {
        const r = await queryRoute(admin, cluster.namesrvAddr, topic);
        return r?.queueDatas.some((q) => q.brokerName === result.messageQueue.brokerName) && r;
      },
      { description: `the route of ${topic}`, timeoutMs: 10_000 },
    );
    const qd = route.queueDatas.find((q) => q.brokerName === result.messageQueue.brokerName);
    expect(qd).toMatchObject({ readQueueNums: 4, writeQueueNums: 4 });
    const stored = await storedRecord(result.offsetMsgId);
    expect(stored.topic).toBe(topic);
    expect(stored.body.toString()).toBe('first message of a new topic');
  });

  it('sends a batch stored consecutively in one queue, each message with its own UNIQ_KEY', async () => {
    const messages: Message[] = [0, 1, 2].map((i) => ({
      topic: TOPIC,
      tags: 'Batch',
      keys: `it-batch-${i}`,
      body: `batch message ${i}`,
    }));
    const result = await producer.sendBatch(messages);
    expect(result.sendStatus).toBe('SEND_OK');
    const msgIds = result.msgId.split(',');
    const offsetIds = result.offsetMsgId.split(',');
    expect(msgIds).toHaveLength(3);
    expect(new Set(msgIds).size).toBe(3);
    expect(offsetIds).toHaveLength(3);
    for (const [i, offsetId] of offsetIds.entries()) {
      const record = await storedRecord(offsetId);
      expect(record.properties.get('UNIQ_KEY')).toBe(msgIds[i]);
      expect(record.properties.get('KEYS')).toBe(`it-batch-${i}`);
      expect(record.queueId).toBe(result.messageQueue.queueId);
      expect(record.queueOffset).toBe(result.queueOffset + i);
      expect(record.body.toString()).toBe(`batch message ${i}`);
    }
  });

  it('stores a oneway message', async () => {
    await producer.sendOneway({ topic: TOPIC, keys: 'it-oneway', body: 'fire and forget' });
    const [record] = await waitFor(
      async () => {
        const found = await queryMessagesByKey({
          client: admin,
          brokerAddr: broker0.addr,
          topic: TOPIC,
          key: 'it-oneway',
        });
        return found.length > 0 && found;
      },
      { description: 'the oneway message to be indexed', timeoutMs: 10_000 },
    );
    expect(record?.body.toString()).toBe('fire and forget');
    expect(record?.properties.get('UNIQ_KEY')).toMatch(/^[0-9A-F]{32}$/);
  });

  it('sends every message with the same arg to the queue the selector picks, in order', async () => {
    const queues = await producer.fetchPublishMessageQueues(TOPIC);
    expect(queues).toHaveLength(4);
    const message = (i: number): Message => ({ topic: TOPIC, body: `order-42 step ${i}` });
    const expected = selectByHash(queues, message(0), 'order-42');
    const results: SendResult[] = [];
    for (let i = 0; i < 5; i++) {
      results.push(await producer.send(message(i), { selector: selectByHash, arg: 'order-42' }));
    }
    for (const [i, r] of results.entries()) {
      expect(r.messageQueue).toEqual(expected);
      if (i > 0) expect(r.queueOffset).toBe(results[0]!.queueOffset + i);
    }
    const records = await pull({
      broker: brokerByName(expected.brokerName),
      topic: TOPIC,
      queueId: expected.queueId,
      queueOffset: results[0]!.queueOffset,
    });
    expect(records.slice(0, 5).map((r) => r.body.toString())).toEqual(
      [0, 1, 2, 3, 4].map((i) => `order-42 step ${i}`),
    );
  });

  it('stores a body over 4 KiB zlib-compressed, and it inflates to what was sent', async () => {
    const body = Buffer.from('compress me, please. '.repeat(1000));
    expect(body.length).toBeGreaterThan(4096);
    const result = await producer.send({ topic: TOPIC, body });
    const record = await storedRecord(result.offsetMsgId);
    expect(record.sysFlag & MessageSysFlag.COMPRESSED_FLAG).toBe(MessageSysFlag.COMPRESSED_FLAG);
    expect(record.body.length).toBeLessThan(body.length);
    expect(decompressBody(record.body, record.sysFlag)).toEqual(body);
    expect(messageExtFromRecord(record, 'broker-0').body).toEqual(body);
  });

  it('refuses a message over maxMessageSize before sending it', async () => {
    const error = await producer
      .send({ topic: TOPIC, body: Buffer.alloc(4 * 1024 * 1024 + 1) })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(MQClientError);
    expect(error).toMatchObject({ code: ResponseCode.MESSAGE_ILLEGAL });
    expect((error as Error).message).toContain('maxMessageSize 4194304');
  });

  it('runs many sends at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) => producer.send({ topic: TOPIC, body: `burst ${i}` })),
    );
    expect(results.every((r) => r.sendStatus === 'SEND_OK')).toBe(true);
    expect(new Set(results.map((r) => r.msgId)).size).toBe(500);
    expect(new Set(results.map((r) => r.messageQueue.queueId)).size).toBe(4);
  });

  // Last: it stops broker-1.
  it('keeps sending to the surviving master when one of two stops, within each send', async () => {
    const topic = 'ProducerITTwoMasters';
    for (const b of [broker0, broker1]) {
      await createTopic({
        client: admin,
        brokerAddr: b.addr,
        namesrvAddr: cluster.namesrvAddr,
        topic,
        queueNums: 4,
      });
    }
    const before: SendResult[] = [];
    for (let i = 0; i < 16; i++) before.push(await producer.send({ topic, body: `tm ${i}` }));
    // Round-robin over the 8 queues of both masters.
    expect(new Set(before.map((r) => r.messageQueue.brokerName))).toEqual(
      new Set(['broker-0', 'broker-1']),
    );
    expect(
      new Set(before.map((r) => `${r.messageQueue.brokerName}/${r.messageQueue.queueId}`)).size,
    ).toBe(8);

    await broker1.handle.stop();
    logLines.length = 0;
    // The producer still routes to broker-1 until its next route refresh; an attempt there fails and the same
    // send() retries on broker-0. Every send must succeed.
    for (let i = 16; i < 32; i++) {
      const r = await producer.send({ topic, body: `tm ${i}` });
      expect(r).toMatchObject({ sendStatus: 'SEND_OK', messageQueue: { brokerName: 'broker-0' } });
      const record = await storedRecord(r.offsetMsgId);
      expect(record.body.toString()).toBe(`tm ${i}`);
    }
    // Some of those sends did pick broker-1 first and moved on.
    const failed = logLines.filter((l) => l.message === 'send attempt failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((l) => l.fields?.brokerName === 'broker-1')).toBe(true);
  });
});
