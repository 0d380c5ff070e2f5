/**
 * A SYNC_FLUSH broker restarted on the same store and port while ali-ons keeps sending: every send the broker
 * acknowledged is consumed afterwards, for a clean stop (SIGTERM) and a crash (SIGKILL).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Message } from 'ali-ons';
import type { Producer, SendResult } from 'ali-ons';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { makeTempDir, removeTempDir, startCluster, waitFor } from '@rocketmq-ts/testkit';
import type { ServerProcess, TestCluster } from '@rocketmq-ts/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTopic } from './support/broker-admin.js';
import { freePorts, startBroker as startBrokerProcess } from './support/broker-set.js';
import { OnsClients } from './support/ons-clients.js';

/** Acknowledged sends wanted before the broker goes down, and again after it is back. */
const ACKS_PER_PHASE = 20;
/** Upper bound of send attempts of one test (the loop also stops when told to). */
const MAX_SEND_ATTEMPTS = 2000;

let namesrv: TestCluster;
let admin: RemotingClient;
let ons: OnsClients;
let storeDir: string | undefined;
let broker: ServerProcess | undefined;

beforeAll(async () => {
  namesrv = await startCluster({ brokers: 0 });
  admin = new RemotingClient();
}, 60_000);

afterAll(async () => {
  await admin?.close();
  await namesrv?.stop();
});

beforeEach(() => {
  ons = new OnsClients(namesrv.namesrvAddr);
});

afterEach(async () => {
  await ons.closeAll();
  await broker?.stop();
  broker = undefined;
  if (storeDir !== undefined) await removeTempDir(storeDir);
  storeDir = undefined;
});

/** Starts mqbroker on a fixed port and store dir, so that a restart looks like the same broker to clients. */
async function startBroker(options: {
  listenPort: number;
  haListenPort: number;
  storePathRootDir: string;
}): Promise<ServerProcess> {
  return startBrokerProcess(namesrv.namesrvAddr, {
    label: 'broker-restart',
    brokerName: 'broker-restart',
    brokerId: 0,
    brokerRole: 'ASYNC_MASTER',
    ...options,
    extra: { flushDiskType: 'SYNC_FLUSH' },
  });
}

interface Acked {
  readonly key: string;
  readonly body: string;
  readonly result: SendResult;
}

/** Sends `restart-<i>` messages one after the other until stopped, recording the acknowledged ones. */
function startSending(producer: Producer, topic: string) {
  const acked: Acked[] = [];
  let failedSends = 0;
  let stopped = false;
  const loop = (async () => {
    for (let i = 0; i < MAX_SEND_ATTEMPTS && !stopped; i++) {
      const key = `restart-${i}`;
      const body = `restart body ${i}`;
      const message = new Message(topic, 'TagR', body);
      message.keys = [key];
      try {
        const result = await producer.send(message);
        if (result.sendStatus === 'SEND_OK') acked.push({ key, body, result });
      } catch {
        // The broker is down (connection refused or closed): not acknowledged, so not required later. Pace the
        // retries instead of spinning.
        failedSends++;
        await delay(50);
      }
    }
  })();
  return {
    acked,
    failedSends: () => failedSends,
    stop: async (): Promise<void> => {
      stopped = true;
      await loop;
    },
  };
}

describe('ali-ons with a SYNC_FLUSH broker restarted on the same store and port', () => {
  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'consumes every acknowledged message after a %s restart in the middle of sending',
    async (signal) => {
      storeDir = await makeTempDir('ons-restart-store');
      const [listenPort, haListenPort] = await freePorts(2);
      const brokerOptions = {
        listenPort: listenPort!,
        haListenPort: haListenPort!,
        storePathRootDir: storeDir,
      };
      broker = await startBroker(brokerOptions);
      const brokerAddr = broker.addr;
      const topic = `AliOnsRestart${signal}`;
      await createTopic({
        client: admin,
        brokerAddr,
        namesrvAddr: namesrv.namesrvAddr,
        topic,
        queueNums: 4,
      });
      const producer = await ons.startProducer({
        producerGroup: `it-ons-restart-${signal}-pg`,
        instanceName: `restart-${signal}-p`,
      });

      const sender = startSending(producer, topic);
      try {
        await waitFor(() => sender.acked.length >= ACKS_PER_PHASE, {
          description: `${ACKS_PER_PHASE} acknowledged sends before the restart`,
          timeoutMs: 15_000,
        });
        // Stop the broker while the producer is still sending.
        const first = broker;
        broker = undefined;
        if (signal === 'SIGTERM') {
          await first.stop(); // throws unless it exits 0
        } else {
          process.kill(first.pid, 'SIGKILL');
          expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
          await removeTempDir(first.homeDir); // its logs; the store is in storeDir
        }
        const ackedBeforeRestart = sender.acked.length;
        broker = await startBroker(brokerOptions);
        expect(broker.addr).toBe(brokerAddr);
        await waitFor(() => sender.acked.length >= ackedBeforeRestart + ACKS_PER_PHASE, {
          description: `${ACKS_PER_PHASE} acknowledged sends after the restart`,
          timeoutMs: 20_000,
        });
      } finally {
        await sender.stop();
      }
      const acked = sender.acked;

      const consumer = await ons.startConsumer({
        instanceName: `restart-${signal}-c`,
        consumerGroup: `it-ons-restart-${signal}-cg`,
        topic,
        subExpression: '*',
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      });
      const missing = (): string[] =>
        acked.filter((a) => !consumer.deliveries.some((d) => d.keys === a.key)).map((a) => a.key);
      await waitFor(() => missing().length === 0, {
        description: `all ${acked.length} acknowledged messages to be consumed after the restart`,
        timeoutMs: 30_000,
        intervalMs: 100,
      }).catch((error: unknown) => {
        throw new Error(
          `missing after restart: ${missing().join(', ')} (failed sends: ${sender.failedSends()})\n${ons.tail()}`,
          { cause: error },
        );
      });

      for (const a of acked) {
        const delivered = consumer.deliveries.find((d) => d.keys === a.key)!;
        // Same store and port: the record sits at the commit-log offset its acknowledgement named.
        expect(delivered).toMatchObject({
          topic,
          body: a.body,
          tags: 'TagR',
          msgId: a.result.msgId,
        });
      }
      // Whatever else arrived was at least sent (an unacknowledged send may still have been stored).
      for (const d of consumer.deliveries) expect(d.keys).toMatch(/^restart-\d+$/);
    },
    90_000,
  );
});
