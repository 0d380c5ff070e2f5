import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  TOPIC_CONFIG_DEFAULTS,
  createMemoryLogger,
  decodeQueryConsumerOffsetResponseHeader,
  encodeQueryConsumerOffsetRequestHeader,
  encodeUpdateConsumerOffsetRequestHeader,
} from '@rocketmq-ts/protocol';
import type { LogLine } from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { describe, expect, it } from 'vitest';
import {
  makeTempDir,
  onTestCleanup,
  startTestBroker,
  startTestNameServer,
  waitFor,
} from '../../test/broker-test-context.js';
import type { BrokerController } from '../broker-controller.js';
import type { BrokerControllerOptions } from '../broker-controller.js';
import type { BrokerConfigInput } from '../config.js';
import { defaultGroupConfig } from '../subscription/subscription-group-manager.js';

const TOPIC = 'SYNC_T';
const GROUP = 'SYNC_G';
const TIMEOUT = { timeoutMs: 5000 };
/** Rounds only when a test asks (syncFromMaster), so each test decides when the slave syncs. */
const MANUAL_SYNC = {
  slaveSync: { initialDelayMs: 600_000, intervalMs: 600_000, timeoutMs: 2000 },
};

interface Pair {
  namesrvAddr: string;
  master: BrokerController;
  masterDir: string;
  slave: BrokerController;
  client: RemotingClient;
}

async function startMaster(
  namesrvAddr: string,
  dir: string,
  overrides: Partial<BrokerConfigInput> = {},
): Promise<BrokerController> {
  return startTestBroker({
    namesrvAddr,
    brokerName: 'ha-set',
    storePathRootDir: dir,
    ...overrides,
  });
}

async function startPair(
  slaveOptions: Omit<BrokerControllerOptions, 'config'> = MANUAL_SYNC,
): Promise<Pair> {
  const ns = await startTestNameServer();
  const masterDir = await makeTempDir();
  const master = await startMaster(ns.addr, masterDir);
  const slave = await startTestBroker(
    { namesrvAddr: ns.addr, brokerName: 'ha-set', brokerRole: 'SLAVE', brokerId: 1 },
    slaveOptions,
  );
  const client = new RemotingClient();
  onTestCleanup(() => client.close());
  return { namesrvAddr: ns.addr, master, masterDir, slave, client };
}

function offsetOf(broker: BrokerController, queueId = 0): number {
  return broker.context.offsets.queryOffset({ group: GROUP, topic: TOPIC, queueId });
}

async function commitAsClient(
  client: RemotingClient,
  addr: string,
  commit: { queueId: number; offset: number },
): Promise<void> {
  const response = await client.invoke(
    addr,
    RemotingCommand.request(
      RequestCode.UPDATE_CONSUMER_OFFSET,
      encodeUpdateConsumerOffsetRequestHeader({
        consumerGroup: GROUP,
        topic: TOPIC,
        queueId: commit.queueId,
        commitOffset: commit.offset,
      }),
    ),
    TIMEOUT,
  );
  expect(response.code).toBe(ResponseCode.SUCCESS);
}

async function queryAsClient(client: RemotingClient, addr: string): Promise<number> {
  const response = await client.invoke(
    addr,
    RemotingCommand.request(
      RequestCode.QUERY_CONSUMER_OFFSET,
      encodeQueryConsumerOffsetRequestHeader({ consumerGroup: GROUP, topic: TOPIC, queueId: 0 }),
    ),
    TIMEOUT,
  );
  expect(response.code).toBe(ResponseCode.SUCCESS);
  return decodeQueryConsumerOffsetResponseHeader(response.extFields ?? {}).offset;
}

