import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  TOPIC_CONFIG_DEFAULTS,
  buildPullSysFlag,
  decodeKVTable,
  decodeMessageRecords,
  decodePullMessageResponseHeader,
  encodeConsumerSendMsgBackRequestHeader,
  encodeMessageProperties,
  encodePullMessageRequestHeader,
  encodeSendMessageRequestHeader,
} from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { describe, expect, it } from 'vitest';
import {
  onTestCleanup,
  startTestBroker,
  startTestNameServer,
  waitFor,
} from '../../test/broker-test-context.js';
import type { BrokerController } from '../broker-controller.js';
import type { BrokerConfigInput } from '../config.js';

/*
 * A master and a slave BrokerController in one process, registered with a name server stand-in: what a slave does
 * besides replicating (store-format.md §8.5–8.7).
 */

const TOPIC = 'SLAVE_T';
const TIMEOUT = { timeoutMs: 5000 };
const MANUAL_SYNC = {
  slaveSync: { initialDelayMs: 600_000, intervalMs: 600_000, timeoutMs: 2000 },
};

function client(): RemotingClient {
  const c = new RemotingClient();
  onTestCleanup(() => c.close());
  return c;
}

async function startPair(slaveConfig: Partial<BrokerConfigInput> = {}) {
  const ns = await startTestNameServer();
  const master = await startTestBroker({ namesrvAddr: ns.addr, brokerName: 'set-b' });
  const slave = await startTestBroker(
    { namesrvAddr: ns.addr, brokerName: 'set-b', brokerRole: 'SLAVE', brokerId: 1, ...slaveConfig },
    MANUAL_SYNC,
  );
  await master.context.topics.createOrUpdate({ ...TOPIC_CONFIG_DEFAULTS, topicName: TOPIC });
  return { master, slave };
}

/** Stores messages on the master and waits (bounded) until replication has brought them to the slave. */
async function putAndReplicate(
  master: BrokerController,
  slave: BrokerController,
  count: number,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const put = await master.context.store.putMessage({
      topic: TOPIC,
      queueId: 0,
      body: Buffer.from(`m${i}`),
      bornTimestamp: Date.now(),
      bornHost: { host: '127.0.0.1', port: 50000 },
      storeHost: master.context.storeHost(),
    });
    expect(put.status).toBe('PUT_OK');
  }
  const end = master.context.store.getMaxPhyOffset();
  await waitFor(() => slave.context.store.getMaxPhyOffset() === end, { timeoutMs: 10_000 });
}

function pullRequest(): RemotingCommand {
  return RemotingCommand.request(
    RequestCode.PULL_MESSAGE,
    encodePullMessageRequestHeader({
      consumerGroup: 'SLAVE_G',
      topic: TOPIC,
      queueId: 0,
      queueOffset: 0,
      maxMsgNums: 32,
      sysFlag: buildPullSysFlag({ subscription: true }),
      commitOffset: 0,
      suspendTimeoutMillis: 0,
      subscription: '*',
      subVersion: 0,
    }),
  );
}

async function runtimeInfo(c: RemotingClient, addr: string): Promise<Map<string, string>> {
  const response = await c.invoke(
    addr,
    RemotingCommand.request(RequestCode.GET_BROKER_RUNTIME_INFO, {}),
    TIMEOUT,
  );
  expect(response.code).toBe(ResponseCode.SUCCESS);
  return decodeKVTable(response.body!).table;
}

