/**
 * Producer against fake NameServer and broker endpoints on 127.0.0.1: the far side of faults (refusals, errors,
 * silence) that real brokers do not produce on demand. Real processes are in tests/integration.
 */
import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeMessageProperties,
  decodeSendMessageRequestHeader,
  encodeSendMessageResponseHeader,
  encodeTopicRouteData,
} from '@rocketmq-ts/protocol';
import type { SendMessageRequestHeader, TopicRouteData } from '@rocketmq-ts/protocol';
import { ProcessorTable, RemotingServer } from '@rocketmq-ts/remoting';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MQBrokerError, MQClientError } from '../errors.js';
import { Producer } from './producer.js';
import type { ProducerConfigInput } from './producer-config.js';
import { selectByHash } from './queue-selectors.js';

interface Received {
  brokerName: string;
  code: number;
  oneway: boolean;
  header: SendMessageRequestHeader;
  properties: Map<string, string>;
  body: Buffer;
}

/** What a fake broker answers a send with: a response code, or 'hang' (never answer). */
type Answer = number | 'hang';

class FakeBroker {
  readonly server: RemotingServer;
  answer: Answer = ResponseCode.SUCCESS;
  private offset = 0;
  private readonly hanging: Array<() => void> = [];

  constructor(
    readonly brokerName: string,
    received: Received[],
  ) {
    const ok = {
      process: (r: RemotingCommand) => Promise.resolve(RemotingCommand.responseTo(r, 0)),
    };
    const send = {
      process: (request: RemotingCommand): Promise<RemotingCommand | null> => {
        const header = decodeSendMessageRequestHeader(request.extFields ?? {}, request.code);
        received.push({
          brokerName,
          code: request.code,
          oneway: request.isOneway,
          header,
          properties: decodeMessageProperties(header.properties ?? ''),
          body: request.body ?? Buffer.alloc(0),
        });
        if (request.isOneway) return Promise.resolve(null);
        const answer = this.answer;
        if (answer === 'hang') {
          return new Promise((resolve) => this.hanging.push(() => resolve(null)));
        }
        const queueOffset = this.offset++;
        const stored = answer === 0 || (answer >= 10 && answer <= 12);
        return Promise.resolve(
          RemotingCommand.responseTo(request, answer, {
            remark: stored ? undefined : `refused with ${answer}`,
            extFields: stored
              ? encodeSendMessageResponseHeader({
                  msgId: `OFFSET-${brokerName}-${queueOffset}`,
                  queueId: header.queueId,
                  queueOffset,
                  MSG_REGION: 'DefaultRegion',
                  TRACE_ON: true,
                })
              : undefined,
          }),
        );
      },
    };
    this.server = new RemotingServer({
      listenPort: 0,
      host: '127.0.0.1',
      processors: new ProcessorTable()
        .on([RequestCode.SEND_MESSAGE_V2, RequestCode.SEND_BATCH_MESSAGE], send)
        .on([RequestCode.HEART_BEAT, RequestCode.UNREGISTER_CLIENT], ok),
    });
  }

  get addr(): string {
    return `127.0.0.1:${this.server.port}`;
  }

  async close(): Promise<void> {
    for (const release of this.hanging.splice(0)) release();
    await this.server.close();
  }
}

class FakeNamesrv {
  readonly server: RemotingServer;
  readonly routes = new Map<string, TopicRouteData>();

  constructor() {
    this.server = new RemotingServer({
      listenPort: 0,
      host: '127.0.0.1',
      processors: new ProcessorTable().on(RequestCode.GET_ROUTEINFO_BY_TOPIC, {
        process: (request) => {
          const route = this.routes.get(request.extFields?.topic ?? '');
          return Promise.resolve(
            route === undefined
              ? RemotingCommand.responseTo(request, ResponseCode.TOPIC_NOT_EXIST, {
                  remark: 'no route',
                })
              : RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
                  body: encodeTopicRouteData(route),
                }),
          );
        },
      }),
    });
  }

  get addr(): string {
    return `127.0.0.1:${this.server.port}`;
  }
}

