import {
  MessageConst,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  TransactionCommitType,
  decodeCheckTransactionStateRequestHeader,
  decodeMessageRecord,
  encodeEndTransactionRequestHeader,
  encodeHeartbeatData,
} from '@rocketmq-ts/protocol';
import type { CheckTransactionStateRequestHeader, MessageRecord } from '@rocketmq-ts/protocol';
import { ProcessorTable, RemotingClient } from '@rocketmq-ts/remoting';
import type { RemotingChannel } from '@rocketmq-ts/remoting';
import { describe, expect, it } from 'vitest';
import {
  makeTempDir,
  onTestCleanup,
  readRecords,
  startTestBroker,
  waitFor,
} from '../../test/broker-test-context.js';
import { sendHalfRequest, sentHalfOf } from '../../test/half-message-requests.js';
import type { BrokerController } from '../broker-controller.js';
import {
  TRANS_CHECK_MAX_TIME_TOPIC,
  TRANS_HALF_TOPIC,
  TRANS_OP_HALF_TOPIC,
} from '../topic/topic-validator.js';
import { TRANSACTION_CHECK_GROUP } from './half-message.js';
import { TransactionCheckService } from './transaction-check-service.js';

const TOPIC = 'TxCheckTopic';
const GROUP = 'tx-check-pg';
const TIMEOUT = { timeoutMs: 5000 };

interface ReceivedCheck {
  header: CheckTransactionStateRequestHeader;
  record: MessageRecord;
  channel: RemotingChannel;
}

/** A producer process stand-in: a real connection that heartbeats as GROUP and records the broker's checks. */
function connectProducer(answer?: (check: ReceivedCheck) => number | undefined) {
  const checks: ReceivedCheck[] = [];
  const processors = new ProcessorTable().on(RequestCode.CHECK_TRANSACTION_STATE, {
    process: (request, rc) => {
      const header = decodeCheckTransactionStateRequestHeader(request.extFields ?? {});
      const decoded = decodeMessageRecord(request.body!);
      if (decoded.kind !== 'message') throw new Error('not a message');
      const check = { header, record: decoded.record, channel: rc.channel };
      checks.push(check);
      const state = answer?.(check);
      if (state !== undefined) {
        rc.channel.invokeOneway(
          RemotingCommand.request(
            RequestCode.END_TRANSACTION,
            encodeEndTransactionRequestHeader({
              producerGroup: GROUP,
              tranStateTableOffset: header.tranStateTableOffset,
              commitLogOffset: header.commitLogOffset,
              commitOrRollback: state,
              fromTransactionCheck: true,
              msgId: header.msgId ?? '',
              transactionId: header.transactionId,
            }),
          ),
        );
      }
      return Promise.resolve(null);
    },
  });
  const client = new RemotingClient({ processors, closeGraceMs: 100 });
  onTestCleanup(() => client.close());
  const heartbeat = async (addr: string) => {
    const body = encodeHeartbeatData({
      clientID: 'tx-client',
      producerDataSet: [{ groupName: GROUP }],
      consumerDataSet: [],
    });
    const response = await client.invoke(
      addr,
      RemotingCommand.request(RequestCode.HEART_BEAT, undefined, body),
      TIMEOUT,
    );
    expect(response.code).toBe(ResponseCode.SUCCESS);
  };
  const sendHalf = async (addr: string, body: string) => {
    const request = sendHalfRequest({
      group: GROUP,
      topic: TOPIC,
      queueId: 1,
      defaultTopicQueueNums: 2,
      body,
    });
    return sentHalfOf(await client.invoke(addr, request, TIMEOUT), body);
  };
  const endTransaction = async (
    addr: string,
    half: { uniqKey: string; queueOffset: number; commitLogOffset: number },
    state: number,
  ) => {
    const response = await client.invoke(
      addr,
      RemotingCommand.request(
        RequestCode.END_TRANSACTION,
        encodeEndTransactionRequestHeader({
          producerGroup: GROUP,
          tranStateTableOffset: half.queueOffset,
          commitLogOffset: half.commitLogOffset,
          commitOrRollback: state,
          msgId: half.uniqKey,
        }),
      ),
      TIMEOUT,
    );
    expect(response.code).toBe(ResponseCode.SUCCESS);
  };
  return { checks, heartbeat, sendHalf, endTransaction };
}

const bodiesIn = async (broker: BrokerController, topic: string, queueId: number) =>
  (await readRecords(broker.context.store, { topic, queueId })).map((r) => r.body.toString());

