/**
 * Timer (arbitrary delivery time) messages against real mqnamesrv + mqbroker processes: ali-ons'
 * `setStartDeliverTime` (`__STARTDELIVERTIME`) and our Producer's `TIMER_DELAY_SEC` / `TIMER_DELIVER_MS`
 * properties are consumed within a second of their due time and never before it, also when the broker restarts
 * on the same store while they wait; a delay beyond `timerMaxDelaySec` is refused.
 */
import { Producer as TsProducer } from '@rocketmq-ts/client';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { makeTempDir, removeTempDir, startCluster, waitFor } from '@rocketmq-ts/testkit';
import type { ServerProcess, TestCluster } from '@rocketmq-ts/testkit';
import { Message } from 'ali-ons';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopic } from './support/broker-admin.js';
import { freePorts, startBroker } from './support/broker-set.js';
import { OnsClients } from './support/ons-clients.js';
import type { StartedConsumer } from './support/ons-clients.js';

/** How late a delivery may be consumed after its due time, ms (the bound). */
const MAX_LATENESS_MS = 1000;
/** Delay of the timers sent, ms: long enough for the consumer to be ready, short enough for a quick test. */
const DELAY_MS = 3000;

/** The ali-ons API the shared declaration file leaves out (ali-ons 3.12.0 `lib/message/message.js`). */
interface StartDeliverTime {
  setStartDeliverTime(deliverAtMs: number): void;
}

let namesrv: TestCluster;
let admin: RemotingClient;
let ons: OnsClients;
let storeDir: string;
let ports: { listenPort: number; haListenPort: number };
let broker: ServerProcess | undefined;
let tsProducer: TsProducer | undefined;

function startTheBroker(): Promise<ServerProcess> {
  return startBroker(namesrv.namesrvAddr, {
    label: 'broker-timer',
    brokerName: 'broker-timer',
    brokerId: 0,
    brokerRole: 'ASYNC_MASTER',
    ...ports,
    storePathRootDir: storeDir,
    extra: { timerMaxDelaySec: 3600 },
  });
}

beforeAll(async () => {
  namesrv = await startCluster({ brokers: 0 });
  admin = new RemotingClient();
  storeDir = await makeTempDir('timer-store');
  const [listenPort, haListenPort] = await freePorts(2);
  ports = { listenPort: listenPort!, haListenPort: haListenPort! };
  broker = await startTheBroker();
  ons = new OnsClients(namesrv.namesrvAddr);
  tsProducer = new TsProducer({
    producerGroup: 'it-timer-ts-pg',
    namesrvAddr: namesrv.namesrvAddr,
    instanceName: 'it-timer-ts-p',
  });
  await tsProducer.start();
}, 90_000);

afterAll(async () => {
  await tsProducer?.shutdown();
  await ons?.closeAll();
  await broker?.stop();
  await admin?.close();
  await namesrv?.stop();
  if (storeDir !== undefined) await removeTempDir(storeDir);
});

/** Creates `topic`, starts a consumer on it and waits until a plain message reaches it (it is then assigned). */
async function readyConsumer(
  topic: string,
  receivedAt: Map<string, number[]>,
): Promise<StartedConsumer> {
  await createTopic({
    client: admin,
    brokerAddr: broker!.addr,
    namesrvAddr: namesrv.namesrvAddr,
    topic,
    queueNums: 2,
  });
  const consumer = await ons.startConsumer({
    instanceName: `${topic}-c`,
    consumerGroup: `${topic}-cg`,
    topic,
    subExpression: '*',
    beforeAck: (message) => {
      const key = message.keys ?? '';
      receivedAt.set(key, [...(receivedAt.get(key) ?? []), Date.now()]);
    },
  });
  await tsProducer!.send({ topic, body: 'warm-up', keys: 'warm-up' });
  await waitFor(() => receivedAt.has('warm-up'), {
    description: 'the warm-up message to be consumed',
    timeoutMs: 30_000,
  });
  return consumer;
}

