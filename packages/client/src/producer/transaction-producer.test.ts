/**
 * TransactionProducer against a fake NameServer and broker on 127.0.0.1 (the client package may not start a real
 * broker; real processes are in tests/integration/src/transactions.test.ts): what the half send, END_TRANSACTION and
 * the answer to CHECK_TRANSACTION_STATE carry on the wire.
 */
import {
  MessageSysFlag,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  TransactionCommitType,
  createOffsetMessageId,
  decodeEndTransactionRequestHeader,
  decodeMessageProperties,
  decodeSendMessageRequestHeader,
  encodeCheckTransactionStateRequestHeader,
  encodeMessageRecord,
  encodeSendMessageResponseHeader,
  encodeTopicRouteData,
  getTransactionValue,
} from '@rocketmq-ts/protocol';
import type { EndTransactionRequestHeader, SendMessageRequestHeader } from '@rocketmq-ts/protocol';
import { ProcessorTable, RemotingServer } from '@rocketmq-ts/remoting';
import type { RemotingChannel } from '@rocketmq-ts/remoting';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MQClientError } from '../errors.js';
import type { MessageExt } from '../message/message.js';
import type {
  LocalTransactionState,
  TransactionListener,
} from '../transaction/transaction-types.js';
import { TransactionProducer } from './transaction-producer.js';

const TOPIC = 'TxUnit';
const GROUP = 'tx-unit-pg';
const STORE_HOST = { host: '127.0.0.1', port: 10911 };

interface FakeCluster {
  addr: string;
  sends: SendMessageRequestHeader[];
  ends: { header: EndTransactionRequestHeader; oneway: boolean }[];
  /** Connections that sent a heartbeat. */
  channels: RemotingChannel[];
  close(): Promise<void>;
}

/** One server answering as both NameServer (routes of TOPIC and TBW102) and broker `broker-a`. */
async function startFakeCluster(): Promise<FakeCluster> {
  const sends: FakeCluster['sends'] = [];
  const ends: FakeCluster['ends'] = [];
  const channels: RemotingChannel[] = [];
  let addr = '';
  let queueOffset = 40;
  const route = () =>
    encodeTopicRouteData({
      queueDatas: [
        { brokerName: 'broker-a', readQueueNums: 2, writeQueueNums: 2, perm: 6, topicSysFlag: 0 },
      ],
      brokerDatas: [{ cluster: 'c', brokerName: 'broker-a', brokerAddrs: new Map([[0, addr]]) }],
      filterServerTable: new Map(),
    });
  const server = new RemotingServer({
    listenPort: 0,
    host: '127.0.0.1',
    processors: new ProcessorTable()
      .on(RequestCode.GET_ROUTEINFO_BY_TOPIC, {
        process: (r) => Promise.resolve(RemotingCommand.responseTo(r, 0, { body: route() })),
      })
      .on(RequestCode.HEART_BEAT, {
        process: (r, rc) => {
          if (!channels.includes(rc.channel)) channels.push(rc.channel);
          return Promise.resolve(RemotingCommand.responseTo(r, 0));
        },
      })
      .on(RequestCode.UNREGISTER_CLIENT, {
        process: (r) => Promise.resolve(RemotingCommand.responseTo(r, 0)),
      })
      .on(RequestCode.SEND_MESSAGE_V2, {
        process: (r) => {
          const header = decodeSendMessageRequestHeader(r.extFields ?? {}, r.code);
          sends.push(header);
          const offset = queueOffset++;
          return Promise.resolve(
            RemotingCommand.responseTo(r, ResponseCode.SUCCESS, {
              extFields: encodeSendMessageResponseHeader({
                msgId: createOffsetMessageId(STORE_HOST, offset * 1000),
                queueId: header.queueId,
                queueOffset: offset,
                MSG_REGION: 'DefaultRegion',
                TRACE_ON: true,
              }),
            }),
          );
        },
      })
      .on(RequestCode.END_TRANSACTION, {
        process: (r) => {
          ends.push({
            header: decodeEndTransactionRequestHeader(r.extFields ?? {}),
            oneway: r.isOneway,
          });
          return Promise.resolve(null);
        },
      }),
  });
  await server.start();
  addr = `127.0.0.1:${server.port}`;
  return { addr, sends, ends, channels, close: () => server.close() };
}

let cluster: FakeCluster;
let producers: TransactionProducer<string>[];
let seq = 0;

beforeEach(async () => {
  cluster = await startFakeCluster();
  producers = [];
});

afterEach(async () => {
  await Promise.all(producers.map((p) => p.shutdown()));
  await cluster.close();
});

async function startProducer(listener: TransactionListener<string>) {
  const producer = new TransactionProducer<string>({
    producerGroup: GROUP,
    namesrvAddr: cluster.addr,
    clientIP: '127.0.0.1',
    instanceName: `tx-unit-${++seq}`,
    checkThreadPoolMinSize: 1,
    transactionListener: listener,
  });
  producers.push(producer);
  await producer.start();
  return producer;
}

