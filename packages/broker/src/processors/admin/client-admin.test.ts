import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeConsumerConnection,
  decodeHeartbeatData,
  decodeProducerConnection,
  decodeResetOffsetBody,
  encodeConsumeMessageDirectlyResultRequestHeader,
  encodeGetConsumerConnectionListRequestHeader,
  encodeGetConsumerRunningInfoRequestHeader,
  encodeGetProducerConnectionListRequestHeader,
  encodeHeartbeatData,
  encodeResetOffsetRequestHeader,
} from '@rocketmq-ts/protocol';
import type { RequestProcessor } from '@rocketmq-ts/remoting';
import { ProcessorTable, RemotingClient } from '@rocketmq-ts/remoting';
import { describe, expect, it } from 'vitest';
import {
  onTestCleanup,
  openTestBrokerContext,
  startTestServer,
  waitFor,
} from '../../../test/broker-test-context.js';
import { clusteringConsumerData } from '../../../test/heartbeat-data.js';
import type { BrokerContext } from '../../broker-context.js';
import {
  ConnectionAdminProcessor,
  SUBSCRIPTION_MISMATCH_EXT_FIELD,
} from './connection-admin-processor.js';
import { ConsumerCallProcessor } from './consumer-call-processor.js';
import { OffsetAdminProcessor } from './offset-admin-processor.js';

const TOPIC = 'TopicTest';
const GROUP = 'orders-consumer';
const TIMEOUT = { timeoutMs: 5000 };

interface Broker {
  ctx: BrokerContext;
  addr: string;
  /** An mqadmin-like call to the broker. */
  call: (request: RemotingCommand) => Promise<RemotingCommand>;
}

/**
 * A broker on 127.0.0.1 port 0 with the admin processors under test, plus a HEART_BEAT handler standing in for the
 * client-management processor: it records each heartbeat's consumer and producer groups on the caller's channel.
 */
async function startBroker(callTimeoutMs = 5000): Promise<Broker> {
  const { ctx } = await openTestBrokerContext({
    topics: [{ topicName: TOPIC, readQueueNums: 2, writeQueueNums: 2 }],
  });
  const heartbeat: RequestProcessor = {
    process(request, rc) {
      const data = decodeHeartbeatData(request.body!);
      const info = {
        channel: rc.channel,
        clientId: data.clientID,
        language: request.language,
        version: request.version,
        lastUpdateMs: Date.now(),
      };
      for (const consumer of data.consumerDataSet) ctx.consumers.register(info, consumer);
      for (const producer of data.producerDataSet) ctx.producers.register(producer.groupName, info);
      return Promise.resolve(RemotingCommand.responseTo(request, ResponseCode.SUCCESS));
    },
  };
  const processors = new ProcessorTable()
    .on(RequestCode.HEART_BEAT, heartbeat)
    .on(ConnectionAdminProcessor.CODES, new ConnectionAdminProcessor(ctx))
    .on(ConsumerCallProcessor.CODES, new ConsumerCallProcessor(ctx, { timeoutMs: callTimeoutMs }))
    .on(OffsetAdminProcessor.CODES, new OffsetAdminProcessor(ctx));
  const { addr, call } = await startTestServer(processors, TIMEOUT);
  return { ctx, addr, call };
}

/** A client process: its own connection, answering what the broker sends with `processors`. */
async function connectClient(
  broker: Broker,
  options: { clientId: string; tag?: string; producer?: boolean; processors?: ProcessorTable },
): Promise<void> {
  const client = new RemotingClient({ processors: options.processors, closeGraceMs: 100 });
  onTestCleanup(() => client.close());
  const tag = options.tag ?? '*';
  const body = encodeHeartbeatData({
    clientID: options.clientId,
    producerDataSet: options.producer === true ? [{ groupName: 'orders-producer' }] : [],
    consumerDataSet:
      options.producer === true
        ? []
        : [
            clusteringConsumerData({
              group: GROUP,
              topic: TOPIC,
              subString: tag,
              tagsSet: tag === '*' ? [] : [tag],
            }),
          ],
  });
  const response = await client.invoke(
    broker.addr,
    RemotingCommand.request(RequestCode.HEART_BEAT, undefined, body),
    TIMEOUT,
  );
  expect(response.code).toBe(ResponseCode.SUCCESS);
}

