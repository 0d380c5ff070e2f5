import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeMessageRecords,
  decodePullMessageResponseHeader,
  encodeSubscriptionGroupConfig,
} from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import type { TestBrokerContext } from '../../test/broker-test-context.js';
import {
  openProcessorTestBroker,
  pullRequest,
  putTestMessages,
} from '../../test/processor-test-broker.js';
import type { BrokerConfigInput } from '../config.js';

const TOPIC = 'HA_PULL_T';
const GROUP = 'HA_PULL_G';

function broker(config: Partial<BrokerConfigInput>) {
  return openProcessorTestBroker({ config, topics: [{ topicName: TOPIC }] });
}

function putMessages(t: TestBrokerContext, count: number): Promise<void> {
  return putTestMessages(t, { topic: TOPIC, count });
}

function pull(o: { queueOffset?: number; commitOffset?: number; maxMsgNums?: number } = {}) {
  return pullRequest({ group: GROUP, topic: TOPIC, ...o });
}

function suggestion(response: RemotingCommand): number {
  return decodePullMessageResponseHeader(response.extFields ?? {}).suggestWhichBrokerId;
}

const SLAVE = { brokerRole: 'SLAVE', brokerId: 1 } as const;

describe('pulls on a master', () => {
  it('always suggests the master (0) when slaveReadEnable is false, even far behind', async () => {
    const master = await broker({ accessMessageInMemoryMaxRatio: 0 });
    await putMessages(master, 3);
    const response = await master.call(pull());
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(suggestion(response)).toBe(0);
  });

  it("suggests the group's whichBrokerWhenConsumeSlowly for a pull far behind with slaveReadEnable", async () => {
    // Ratio 0: any byte between the last record pulled and the commit log's end counts as far behind.
    const master = await broker({ slaveReadEnable: true, accessMessageInMemoryMaxRatio: 0 });
    await putMessages(master, 3);
    const response = await master.call(pull({ maxMsgNums: 1 }));
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(decodeMessageRecords(response.body!)).toHaveLength(1);
    expect(suggestion(response)).toBe(1);
  });

  it("suggests the group's brokerId when the pull is not far behind, and honours the group's settings", async () => {
    const near = await broker({ slaveReadEnable: true, accessMessageInMemoryMaxRatio: 100 });
    await putMessages(near, 2);
    expect(suggestion(await near.call(pull()))).toBe(0);
    await updateGroup(near, { brokerId: 3, whichBrokerWhenConsumeSlowly: 2 });
    expect(suggestion(await near.call(pull()))).toBe(3);

    const far = await broker({ slaveReadEnable: true, accessMessageInMemoryMaxRatio: 0 });
    await putMessages(far, 2);
    await updateGroup(far, { brokerId: 3, whichBrokerWhenConsumeSlowly: 2 });
    expect(suggestion(await far.call(pull()))).toBe(2);
  });
});

async function updateGroup(
  t: Awaited<ReturnType<typeof broker>>,
  change: { brokerId: number; whichBrokerWhenConsumeSlowly: number },
): Promise<void> {
  const group = { ...(await t.ctx.subscriptionGroups.findOrCreate(GROUP))!, ...change };
  const update = await t.call(
    RemotingCommand.request(
      RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
      {},
      encodeSubscriptionGroupConfig(group),
    ),
  );
  expect(update.code).toBe(ResponseCode.SUCCESS);
}

describe('pulls on a slave', () => {
  it('serves pulls with slaveReadEnable false and suggests the master for the next, master reachable or not', async () => {
    // 4.9.8 sets PULL_RETRY_IMMEDIATELY and then overwrites it from the lookup status: the pull is served.
    const slave = await broker(SLAVE);
    await putMessages(slave, 2);
    for (const reachable of [false, true]) {
      slave.haState.setMasterLinkProbe(() => reachable);
      const response = await slave.call(pull());
      expect(response.code).toBe(ResponseCode.SUCCESS);
      expect(decodeMessageRecords(response.body!)).toHaveLength(2);
      expect(suggestion(response)).toBe(0);
    }
  });

  it('serves pulls with slaveReadEnable and suggests by distance like a master', async () => {
    const slave = await broker({
      ...SLAVE,
      slaveReadEnable: true,
      accessMessageInMemoryMaxRatio: 0,
    });
    slave.haState.setMasterLinkProbe(() => true);
    await putMessages(slave, 3);
    const response = await slave.call(pull({ maxMsgNums: 1 }));
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(suggestion(response)).toBe(1);
  });

  it('never stores the commit offset a pull carries', async () => {
    const slave = await broker(SLAVE);
    await putMessages(slave, 2);
    await slave.call(pull({ commitOffset: 2 }));
    expect(slave.ctx.offsets.queryOffset({ group: GROUP, topic: TOPIC, queueId: 0 })).toBe(-1);

    const master = await broker({});
    await putMessages(master, 2);
    await master.call(pull({ commitOffset: 2 }));
    expect(master.ctx.offsets.queryOffset({ group: GROUP, topic: TOPIC, queueId: 0 })).toBe(2);
  });

  it('answers an offset beyond its queue as retry-immediately unless offsetCheckInSlave', async () => {
    const slave = await broker(SLAVE);
    await putMessages(slave, 1);
    const moved = await slave.call(pull({ queueOffset: 50 }));
    expect(moved.code).toBe(ResponseCode.PULL_RETRY_IMMEDIATELY);
    expect(suggestion(moved)).toBe(0);

    const checking = await broker({ ...SLAVE, offsetCheckInSlave: true });
    await putMessages(checking, 1);
    expect((await checking.call(pull({ queueOffset: 50 }))).code).toBe(
      ResponseCode.PULL_OFFSET_MOVED,
    );
  });
});