describe('a slave broker', () => {
  it('replicates its master and serves pulls suggesting the master, also once the master is gone', async () => {
    const { master, slave } = await startPair();
    expect((await slave.syncFromMaster()).ok).toBe(true);
    await putAndReplicate(master, slave, 2);
    const c = client();
    // 4.9.8 marks the answer PULL_RETRY_IMMEDIATELY and then overwrites the code from the lookup: it is served.
    const served = await c.invoke(slave.brokerAddr, pullRequest(), TIMEOUT);
    expect(served.code).toBe(ResponseCode.SUCCESS);
    expect(decodePullMessageResponseHeader(served.extFields ?? {}).suggestWhichBrokerId).toBe(0);
    expect(decodeMessageRecords(served.body!).map((r) => r.body.toString())).toEqual(['m0', 'm1']);

    await master.close();
    const again = await c.invoke(slave.brokerAddr, pullRequest(), TIMEOUT);
    expect(again.code).toBe(ResponseCode.SUCCESS);
    expect(decodeMessageRecords(again.body!)).toHaveLength(2);
  });

  it('counts its replication link as a reachable master', async () => {
    const { master, slave } = await startPair();
    // No metadata sync in this test: only the HA link can make the master reachable.
    await waitFor(() => slave.masterAvailable(), { timeoutMs: 10_000 });
    await master.close();
    await waitFor(() => !slave.masterAvailable(), { timeoutMs: 10_000 });
  });

  it('refuses sends, send-backs and END_TRANSACTION the way RocketMQ does', async () => {
    const { master, slave } = await startPair();
    expect((await slave.syncFromMaster()).ok).toBe(true);
    await putAndReplicate(master, slave, 1);
    const c = client();
    const send = await c.invoke(
      slave.brokerAddr,
      RemotingCommand.request(
        RequestCode.SEND_MESSAGE_V2,
        encodeSendMessageRequestHeader(
          {
            producerGroup: 'PG',
            topic: TOPIC,
            defaultTopic: 'TBW102',
            defaultTopicQueueNums: 4,
            queueId: 0,
            sysFlag: 0,
            bornTimestamp: Date.now(),
            flag: 0,
            properties: encodeMessageProperties({ UNIQ_KEY: 'U1' }),
            reconsumeTimes: 0,
          },
          RequestCode.SEND_MESSAGE_V2,
        ),
        Buffer.from('x'),
      ),
      TIMEOUT,
    );
    expect(send.code).toBe(ResponseCode.SERVICE_NOT_AVAILABLE);

    const maxBefore = slave.context.store.getMaxPhyOffset();
    const sendBack = await c.invoke(
      slave.brokerAddr,
      RemotingCommand.request(
        RequestCode.CONSUMER_SEND_MSG_BACK,
        encodeConsumerSendMsgBackRequestHeader({ offset: 0, group: 'SLAVE_G', delayLevel: 0 }),
      ),
      TIMEOUT,
    );
    expect(sendBack.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(sendBack.remark).toBe('SERVICE_NOT_AVAILABLE');
    // Nothing was appended: a slave's commit log must stay a copy of its master's.
    expect(slave.context.store.getMaxPhyOffset()).toBe(maxBefore);

    const endTx = RemotingCommand.request(RequestCode.END_TRANSACTION, {});
    expect((await c.invoke(slave.brokerAddr, endTx, TIMEOUT)).code).toBe(
      ResponseCode.SLAVE_NOT_AVAILABLE,
    );
    // A master handles END_TRANSACTION: a request without its header is refused as malformed.
    const onMaster = RemotingCommand.request(RequestCode.END_TRANSACTION, {});
    expect((await c.invoke(master.brokerAddr, onMaster, TIMEOUT)).code).toBe(
      ResponseCode.SYSTEM_ERROR,
    );
  });
});

describe('runtime info of a master/slave set', () => {
  it('reports the role and replication keys, from the HA status source when there is one', async () => {
    const ns = await startTestNameServer();
    const master = await startTestBroker({
      namesrvAddr: ns.addr,
      brokerName: 'set-c',
      brokerRole: 'SYNC_MASTER',
    });
    const slave = await startTestBroker(
      { namesrvAddr: ns.addr, brokerName: 'set-c', brokerRole: 'SLAVE', brokerId: 1 },
      MANUAL_SYNC,
    );
    const c = client();

    // The slave follows the master on the HA port it learned from the name server.
    await waitFor(
      async () => (await runtimeInfo(c, master.brokerAddr)).get('haConnectedSlaveCount') === '1',
      { timeoutMs: 10_000 },
    );
    const m = await runtimeInfo(c, master.brokerAddr);
    expect(m.get('brokerRole')).toBe('SYNC_MASTER');
    expect(m.get('haConnectedSlaveCount')).toBe('1');
    expect(m.get('haBehindBytes')).toBe('0');
    expect(m.has('haMasterAddress')).toBe(false);
    master.setHaStatusSource(() => ({ connectedSlaveCount: 1, behindBytes: 4096 }));
    const m2 = await runtimeInfo(c, master.brokerAddr);
    expect(m2.get('haConnectedSlaveCount')).toBe('1');
    expect(m2.get('haBehindBytes')).toBe('4096');

    const s = await runtimeInfo(c, slave.brokerAddr);
    expect(s.get('brokerRole')).toBe('SLAVE');
    expect(s.get('haBehindBytes')).toBe('0');
    expect(s.get('haMasterAddress')).toBe(slave.haServerAddrOfMaster());
    expect(s.has('haConnectedSlaveCount')).toBe(false);
    slave.context.setHaStatusSource(() => ({ behindBytes: 12, masterAddress: '10.0.0.1:10912' }));
    const s2 = await runtimeInfo(c, slave.brokerAddr);
    expect(s2.get('haMasterAddress')).toBe('10.0.0.1:10912');
    expect(s2.get('haBehindBytes')).toBe('12');
  });

  it('reports a configured haMasterAddress on a slave without an HA status source', async () => {
    const slave = await startTestBroker({
      brokerRole: 'SLAVE',
      brokerId: 2,
      haMasterAddress: '10.0.0.9:10912',
    });
    const info = await runtimeInfo(client(), slave.brokerAddr);
    expect(info.get('haMasterAddress')).toBe('10.0.0.9:10912');
    expect(info.get('brokerRole')).toBe('SLAVE');
  });
});
