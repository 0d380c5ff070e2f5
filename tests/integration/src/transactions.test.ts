/**
 * Transactional messages against real mqnamesrv + mqbroker processes with the @rocketmq-ts/client
 * TransactionProducer and PushConsumer: commit delivers, rollback never does, a transaction left UNKNOW is checked
 * back and resolved by the producer's answer, and a half whose producer died before END_TRANSACTION is resolved by
 * another producer of the same group. ali-ons 3.12.0 has no transaction API (no sendMessageInTransaction, no
 * CHECK_TRANSACTION_STATE handling), so there is no ali-ons case.
 */
import { PushConsumer, TransactionProducer } from '@rocketmq-ts/client';
import type { LocalTransactionState, MessageExt, TransactionListener } from '@rocketmq-ts/client';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { startCluster, waitFor } from '@rocketmq-ts/testkit';
import type { TestCluster } from '@rocketmq-ts/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTopic } from './support/broker-admin.js';

const TOPIC = 'TransactionIT';

let cluster: TestCluster;
const received: MessageExt[] = [];
let consumer: PushConsumer;
const producers: TransactionProducer<string>[] = [];
let instanceSeq = 0;

beforeAll(async () => {
  cluster = await startCluster({
    brokers: 1,
    brokerConfig: {
      mappedFileSizeCommitLog: 16 << 20,
      transactionCheckInterval: 1000,
      transactionTimeOut: 1000,
    },
  });
  const admin = new RemotingClient();
  try {
    await createTopic({
      client: admin,
      brokerAddr: cluster.brokers[0]!.addr,
      namesrvAddr: cluster.namesrvAddr,
      topic: TOPIC,
      queueNums: 2,
    });
  } finally {
    await admin.close();
  }
  consumer = new PushConsumer({
    consumerGroup: 'it-tx-consumer',
    namesrvAddr: cluster.namesrvAddr,
    clientIP: '127.0.0.1',
    instanceName: 'it-tx-consumer',
    pollNameServerInterval: 1000,
    heartbeatBrokerInterval: 1000,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    messageListener: (msgs) => {
      received.push(...msgs);
      return Promise.resolve('CONSUME_SUCCESS');
    },
  });
  consumer.subscribe(TOPIC, '*');
  await consumer.start();
}, 60_000);

afterEach(async () => {
  while (producers.length > 0) await producers.pop()!.shutdown();
});

afterAll(async () => {
  await consumer?.shutdown();
  await cluster?.stop();
});

/** A started TransactionProducer of `group` with its own client instance. */
async function startProducer(
  group: string,
  listener: TransactionListener<string>,
): Promise<TransactionProducer<string>> {
  const producer = new TransactionProducer<string>({
    producerGroup: group,
    namesrvAddr: cluster.namesrvAddr,
    clientIP: '127.0.0.1',
    instanceName: `it-tx-producer-${++instanceSeq}`,
    heartbeatBrokerInterval: 1000,
    transactionListener: listener,
  });
  await producer.start();
  producers.push(producer);
  return producer;
}

const bodies = () => received.map((m) => m.body.toString());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('transactional messages', () => {
  it('delivers a committed message and never a rolled-back one', async () => {
    const producer = await startProducer('it-tx-pg-direct', {
      executeLocalTransaction: (_msg, arg) =>
        arg === 'commit' ? 'COMMIT_MESSAGE' : 'ROLLBACK_MESSAGE',
      checkLocalTransaction: () => 'ROLLBACK_MESSAGE',
    });
    const rolledBack = await producer.sendMessageInTransaction(
      { topic: TOPIC, tags: 'tx', body: 'direct-rollback' },
      'rollback',
    );
    const committed = await producer.sendMessageInTransaction(
      { topic: TOPIC, tags: 'tx', body: 'direct-commit' },
      'commit',
    );
    expect(rolledBack.localTransactionState).toBe('ROLLBACK_MESSAGE');
    expect(committed.localTransactionState).toBe('COMMIT_MESSAGE');
    expect(committed.sendStatus).toBe('SEND_OK');
    expect(committed.transactionId).toBe(committed.msgId);
    await waitFor(() => bodies().includes('direct-commit'), {
      timeoutMs: 20_000,
      description: 'the committed message is delivered',
    });
    const delivered = received.find((m) => m.body.toString() === 'direct-commit')!;
    expect(delivered.msgId).toBe(committed.msgId);
    expect(delivered.tags).toBe('tx');
    expect(delivered.properties.has('TRAN_MSG')).toBe(false);
    // Several check intervals: a rolled-back half must stay invisible.
    await sleep(3000);
    expect(bodies()).not.toContain('direct-rollback');
  }, 40_000);

  it('checks back UNKNOW transactions and follows the producer answer', async () => {
    const checked: string[] = [];
    const producer = await startProducer('it-tx-pg-check', {
      executeLocalTransaction: () => 'UNKNOW',
      checkLocalTransaction: (msg): LocalTransactionState => {
        const body = msg.body.toString();
        checked.push(body);
        return body === 'check-commit' ? 'COMMIT_MESSAGE' : 'ROLLBACK_MESSAGE';
      },
    });
    const toCommit = await producer.sendMessageInTransaction(
      { topic: TOPIC, body: 'check-commit' },
      'x',
    );
    await producer.sendMessageInTransaction({ topic: TOPIC, body: 'check-rollback' }, 'x');
    expect(toCommit.localTransactionState).toBe('UNKNOW');
    await sleep(500);
    expect(bodies()).not.toContain('check-commit');
    await waitFor(() => bodies().includes('check-commit'), {
      timeoutMs: 20_000,
      description: 'the message committed by the check-back is delivered',
    });
    await waitFor(() => checked.includes('check-rollback'), {
      timeoutMs: 20_000,
      description: 'the broker checks back the other half',
    });
    await sleep(3000);
    expect(bodies()).not.toContain('check-rollback');
    expect(bodies().filter((b) => b === 'check-commit')).toHaveLength(1);
  }, 60_000);

  it('resolves a half whose producer stopped before END_TRANSACTION through another producer of the group', async () => {
    const group = 'it-tx-pg-crash';
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let halfId = '';
    const crashing = await startProducer(group, {
      // The local transaction outlives its producer: END_TRANSACTION can no longer be sent. Its late answer is a
      // rollback, so a delivery below can only come from the check-back.
      executeLocalTransaction: async (msg): Promise<LocalTransactionState> => {
        halfId = msg.transactionId;
        await gate;
        return 'ROLLBACK_MESSAGE';
      },
      checkLocalTransaction: () => 'UNKNOW',
    });
    const pending = crashing.sendMessageInTransaction({ topic: TOPIC, body: 'after-crash' }, 'x');
    await waitFor(() => halfId !== '', {
      timeoutMs: 10_000,
      description: 'the half message is stored',
    });
    producers.splice(producers.indexOf(crashing), 1);
    await crashing.shutdown();
    release();
    const sent = await pending;
    expect(sent.sendStatus).toBe('SEND_OK');
    expect(sent.msgId).toBe(halfId);
    await startProducer(group, {
      executeLocalTransaction: () => 'UNKNOW',
      checkLocalTransaction: (msg) =>
        msg.msgId === sent.msgId ? 'COMMIT_MESSAGE' : 'ROLLBACK_MESSAGE',
    });
    await waitFor(() => bodies().includes('after-crash'), {
      timeoutMs: 30_000,
      description: 'the new producer commits the orphaned half',
    });
    expect(received.find((m) => m.body.toString() === 'after-crash')!.msgId).toBe(sent.msgId);
  }, 60_000);
});