describe('TransactionCheckService', () => {
  it('checks back a half left unknown and stores it once the producer commits', async () => {
    const broker = await startTestBroker({
      transactionCheckInterval: 200,
      transactionTimeOut: 300,
    });
    const producer = connectProducer(() => TransactionCommitType.TRANSACTION_COMMIT_TYPE);
    await producer.heartbeat(broker.brokerAddr);
    const half = await producer.sendHalf(broker.brokerAddr, 'checked-commit');
    await waitFor(async () => (await bodiesIn(broker, TOPIC, 1)).length > 0, { timeoutMs: 10_000 });
    expect(await bodiesIn(broker, TOPIC, 1)).toEqual(['checked-commit']);
    const check = producer.checks[0]!;
    expect(check.header.msgId).toBe(half.uniqKey);
    expect(check.header.transactionId).toBe(half.uniqKey);
    expect(check.record.topic).toBe(TOPIC);
    expect(check.record.queueId).toBe(1);
    expect(check.record.properties.get(MessageConst.PROPERTY_TRANSACTION_CHECK_TIMES)).toBe('1');
    // The check names the re-put copy of the half, not the original.
    expect(check.header.tranStateTableOffset).toBeGreaterThan(half.queueOffset);
  });

  it('skips halves with op records and saves its progress as CID_RMQ_SYS_TRANS offsets', async () => {
    const broker = await startTestBroker({ transactionCheckInterval: 600_000 });
    const producer = connectProducer();
    const committed = await producer.sendHalf(broker.brokerAddr, 'done');
    await producer.sendHalf(broker.brokerAddr, 'open');
    await producer.endTransaction(
      broker.brokerAddr,
      committed,
      TransactionCommitType.TRANSACTION_COMMIT_TYPE,
    );
    const service = new TransactionCheckService({
      context: broker.context,
      now: () => Date.now() + 60_000,
    });
    onTestCleanup(() => service.close());
    expect(await service.check()).toEqual({ checked: 1, discarded: 0, done: 1 });
    const offsets = broker.context.offsets;
    const query = { group: TRANSACTION_CHECK_GROUP, queueId: 0 };
    expect(offsets.queryOffset({ ...query, topic: TRANS_HALF_TOPIC })).toBe(2);
    expect(offsets.queryOffset({ ...query, topic: TRANS_OP_HALF_TOPIC })).toBe(1);
    // Too young with the real clock: nothing is checked and the offset stays.
    const realClock = new TransactionCheckService({ context: broker.context });
    expect(await realClock.check()).toEqual({ checked: 0, discarded: 0, done: 0 });
    expect(offsets.queryOffset({ ...query, topic: TRANS_HALF_TOPIC })).toBe(2);
  });

  it('discards a half after transactionCheckMax checks', async () => {
    const broker = await startTestBroker({
      transactionCheckInterval: 600_000,
      transactionCheckMax: 2,
    });
    const producer = connectProducer();
    await producer.sendHalf(broker.brokerAddr, 'never-answered');
    let nowMs = Date.now() + 60_000;
    const service = new TransactionCheckService({ context: broker.context, now: () => nowMs });
    onTestCleanup(() => service.close());
    const rounds = [];
    for (let i = 0; i < 3; i++) {
      rounds.push(await service.check());
      nowMs += 1000;
    }
    expect(rounds.map((r) => [r.checked, r.discarded])).toEqual([
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    expect(await bodiesIn(broker, TRANS_CHECK_MAX_TIME_TOPIC, 0)).toEqual(['never-answered']);
    expect(await bodiesIn(broker, TOPIC, 1)).toEqual([]);
  });

  it('resolves a half sent before a broker restart', async () => {
    const dir = await makeTempDir();
    const first = await startTestBroker({
      storePathRootDir: dir,
      transactionCheckInterval: 600_000,
    });
    const producer = connectProducer(() => TransactionCommitType.TRANSACTION_ROLLBACK_TYPE);
    await producer.sendHalf(first.brokerAddr, 'across-restart');
    await first.close();
    const second = await startTestBroker({
      storePathRootDir: dir,
      transactionCheckInterval: 200,
      transactionTimeOut: 200,
    });
    await producer.heartbeat(second.brokerAddr);
    await waitFor(async () => (await bodiesIn(second, TRANS_OP_HALF_TOPIC, 0)).length > 0, {
      timeoutMs: 10_000,
    });
    expect(producer.checks[0]!.record.body.toString()).toBe('across-restart');
    expect(await bodiesIn(second, TOPIC, 1)).toEqual([]);
  });
});