function routeOf(
  brokers: Array<{ brokerName: string; addr: string; queues: number }>,
): TopicRouteData {
  return {
    queueDatas: brokers.map((b) => ({
      brokerName: b.brokerName,
      readQueueNums: b.queues,
      writeQueueNums: b.queues,
      perm: 6,
      topicSysFlag: 0,
    })),
    brokerDatas: brokers.map((b) => ({
      cluster: 'DefaultCluster',
      brokerName: b.brokerName,
      brokerAddrs: new Map([[0, b.addr]]),
    })),
    filterServerTable: new Map(),
  };
}

let namesrv: FakeNamesrv;
let brokerA: FakeBroker;
let brokerB: FakeBroker;
let received: Received[];
let producers: Producer[];
let instanceSeq = 0;

beforeEach(async () => {
  received = [];
  producers = [];
  namesrv = new FakeNamesrv();
  brokerA = new FakeBroker('broker-a', received);
  brokerB = new FakeBroker('broker-b', received);
  await Promise.all([namesrv.server.start(), brokerA.server.start(), brokerB.server.start()]);
  namesrv.routes.set(
    'T',
    routeOf([
      { brokerName: 'broker-a', addr: brokerA.addr, queues: 2 },
      { brokerName: 'broker-b', addr: brokerB.addr, queues: 2 },
    ]),
  );
});

afterEach(async () => {
  await Promise.all(producers.map((p) => p.shutdown()));
  await Promise.all([brokerA.close(), brokerB.close(), namesrv.server.close()]);
});

