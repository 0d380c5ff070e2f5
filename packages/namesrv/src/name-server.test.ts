import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  TOPIC_CONFIG_DEFAULTS,
  decodeAddWritePermOfBrokerResponseHeader,
  decodeClusterInfo,
  decodeDataVersion,
  decodeGetKVConfigResponseHeader,
  decodeKVTable,
  decodeQueryDataVersionResponseHeader,
  decodeRegisterBrokerResponseHeader,
  decodeTopicList,
  decodeTopicRouteData,
  decodeWipeWritePermOfBrokerResponseHeader,
  encodeDataVersion,
  encodeDeleteKVConfigRequestHeader,
  encodeDeleteTopicFromNamesrvRequestHeader,
  encodeGetKVConfigRequestHeader,
  encodeGetKVListByNamespaceRequestHeader,
  encodeGetRouteInfoRequestHeader,
  encodeGetTopicsByClusterRequestHeader,
  encodePutKVConfigRequestHeader,
  encodeQueryDataVersionRequestHeader,
  encodeRegisterBrokerBody,
  encodeRegisterBrokerRequestHeader,
  encodeUnRegisterBrokerRequestHeader,
  encodeWipeWritePermOfBrokerRequestHeader,
  messageBodyCrc,
} from '@rocketmq-ts/protocol';
import type { DataVersion, TopicConfig, TopicRouteData } from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveNamesrvConfig } from './config.js';
import type { NamesrvConfig } from './config.js';
import { NAMESPACE_ORDER_TOPIC_CONFIG } from './kv-config-manager.js';
import { NameServer } from './name-server.js';

const TIMEOUT = { timeoutMs: 5000 };
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rmq-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

interface Started {
  ns: NameServer;
  addr: string;
  kvConfigPath: string;
  clock: { now: number };
}

async function startNamesrv(
  extra: Partial<NamesrvConfig> & { kvConfigPath?: string } = {},
): Promise<Started> {
  const kvConfigPath = extra.kvConfigPath ?? join(await tempDir(), 'kvConfig.json');
  const clock = { now: 1_700_000_000_000 };
  const ns = new NameServer(
    resolveNamesrvConfig({
      listenPort: 0,
      host: '127.0.0.1',
      now: () => clock.now,
      ...extra,
      kvConfigPath,
    }),
  );
  await ns.start();
  cleanups.push(() => ns.close());
  return { ns, addr: `127.0.0.1:${ns.port}`, kvConfigPath, clock };
}

function newClient(): RemotingClient {
  const client = new RemotingClient();
  cleanups.push(() => client.close());
  return client;
}

function topic(name: string, extra: Partial<TopicConfig> = {}): TopicConfig {
  return {
    ...TOPIC_CONFIG_DEFAULTS,
    topicName: name,
    readQueueNums: 4,
    writeQueueNums: 4,
    ...extra,
  };
}

interface BrokerSpec {
  clusterName?: string;
  brokerName: string;
  brokerId: number;
  brokerAddr: string;
  topics?: TopicConfig[];
  dataVersion?: DataVersion;
  compressed?: boolean;
  bodyCrc32?: number | 'auto';
}

function registerRequest(b: BrokerSpec): RemotingCommand {
  const body = encodeRegisterBrokerBody(
    {
      filterServerList: [],
      topicConfigSerializeWrapper: {
        dataVersion: b.dataVersion ?? { counter: 1, timestamp: 1000 },
        topicConfigTable: new Map((b.topics ?? []).map((t) => [t.topicName, t])),
      },
    },
    { compressed: b.compressed === true },
  );
  const bodyCrc32 = b.bodyCrc32 === 'auto' ? messageBodyCrc(body) : b.bodyCrc32;
  return RemotingCommand.request(
    RequestCode.REGISTER_BROKER,
    encodeRegisterBrokerRequestHeader({
      brokerName: b.brokerName,
      brokerAddr: b.brokerAddr,
      clusterName: b.clusterName ?? 'DefaultCluster',
      haServerAddr: b.brokerAddr.replace(/:\d+$/, ':10912'),
      brokerId: b.brokerId,
      compressed: b.compressed === true,
      bodyCrc32,
    }),
    body,
  );
}

