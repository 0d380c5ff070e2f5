import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  buildPullSysFlag,
  decodeGetConsumerListByGroupResponseBody,
  decodeMessageRecords,
  encodeBatchBody,
  encodeHeartbeatData,
  encodeMessageProperties,
  encodePullMessageRequestHeader,
  encodeSendMessageRequestHeader,
  parseSubscriptionExpression,
} from '@rocketmq-ts/protocol';
import type { ConsumerData, ExtFields, MessageRecord } from '@rocketmq-ts/protocol';
import { ProcessorTable, RemotingClient } from '@rocketmq-ts/remoting';
import { describe, expect, it } from 'vitest';
import { onTestCleanup, startTestBroker } from '../test/broker-test-context.js';
import type { BrokerController } from './broker-controller.js';
import type { BrokerConfigInput } from './config.js';

const TIMEOUT = { timeoutMs: 5000 };

async function startBroker(
  overrides: Partial<BrokerConfigInput> = {},
): Promise<{ broker: BrokerController; addr: string; client: RemotingClient }> {
  const broker = await startTestBroker(overrides);
  const client = new RemotingClient();
  onTestCleanup(() => client.close());
  return { broker, addr: broker.brokerAddr, client };
}

interface SendOptions {
  topic: string;
  body?: string;
  tags?: string;
  keys?: string;
  delayLevel?: number;
  queueId?: number;
  reconsumeTimes?: number;
  code?: number;
}

function sendRequest(o: SendOptions): RemotingCommand {
  // A batch's header carries no UNIQ_KEY: each message of the batch has its own.
  const properties: Record<string, string> =
    o.code === RequestCode.SEND_BATCH_MESSAGE ? {} : { UNIQ_KEY: `U${Math.random()}` };
  if (o.tags !== undefined) properties.TAGS = o.tags;
  if (o.keys !== undefined) properties.KEYS = o.keys;
  if (o.delayLevel !== undefined) properties.DELAY = String(o.delayLevel);
  const code = o.code ?? RequestCode.SEND_MESSAGE_V2;
  return RemotingCommand.request(
    code,
    encodeSendMessageRequestHeader(
      {
        producerGroup: 'PG',
        topic: o.topic,
        defaultTopic: 'TBW102',
        defaultTopicQueueNums: 4,
        queueId: o.queueId ?? 0,
        sysFlag: 0,
        bornTimestamp: Date.now(),
        flag: 0,
        properties: encodeMessageProperties(properties),
        reconsumeTimes: o.reconsumeTimes ?? 0,
      },
      code,
    ),
    Buffer.from(o.body ?? 'hello'),
  );
}

interface PullOptions {
  topic: string;
  group?: string;
  queueId?: number;
  queueOffset?: number;
  /** Default `*`; undefined filters with the member's heartbeat subscription (no subscription bit). */
  subscription?: string | undefined;
  suspendMs?: number;
}

function pullRequest(o: PullOptions): RemotingCommand {
  const subscription = 'subscription' in o ? o.subscription : '*';
  const withSubscription = subscription !== undefined;
  return RemotingCommand.request(
    RequestCode.PULL_MESSAGE,
    encodePullMessageRequestHeader({
      consumerGroup: o.group ?? 'CG',
      topic: o.topic,
      queueId: o.queueId ?? 0,
      queueOffset: o.queueOffset ?? 0,
      maxMsgNums: 32,
      sysFlag: buildPullSysFlag({
        suspend: o.suspendMs !== undefined,
        subscription: withSubscription,
      }),
      commitOffset: 0,
      suspendTimeoutMillis: o.suspendMs ?? 0,
      subscription,
      subVersion: 0,
    }),
  );
}

function records(response: RemotingCommand): MessageRecord[] {
  return response.body === undefined ? [] : decodeMessageRecords(response.body);
}

function consumerData(group: string, topic: string, expression: string): ConsumerData {
  const sub = parseSubscriptionExpression(expression);
  return {
    groupName: group,
    consumeType: 'CONSUME_PASSIVELY',
    messageModel: 'CLUSTERING',
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    unitMode: false,
    subscriptionDataSet: [
      {
        topic,
        subString: sub.subString,
        tagsSet: sub.tagsSet,
        codeSet: sub.codeSet,
        subVersion: 1,
        expressionType: 'TAG',
        classFilterMode: false,
      },
    ],
  };
}

function heartbeat(clientID: string, consumers: ConsumerData[]): RemotingCommand {
  return RemotingCommand.request(
    RequestCode.HEART_BEAT,
    {},
    encodeHeartbeatData({ clientID, producerDataSet: [], consumerDataSet: consumers }),
  );
}