async function startProducer(options: Partial<ProducerConfigInput> = {}): Promise<Producer> {
  const producer = new Producer({
    producerGroup: 'unit-pg',
    namesrvAddr: namesrv.addr,
    instanceName: `producer-unit-${instanceSeq++}`,
    clientIP: '127.0.0.1',
    ...options,
  });
  producers.push(producer);
  await producer.start();
  return producer;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('Producer against fake brokers', () => {
  it('sends SEND_MESSAGE_V2 with the Java header fields and reports the UNIQ_KEY as msgId', async () => {
    const producer = await startProducer();
    const result = await producer.send({
      topic: 'T',
      tags: 'TagA',
      keys: ['k1', 'k2'],
      body: 'hello',
      properties: { color: 'red' },
    });
    expect(received).toHaveLength(1);
    const [req] = received;
    expect(req?.code).toBe(RequestCode.SEND_MESSAGE_V2);
    expect(req?.header).toMatchObject({
      producerGroup: 'unit-pg',
      topic: 'T',
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: 4,
      queueId: result.messageQueue.queueId,
      sysFlag: 0,
      flag: 0,
      reconsumeTimes: 0,
      unitMode: false,
      batch: false,
      bname: result.messageQueue.brokerName,
    });
    expect(Object.fromEntries(req!.properties)).toEqual({
      TAGS: 'TagA',
      KEYS: 'k1 k2',
      WAIT: 'true',
      color: 'red',
      UNIQ_KEY: result.msgId,
    });
    expect(result.msgId).toMatch(/^[0-9A-F]{32}$/);
    expect(result.sendStatus).toBe('SEND_OK');
    expect(result.offsetMsgId).toBe(`OFFSET-${req!.brokerName}-0`);
    expect(result.messageQueue.topic).toBe('T');
  });

  it('gives up after 1 + retryTimesWhenSendFailed attempts, each avoiding the broker that just failed', async () => {
    const producer = await startProducer();
    brokerA.answer = ResponseCode.SYSTEM_ERROR;
    brokerB.answer = ResponseCode.SYSTEM_ERROR;
    const error = await rejection(producer.send({ topic: 'T', body: 'x' }));
    expect(error).toBeInstanceOf(MQClientError);
    expect(error).toMatchObject({ code: ResponseCode.SYSTEM_ERROR });
    expect(error.message).toContain('3 attempt(s)');
    expect(error.cause).toBeInstanceOf(MQBrokerError);
    const [first, second, third] = received.map((r) => r.brokerName);
    expect(received).toHaveLength(3);
    expect(second).not.toBe(first);
    expect(third).not.toBe(second);
  });

  it('succeeds on the second broker when the first one refuses with a retriable code', async () => {
    const producer = await startProducer();
    brokerA.answer = ResponseCode.SERVICE_NOT_AVAILABLE;
    for (let i = 0; i < 6; i++) {
      const r = await producer.send({ topic: 'T', body: `m${i}` });
      expect(r.sendStatus).toBe('SEND_OK');
      expect(r.messageQueue.brokerName).toBe('broker-b');
    }
    // The same UNIQ_KEY is kept across the attempts of one send.
    const ids = new Map<string, number>();
    for (const r of received) {
      const id = r.properties.get('UNIQ_KEY')!;
      ids.set(id, (ids.get(id) ?? 0) + 1);
    }
    expect(ids.size).toBe(6);
    expect(received.filter((r) => r.brokerName === 'broker-a').length).toBeGreaterThan(0);
  });

  it('does not retry a refusal that another broker would repeat (MESSAGE_ILLEGAL)', async () => {
    const producer = await startProducer();
    brokerA.answer = ResponseCode.MESSAGE_ILLEGAL;
    brokerB.answer = ResponseCode.MESSAGE_ILLEGAL;
    const error = await rejection(producer.send({ topic: 'T', body: 'x' }));
    expect(error).toBeInstanceOf(MQBrokerError);
    expect(error).toMatchObject({ code: ResponseCode.MESSAGE_ILLEGAL });
    expect(received).toHaveLength(1);
  });

  it('returns a stored-but-not-flushed status as is, or retries it with retryAnotherBrokerWhenNotStoreOK', async () => {
    brokerA.answer = ResponseCode.FLUSH_DISK_TIMEOUT;
    brokerB.answer = ResponseCode.FLUSH_DISK_TIMEOUT;
    const plain = await startProducer();
    const r = await plain.send({ topic: 'T', body: 'x' });
    expect(r.sendStatus).toBe('FLUSH_DISK_TIMEOUT');
    expect(received).toHaveLength(1);

    received.length = 0;
    const retrying = await startProducer({
      producerGroup: 'unit-pg-retry',
      retryAnotherBrokerWhenNotStoreOK: true,
    });
    const last = await retrying.send({ topic: 'T', body: 'x' });
    // Every attempt stored it without the flush: the last result is returned.
    expect(received).toHaveLength(3);
    expect(last.sendStatus).toBe('FLUSH_DISK_TIMEOUT');
  });

  it('moves on from a broker that refuses connections', async () => {
    await brokerA.close();
    const producer = await startProducer();
    for (let i = 0; i < 4; i++) {
      const r = await producer.send({ topic: 'T', body: 'x' });
      expect(r.messageQueue.brokerName).toBe('broker-b');
    }
  });

  it('stops when the sendMsgTimeout budget is spent', async () => {
    brokerA.answer = 'hang';
    brokerB.answer = 'hang';
    const producer = await startProducer({ sendMsgTimeout: 300 });
    const error = await rejection(producer.send({ topic: 'T', body: 'x' }));
    expect(error).toBeInstanceOf(MQClientError);
    expect(error.message).toContain('300 ms budget');
    expect(received).toHaveLength(1);
  });

  it('sends to the template topic route when the topic has none, and says what to do when neither has one', async () => {
    const producer = await startProducer();
    const missing = await rejection(producer.send({ topic: 'NoSuchTopic', body: 'x' }));
    expect(missing).toBeInstanceOf(MQClientError);
    expect(missing).toMatchObject({ code: ResponseCode.TOPIC_NOT_EXIST });
    expect(missing.message).toBe(
      'No route info of this topic: NoSuchTopic — create it with mqadmin updateTopic or enable autoCreateTopicEnable',
    );

    namesrv.routes.set(
      'TBW102',
      routeOf([{ brokerName: 'broker-a', addr: brokerA.addr, queues: 8 }]),
    );
    const r = await producer.send({ topic: 'NoSuchTopic', body: 'x' });
    expect(r.messageQueue).toMatchObject({ topic: 'NoSuchTopic', brokerName: 'broker-a' });
    expect(r.messageQueue.queueId).toBeLessThan(4);
    expect(received.at(-1)?.header).toMatchObject({
      topic: 'NoSuchTopic',
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: 4,
    });
    // Java caps the template's queues at defaultTopicQueueNums.
    expect(await producer.fetchPublishMessageQueues('NoSuchTopic')).toHaveLength(4);
  });

  it('runs many sends at once over one connection per broker', async () => {
    const producer = await startProducer();
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => producer.send({ topic: 'T', body: `m${i}` })),
    );
    expect(new Set(results.map((r) => r.msgId)).size).toBe(300);
    expect(received).toHaveLength(300);
    expect(brokerA.server.channels.length + brokerB.server.channels.length).toBe(2);
  });

  it('sends a batch as SEND_BATCH_MESSAGE with one id per message', async () => {
    const producer = await startProducer();
    const r = await producer.sendBatch([
      { topic: 'T', body: 'a' },
      { topic: 'T', body: 'b' },
    ]);
    const [req] = received;
    expect(req?.code).toBe(RequestCode.SEND_BATCH_MESSAGE);
    expect(req?.header.batch).toBe(true);
    expect(r.msgId.split(',')).toHaveLength(2);
  });

  it('sends oneway requests with the oneway bit and no answer', async () => {
    const producer = await startProducer();
    await producer.sendOneway({ topic: 'T', body: 'x' });
    await producer.sendOneway({ topic: 'T', body: 'y' }, { selector: selectByHash, arg: 'k' });
    const deadline = Date.now() + 5000;
    while (received.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(received.map((r) => r.oneway)).toEqual([true, true]);
  });

  it('sends to the queue a selector picks, once, from a copy of the writable queues', async () => {
    const producer = await startProducer();
    const seen: number[] = [];
    const r = await producer.send(
      { topic: 'T', body: 'x' },
      {
        selector: (queues, _message, arg: number) => {
          seen.push(queues.length);
          return queues[arg]!;
        },
        arg: 3,
      },
    );
    expect(seen).toEqual([4]);
    expect(r.messageQueue).toEqual({ topic: 'T', brokerName: 'broker-b', queueId: 1 });

    brokerB.answer = ResponseCode.SYSTEM_ERROR;
    const refused = await rejection(
      producer.send(
        { topic: 'T', body: 'x' },
        { queue: { topic: 'T', brokerName: 'broker-b', queueId: 0 } },
      ),
    );
    // No retry for a chosen queue: the broker's refusal comes back as is.
    expect(refused).toBeInstanceOf(MQBrokerError);
    expect(received).toHaveLength(2);

    const wrongTopic = await rejection(
      producer.send(
        { topic: 'T', body: 'x' },
        { queue: { topic: 'U', brokerName: 'broker-a', queueId: 0 } },
      ),
    );
    expect(wrongTopic).toBeInstanceOf(MQClientError);
  });

  it('refuses sends before start and after shutdown; shutdown is idempotent', async () => {
    const producer = new Producer({
      producerGroup: 'unit-pg-state',
      namesrvAddr: namesrv.addr,
      instanceName: `producer-unit-${instanceSeq++}`,
    });
    expect((await rejection(producer.send({ topic: 'T', body: 'x' }))).message).toContain(
      'not started',
    );
    await producer.start();
    await producer.shutdown();
    await producer.shutdown();
    expect((await rejection(producer.send({ topic: 'T', body: 'x' }))).message).toContain(
      'shut down',
    );
    await expect(producer.start()).rejects.toThrow(MQClientError);
  });

  it('refuses a second producer of the same group and client id', async () => {
    await startProducer({ instanceName: 'shared-instance' });
    const second = new Producer({
      producerGroup: 'unit-pg',
      namesrvAddr: namesrv.addr,
      instanceName: 'shared-instance',
      clientIP: '127.0.0.1',
    });
    await expect(second.start()).rejects.toThrow(/already running/);
  });
});