async function waitUntil(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5000 ms');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('TransactionProducer', () => {
  it('sends a prepared half, runs the local transaction and ends it oneway', async () => {
    const seen: { transactionId: string; arg: string }[] = [];
    const producer = await startProducer({
      executeLocalTransaction: (msg, arg) => {
        seen.push({ transactionId: msg.transactionId, arg });
        return 'COMMIT_MESSAGE';
      },
      checkLocalTransaction: () => 'UNKNOW',
    });
    const result = await producer.sendMessageInTransaction(
      { topic: TOPIC, body: 'b', tags: 'T', delayTimeLevel: 3 },
      'my-arg',
    );
    expect(result.localTransactionState).toBe('COMMIT_MESSAGE');
    expect(result.transactionId).toBe(result.msgId);
    expect(seen).toEqual([{ transactionId: result.msgId, arg: 'my-arg' }]);
    const send = cluster.sends[0]!;
    expect(getTransactionValue(send.sysFlag)).toBe(MessageSysFlag.TRANSACTION_PREPARED_TYPE);
    const properties = decodeMessageProperties(send.properties ?? '');
    expect(properties.get('TRAN_MSG')).toBe('true');
    expect(properties.get('PGROUP')).toBe(GROUP);
    expect(properties.has('DELAY')).toBe(false);
    await waitUntil(() => cluster.ends.length === 1);
    const end = cluster.ends[0]!;
    expect(end.oneway).toBe(true);
    expect(end.header).toMatchObject({
      producerGroup: GROUP,
      tranStateTableOffset: result.queueOffset,
      commitLogOffset: result.queueOffset * 1000,
      commitOrRollback: TransactionCommitType.TRANSACTION_COMMIT_TYPE,
      msgId: result.msgId,
      fromTransactionCheck: false,
    });
  });

  it('maps rollback, unknown and a throwing local transaction to the END_TRANSACTION state', async () => {
    const answers: (LocalTransactionState | Error)[] = [
      'ROLLBACK_MESSAGE',
      'UNKNOW',
      new Error('db down'),
    ];
    const producer = await startProducer({
      executeLocalTransaction: () => {
        const next = answers.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
      checkLocalTransaction: () => 'UNKNOW',
    });
    const states = [];
    for (let i = 0; i < 3; i++) {
      states.push(
        (await producer.sendMessageInTransaction({ topic: TOPIC, body: `m${i}` }, ''))
          .localTransactionState,
      );
    }
    expect(states).toEqual(['ROLLBACK_MESSAGE', 'UNKNOW', 'UNKNOW']);
    await waitUntil(() => cluster.ends.length === 3);
    expect(cluster.ends.map((e) => e.header.commitOrRollback)).toEqual([12, 0, 0]);
  });

  it('answers CHECK_TRANSACTION_STATE with checkLocalTransaction', async () => {
    const checked: MessageExt[] = [];
    await startProducer({
      executeLocalTransaction: () => 'UNKNOW',
      checkLocalTransaction: (msg) => {
        checked.push(msg);
        return 'ROLLBACK_MESSAGE';
      },
    });
    await waitUntil(() => cluster.channels.length > 0);
    const record = encodeMessageRecord({
      topic: TOPIC,
      queueId: 1,
      body: Buffer.from('half-body'),
      properties: { UNIQ_KEY: 'UNIQ-1', PGROUP: GROUP, TRAN_MSG: 'true' },
      bornTimestamp: Date.now(),
      storeTimestamp: Date.now(),
      bornHost: STORE_HOST,
      storeHost: STORE_HOST,
    });
    cluster.channels[0]!.invokeOneway(
      RemotingCommand.request(
        RequestCode.CHECK_TRANSACTION_STATE,
        encodeCheckTransactionStateRequestHeader({
          tranStateTableOffset: 7,
          commitLogOffset: 7000,
          msgId: 'UNIQ-1',
          transactionId: 'UNIQ-1',
        }),
        record,
      ),
    );
    await waitUntil(() => cluster.ends.length === 1);
    expect(checked.map((m) => [m.msgId, m.topic, m.body.toString()])).toEqual([
      ['UNIQ-1', TOPIC, 'half-body'],
    ]);
    expect(cluster.ends[0]!.header).toMatchObject({
      producerGroup: GROUP,
      tranStateTableOffset: 7,
      commitLogOffset: 7000,
      commitOrRollback: TransactionCommitType.TRANSACTION_ROLLBACK_TYPE,
      fromTransactionCheck: true,
      msgId: 'UNIQ-1',
      transactionId: 'UNIQ-1',
    });
  });

  it('refuses a missing listener and sends before start', async () => {
    expect(
      () =>
        new TransactionProducer({
          producerGroup: GROUP,
          transactionListener: {} as TransactionListener,
        }),
    ).toThrow(MQClientError);
    const idle = new TransactionProducer({
      producerGroup: GROUP,
      namesrvAddr: cluster.addr,
      transactionListener: {
        executeLocalTransaction: () => 'COMMIT_MESSAGE',
        checkLocalTransaction: () => 'COMMIT_MESSAGE',
      },
    });
    await expect(
      idle.sendMessageInTransaction({ topic: TOPIC, body: 'x' }, undefined),
    ).rejects.toThrow(/not running/);
    expect(cluster.sends).toHaveLength(0);
  });
});
