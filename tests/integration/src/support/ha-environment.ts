/**
 * The shared scaffolding of the master/slave integration tests: one real name server for the file, an MQAdmin and a
 * RemotingClient on it, and per-test cleanups (broker sets, clients) run last in, first out after each test.
 * Call {@link useHaEnvironment} once at the top level of a test file: it registers the vitest hooks.
 */
import { MQAdmin, PushConsumer } from '@rocketmq-ts/client';
import type { Producer } from '@rocketmq-ts/client';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { startCluster } from '@rocketmq-ts/testkit';
import type { TestCluster } from '@rocketmq-ts/testkit';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createTopic } from './broker-admin.js';
import { startMasterSlave, startTestProducer } from './broker-set.js';
import type { BrokerSpec, MasterSlaveSet } from './broker-set.js';

/** What a test file of master/slave sets uses; valid inside tests (after `beforeAll`). */
export interface HaEnvironment {
  readonly namesrvAddr: string;
  readonly admin: MQAdmin;
  readonly remoting: RemotingClient;
  /** Run after the current test, last in first out. */
  readonly cleanups: (() => Promise<void>)[];
  /** A master (`masterRole`) and its slave named `brokerName`, stopped and removed after the test. */
  startSet(
    brokerName: string,
    masterRole: 'ASYNC_MASTER' | 'SYNC_MASTER',
    extra?: BrokerSpec['extra'],
  ): Promise<MasterSlaveSet>;
  /** Creates `topic` with `queueNums` read and write queues on the set's master (the slave copies it). */
  createTopic(set: MasterSlaveSet, topic: string, queueNums: number): Promise<void>;
  /** A started producer of `group` (see `startTestProducer`), shut down after the test. */
  newProducer(group: string): Promise<Producer>;
  /**
   * A started clustering PushConsumer of `group` on `topic` from its first offset, adding every body it receives to
   * `into`; shut down after the test (or earlier by the test).
   */
  collectBodies(options: {
    topic: string;
    group: string;
    into: Set<string>;
    instanceName?: string;
  }): Promise<PushConsumer>;
}

export function useHaEnvironment(): HaEnvironment {
  let namesrv: TestCluster | undefined;
  let admin: MQAdmin | undefined;
  let remoting: RemotingClient | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is only available inside a test`);
    return value;
  };

  beforeAll(async () => {
    namesrv = await startCluster({ brokers: 0 });
    admin = new MQAdmin({ namesrvAddr: namesrv.namesrvAddr });
    await admin.start();
    remoting = new RemotingClient();
  }, 60_000);
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });
  afterAll(async () => {
    await remoting?.close();
    await admin?.close();
    await namesrv?.stop();
  });

  const env: HaEnvironment = {
    get namesrvAddr() {
      return started(namesrv, 'the name server').namesrvAddr;
    },
    get admin() {
      return started(admin, 'MQAdmin');
    },
    get remoting() {
      return started(remoting, 'the remoting client');
    },
    cleanups,
    startSet: (brokerName, masterRole, extra) =>
      startMasterSlave({ namesrvAddr: env.namesrvAddr, brokerName, masterRole, extra, cleanups }),
    createTopic: async (set, topic, queueNums) => {
      await createTopic({
        client: env.remoting,
        brokerAddr: set.masterAddr,
        namesrvAddr: env.namesrvAddr,
        topic,
        queueNums,
      });
    },
    newProducer: (group) => startTestProducer({ namesrvAddr: env.namesrvAddr, group, cleanups }),
    collectBodies: async ({ topic, group, into, instanceName }) => {
      const consumer = new PushConsumer({
        consumerGroup: group,
        namesrvAddr: env.namesrvAddr,
        instanceName: instanceName ?? group,
        clientIP: '127.0.0.1',
        pollNameServerInterval: 500,
        heartbeatBrokerInterval: 1000,
        persistConsumerOffsetInterval: 200,
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        messageListener: (msgs) => {
          for (const m of msgs) into.add(m.body.toString());
          return Promise.resolve('CONSUME_SUCCESS');
        },
      });
      consumer.subscribe(topic, '*');
      await consumer.start();
      cleanups.push(() => consumer.shutdown());
      return consumer;
    },
  };
  return env;
}
