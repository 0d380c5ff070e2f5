import {
  MessageConst,
  MessageSysFlag,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  TransactionCommitType,
  decodeMessageProperties,
  decodeSendMessageRequestHeader,
  encodeEndTransactionRequestHeader,
  encodeMessageProperties,
  encodeSendMessageRequestHeader,
  getTransactionValue,
} from '@rocketmq-ts/protocol';
import type { EndTransactionRequestHeader } from '@rocketmq-ts/protocol';
import { ProcessorTable } from '@rocketmq-ts/remoting';
import { describe, expect, it } from 'vitest';
import {
  dispatchLocally,
  openTestBrokerContext,
  readRecords,
} from '../../test/broker-test-context.js';
import { sendHalfRequest, sentHalfOf } from '../../test/half-message-requests.js';
import { SendMessageProcessor } from '../processors/send-message-processor.js';
import { TIMER_TOPIC } from '../timer/to-timer-message.js';
import { TRANS_HALF_TOPIC, TRANS_OP_HALF_TOPIC } from '../topic/topic-validator.js';
import { EndTransactionProcessor } from './end-transaction-processor.js';

const TOPIC = 'TxTopic';
const GROUP = 'tx-pg';

/** A broker context with the send and end-transaction processors, and helpers to drive them. */
async function openBroker() {
  const { ctx, store } = await openTestBrokerContext({
    topics: [{ topicName: TOPIC, readQueueNums: 4, writeQueueNums: 4 }],
  });
  const table = new ProcessorTable()
    .on(RequestCode.SEND_MESSAGE_V2, new SendMessageProcessor({ context: ctx }))
    .on(RequestCode.END_TRANSACTION, new EndTransactionProcessor({ context: ctx }));
  const sendHalf = async (
    body: string,
    queueId = 2,
    extraProperties: Record<string, string> = {},
  ) => {
    let request = sendHalfRequest({
      group: GROUP,
      topic: TOPIC,
      queueId,
      defaultTopicQueueNums: 4,
      body,
      tags: 'TagA',
    });
    if (Object.keys(extraProperties).length > 0) {
      const code = RequestCode.SEND_MESSAGE_V2;
      const header = decodeSendMessageRequestHeader(request.extFields ?? {}, code);
      const properties = decodeMessageProperties(header.properties ?? '');
      for (const [name, value] of Object.entries(extraProperties)) properties.set(name, value);
      const extFields = encodeSendMessageRequestHeader(
        { ...header, properties: encodeMessageProperties(properties) },
        code,
      );
      request = RemotingCommand.request(code, extFields, request.body);
    }
    return sentHalfOf(await dispatchLocally(table, request), body);
  };
  const end = (header: Partial<EndTransactionRequestHeader> & { commitOrRollback: number }) =>
    dispatchLocally(
      table,
      RemotingCommand.request(
        RequestCode.END_TRANSACTION,
        encodeEndTransactionRequestHeader({
          producerGroup: GROUP,
          tranStateTableOffset: 0,
          commitLogOffset: 0,
          msgId: 'm',
          ...header,
        }),
      ),
    );
  return { ctx, store, sendHalf, end };
}

describe('half messages', () => {
  it('stores a TRAN_MSG send in the half topic, invisible in the real topic', async () => {
    const { store, sendHalf } = await openBroker();
    const half = await sendHalf('one', 3);
    expect(half.queueOffset).toBe(0);
    const halves = await readRecords(store, { topic: TRANS_HALF_TOPIC, queueId: 0 });
    expect(halves).toHaveLength(1);
    const record = halves[0]!;
    expect(record.phyOffset).toBe(half.commitLogOffset);
    expect(getTransactionValue(record.sysFlag)).toBe(MessageSysFlag.TRANSACTION_NOT_TYPE);
    expect(record.properties.get(MessageConst.PROPERTY_REAL_TOPIC)).toBe(TOPIC);
    expect(record.properties.get(MessageConst.PROPERTY_REAL_QUEUE_ID)).toBe('3');
    expect(record.properties.get(MessageConst.PROPERTY_PRODUCER_GROUP)).toBe(GROUP);
    expect(await readRecords(store, { topic: TOPIC, queueId: 3 })).toHaveLength(0);
  });
});