describe('SlaveSynchronize', () => {
  it("learns the master's remoting and HA addresses from its registration answers", async () => {
    const { master, slave } = await startPair();
    expect(slave.masterAddr()).toBe(master.brokerAddr);
    expect(slave.context.masterAddr()).toBe(master.brokerAddr);
    expect(slave.haServerAddrOfMaster()).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(master.masterAddr()).toBeUndefined();
    // Known address, no sync yet: not counted as reachable.
    expect(slave.masterAvailable()).toBe(false);
  });

  it("copies the master's topics, subscription groups, delay and consumer offsets", async () => {
    const { master, slave } = await startPair();
    await master.context.topics.createOrUpdate({ ...TOPIC_CONFIG_DEFAULTS, topicName: TOPIC });
    await master.context.subscriptionGroups.createOrUpdate({
      ...defaultGroupConfig(GROUP),
      retryMaxTimes: 5,
    });
    await master.context.store.metadata.setDelayOffset(3, 7);
    await master.context.offsets.commitOffset({
      group: GROUP,
      topic: TOPIC,
      queueId: 1,
      offset: 4,
    });
    // An offset only the slave has, not committed by a client: the master's table wins.
    await slave.context.offsets.commitOffset({ group: GROUP, topic: TOPIC, queueId: 2, offset: 9 });
    expect(slave.context.topics.get(TOPIC)).toBeUndefined();

    const outcome = await slave.syncFromMaster();
    expect(outcome).toMatchObject({ ok: true, masterAddr: master.brokerAddr, pushedOffsets: 0 });
    if (!outcome.ok) throw new Error('sync failed');
    expect(outcome.replaced.sort()).toEqual(
      ['consumerOffsets', 'delayOffsets', 'subscriptionGroups', 'topics'].sort(),
    );
    expect(slave.context.topics.get(TOPIC)).toMatchObject({ topicName: TOPIC, writeQueueNums: 16 });
    expect(slave.context.topics.dataVersion).toEqual(master.context.topics.dataVersion);
    expect(slave.context.subscriptionGroups.get(GROUP)?.retryMaxTimes).toBe(5);
    expect(slave.context.store.metadata.getDelayOffset(3)).toBe(7);
    expect(offsetOf(slave, 1)).toBe(4);
    expect(offsetOf(slave, 2)).toBe(-1);
    expect(slave.masterAvailable()).toBe(true);

    const again = await slave.syncFromMaster();
    expect(again).toMatchObject({ ok: true, replaced: [] });
  });

  it('runs its rounds on its own after the initial delay', async () => {
    const { master, slave } = await startPair({
      slaveSync: { initialDelayMs: 50, intervalMs: 500, timeoutMs: 2000 },
    });
    await master.context.topics.createOrUpdate({ ...TOPIC_CONFIG_DEFAULTS, topicName: TOPIC });
    await waitFor(() => slave.context.topics.get(TOPIC) !== undefined, { timeoutMs: 10_000 });
    await waitFor(() => slave.masterAvailable(), { timeoutMs: 10_000 });
  });

  it('hands offsets committed on the slave while the master was down to the master when it returns', async () => {
    const { namesrvAddr, master, masterDir, slave, client } = await startPair();
    const masterPort = master.port;
    await master.context.topics.createOrUpdate({ ...TOPIC_CONFIG_DEFAULTS, topicName: TOPIC });
    await commitAsClient(client, master.brokerAddr, { queueId: 0, offset: 5 });
    await commitAsClient(client, master.brokerAddr, { queueId: 1, offset: 8 });
    expect((await slave.syncFromMaster()).ok).toBe(true);
    expect(offsetOf(slave)).toBe(5);

    await master.close();
    expect(await slave.syncFromMaster()).toMatchObject({ ok: false, reason: 'failed' });
    expect(slave.masterAvailable()).toBe(false);
    // Consumers fall back to the slave and commit there: queue 0 moves on, queue 1 goes back (a reset).
    await commitAsClient(client, slave.brokerAddr, { queueId: 0, offset: 9 });
    await commitAsClient(client, slave.brokerAddr, { queueId: 1, offset: 2 });
    expect(await queryAsClient(client, slave.brokerAddr)).toBe(9);
    expect((await slave.syncFromMaster()).ok).toBe(false);
    expect(offsetOf(slave)).toBe(9);

    const back = await startMaster(namesrvAddr, masterDir, { listenPort: masterPort });
    expect(back.brokerAddr).toBe(slave.masterAddr());
    expect(offsetOf(back)).toBe(5);
    const outcome = await slave.syncFromMaster();
    expect(outcome).toMatchObject({ ok: true, pushedOffsets: 1 });
    expect(offsetOf(back)).toBe(9);
    expect(offsetOf(slave)).toBe(9);
    // The slave keeps the larger offset of a queue; the master's stays as it was.
    expect(offsetOf(back, 1)).toBe(8);
    expect(offsetOf(slave, 1)).toBe(8);

    // Once handed over, the master's later progress is adopted again.
    await commitAsClient(client, back.brokerAddr, { queueId: 0, offset: 12 });
    expect(await slave.syncFromMaster()).toMatchObject({ ok: true, pushedOffsets: 0 });
    expect(offsetOf(slave)).toBe(12);
  });

  it('logs a failing master once per state change, not every round', async () => {
    const lines: LogLine[] = [];
    const { master, slave } = await startPair({
      ...MANUAL_SYNC,
      logger: createMemoryLogger(lines),
    });
    expect((await slave.syncFromMaster()).ok).toBe(true);
    await master.close();
    for (let i = 0; i < 3; i++) expect((await slave.syncFromMaster()).ok).toBe(false);
    const failures = lines.filter((l) =>
      l.message.startsWith('metadata sync from the master failed'),
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]?.level).toBe('warn');
    expect(lines.filter((l) => l.message === 'metadata synchronized from the master')).toHaveLength(
      1,
    );
  });

  it('waits for a master address and does not sync with itself', async () => {
    const ns = await startTestNameServer();
    const lines: LogLine[] = [];
    const slave = await startTestBroker(
      { namesrvAddr: ns.addr, brokerName: 'alone', brokerRole: 'SLAVE', brokerId: 1 },
      { ...MANUAL_SYNC, logger: createMemoryLogger(lines) },
    );
    expect(slave.masterAddr()).toBeUndefined();
    expect(await slave.syncFromMaster()).toEqual({ ok: false, reason: 'no-master' });
    expect(await slave.syncFromMaster()).toEqual({ ok: false, reason: 'no-master' });
    expect(lines.filter((l) => l.message.startsWith('no master address known'))).toHaveLength(1);
    expect(slave.masterAvailable()).toBe(false);
  });

  it('is only started on a slave', async () => {
    const master = await startTestBroker();
    expect(() => master.syncFromMaster()).toThrow(/SLAVE/);
  });
});
