/**
 * ali-ons with two master brokers: a topic on both is routed as 8 queues, sends land on both brokers, and once one
 * broker stops, sends keep succeeding on the other.
 */
import { Message } from 'ali-ons';
import type { Producer, SendResult } from 'ali-ons';
import { parseOffsetMessageId } from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { startCluster, waitFor } from '@rocketmq-ts/testkit';
import type { TestCluster } from '@rocketmq-ts/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTopic, queryRoute, viewMessage } from './support/broker-admin.js';
import { OnsClients } from './support/ons-clients.js';

/** Attempts per message after a broker stopped; ali-ons itself also retries on another broker within one send. */
const SEND_ATTEMPTS_AFTER_FAILOVER = 3;

let cluster: TestCluster;
let admin: RemotingClient;
let ons: OnsClients | undefined;

beforeAll(async () => {
  cluster = await startCluster({ brokers: 2, brokerConfig: { mappedFileSizeCommitLog: 16 << 20 } });
  admin = new RemotingClient();
}, 60_000);

afterEach(async () => {
  await ons?.closeAll();
});

afterAll(async () => {
  await admin?.close();
  await cluster?.stop();
});

async function send(producer: Producer, topic: string, i: number): Promise<SendResult> {
  const message = new Message(topic, 'TagM', `two masters ${i}`);
  message.keys = [`tm-${i}`];
  return producer.send(message);
}

describe('ali-ons with two master brokers', () => {
  it('spreads sends over the 8 queues of both masters and keeps sending to the survivor when one stops', async () => {
    const topic = 'AliOnsTwoMasters';
    const [b0, b1] = cluster.brokers;
    for (const b of [b0!, b1!]) {
      await createTopic({
        client: admin,
        brokerAddr: b.addr,
        namesrvAddr: cluster.namesrvAddr,
        topic,
        queueNums: 4,
      });
    }
    const route = await queryRoute(admin, cluster.namesrvAddr, topic);
    const queueDatas = [...(route?.queueDatas ?? [])].sort((x, y) =>
      x.brokerName.localeCompare(y.brokerName),
    );
    expect(queueDatas).toEqual([
      expect.objectContaining({
        brokerName: 'broker-0',
        readQueueNums: 4,
        writeQueueNums: 4,
        perm: 6,
      }),
      expect.objectContaining({
        brokerName: 'broker-1',
        readQueueNums: 4,
        writeQueueNums: 4,
        perm: 6,
      }),
    ]);
    const masters = new Map(route!.brokerDatas.map((b) => [b.brokerName, b.brokerAddrs.get(0)]));
    expect(masters).toEqual(
      new Map([
        ['broker-0', b0!.addr],
        ['broker-1', b1!.addr],
      ]),
    );

    ons = new OnsClients(cluster.namesrvAddr);
    const producer = await ons.startProducer({
      producerGroup: 'it-ons-two-masters-pg',
      instanceName: 'two-masters-p',
    });
    const portOf = new Map(cluster.brokers.map((b) => [b.brokerName, b.handle.ready.listenPort]));
    const before: SendResult[] = [];
    for (let i = 0; i < 16; i++) before.push(await send(producer, topic, i));
    // ali-ons goes round-robin over the route's queues: 16 sends cover all 8, on both brokers.
    const queues = new Set(
      before.map((r) => `${r.messageQueue.brokerName}/${r.messageQueue.queueId}`),
    );
    expect(queues.size).toBe(8);
    for (const r of before) {
      expect(r.sendStatus).toBe('SEND_OK');
      // The offset id names the broker that stored it.
      expect(parseOffsetMessageId(r.msgId).storeHost.port).toBe(
        portOf.get(r.messageQueue.brokerName),
      );
    }

    await b1!.handle.stop();
    // ali-ons keeps broker-1's queues until its route refresh; a send that picks one fails over to broker-0 within
    // the same send() (connection errors are retried on another broker). A whole send() failing is retried a
    // bounded number of times and counted.
    const after: SendResult[] = [];
    let failedSends = 0;
    for (let i = 16; i < 32; i++) {
      for (let attempt = 1; ; attempt++) {
        try {
          after.push(await send(producer, topic, i));
          break;
        } catch (error) {
          failedSends++;
          if (attempt >= SEND_ATTEMPTS_AFTER_FAILOVER) {
            throw new Error(
              `send ${i} failed ${attempt} times (${failedSends} failed sends so far)`,
              {
                cause: error,
              },
            );
          }
        }
      }
    }
    for (const [n, r] of after.entries()) {
      expect(r).toMatchObject({ sendStatus: 'SEND_OK', messageQueue: { brokerName: 'broker-0' } });
      const id = parseOffsetMessageId(r.msgId);
      expect(id.storeHost.port).toBe(portOf.get('broker-0'));
      const [stored] = await viewMessage({
        client: admin,
        brokerAddr: b0!.addr,
        phyOffset: id.phyOffset,
      });
      expect(stored?.body.toString()).toBe(`two masters ${16 + n}`);
    }

    // The name server dropped the stopped broker (it unregistered, or its connection closed), and ali-ons, on its
    // next route refresh and heartbeat, forgot it too (its log is the only view of that). Closing the producer
    // before that fails: ali-ons unregisters from every broker it knows and stops at the first refused connection.
    await waitFor(
      async () => {
        const r = await queryRoute(admin, cluster.namesrvAddr, topic);
        return r?.queueDatas.length === 1 && r.queueDatas[0]?.brokerName === 'broker-0';
      },
      { description: `the route of ${topic} to list broker-0 only`, timeoutMs: 10_000 },
    );
    await waitFor(() => ons?.logged(/the broker\[broker-1\] name's host is offline/), {
      description: 'ali-ons to drop broker-1 from its broker table',
      timeoutMs: 10_000,
    });
  }, 60_000);
});