describe('END_TRANSACTION', () => {
  it('commit stores the real message and an op record', async () => {
    const { store, sendHalf, end } = await openBroker();
    const half = await sendHalf('commit-me', 1);
    const response = await end({
      tranStateTableOffset: half.queueOffset,
      commitLogOffset: half.commitLogOffset,
      commitOrRollback: TransactionCommitType.TRANSACTION_COMMIT_TYPE,
      msgId: half.uniqKey,
    });
    expect(response?.code).toBe(ResponseCode.SUCCESS);
    const real = await readRecords(store, { topic: TOPIC, queueId: 1 });
    expect(real).toHaveLength(1);
    const message = real[0]!;
    expect(message.body.toString()).toBe('commit-me');
    expect(getTransactionValue(message.sysFlag)).toBe(MessageSysFlag.TRANSACTION_COMMIT_TYPE);
    expect(message.preparedTransactionOffset).toBe(half.commitLogOffset);
    expect(message.properties.get(MessageConst.PROPERTY_TAGS)).toBe('TagA');
    expect(message.properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX)).toBe(
      half.uniqKey,
    );
    expect(message.properties.has(MessageConst.PROPERTY_TRANSACTION_PREPARED)).toBe(false);
    expect(message.properties.has(MessageConst.PROPERTY_REAL_TOPIC)).toBe(false);
    expect(message.properties.has(MessageConst.PROPERTY_REAL_QUEUE_ID)).toBe(false);
    const ops = await readRecords(store, { topic: TRANS_OP_HALF_TOPIC, queueId: 0 });
    expect(ops).toHaveLength(1);
    expect(ops[0]!.body.toString()).toBe(String(half.queueOffset));
    expect(ops[0]!.properties.get(MessageConst.PROPERTY_TAGS)).toBe('d');
  });

  it('commit of a timer message stores it in the timer topic, not yet in its real topic', async () => {
    const { store, sendHalf, end } = await openBroker();
    const half = await sendHalf('later-please', 1, {
      [MessageConst.PROPERTY_TIMER_DELAY_SEC]: '60',
    });
    // The half itself is never a timer message: it waits in the half topic until committed.
    expect(await readRecords(store, { topic: TIMER_TOPIC, queueId: 0 })).toHaveLength(0);
    const beforeMs = Date.now();
    const response = await end({
      tranStateTableOffset: half.queueOffset,
      commitLogOffset: half.commitLogOffset,
      commitOrRollback: TransactionCommitType.TRANSACTION_COMMIT_TYPE,
      msgId: half.uniqKey,
    });
    expect(response?.code).toBe(ResponseCode.SUCCESS);
    expect(await readRecords(store, { topic: TOPIC, queueId: 1 })).toHaveLength(0);
    const timers = await readRecords(store, { topic: TIMER_TOPIC, queueId: 0 });
    expect(timers).toHaveLength(1);
    const timer = timers[0]!;
    expect(timer.body.toString()).toBe('later-please');
    expect(timer.properties.get(MessageConst.PROPERTY_REAL_TOPIC)).toBe(TOPIC);
    expect(timer.properties.get(MessageConst.PROPERTY_REAL_QUEUE_ID)).toBe('1');
    expect(getTransactionValue(timer.sysFlag)).toBe(MessageSysFlag.TRANSACTION_COMMIT_TYPE);
    const deliverAtMs = Number(timer.properties.get(MessageConst.PROPERTY_TIMER_OUT_MS));
    expect(deliverAtMs).toBeGreaterThanOrEqual(beforeMs + 60_000);
    const ops = await readRecords(store, { topic: TRANS_OP_HALF_TOPIC, queueId: 0 });
    expect(ops.map((op) => op.body.toString())).toEqual([String(half.queueOffset)]);
  });

  it('rollback writes only the op record', async () => {
    const { store, sendHalf, end } = await openBroker();
    await sendHalf('first');
    const half = await sendHalf('roll-me-back');
    const response = await end({
      tranStateTableOffset: half.queueOffset,
      commitLogOffset: half.commitLogOffset,
      commitOrRollback: TransactionCommitType.TRANSACTION_ROLLBACK_TYPE,
    });
    expect(response?.code).toBe(ResponseCode.SUCCESS);
    expect(await readRecords(store, { topic: TOPIC, queueId: 2 })).toHaveLength(0);
    const ops = await readRecords(store, { topic: TRANS_OP_HALF_TOPIC, queueId: 0 });
    expect(ops.map((op) => op.body.toString())).toEqual(['1']);
  });

  it('unknown state answers nothing and writes nothing', async () => {
    const { store, sendHalf, end } = await openBroker();
    const half = await sendHalf('later');
    const maxBefore = store.getMaxPhyOffset();
    const response = await end({
      tranStateTableOffset: half.queueOffset,
      commitLogOffset: half.commitLogOffset,
      commitOrRollback: TransactionCommitType.TRANSACTION_NOT_TYPE,
    });
    expect(response).toBeNull();
    expect(store.getMaxPhyOffset()).toBe(maxBefore);
  });

  it('refuses unknown offsets, non-half messages and mismatching headers with a remark', async () => {
    const { store, sendHalf, end } = await openBroker();
    const half = await sendHalf('guarded');
    const commit = TransactionCommitType.TRANSACTION_COMMIT_TYPE;
    const cases: [Partial<EndTransactionRequestHeader>, RegExp][] = [
      [{ commitLogOffset: 10_000_000 }, /Find prepared transaction message failed/],
      [{ commitLogOffset: half.commitLogOffset + 3 }, /Find prepared transaction message failed/],
      [{ commitLogOffset: half.commitLogOffset, producerGroup: 'other' }, /producer group wrong/],
      [
        { commitLogOffset: half.commitLogOffset, tranStateTableOffset: 7 },
        /state table offset wrong/,
      ],
    ];
    for (const [header, remark] of cases) {
      const response = await end({ commitOrRollback: commit, ...header });
      expect(response?.code).toBe(ResponseCode.SYSTEM_ERROR);
      expect(response?.remark).toMatch(remark);
    }
    // Commit once, then point END_TRANSACTION at the committed (non-half) message.
    await end({
      commitOrRollback: commit,
      commitLogOffset: half.commitLogOffset,
      tranStateTableOffset: half.queueOffset,
    });
    const [committed] = await readRecords(store, { topic: TOPIC, queueId: 2 });
    const notHalf = await end({ commitOrRollback: commit, commitLogOffset: committed!.phyOffset });
    expect(notHalf?.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(notHalf?.remark).toMatch(/is not a half message/);
    const bad = await dispatchLocally(
      new ProcessorTable().on(
        RequestCode.END_TRANSACTION,
        new EndTransactionProcessor({ context: (await openBroker()).ctx }),
      ),
      RemotingCommand.request(RequestCode.END_TRANSACTION, {}),
    );
    expect(bad?.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(bad?.remark).toMatch(/bad END_TRANSACTION header/);
    // Nothing was lost: the half is still there.
    expect(await readRecords(store, { topic: TRANS_HALF_TOPIC, queueId: 0 })).toHaveLength(1);
  });
});
