/**
 * MQAdmin of @rocketmq-ts/client against real mqnamesrv + mqbroker processes (two name servers, two brokers of one
 * cluster): cluster and broker reports, topic and group administration, consumer progress, connections of clients
 * registered by raw heartbeats, message lookups, consumption tracks, offset resets and the NameServer KV store.
 */
import {
  MQAdmin,
  ORDER_TOPIC_CONFIG_NAMESPACE,
  decodeConsumerRunningInfo,
  encodeConsumeMessageDirectlyResult,
  encodeConsumerRunningInfo,
} from '@rocketmq-ts/client';
import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  createUniqIdGenerator,
  decodeMessageRecords,
} from '@rocketmq-ts/protocol';
import type { MessageQueue } from '@rocketmq-ts/protocol';
import { ProcessorTable, RemotingClient } from '@rocketmq-ts/remoting';
import { startCluster, waitFor } from '@rocketmq-ts/testkit';
import type { TestCluster } from '@rocketmq-ts/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryRoute } from './support/broker-admin.js';
import {
  commitOffsetRaw,
  consumerEntry,
  heartbeatRaw,
  sendRaw,
  tagSubscription,
} from './support/raw-client.js';

const CLUSTER = 'DefaultCluster';

let cluster: TestCluster;
let admin: MQAdmin;
let raw: RemotingClient;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  cluster = await startCluster({
    namesrvs: 2,
    brokers: 2,
    brokerConfig: { mappedFileSizeCommitLog: 16 << 20 },
  });
  admin = new MQAdmin({ namesrvAddr: cluster.namesrvAddr });
  await admin.start();
  raw = new RemotingClient();
}, 60_000);

afterAll(async () => {
  await admin?.close();
  await raw?.close();
  await cluster?.stop();
});

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function broker(i: number): { addr: string; name: string } {
  const b = cluster.brokers[i]!;
  return { addr: b.addr, name: b.brokerName };
}

function namesrvs(): string[] {
  return cluster.namesrvAddr.split(';');
}

/** A client connection of its own (a raw consumer or producer lives as long as its connection). */
function rawClient(processors?: ProcessorTable): RemotingClient {
  const c = new RemotingClient({ processors });
  cleanups.push(() => c.close());
  return c;
}

/** An admin talking to one name server only. */
async function adminOf(namesrvAddr: string): Promise<MQAdmin> {
  const a = new MQAdmin({ namesrvAddr });
  await a.start();
  cleanups.push(() => a.close());
  return a;
}

/** Creates a topic on one broker and waits until both name servers route it there. */
async function topicOnBroker(topic: string, i: number, queueNums: number): Promise<void> {
  await admin.createOrUpdateTopic(broker(i).addr, {
    topicName: topic,
    readQueueNums: queueNums,
    writeQueueNums: queueNums,
  });
  await waitFor(
    async () => {
      const routes = await Promise.all(namesrvs().map((ns) => queryRoute(raw, ns, topic)));
      return routes.every((r) => r?.queueDatas.some((q) => q.brokerName === broker(i).name));
    },
    { description: `route of ${topic} on ${broker(i).name}`, timeoutMs: 10_000, intervalMs: 100 },
  );
}

/** Waits until the name servers route `%RETRY%<group>` (brokers create it at the group's first heartbeat). */
async function retryRouteOf(group: string): Promise<void> {
  await waitFor(
    async () => (await queryRoute(raw, namesrvs()[0]!, `%RETRY%${group}`)) !== undefined,
    { description: `route of %RETRY%${group}`, timeoutMs: 10_000, intervalMs: 100 },
  );
}