describe('BrokerController send and pull', () => {
  it('stores a send and serves it back on pull, with the headers clients need', async () => {
    const { addr, client } = await startBroker();
    const sent = await client.invoke(
      addr,
      sendRequest({ topic: 'TopicA', tags: 'TagA', keys: 'k1', body: 'one' }),
      TIMEOUT,
    );
    expect(sent.code).toBe(ResponseCode.SUCCESS);
    const ext: ExtFields = sent.extFields ?? {};
    expect(ext.queueId).toBe('0');
    expect(ext.queueOffset).toBe('0');
    expect(ext.msgId).toMatch(/^[0-9A-F]{32}$/);
    expect(ext.MSG_REGION).toBe('DefaultRegion');
    expect(ext.TRACE_ON).toBe('true');

    const pulled = await client.invoke(addr, pullRequest({ topic: 'TopicA' }), TIMEOUT);
    expect(pulled.code).toBe(ResponseCode.SUCCESS);
    expect(pulled.remark).toBe('FOUND');
    expect(pulled.extFields).toMatchObject({
      nextBeginOffset: '1',
      minOffset: '0',
      maxOffset: '1',
      suggestWhichBrokerId: '0',
    });
    const [record] = records(pulled);
    expect(record?.body.toString()).toBe('one');
    expect(record?.properties.get('TAGS')).toBe('TagA');
    expect(record?.properties.get('KEYS')).toBe('k1');
    expect(record?.properties.get('CLUSTER')).toBe('DefaultCluster');
    expect(record?.bornHost.host).toBe('127.0.0.1');
  });

  it('stores a batch and answers every offset message id', async () => {
    const { addr, client } = await startBroker();
    const body = encodeBatchBody([
      { body: Buffer.from('b1'), properties: { TAGS: 'T', UNIQ_KEY: 'U1' } },
      { body: Buffer.from('b2'), properties: { TAGS: 'T', UNIQ_KEY: 'U2' } },
      { body: Buffer.from('b3'), properties: { TAGS: 'T', UNIQ_KEY: 'U3' } },
    ]);
    const request = sendRequest({ topic: 'TopicB', code: RequestCode.SEND_BATCH_MESSAGE });
    request.body = body;
    const sent = await client.invoke(addr, request, TIMEOUT);
    expect(sent.code).toBe(ResponseCode.SUCCESS);
    expect(sent.extFields?.msgId?.split(',')).toHaveLength(3);
    const pulled = await client.invoke(addr, pullRequest({ topic: 'TopicB' }), TIMEOUT);
    expect(records(pulled).map((r) => r.body.toString())).toEqual(['b1', 'b2', 'b3']);
    expect(records(pulled)[1]?.properties.get('UNIQ_KEY')).toBe('U2');
  });

  it('filters by tag hash from the request subscription', async () => {
    const { addr, client } = await startBroker();
    for (const tags of ['TagA', 'TagB', 'TagC', 'TagA']) {
      await client.invoke(addr, sendRequest({ topic: 'Tags', tags, body: tags }), TIMEOUT);
    }
    const pulled = await client.invoke(
      addr,
      pullRequest({ topic: 'Tags', subscription: 'TagA || TagC' }),
      TIMEOUT,
    );
    expect(records(pulled).map((r) => r.body.toString())).toEqual(['TagA', 'TagC', 'TagA']);
    const none = await client.invoke(
      addr,
      pullRequest({ topic: 'Tags', subscription: 'TagZ' }),
      TIMEOUT,
    );
    expect(none.code).toBe(ResponseCode.PULL_RETRY_IMMEDIATELY);
    expect(none.extFields?.nextBeginOffset).toBe('4');
  });

  it('parks a pull at the end of the queue and answers it when a message arrives', async () => {
    const { addr, client } = await startBroker();
    await client.invoke(addr, sendRequest({ topic: 'Poll', body: 'first' }), TIMEOUT);
    const parked = client.invoke(
      addr,
      pullRequest({ topic: 'Poll', queueOffset: 1, suspendMs: 20_000 }),
      { timeoutMs: 30_000 },
    );
    let answered = false;
    void parked.then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);
    await client.invoke(addr, sendRequest({ topic: 'Poll', body: 'second' }), TIMEOUT);
    const response = await parked;
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(records(response).map((r) => r.body.toString())).toEqual(['second']);
  });

  it('answers PULL_NOT_FOUND when the hold time ends with nothing new', async () => {
    const { addr, client } = await startBroker();
    await client.invoke(addr, sendRequest({ topic: 'Idle' }), TIMEOUT);
    const response = await client.invoke(
      addr,
      pullRequest({ topic: 'Idle', queueOffset: 1, suspendMs: 100 }),
      TIMEOUT,
    );
    expect(response.code).toBe(ResponseCode.PULL_NOT_FOUND);
    expect(response.extFields).toMatchObject({ nextBeginOffset: '1', maxOffset: '1' });
  });

  it('answers parked pulls when the broker shuts down', async () => {
    const { broker, addr, client } = await startBroker();
    await client.invoke(addr, sendRequest({ topic: 'Down' }), TIMEOUT);
    const parked = client.invoke(
      addr,
      pullRequest({ topic: 'Down', queueOffset: 1, suspendMs: 20_000 }),
      { timeoutMs: 30_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await broker.close();
    const response = await parked;
    expect(response.code).toBe(ResponseCode.PULL_NOT_FOUND);
  });
});

describe('BrokerController delayed delivery', () => {
  it('holds a message with a delay level in the schedule topic and delivers it when due', async () => {
    const { addr, client } = await startBroker({
      store: { mappedFileSizeCommitLog: 8 * 1024 * 1024, messageDelayLevel: '1s 2s' },
    });
    const sentAt = Date.now();
    const sent = await client.invoke(
      addr,
      sendRequest({ topic: 'Later', delayLevel: 1, body: 'due' }),
      TIMEOUT,
    );
    expect(sent.code).toBe(ResponseCode.SUCCESS);
    const early = await client.invoke(addr, pullRequest({ topic: 'Later' }), TIMEOUT);
    expect(early.code).not.toBe(ResponseCode.SUCCESS);
    const parked = await client.invoke(addr, pullRequest({ topic: 'Later', suspendMs: 10_000 }), {
      timeoutMs: 15_000,
    });
    expect(parked.code).toBe(ResponseCode.SUCCESS);
    const [record] = records(parked);
    expect(record?.body.toString()).toBe('due');
    expect(record?.properties.get('REAL_TOPIC')).toBe('Later');
    expect(record?.storeTimestamp).toBeGreaterThanOrEqual(sentAt + 900);
  });
});

describe('BrokerController clients', () => {
  it('registers consumers, creates the retry topic and notifies members of a new one', async () => {
    const { broker, addr } = await startBroker();
    const notified: string[] = [];
    const listening = new RemotingClient({
      processors: new ProcessorTable().on(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, {
        process: (request) => {
          notified.push(request.extFields?.consumerGroup ?? '');
          return Promise.resolve(null);
        },
      }),
    });
    onTestCleanup(() => listening.close());
    const other = new RemotingClient();
    onTestCleanup(() => other.close());
    const first = await listening.invoke(
      addr,
      heartbeat('10.0.0.1@1', [consumerData('CG1', 'TopicH', '*')]),
      TIMEOUT,
    );
    expect(first.code).toBe(ResponseCode.SUCCESS);
    expect(broker.context.topics.get('%RETRY%CG1')?.readQueueNums).toBe(1);
    expect(broker.context.subscriptionGroups.get('CG1')?.retryMaxTimes).toBe(16);
    await other.invoke(
      addr,
      heartbeat('10.0.0.2@2', [consumerData('CG1', 'TopicH', '*')]),
      TIMEOUT,
    );
    const deadline = Date.now() + 5000;
    while (notified.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(notified).toEqual(['CG1', 'CG1']);
    const list = await other.invoke(
      addr,
      RemotingCommand.request(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'CG1' }),
      TIMEOUT,
    );
    expect(decodeGetConsumerListByGroupResponseBody(list.body!).consumerIdList).toEqual([
      '10.0.0.1@1',
      '10.0.0.2@2',
    ]);
    await other.close();
    const afterLeave = Date.now() + 5000;
    while (broker.context.consumers.clientIds('CG1').length > 1 && Date.now() < afterLeave) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(broker.context.consumers.clientIds('CG1')).toEqual(['10.0.0.1@1']);
  });

  it('filters each member with its own subscription when a group disagrees (tag pitfall)', async () => {
    const { broker, addr } = await startBroker();
    const a = new RemotingClient();
    const b = new RemotingClient();
    onTestCleanup(() => a.close());
    onTestCleanup(() => b.close());
    await a.invoke(addr, heartbeat('A@1', [consumerData('Mixed', 'Pit', 'TagA')]), TIMEOUT);
    await b.invoke(addr, heartbeat('B@1', [consumerData('Mixed', 'Pit', 'TagB')]), TIMEOUT);
    for (const tags of ['TagA', 'TagB']) {
      await a.invoke(addr, sendRequest({ topic: 'Pit', tags, body: tags }), TIMEOUT);
    }
    // No subscription bit: the broker uses the pulling member's heartbeat subscription.
    const byA = await a.invoke(
      addr,
      pullRequest({ topic: 'Pit', group: 'Mixed', subscription: undefined }),
      TIMEOUT,
    );
    const byB = await b.invoke(
      addr,
      pullRequest({ topic: 'Pit', group: 'Mixed', subscription: undefined }),
      TIMEOUT,
    );
    expect(records(byA).map((r) => r.body.toString())).toEqual(['TagA']);
    expect(records(byB).map((r) => r.body.toString())).toEqual(['TagB']);
    const [mismatch] = broker.context.consumers.subscriptionMismatches('Mixed');
    expect(mismatch?.topic).toBe('Pit');
    expect(Object.fromEntries(mismatch?.clientIdsByExpression ?? [])).toEqual({
      TagA: ['A@1'],
      TagB: ['B@1'],
    });
  });

  it('refuses a pull without subscription from a client that never heart-beat', async () => {
    const { addr, client } = await startBroker();
    await client.invoke(addr, sendRequest({ topic: 'NoHb' }), TIMEOUT);
    const response = await client.invoke(
      addr,
      pullRequest({ topic: 'NoHb', subscription: undefined }),
      TIMEOUT,
    );
    expect(response.code).toBe(ResponseCode.SUBSCRIPTION_NOT_EXIST);
  });
});

describe('BrokerController bad input', () => {
  it('answers each bad request with its code and keeps the connection usable', async () => {
    const { addr, client } = await startBroker({ autoCreateTopicEnable: false });
    const unknownTopic = await client.invoke(addr, sendRequest({ topic: 'Nope' }), TIMEOUT);
    expect(unknownTopic.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(unknownTopic.remark).toContain('Nope');
    expect(unknownTopic.extFields).toBeDefined();

    const schedule = await client.invoke(
      addr,
      sendRequest({ topic: 'SCHEDULE_TOPIC_XXXX' }),
      TIMEOUT,
    );
    expect(schedule.code).toBe(ResponseCode.NO_PERMISSION);

    const badName = await client.invoke(addr, sendRequest({ topic: 'bad topic!' }), TIMEOUT);
    expect(badName.code).toBe(ResponseCode.SYSTEM_ERROR);

    const unknownCode = await client.invoke(addr, RemotingCommand.request(9999), TIMEOUT);
    expect(unknownCode.code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);

    const malformed = await client.invoke(
      addr,
      RemotingCommand.request(RequestCode.SEND_MESSAGE_V2, { b: 'x' }),
      TIMEOUT,
    );
    expect(malformed.code).toBe(ResponseCode.SYSTEM_ERROR);

    const badQueue = await client.invoke(
      addr,
      sendRequest({ topic: 'SELF_TEST_TOPIC', queueId: 0 }),
      TIMEOUT,
    );
    expect(badQueue.code).toBe(ResponseCode.NO_PERMISSION);

    const badQueueId = await client.invoke(
      addr,
      sendRequest({ topic: 'broker-a', queueId: 99 }),
      TIMEOUT,
    );
    expect(badQueueId.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(badQueueId.remark).toContain('queueId[99] is illegal');
  });

  it('refuses a body over maxMessageSize with MESSAGE_ILLEGAL and keeps serving', async () => {
    const { addr, client } = await startBroker({ maxMessageSize: 1024 });
    const big = await client.invoke(
      addr,
      sendRequest({ topic: 'Big', body: 'x'.repeat(2048) }),
      TIMEOUT,
    );
    expect(big.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
    const small = await client.invoke(addr, sendRequest({ topic: 'Big', body: 'ok' }), TIMEOUT);
    expect(small.code).toBe(ResponseCode.SUCCESS);
  });

  it('moves a retry message that used up its retries to the dead letter queue', async () => {
    const { broker, addr, client } = await startBroker();
    const sent = await client.invoke(
      addr,
      sendRequest({ topic: '%RETRY%G1', reconsumeTimes: 16, body: 'dead' }),
      TIMEOUT,
    );
    expect(sent.code).toBe(ResponseCode.SUCCESS);
    expect(broker.context.topics.get('%DLQ%G1')).toBeDefined();
    const pulled = await client.invoke(
      addr,
      pullRequest({ topic: '%DLQ%G1', subscription: '*' }),
      TIMEOUT,
    );
    expect(records(pulled).map((r) => r.body.toString())).toEqual(['dead']);
  });

  it('refuses sends on a read-only broker and pulls on a write-only one', async () => {
    const readOnly = await startBroker({ brokerPermission: 4 });
    const refused = await readOnly.client.invoke(
      readOnly.addr,
      sendRequest({ topic: 'RO' }),
      TIMEOUT,
    );
    expect(refused.code).toBe(ResponseCode.NO_PERMISSION);
    const writeOnly = await startBroker({ brokerPermission: 2 });
    await writeOnly.client.invoke(writeOnly.addr, sendRequest({ topic: 'WO' }), TIMEOUT);
    const pull = await writeOnly.client.invoke(
      writeOnly.addr,
      pullRequest({ topic: 'WO', subscription: '*' }),
      TIMEOUT,
    );
    expect(pull.code).toBe(ResponseCode.NO_PERMISSION);
  });
});