/** Asserts each key was consumed once, not before its due time and at most MAX_LATENESS_MS after it. */
function expectOnTime(receivedAt: Map<string, number[]>, dueAt: Map<string, number>): void {
  for (const [key, due] of dueAt) {
    const times = receivedAt.get(key) ?? [];
    expect(times, `deliveries of ${key}`).toHaveLength(1);
    expect(times[0]!, `${key} not before its due time`).toBeGreaterThanOrEqual(due);
    expect(times[0]! - due, `${key} lateness`).toBeLessThanOrEqual(MAX_LATENESS_MS);
  }
}

describe('timer messages', () => {
  it('delivers ali-ons setStartDeliverTime and TIMER_DELAY_SEC / TIMER_DELIVER_MS messages on time', async () => {
    const topic = 'TimerOnTime';
    const receivedAt = new Map<string, number[]>();
    await readyConsumer(topic, receivedAt);
    const producer = await ons.startProducer({
      producerGroup: 'it-timer-ons-pg',
      instanceName: 'it-timer-ons-p',
    });
    const dueAt = new Map<string, number>();

    const onsDue = Date.now() + DELAY_MS;
    const message = new Message(topic, 'TagT', 'ons timer');
    message.keys = ['ons'];
    (message as unknown as StartDeliverTime).setStartDeliverTime(onsDue);
    expect((await producer.send(message)).sendStatus).toBe('SEND_OK');
    dueAt.set('ons', onsDue);

    const deliverDue = Date.now() + DELAY_MS;
    await tsProducer!.send({
      topic,
      body: 'deliver-ms timer',
      keys: 'deliver-ms',
      properties: { TIMER_DELIVER_MS: String(deliverDue) },
    });
    dueAt.set('deliver-ms', deliverDue);

    // TIMER_DELAY_SEC counts from the broker's arrival: due no earlier than the send start.
    const delaySent = Date.now();
    await tsProducer!.send({
      topic,
      body: 'delay-sec timer',
      keys: 'delay-sec',
      properties: { TIMER_DELAY_SEC: String(DELAY_MS / 1000) },
    });
    dueAt.set('delay-sec', delaySent + DELAY_MS);

    await waitFor(() => [...dueAt.keys()].every((k) => receivedAt.has(k)), {
      description: 'every timer message to be consumed',
      timeoutMs: DELAY_MS + 15_000,
    });
    // A duplicate would show up within this time.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expectOnTime(receivedAt, dueAt);
  }, 90_000);

  it('refuses a timer beyond timerMaxDelaySec with MESSAGE_ILLEGAL', async () => {
    await expect(
      tsProducer!.send({
        topic: 'TimerOnTime',
        body: 'too far',
        properties: { TIMER_DELAY_SEC: String(7200) },
      }),
    ).rejects.toThrow(/timer message illegal/);
  }, 30_000);

  it('delivers waiting timers and delay-level messages on time after the broker restarts on its store, each once', async () => {
    const topic = 'TimerRestart';
    const receivedAt = new Map<string, number[]>();
    await readyConsumer(topic, receivedAt);
    const dueAt = new Map<string, number>();
    const restartDelayMs = 10_000;
    for (let i = 0; i < 5; i++) {
      const due = Date.now() + restartDelayMs + i * 300;
      await tsProducer!.send({
        topic,
        body: `restart timer ${i}`,
        keys: `restart-${i}`,
        properties: { TIMER_DELIVER_MS: String(due) },
      });
      dueAt.set(`restart-${i}`, due);
    }
    // A delay-level message too (level 3 = 10 s): its schedule offsets must survive the restart the same way.
    const levelDue = Date.now() + 10_000;
    await tsProducer!.send({
      topic,
      body: 'restart level 3',
      keys: 'restart-level-3',
      delayTimeLevel: 3,
    });
    dueAt.set('restart-level-3', levelDue);
    const first = broker!;
    broker = undefined;
    await first.stop();
    broker = await startTheBroker();
    await waitFor(() => [...dueAt.keys()].every((k) => receivedAt.has(k)), {
      description: 'every timer message to be consumed after the restart',
      timeoutMs: restartDelayMs + 30_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expectOnTime(receivedAt, dueAt);
  }, 120_000);
});