describe('MQAdmin', () => {
  it('reports the cluster, a broker runtime info and config, and changes a broker setting at runtime', async () => {
    const info = await admin.clusterInfo();
    expect([...(info.clusterAddrTable.get(CLUSTER) ?? [])].sort()).toEqual([
      'broker-0',
      'broker-1',
    ]);
    expect(info.brokerAddrTable.get('broker-1')?.brokerAddrs.get(0)).toBe(broker(1).addr);

    const runtime = await admin.brokerRuntimeInfo(broker(0).addr);
    expect(runtime.get('brokerVersionDesc')).toBe('V4_9_8');
    expect(runtime.has('putTps')).toBe(true);

    const config = await admin.getBrokerConfig(broker(0).addr);
    expect(config.get('brokerName')).toBe('broker-0');
    expect(config.get('brokerClusterName')).toBe(CLUSTER);
    expect(config.get('brokerPermission')).toBe('6');

    await admin.updateBrokerConfig(broker(0).addr, new Map([['brokerPermission', '4']]));
    expect((await admin.getBrokerConfig(broker(0).addr)).get('brokerPermission')).toBe('4');
    const remark = await admin.updateBrokerConfig(
      broker(0).addr,
      new Map([
        ['brokerPermission', '6'],
        ['flushIntervalCommitLog', '600'],
      ]),
    );
    expect(remark).toContain('flushIntervalCommitLog');
    expect((await admin.getBrokerConfig(broker(0).addr)).get('brokerPermission')).toBe('6');
    await expect(
      admin.updateBrokerConfig(broker(0).addr, new Map([['noSuchKey', '1']])),
    ).rejects.toMatchObject({ name: 'MQBrokerError', code: ResponseCode.SYSTEM_ERROR });
  });

  it('creates a topic on every master, lists, routes and measures it, and deletes it from brokers and name servers', async () => {
    const topic = 'it-admin-topic';
    const masters = await admin.createTopicOnCluster(CLUSTER, {
      topicName: topic,
      readQueueNums: 4,
      writeQueueNums: 4,
    });
    expect(masters).toEqual([broker(0).addr, broker(1).addr]);
    await waitFor(
      async () => {
        const routes = await Promise.all(namesrvs().map((ns) => queryRoute(raw, ns, topic)));
        return routes.every((r) => r?.queueDatas.length === 2);
      },
      { description: `both brokers in the routes of ${topic}`, timeoutMs: 10_000, intervalMs: 100 },
    );
    const route = await admin.topicRoute(topic);
    expect(route.queueDatas.map((q) => [q.brokerName, q.readQueueNums, q.perm]).sort()).toEqual([
      ['broker-0', 4, 6],
      ['broker-1', 4, 6],
    ]);
    expect(await admin.topicList()).toContain(topic);
    expect(await admin.topicClusterList(topic)).toEqual([CLUSTER]);

    for (let i = 0; i < 3; i++) {
      await sendRaw(raw, broker(0).addr, { topic, queueId: 1, body: `m${i}` });
    }
    const stats = await admin.topicStats(topic);
    expect(stats).toHaveLength(8);
    const q1 = stats.find((s) => s.mq.brokerName === 'broker-0' && s.mq.queueId === 1);
    expect(q1).toMatchObject({ minOffset: 0, maxOffset: 3 });
    expect(q1?.lastUpdateTimestamp).toBeGreaterThan(0);
    expect(stats.filter((s) => s !== q1).every((s) => s.maxOffset === 0)).toBe(true);

    await admin.deleteTopic(topic, CLUSTER);
    for (const ns of namesrvs()) expect(await queryRoute(raw, ns, topic)).toBeUndefined();
    expect(await admin.topicList()).not.toContain(topic);
    await expect(admin.topicRoute(topic)).rejects.toMatchObject({
      name: 'MQClientError',
      code: ResponseCode.TOPIC_NOT_EXIST,
    });
    await expect(admin.createTopicOnCluster('NoSuchCluster', { topicName: 'x' })).rejects.toThrow(
      /cluster NoSuchCluster is not known/,
    );
  });

  it('keeps key/value pairs on every name server and merges ordered-topic configurations', async () => {
    const [ns0, ns1] = await Promise.all(namesrvs().map((ns) => adminOf(ns)));
    await admin.putKVConfig('it-ns', 'k1', 'v1');
    expect(await ns0!.getKVConfig('it-ns', 'k1')).toBe('v1');
    expect(await ns1!.getKVConfig('it-ns', 'k1')).toBe('v1');
    expect([...(await admin.getKVList('it-ns'))]).toEqual([['k1', 'v1']]);
    await admin.deleteKVConfig('it-ns', 'k1');
    expect(await ns0!.getKVConfig('it-ns', 'k1')).toBeUndefined();
    expect(await ns1!.getKVConfig('it-ns', 'k1')).toBeUndefined();
    expect((await admin.getKVList('it-ns')).size).toBe(0);

    await admin.updateOrderConf('it-ordered', 'broker-0:4');
    await admin.updateOrderConf('it-ordered', 'broker-1:2', { merge: true });
    await admin.updateOrderConf('it-ordered', 'broker-0:8', { merge: true });
    expect(await admin.getKVConfig(ORDER_TOPIC_CONFIG_NAMESPACE, 'it-ordered')).toBe(
      'broker-0:8;broker-1:2',
    );
    await admin.updateOrderConf('it-ordered', 'broker-1:1');
    expect(await ns1!.getKVConfig(ORDER_TOPIC_CONFIG_NAMESPACE, 'it-ordered')).toBe('broker-1:1');
    await admin.deleteKVConfig(ORDER_TOPIC_CONFIG_NAMESPACE, 'it-ordered');
  });

  it('wipes and restores the write permission of a broker on each name server', async () => {
    const topic = 'it-admin-perm';
    await topicOnBroker(topic, 0, 2);
    for (const ns of namesrvs()) {
      const permOnBroker0 = async (): Promise<number | undefined> =>
        (await queryRoute(raw, ns, topic))?.queueDatas.find((q) => q.brokerName === 'broker-0')
          ?.perm;
      expect(await admin.wipeWritePerm(ns, 'broker-0')).toBeGreaterThanOrEqual(1);
      expect(await permOnBroker0()).toBe(4);
      expect(await admin.addWritePerm(ns, 'broker-0')).toBeGreaterThanOrEqual(1);
      expect(await permOnBroker0()).toBe(6);
    }
  });

  it('creates, lists and deletes a subscription group', async () => {
    await admin.createOrUpdateSubscriptionGroup(broker(0).addr, {
      groupName: 'it-admin-subgroup',
      retryMaxTimes: 5,
      consumeBroadcastEnable: false,
    });
    const wrapper = await admin.allSubscriptionGroups(broker(0).addr);
    expect(wrapper.subscriptionGroupTable.get('it-admin-subgroup')).toMatchObject({
      retryMaxTimes: 5,
      consumeBroadcastEnable: false,
      consumeEnable: true,
      retryQueueNums: 1,
    });
    await admin.deleteSubscriptionGroup(broker(0).addr, 'it-admin-subgroup', true);
    expect(
      (await admin.allSubscriptionGroups(broker(0).addr)).subscriptionGroupTable.has(
        'it-admin-subgroup',
      ),
    ).toBe(false);
  });

  it('reports the lag of a group that committed part of a topic', async () => {
    const topic = 'it-admin-lag';
    await topicOnBroker(topic, 0, 2);
    for (let i = 0; i < 5; i++)
      await sendRaw(raw, broker(0).addr, { topic, queueId: 0, body: `a${i}` });
    for (let i = 0; i < 3; i++)
      await sendRaw(raw, broker(0).addr, { topic, queueId: 1, body: `b${i}` });
    const group = 'it-admin-lag-group';
    await commitOffsetRaw(raw, broker(0).addr, { group, topic, queueId: 0, offset: 2 });
    await commitOffsetRaw(raw, broker(0).addr, { group, topic, queueId: 1, offset: 3 });

    const stats = await admin.consumeStats(group, topic);
    expect(
      stats.queues.map((q) => [q.mq.queueId, q.brokerOffset, q.consumerOffset, q.lag]),
    ).toEqual([
      [0, 5, 2, 3],
      [1, 3, 3, 0],
    ]);
    expect(stats.queues.every((q) => q.mq.brokerName === 'broker-0' && q.lastTimestamp > 0)).toBe(
      true,
    );
    expect(stats.diffTotal).toBe(3);
    // Without a topic and without %RETRY% route (no heartbeat ever), every master is asked.
    expect((await admin.consumeStats(group)).diffTotal).toBe(3);
    // Brokers list a named topic's queues for any group (offset 0, as Java); a group without offsets is refused.
    expect((await admin.consumeStats('it-admin-no-such-group', topic)).diffTotal).toBe(8);
    await expect(admin.consumeStats('it-admin-no-such-group')).rejects.toMatchObject({
      name: 'MQClientError',
      code: ResponseCode.CONSUMER_NOT_ONLINE,
    });
  });

  it('lists the connections of raw-heartbeat consumers and producers, with their subscription mismatch', async () => {
    const topic = 'it-admin-conn';
    await topicOnBroker(topic, 0, 2);
    const group = 'it-admin-conn-group';
    const a = rawClient();
    const b = rawClient();
    await heartbeatRaw(a, broker(0).addr, {
      clientID: 'raw-a',
      producerDataSet: [{ groupName: 'it-admin-conn-producer' }],
      consumerDataSet: [
        consumerEntry(group, 'CONSUME_PASSIVELY', [tagSubscription(topic, 'TagA')]),
      ],
    });
    await heartbeatRaw(b, broker(0).addr, {
      clientID: 'raw-b',
      producerDataSet: [],
      consumerDataSet: [
        consumerEntry(group, 'CONSUME_PASSIVELY', [tagSubscription(topic, 'TagB')]),
      ],
    });
    await retryRouteOf(group);

    const connection = await admin.consumerConnection(group);
    expect(connection.connectionSet.map((c) => c.clientId).sort()).toEqual(['raw-a', 'raw-b']);
    expect(connection.connectionSet[0]?.language).toBe('JAVA');
    expect(connection.brokerAddr).toBe(broker(0).addr);
    expect(connection.consumeType).toBe('CONSUME_PASSIVELY');
    expect(connection.messageModel).toBe('CLUSTERING');
    expect(connection.subscriptionTable.has(topic)).toBe(true);
    expect(connection.subscriptionMismatches).toHaveLength(1);
    expect(connection.subscriptionMismatches[0]?.topic).toBe(topic);
    expect([...connection.subscriptionMismatches[0]!.clientIdsByExpression].sort()).toEqual([
      ['TagA', ['raw-a']],
      ['TagB', ['raw-b']],
    ]);

    const producers = await admin.producerConnection('it-admin-conn-producer', topic);
    expect(producers.connectionSet.map((c) => c.clientId)).toEqual(['raw-a']);
    await expect(admin.consumerConnection('it-admin-never-online')).rejects.toMatchObject({
      code: ResponseCode.CONSUMER_NOT_ONLINE,
    });
    expect(await admin.queryTopicConsumeByWho(topic)).toContain(group);
  });

  it('finds a message by offset id, key, unique key and queue offset', async () => {
    const topic = 'it-admin-lookup';
    await topicOnBroker(topic, 1, 2);
    const uniqKey = createUniqIdGenerator().next();
    await sendRaw(raw, broker(1).addr, { topic, queueId: 0, body: 'first', keys: 'other' });
    const sent = await sendRaw(raw, broker(1).addr, {
      topic,
      queueId: 0,
      body: 'wanted',
      tags: 'TagA',
      keys: 'order-1 order-2',
      uniqKey,
    });

    const viewed = await admin.viewMessage(sent.offsetMsgId);
    expect(viewed).toMatchObject({
      topic,
      brokerName: 'broker-1',
      queueId: 0,
      queueOffset: sent.queueOffset,
      tags: 'TagA',
      keys: 'order-1 order-2',
      msgId: uniqKey,
      offsetMsgId: sent.offsetMsgId,
    });
    expect(viewed.body.toString()).toBe('wanted');

    const byKey = await admin.queryMessageByKey({ topic, key: 'order-2' });
    expect(byKey.map((m) => m.offsetMsgId)).toEqual([sent.offsetMsgId]);
    expect(await admin.queryMessageByKey({ topic, key: 'order-9' })).toEqual([]);

    const byUniqueKey = await admin.queryMessageByUniqueKey(topic, uniqKey);
    expect(byUniqueKey.map((m) => m.body.toString())).toEqual(['wanted']);

    const byOffset = await admin.queryMessageByOffset({
      topic,
      brokerName: 'broker-1',
      queueId: 0,
      offset: sent.queueOffset,
    });
    expect(byOffset?.offsetMsgId).toBe(sent.offsetMsgId);
    expect(
      await admin.queryMessageByOffset({ topic, brokerName: 'broker-1', queueId: 0, offset: 99 }),
    ).toBeUndefined();
    await expect(
      admin.queryMessageByOffset({ topic, brokerName: 'broker-0', queueId: 0, offset: 0 }),
    ).rejects.toThrow(/does not host topic/);
    await expect(admin.viewMessage('not-an-id')).rejects.toMatchObject({
      code: ResponseCode.NO_MESSAGE,
    });
  });

  it('tells per group whether a message was consumed', async () => {
    const topic = 'it-admin-track';
    await topicOnBroker(topic, 0, 1);
    const first = await sendRaw(raw, broker(0).addr, {
      topic,
      queueId: 0,
      body: 'm0',
      tags: 'TagA',
    });
    const second = await sendRaw(raw, broker(0).addr, {
      topic,
      queueId: 0,
      body: 'm1',
      tags: 'TagA',
    });
    const push = rawClient();
    await heartbeatRaw(push, broker(0).addr, {
      clientID: 'raw-track',
      producerDataSet: [],
      consumerDataSet: [
        consumerEntry('it-track-all', 'CONSUME_PASSIVELY', [tagSubscription(topic, '*')]),
        consumerEntry('it-track-tagb', 'CONSUME_PASSIVELY', [tagSubscription(topic, 'TagB')]),
        consumerEntry('it-track-pull', 'CONSUME_ACTIVELY', [tagSubscription(topic, '*')]),
      ],
    });
    const commit = (group: string, offset: number): Promise<void> =>
      commitOffsetRaw(raw, broker(0).addr, { group, topic, queueId: 0, offset });
    await commit('it-track-all', 1);
    await commit('it-track-tagb', 2);
    await commit('it-track-offline', 2);
    await Promise.all(['it-track-all', 'it-track-tagb', 'it-track-pull'].map(retryRouteOf));

    const tracksOf = async (offsetMsgId: string): Promise<Record<string, string>> => {
      const tracks = await admin.consumeStatusOfMessage(await admin.viewMessage(offsetMsgId));
      return Object.fromEntries(tracks.map((t) => [t.consumerGroup, t.trackType]));
    };
    expect(await tracksOf(first.offsetMsgId)).toEqual({
      'it-track-all': 'CONSUMED',
      'it-track-tagb': 'CONSUMED_BUT_FILTERED',
      'it-track-pull': 'PULL',
      'it-track-offline': 'NOT_ONLINE',
    });
    expect(await tracksOf(second.offsetMsgId)).toMatchObject({
      'it-track-all': 'NOT_CONSUME_YET',
      'it-track-tagb': 'CONSUMED_BUT_FILTERED',
    });
    const offline = (
      await admin.consumeStatusOfMessage(await admin.viewMessage(first.offsetMsgId))
    ).find((t) => t.consumerGroup === 'it-track-offline');
    expect(offline?.exceptionDesc).toMatch(/^CODE:206 DESC:/);
  });

  it('resets a group to the offsets at a time and clones its offsets to another group', async () => {
    const topic = 'it-admin-reset';
    await topicOnBroker(topic, 0, 1);
    for (let i = 0; i < 3; i++)
      await sendRaw(raw, broker(0).addr, { topic, queueId: 0, body: `r${i}` });
    const group = 'it-admin-reset-group';
    await commitOffsetRaw(raw, broker(0).addr, { group, topic, queueId: 0, offset: 3 });
    const mq: MessageQueue = { topic, brokerName: 'broker-0', queueId: 0 };

    expect(await admin.resetOffsetByTime({ consumerGroup: group, topic, timestamp: 0 })).toEqual([
      { mq, offset: 0 },
    ]);
    expect((await admin.consumeStats(group, topic)).queues[0]?.consumerOffset).toBe(0);
    expect(await admin.resetOffsetByTime({ consumerGroup: group, topic, timestamp: -1 })).toEqual([
      { mq, offset: 3 },
    ]);

    await admin.cloneGroupOffset({ srcGroup: group, destGroup: 'it-admin-clone', topic });
    const cloned = await admin.consumeStats('it-admin-clone', topic);
    expect(cloned.queues.map((q) => q.consumerOffset)).toEqual([3]);
  });

  it('asks a consumer client, through the broker, for its running info and to consume a message', async () => {
    const topic = 'it-admin-direct';
    await topicOnBroker(topic, 0, 1);
    const uniqKey = createUniqIdGenerator().next();
    const sent = await sendRaw(raw, broker(0).addr, { topic, queueId: 0, body: 'direct', uniqKey });
    const group = 'it-admin-direct-group';
    const consumedBodies: string[] = [];
    const processors = new ProcessorTable()
      .on(RequestCode.GET_CONSUMER_RUNNING_INFO, {
        process: (request) =>
          Promise.resolve(
            RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
              body: encodeConsumerRunningInfo({
                properties: new Map([['PROP_CONSUME_TYPE', 'CONSUME_PASSIVELY']]),
                subscriptionSet: [tagSubscription(topic, '*')],
                mqTable: [],
                statusTable: new Map(),
              }),
            }),
          ),
      })
      .on(RequestCode.CONSUME_MESSAGE_DIRECTLY, {
        process: (request) => {
          const [record] = decodeMessageRecords(request.body ?? Buffer.alloc(0));
          consumedBodies.push(record?.body.toString() ?? '');
          return Promise.resolve(
            RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
              body: encodeConsumeMessageDirectlyResult({
                order: false,
                autoCommit: true,
                consumeResult: 'CR_SUCCESS',
                remark: `consumed by ${request.extFields?.clientId}`,
                spentTimeMills: 1,
              }),
            }),
          );
        },
      });
    const client = rawClient(processors);
    await heartbeatRaw(client, broker(0).addr, {
      clientID: 'raw-direct',
      producerDataSet: [],
      consumerDataSet: [consumerEntry(group, 'CONSUME_PASSIVELY', [tagSubscription(topic, '*')])],
    });
    await retryRouteOf(group);

    const info = await admin.consumerRunningInfo(group, 'raw-direct');
    expect(info.properties.get('PROP_CONSUME_TYPE')).toBe('CONSUME_PASSIVELY');
    expect(info.subscriptionSet.map((s) => s.topic)).toEqual([topic]);

    const byOffsetId = await admin.consumeMessageDirectly({
      consumerGroup: group,
      clientId: 'raw-direct',
      msgId: sent.offsetMsgId,
    });
    expect(byOffsetId).toMatchObject({
      consumeResult: 'CR_SUCCESS',
      remark: 'consumed by raw-direct',
    });
    const byUniqueKey = await admin.consumeMessageDirectly({
      consumerGroup: group,
      clientId: 'raw-direct',
      msgId: uniqKey,
      topic,
    });
    expect(byUniqueKey.consumeResult).toBe('CR_SUCCESS');
    expect(consumedBodies).toEqual(['direct', 'direct']);
    await expect(admin.consumerRunningInfo(group, 'raw-nobody')).rejects.toMatchObject({
      name: 'MQBrokerError',
      code: ResponseCode.SYSTEM_ERROR,
    });
    // The round trip of the running info body through the codec a Java mqadmin reads.
    expect(
      decodeConsumerRunningInfo(
        encodeConsumerRunningInfo({ ...info, mqTable: [], statusTable: new Map() }),
      ).properties.get('PROP_CONSUME_TYPE'),
    ).toBe('CONSUME_PASSIVELY');
  });

  it('refuses calls before start and after close, saying what to do', async () => {
    const fresh = new MQAdmin({ namesrvAddr: cluster.namesrvAddr });
    await expect(fresh.topicList()).rejects.toThrow(/not started: await admin.start\(\) first/);
    await fresh.start();
    await fresh.close();
    await expect(fresh.clusterInfo()).rejects.toThrow(/closed: create a new one/);
    await expect(fresh.start()).rejects.toThrow(/closed/);
  });
});