function answer(
  handle: (request: RemotingCommand) => RemotingCommand | null | Promise<RemotingCommand | null>,
): RequestProcessor {
  return { process: (request) => Promise.resolve(handle(request)) };
}

describe('ConnectionAdminProcessor', () => {
  it('lists a consumer group members and flags members that subscribe differently', async () => {
    const broker = await startBroker();
    await connectClient(broker, { clientId: 'c1', tag: 'TagA' });
    await connectClient(broker, { clientId: 'c2', tag: 'TagB' });
    const response = await broker.call(
      RemotingCommand.request(
        RequestCode.GET_CONSUMER_CONNECTION_LIST,
        encodeGetConsumerConnectionListRequestHeader({ consumerGroup: GROUP }),
      ),
    );
    expect(response.code).toBe(ResponseCode.SUCCESS);
    const body = decodeConsumerConnection(response.body!);
    expect(body.connectionSet.map((c) => c.clientId).sort()).toEqual(['c1', 'c2']);
    expect(body.connectionSet[0]).toMatchObject({ language: 'JAVA', version: 409 });
    expect(body.connectionSet[0]!.clientAddr).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(body).toMatchObject({
      consumeType: 'CONSUME_PASSIVELY',
      messageModel: 'CLUSTERING',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    });
    expect([...body.subscriptionTable.keys()]).toEqual([TOPIC]);
    expect(JSON.parse(response.extFields![SUBSCRIPTION_MISMATCH_EXT_FIELD]!)).toEqual([
      { topic: TOPIC, subscriptions: { TagA: ['c1'], TagB: ['c2'] } },
    ]);
  });

  it('answers CONSUMER_NOT_ONLINE for a group without members, and no mismatch field when members agree', async () => {
    const broker = await startBroker();
    const list = (consumerGroup: string) =>
      broker.call(
        RemotingCommand.request(
          RequestCode.GET_CONSUMER_CONNECTION_LIST,
          encodeGetConsumerConnectionListRequestHeader({ consumerGroup }),
        ),
      );
    const missing = await list('nobody');
    expect(missing.code).toBe(ResponseCode.CONSUMER_NOT_ONLINE);
    expect(missing.remark).toBe('the consumer group[nobody] not online');
    await connectClient(broker, { clientId: 'c1' });
    await connectClient(broker, { clientId: 'c2' });
    const agreed = await list(GROUP);
    expect(agreed.code).toBe(ResponseCode.SUCCESS);
    expect(agreed.extFields?.[SUBSCRIPTION_MISMATCH_EXT_FIELD]).toBeUndefined();
  });

  it('lists a producer group members, SYSTEM_ERROR for an unknown group', async () => {
    const broker = await startBroker();
    await connectClient(broker, { clientId: 'p1', producer: true });
    const list = (producerGroup: string) =>
      broker.call(
        RemotingCommand.request(
          RequestCode.GET_PRODUCER_CONNECTION_LIST,
          encodeGetProducerConnectionListRequestHeader({ producerGroup }),
        ),
      );
    const found = await list('orders-producer');
    expect(decodeProducerConnection(found.body!).connectionSet.map((c) => c.clientId)).toEqual([
      'p1',
    ]);
    const missing = await list('nobody');
    expect([missing.code, missing.remark]).toEqual([
      ResponseCode.SYSTEM_ERROR,
      'the producer group[nobody] not exist',
    ]);
  });
});