async function register(
  client: RemotingClient,
  addr: string,
  b: BrokerSpec,
): Promise<RemotingCommand> {
  const response = await client.invoke(addr, registerRequest(b), TIMEOUT);
  expect(response.code, response.remark).toBe(ResponseCode.SUCCESS);
  return response;
}

async function queryRoute(
  client: RemotingClient,
  addr: string,
  name: string,
): Promise<RemotingCommand> {
  return client.invoke(
    addr,
    RemotingCommand.request(
      RequestCode.GET_ROUTEINFO_BY_TOPIC,
      encodeGetRouteInfoRequestHeader({ topic: name }),
    ),
    TIMEOUT,
  );
}

async function route(client: RemotingClient, addr: string, name: string): Promise<TopicRouteData> {
  const response = await queryRoute(client, addr, name);
  expect(response.code, response.remark).toBe(ResponseCode.SUCCESS);
  return decodeTopicRouteData(response.body!);
}

function brokerAddrsOf(r: TopicRouteData): Record<string, Record<number, string>> {
  return Object.fromEntries(
    r.brokerDatas.map((b) => [b.brokerName, Object.fromEntries(b.brokerAddrs)]),
  );
}

const A_MASTER = '10.0.0.1:10911';
const A_SLAVE = '10.0.0.2:10911';
const B_MASTER = '10.0.0.3:10911';

async function registerThree(client: RemotingClient, addr: string): Promise<void> {
  await register(client, addr, {
    brokerName: 'broker-a',
    brokerId: 0,
    brokerAddr: A_MASTER,
    topics: [topic('TopicTest'), topic('OnlyA', { perm: 6 })],
  });
  // A slave's topic table must not create queue data.
  await register(client, addr, {
    brokerName: 'broker-a',
    brokerId: 1,
    brokerAddr: A_SLAVE,
    topics: [topic('TopicTest'), topic('SlaveOnly')],
  });
  await register(client, addr, {
    clusterName: 'OtherCluster',
    brokerName: 'broker-b',
    brokerId: 0,
    brokerAddr: B_MASTER,
    topics: [topic('TopicTest', { readQueueNums: 8, writeQueueNums: 8 })],
  });
}