describe('ConsumerCallProcessor', () => {
  it('relays GET_CONSUMER_RUNNING_INFO to the named client and returns its answer as is', async () => {
    const broker = await startBroker();
    const seen: RemotingCommand[] = [];
    const processors = (name: string) =>
      new ProcessorTable().on(
        RequestCode.GET_CONSUMER_RUNNING_INFO,
        answer((request) => {
          seen.push(request);
          return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
            remark: `from ${name}`,
            body: Buffer.from(`{"running":"${name}"}`),
          });
        }),
      );
    await connectClient(broker, { clientId: 'c1', processors: processors('c1') });
    await connectClient(broker, { clientId: 'c2', processors: processors('c2') });
    const ext = encodeGetConsumerRunningInfoRequestHeader({
      consumerGroup: GROUP,
      clientId: 'c2',
      jstackEnable: true,
    });
    const response = await broker.call(
      RemotingCommand.request(RequestCode.GET_CONSUMER_RUNNING_INFO, ext),
    );
    expect([response.code, response.remark]).toEqual([ResponseCode.SUCCESS, 'from c2']);
    expect(response.body?.toString()).toBe('{"running":"c2"}');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.extFields).toMatchObject(ext);

    const offline = await broker.call(
      RemotingCommand.request(
        RequestCode.GET_CONSUMER_RUNNING_INFO,
        encodeGetConsumerRunningInfoRequestHeader({ consumerGroup: GROUP, clientId: 'c9' }),
      ),
    );
    expect([offline.code, offline.remark]).toEqual([
      ResponseCode.SYSTEM_ERROR,
      `The Consumer <${GROUP}> <c9> not online`,
    ]);
  });

  it('relays CONSUME_MESSAGE_DIRECTLY with the stored record and this broker name', async () => {
    const broker = await startBroker();
    const put = await broker.ctx.store.putMessage({
      topic: TOPIC,
      queueId: 0,
      body: Buffer.from('hello'),
      bornTimestamp: Date.now(),
      bornHost: { host: '127.0.0.1', port: 50000 },
      storeHost: broker.ctx.storeHost(),
    });
    const seen: RemotingCommand[] = [];
    await connectClient(broker, {
      clientId: 'c1',
      processors: new ProcessorTable().on(
        RequestCode.CONSUME_MESSAGE_DIRECTLY,
        answer((request) => {
          seen.push(request);
          return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
            body: Buffer.from('{"consumeResult":"CR_SUCCESS"}'),
          });
        }),
      ),
    });
    const response = await broker.call(
      RemotingCommand.request(
        RequestCode.CONSUME_MESSAGE_DIRECTLY,
        encodeConsumeMessageDirectlyResultRequestHeader({
          consumerGroup: GROUP,
          clientId: 'c1',
          msgId: put.msgIds[0],
        }),
      ),
    );
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(response.body?.toString()).toBe('{"consumeResult":"CR_SUCCESS"}');
    expect(seen[0]!.extFields).toMatchObject({ brokerName: 'broker-a', msgId: put.msgIds[0] });
    expect(seen[0]!.body).toEqual(await broker.ctx.store.lookMessageByOffset(put.phyOffsets[0]!));
  });

  it('answers CONSUME_MSG_TIMEOUT when the client does not answer in time', async () => {
    const broker = await startBroker(100);
    await connectClient(broker, {
      clientId: 'slow',
      processors: new ProcessorTable().on(
        RequestCode.GET_CONSUMER_RUNNING_INFO,
        answer(async (request) => {
          await new Promise((resolve) => setTimeout(resolve, 1000).unref());
          return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
        }),
      ),
    });
    const response = await broker.call(
      RemotingCommand.request(
        RequestCode.GET_CONSUMER_RUNNING_INFO,
        encodeGetConsumerRunningInfoRequestHeader({ consumerGroup: GROUP, clientId: 'slow' }),
      ),
    );
    expect(response.code).toBe(ResponseCode.CONSUME_MSG_TIMEOUT);
    expect(response.remark).toMatch(new RegExp(`^consumer <${GROUP}> <slow> Timeout: `));
  });
});

describe('OffsetAdminProcessor over the wire', () => {
  it('sends RESET_CONSUMER_CLIENT_OFFSET to each live client after committing', async () => {
    const broker = await startBroker();
    await broker.ctx.offsets.commitOffset({ group: GROUP, topic: TOPIC, queueId: 0, offset: 0 });
    await broker.ctx.offsets.commitOffset({ group: GROUP, topic: TOPIC, queueId: 1, offset: 0 });
    const notices: RemotingCommand[] = [];
    const processors = new ProcessorTable().on(
      RequestCode.RESET_CONSUMER_CLIENT_OFFSET,
      answer((request) => {
        notices.push(request);
        return null;
      }),
    );
    await connectClient(broker, { clientId: 'c1', processors });
    const response = await broker.call(
      RemotingCommand.request(
        RequestCode.INVOKE_BROKER_TO_RESET_OFFSET,
        encodeResetOffsetRequestHeader({
          topic: TOPIC,
          group: GROUP,
          timestamp: -1,
          isForce: true,
        }),
      ),
    );
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(decodeResetOffsetBody(response.body!).offsetTable).toHaveLength(2);
    await waitFor(() => notices.length === 1);
    expect(notices[0]!.isOneway).toBe(true);
    expect(notices[0]!.extFields).toMatchObject({ topic: TOPIC, group: GROUP, timestamp: '-1' });
  });
});