describe('NameServer routes', () => {
  it('lists both broker sets of a topic with master and slave addresses and queue data from masters only', async () => {
    const { addr } = await startNamesrv();
    const client = newClient();
    await registerThree(client, addr);

    const r = await route(client, addr, 'TopicTest');
    expect(brokerAddrsOf(r)).toEqual({
      'broker-a': { 0: A_MASTER, 1: A_SLAVE },
      'broker-b': { 0: B_MASTER },
    });
    expect(r.queueDatas).toEqual([
      { brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 },
      { brokerName: 'broker-b', readQueueNums: 8, writeQueueNums: 8, perm: 6, topicSysFlag: 0 },
    ]);
    expect(r.brokerDatas.map((b) => b.cluster)).toEqual(['DefaultCluster', 'OtherCluster']);

    const onlyA = await route(client, addr, 'OnlyA');
    expect(onlyA.queueDatas.map((q) => q.brokerName)).toEqual(['broker-a']);
    expect(onlyA.brokerDatas.map((b) => b.brokerName)).toEqual(['broker-a']);
    // Broker id keys are quoted on the wire.
    const raw = (await queryRoute(client, addr, 'OnlyA')).body!.toString('utf8');
    expect(raw).toContain(`"0":"${A_MASTER}"`);
  });

  it('answers a slave registration with its master address and HA address', async () => {
    const { addr } = await startNamesrv();
    const client = newClient();
    await register(client, addr, { brokerName: 'broker-a', brokerId: 0, brokerAddr: A_MASTER });
    const response = await register(client, addr, {
      brokerName: 'broker-a',
      brokerId: 1,
      brokerAddr: A_SLAVE,
    });
    expect(decodeRegisterBrokerResponseHeader(response.extFields ?? {})).toEqual({
      masterAddr: A_MASTER,
      haServerAddr: '10.0.0.1:10912',
    });
  });

  it('answers an unknown topic with TOPIC_NOT_EXIST and RocketMQ text', async () => {
    const { addr } = await startNamesrv();
    const response = await queryRoute(newClient(), addr, 'NoSuchTopic');
    expect(response.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(response.remark).toBe('No topic route info in name server for the topic: NoSuchTopic');
  });

  it('keeps routes when a master re-registers with an unchanged DataVersion', async () => {
    const { addr } = await startNamesrv();
    const client = newClient();
    const dataVersion = { counter: 7, timestamp: 5000 };
    await register(client, addr, {
      brokerName: 'broker-a',
      brokerId: 0,
      brokerAddr: A_MASTER,
      topics: [topic('TopicTest')],
      dataVersion,
    });
    // Same version with a different table: the NameServer does not rebuild, so the old queue data stays.
    await register(client, addr, {
      brokerName: 'broker-a',
      brokerId: 0,
      brokerAddr: A_MASTER,
      topics: [topic('TopicTest', { readQueueNums: 2, writeQueueNums: 2 })],
      dataVersion,
    });
    expect((await route(client, addr, 'TopicTest')).queueDatas[0]?.readQueueNums).toBe(4);

    await register(client, addr, {
      brokerName: 'broker-a',
      brokerId: 0,
      brokerAddr: A_MASTER,
      topics: [topic('TopicTest', { readQueueNums: 2, writeQueueNums: 2 })],
      dataVersion: { counter: 8, timestamp: 6000 },
    });
    expect((await route(client, addr, 'TopicTest')).queueDatas[0]?.readQueueNums).toBe(2);
  });

  it('accepts a compressed RegisterBrokerBody with a matching bodyCrc32', async () => {
    const { addr } = await startNamesrv();
    const client = newClient();
    await register(client, addr, {
      brokerName: 'broker-a',
      brokerId: 0,
      brokerAddr: A_MASTER,
      topics: [topic('Zipped', { readQueueNums: 3, writeQueueNums: 3 })],
      compressed: true,
      bodyCrc32: 'auto',
    });
    const r = await route(client, addr, 'Zipped');
    expect(r.queueDatas).toEqual([
      { brokerName: 'broker-a', readQueueNums: 3, writeQueueNums: 3, perm: 6, topicSysFlag: 0 },
    ]);
  });

  it('rejects a registration whose bodyCrc32 does not match the body', async () => {
    const { addr, ns } = await startNamesrv();
    const client = newClient();
    const request = registerRequest({
      brokerName: 'broker-a',
      brokerId: 0,
      brokerAddr: A_MASTER,
      topics: [topic('TopicTest')],
      bodyCrc32: 12345,
    });
    const response = await client.invoke(addr, request, TIMEOUT);
    expect(response.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(response.remark).toBe('crc32 not match');
    expect(ns.routes.liveBrokerAddrs()).toEqual([]);
  });

  it('drops the brokers of a connection as soon as it closes', async () => {
    const { addr, ns } = await startNamesrv();
    const brokerA = newClient();
    const brokerB = newClient();
    await register(brokerA, addr, {
      brokerName: 'broker-a',
      brokerId: 0,
      brokerAddr: A_MASTER,
      topics: [topic('TopicTest'), topic('OnlyA')],
    });
    await register(brokerB, addr, {
      brokerName: 'broker-b',
      brokerId: 0,
      brokerAddr: B_MASTER,
      topics: [topic('TopicTest')],
    });

    await brokerA.close();
    await waitFor(() => !ns.routes.liveBrokerAddrs().includes(A_MASTER));

    const client = newClient();
    const r = await route(client, addr, 'TopicTest');
    expect(brokerAddrsOf(r)).toEqual({ 'broker-b': { 0: B_MASTER } });
    expect(r.queueDatas.map((q) => q.brokerName)).toEqual(['broker-b']);
    expect((await queryRoute(client, addr, 'OnlyA')).code).toBe(ResponseCode.TOPIC_NOT_EXIST);
  });

  it('drops a broker silent past brokerChannelExpiredTime on the next scan, with its topics', async () => {
    const { addr, ns, clock } = await startNamesrv({ brokerChannelExpiredTime: 120_000 });
    const client = newClient();
    await register(client, addr, {
      brokerName: 'broker-a',
      brokerId: 0,
      brokerAddr: A_MASTER,
      topics: [topic('OnlyA')],
    });
    clock.now += 60_000;
    await register(client, addr, {
      brokerName: 'broker-b',
      brokerId: 0,
      brokerAddr: B_MASTER,
      topics: [topic('OnlyB')],
    });

    clock.now += 60_000;
    expect(ns.routes.scanNotActiveBroker()).toEqual([]);
    clock.now += 1;
    expect(ns.routes.scanNotActiveBroker()).toEqual([A_MASTER]);

    expect((await queryRoute(client, addr, 'OnlyA')).code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(brokerAddrsOf(await route(client, addr, 'OnlyB'))).toEqual({
      'broker-b': { 0: B_MASTER },
    });
  });

  it('refreshes liveness on QUERY_DATA_VERSION and reports whether the version changed', async () => {
    const { addr, ns, clock } = await startNamesrv();
    const client = newClient();
    const dataVersion = { counter: 3, timestamp: 3000 };
    await register(client, addr, {
      brokerName: 'broker-a',
      brokerId: 0,
      brokerAddr: A_MASTER,
      dataVersion,
    });
    const query = (v: DataVersion): Promise<RemotingCommand> =>
      client.invoke(
        addr,
        RemotingCommand.request(
          RequestCode.QUERY_DATA_VERSION,
          encodeQueryDataVersionRequestHeader({
            brokerName: 'broker-a',
            brokerAddr: A_MASTER,
            clusterName: 'DefaultCluster',
            brokerId: 0,
          }),
          encodeDataVersion(v),
        ),
        TIMEOUT,
      );
    clock.now += 100_000;
    const same = await query(dataVersion);
    expect(decodeQueryDataVersionResponseHeader(same.extFields ?? {}).changed).toBe(false);
    expect(decodeDataVersion(same.body!)).toEqual(dataVersion);
    clock.now += 100_000;
    expect(ns.routes.scanNotActiveBroker()).toEqual([]);

    const other = await query({ counter: 4, timestamp: 4000 });
    expect(decodeQueryDataVersionResponseHeader(other.extFields ?? {}).changed).toBe(true);
  });

  it('removes a broker on UNREGISTER_BROKER and its topics with the last broker of the set', async () => {
    const { addr } = await startNamesrv();
    const client = newClient();
    await registerThree(client, addr);
    const unregister = (
      brokerName: string,
      brokerAddr: string,
      brokerId: number,
    ): Promise<RemotingCommand> =>
      client.invoke(
        addr,
        RemotingCommand.request(
          RequestCode.UNREGISTER_BROKER,
          encodeUnRegisterBrokerRequestHeader({
            brokerName,
            brokerAddr,
            brokerId,
            clusterName: 'DefaultCluster',
          }),
        ),
        TIMEOUT,
      );
    expect((await unregister('broker-a', A_SLAVE, 1)).code).toBe(ResponseCode.SUCCESS);
    expect(brokerAddrsOf(await route(client, addr, 'OnlyA'))).toEqual({
      'broker-a': { 0: A_MASTER },
    });
    expect((await unregister('broker-a', A_MASTER, 0)).code).toBe(ResponseCode.SUCCESS);
    expect((await queryRoute(client, addr, 'OnlyA')).code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(brokerAddrsOf(await route(client, addr, 'TopicTest'))).toEqual({
      'broker-b': { 0: B_MASTER },
    });
    const info = decodeClusterInfo(
      (
        await client.invoke(
          addr,
          RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO),
          TIMEOUT,
        )
      ).body!,
    );
    expect([...info.clusterAddrTable.keys()]).toEqual(['OtherCluster']);
  });

  it('returns cluster info with every broker set', async () => {
    const { addr } = await startNamesrv();
    const client = newClient();
    await registerThree(client, addr);
    const response = await client.invoke(
      addr,
      RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO),
      TIMEOUT,
    );
    const info = decodeClusterInfo(response.body!);
    expect(Object.fromEntries(info.clusterAddrTable)).toEqual({
      DefaultCluster: ['broker-a'],
      OtherCluster: ['broker-b'],
    });
    expect(Object.fromEntries(info.brokerAddrTable.get('broker-a')!.brokerAddrs)).toEqual({
      0: A_MASTER,
      1: A_SLAVE,
    });
    expect(info.brokerAddrTable.get('broker-b')!.cluster).toBe('OtherCluster');
  });

  it('lists all topics and the topics of one cluster', async () => {
    const { addr } = await startNamesrv();
    const client = newClient();
    await registerThree(client, addr);
    const all = await client.invoke(
      addr,
      RemotingCommand.request(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER),
      TIMEOUT,
    );
    expect(decodeTopicList(all.body!).topicList.sort()).toEqual(['OnlyA', 'TopicTest']);
    const byCluster = async (cluster: string): Promise<string[]> => {
      const response = await client.invoke(
        addr,
        RemotingCommand.request(
          RequestCode.GET_TOPICS_BY_CLUSTER,
          encodeGetTopicsByClusterRequestHeader({ cluster }),
        ),
        TIMEOUT,
      );
      return decodeTopicList(response.body!).topicList.sort();
    };
    expect(await byCluster('DefaultCluster')).toEqual(['OnlyA', 'TopicTest']);
    expect(await byCluster('OtherCluster')).toEqual(['TopicTest']);
    expect(await byCluster('NoCluster')).toEqual([]);
  });

  it('lists system and unit topics', async () => {
    const { addr } = await startNamesrv();
    const client = newClient();
    await register(client, addr, {
      brokerName: 'broker-a',
      brokerId: 0,
      brokerAddr: A_MASTER,
      topics: [
        topic('Plain'),
        topic('Unit', { topicSysFlag: 1 }),
        topic('UnitSub', { topicSysFlag: 2 }),
        topic('Both', { topicSysFlag: 3 }),
      ],
    });
    const list = async (code: number): Promise<{ topicList: string[]; brokerAddr?: string }> => {
      const response = await client.invoke(addr, RemotingCommand.request(code), TIMEOUT);
      const decoded = decodeTopicList(response.body!);
      return { ...decoded, topicList: decoded.topicList.sort() };
    };
    expect(await list(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS)).toEqual({
      topicList: ['DefaultCluster', 'broker-a'],
      brokerAddr: A_MASTER,
    });
    expect((await list(RequestCode.GET_UNIT_TOPIC_LIST)).topicList).toEqual(['Both', 'Unit']);
    expect((await list(RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST)).topicList).toEqual([
      'Both',
      'UnitSub',
    ]);
    expect((await list(RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST)).topicList).toEqual([
      'UnitSub',
    ]);
  });

  it('deletes a topic, or only one cluster part of it', async () => {
    const { addr } = await startNamesrv();
    const client = newClient();
    await registerThree(client, addr);
    const del = (name: string, clusterName?: string): Promise<RemotingCommand> =>
      client.invoke(
        addr,
        RemotingCommand.request(
          RequestCode.DELETE_TOPIC_IN_NAMESRV,
          encodeDeleteTopicFromNamesrvRequestHeader({ topic: name, clusterName }),
        ),
        TIMEOUT,
      );
    expect((await del('TopicTest', 'OtherCluster')).code).toBe(ResponseCode.SUCCESS);
    expect((await route(client, addr, 'TopicTest')).queueDatas.map((q) => q.brokerName)).toEqual([
      'broker-a',
    ]);
    expect((await del('TopicTest')).code).toBe(ResponseCode.SUCCESS);
    expect((await queryRoute(client, addr, 'TopicTest')).code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect((await queryRoute(client, addr, 'OnlyA')).code).toBe(ResponseCode.SUCCESS);
  });

  it('wipes and restores the write permission of a broker set and reports topic counts', async () => {
    const { addr } = await startNamesrv();
    const client = newClient();
    await registerThree(client, addr);
    const wipe = await client.invoke(
      addr,
      RemotingCommand.request(
        RequestCode.WIPE_WRITE_PERM_OF_BROKER,
        encodeWipeWritePermOfBrokerRequestHeader({ brokerName: 'broker-a' }),
      ),
      TIMEOUT,
    );
    expect(decodeWipeWritePermOfBrokerResponseHeader(wipe.extFields ?? {}).wipeTopicCount).toBe(2);
    const perms = async (): Promise<Record<string, number>> =>
      Object.fromEntries(
        (await route(client, addr, 'TopicTest')).queueDatas.map((q) => [q.brokerName, q.perm]),
      );
    expect(await perms()).toEqual({ 'broker-a': 4, 'broker-b': 6 });

    const add = await client.invoke(
      addr,
      RemotingCommand.request(
        RequestCode.ADD_WRITE_PERM_OF_BROKER,
        encodeWipeWritePermOfBrokerRequestHeader({ brokerName: 'broker-a' }),
      ),
      TIMEOUT,
    );
    expect(decodeAddWritePermOfBrokerResponseHeader(add.extFields ?? {}).addTopicCount).toBe(2);
    expect(await perms()).toEqual({ 'broker-a': 6, 'broker-b': 6 });
  });
});

describe('NameServer KV config', () => {
  async function kvCall(
    client: RemotingClient,
    addr: string,
    request: RemotingCommand,
  ): Promise<RemotingCommand> {
    return client.invoke(addr, request, TIMEOUT);
  }
  const put = (namespace: string, key: string, value: string): RemotingCommand =>
    RemotingCommand.request(
      RequestCode.PUT_KV_CONFIG,
      encodePutKVConfigRequestHeader({ namespace, key, value }),
    );
  const get = (namespace: string, key: string): RemotingCommand =>
    RemotingCommand.request(
      RequestCode.GET_KV_CONFIG,
      encodeGetKVConfigRequestHeader({ namespace, key }),
    );
  const list = (namespace: string): RemotingCommand =>
    RemotingCommand.request(
      RequestCode.GET_KVLIST_BY_NAMESPACE,
      encodeGetKVListByNamespaceRequestHeader({ namespace }),
    );

  it('puts, gets, lists and deletes values, answering QUERY_NOT_FOUND when absent', async () => {
    const { addr } = await startNamesrv();
    const client = newClient();
    expect((await kvCall(client, addr, put('NS', 'k1', 'v1'))).code).toBe(ResponseCode.SUCCESS);
    expect((await kvCall(client, addr, put('NS', 'k2', 'v2'))).code).toBe(ResponseCode.SUCCESS);

    const got = await kvCall(client, addr, get('NS', 'k1'));
    expect(decodeGetKVConfigResponseHeader(got.extFields ?? {}).value).toBe('v1');
    const listed = await kvCall(client, addr, list('NS'));
    expect(Object.fromEntries(decodeKVTable(listed.body!).table)).toEqual({ k1: 'v1', k2: 'v2' });

    const deleted = await kvCall(
      client,
      addr,
      RemotingCommand.request(
        RequestCode.DELETE_KV_CONFIG,
        encodeDeleteKVConfigRequestHeader({ namespace: 'NS', key: 'k1' }),
      ),
    );
    expect(deleted.code).toBe(ResponseCode.SUCCESS);
    const missing = await kvCall(client, addr, get('NS', 'k1'));
    expect(missing.code).toBe(ResponseCode.QUERY_NOT_FOUND);
    expect(missing.remark).toBe('No config item, Namespace: NS Key: k1');
    expect((await kvCall(client, addr, list('Empty'))).code).toBe(ResponseCode.QUERY_NOT_FOUND);
  });

  it('persists values across a restart', async () => {
    const first = await startNamesrv();
    const client = newClient();
    await kvCall(client, first.addr, put('NS', 'k', 'v'));
    await first.ns.close();
    const file: unknown = JSON.parse(await readFile(first.kvConfigPath, 'utf8'));
    expect(file).toEqual({ configTable: { NS: { k: 'v' } } });

    const second = await startNamesrv({ kvConfigPath: first.kvConfigPath });
    const got = await kvCall(client, second.addr, get('NS', 'k'));
    expect(decodeGetKVConfigResponseHeader(got.extFields ?? {}).value).toBe('v');
  });

  it('refuses to start on an unparsable KV file and leaves the file as it was', async () => {
    const kvConfigPath = join(await tempDir(), 'kvConfig.json');
    await writeFile(kvConfigPath, '{not json', 'utf8');
    const ns = new NameServer(
      resolveNamesrvConfig({ listenPort: 0, host: '127.0.0.1', kvConfigPath }),
    );
    cleanups.push(() => ns.close());
    const failure = ns.start();
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(kvConfigPath);
    await ns.close();
    expect(await readFile(kvConfigPath, 'utf8')).toBe('{not json');
  });

  it('returns the order-topic table to registering brokers and adds orderTopicConf to routes', async () => {
    const { addr } = await startNamesrv({ orderMessageEnable: true });
    const client = newClient();
    await kvCall(client, addr, put(NAMESPACE_ORDER_TOPIC_CONFIG, 'OrderTopic', 'broker-a:4'));
    const response = await register(client, addr, {
      brokerName: 'broker-a',
      brokerId: 0,
      brokerAddr: A_MASTER,
      topics: [topic('OrderTopic')],
    });
    expect(Object.fromEntries(decodeKVTable(response.body!).table)).toEqual({
      OrderTopic: 'broker-a:4',
    });
    expect((await route(client, addr, 'OrderTopic')).orderTopicConf).toBe('broker-a:4');
  });

  it('answers GET_NAMESRV_CONFIG with key=value lines', async () => {
    const { addr, kvConfigPath } = await startNamesrv();
    const response = await newClient().invoke(
      addr,
      RemotingCommand.request(RequestCode.GET_NAMESRV_CONFIG),
      TIMEOUT,
    );
    const lines = response.body!.toString('utf8').split('\n');
    expect(lines).toContain(`kvConfigPath=${kvConfigPath}`);
    expect(lines).toContain('orderMessageEnable=false');
    expect(lines).toContain('scanNotActiveBrokerInterval=5000');
  });
});

describe('resolveNamesrvConfig', () => {
  it('applies RocketMQ defaults and rejects bad values with a ConfigError naming the key', () => {
    const c = resolveNamesrvConfig({ kvConfigPath: '/tmp/kv.json' });
    expect(c).toMatchObject({
      listenPort: 9876,
      host: '0.0.0.0',
      orderMessageEnable: false,
      returnOrderTopicConfigToBroker: true,
      scanNotActiveBrokerInterval: 5000,
      brokerChannelExpiredTime: 120_000,
    });
    expect(Object.isFrozen(c)).toBe(true);
    expect(() => resolveNamesrvConfig({ kvConfigPath: '/tmp/kv.json', listenPort: 70000 })).toThrow(
      expect.objectContaining({ key: 'listenPort' }) as Error,
    );
    expect(() =>
      resolveNamesrvConfig({ kvConfigPath: '/tmp/kv.json', scanNotActiveBrokerInterval: 0 }),
    ).toThrow(ConfigError);
    expect(() => resolveNamesrvConfig({ kvConfigPath: '' })).toThrow(ConfigError);
  });
});
