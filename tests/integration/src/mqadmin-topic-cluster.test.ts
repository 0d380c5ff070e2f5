/**
 * mqadmin's topic, cluster, broker and NameServer commands run as the real bin (`node packages/admin/dist/main.js`)
 * against real mqnamesrv + mqbroker processes (two name servers, two brokers of one cluster): the output lines and
 * columns RocketMQ 4.9.8 prints, `--json`, exit statuses and the one-line errors.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MQAdmin } from '@rocketmq-ts/client';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { startCluster, waitFor } from '@rocketmq-ts/testkit';
import type { TestCluster } from '@rocketmq-ts/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitOffsetRaw, sendRaw } from './support/raw-client.js';

const MQADMIN = fileURLToPath(new URL('../../../packages/admin/dist/main.js', import.meta.url));
const CLUSTER = 'DefaultCluster';
/** A port nothing listens on (privileged, never bound by tests). */
const DEAD_NAMESRV = '127.0.0.1:1';

let cluster: TestCluster;
let admin: MQAdmin;
let raw: RemotingClient;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  lines: string[];
}

/** Runs the mqadmin bin with `-n` the cluster's name servers (unless `-n` is given), bounded by a timeout. */
function mqadmin(...args: string[]): Promise<Run> {
  const argv = args.includes('-n') ? args : [...args, '-n', cluster.namesrvAddr];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MQADMIN, ...argv],
      { timeout: 20_000, env: { ...process.env, NAMESRV_ADDR: '' } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr, lines: stdout.split('\n').filter((l) => l !== '') });
      },
    );
  });
}

/** Runs mqadmin and expects exit status 0 and nothing on stderr. */
async function ok(...args: string[]): Promise<string[]> {
  const run = await mqadmin(...args);
  expect(run.stderr, `mqadmin ${args.join(' ')}`).toBe('');
  expect(run.code).toBe(0);
  return run.lines;
}

/** Runs mqadmin and expects a failure: exit status 1 and one stderr line. */
async function fails(...args: string[]): Promise<string> {
  const run = await mqadmin(...args);
  expect(run.code, `mqadmin ${args.join(' ')}`).toBe(1);
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

function broker(i: number): { addr: string; name: string } {
  const b = cluster.brokers[i]!;
  return { addr: b.addr, name: b.brokerName };
}

/** Whitespace-separated cells of a table line. */
function cells(line: string | undefined): string[] {
  return (line ?? '').trim().split(/\s+/);
}

/** Waits until the NameServers' route of `topic` satisfies `check` (brokers re-register asynchronously). */
async function waitForRoute(
  topic: string,
  check: (perms: Map<string, number>) => boolean,
): Promise<void> {
  await waitFor(
    async () => {
      const route = await admin.topicRoute(topic).catch(() => undefined);
      if (route === undefined) return false;
      return check(new Map(route.queueDatas.map((q) => [q.brokerName, q.perm])));
    },
    { description: `the route of ${topic} to change`, timeoutMs: 10_000 },
  );
}

beforeAll(async () => {
  cluster = await startCluster({ namesrvs: 2, brokers: 2 });
  admin = new MQAdmin({ namesrvAddr: cluster.namesrvAddr });
  await admin.start();
  raw = new RemotingClient();
}, 60_000);

afterAll(async () => {
  await admin?.close();
  await raw?.close();
  await cluster?.stop();
});

describe('mqadmin cluster commands', () => {
  it('clusterList prints a 4.x row per broker with its address and version', async () => {
    const lines = await ok('clusterList');
    expect(lines[0]).toBe(
      '#Cluster Name     #Broker Name            #BID  #Addr                  #Version                #InTPS(LOAD)       #OutTPS(LOAD) #PCWait(ms) #Hour #SPACE  #Role         #Behind(B)',
    );
    expect(lines).toHaveLength(3);
    for (const i of [0, 1]) {
      const row = cells(lines[i + 1]);
      expect(row.slice(0, 5)).toEqual([CLUSTER, broker(i).name, '0', broker(i).addr, 'V4_9_8']);
      expect(row[5]).toMatch(/^\d+\.\d\d\(0,0ms\)$/);
      expect(row[9]).toMatch(/^\d\.\d{4}$/);
      // Our extension columns, appended after 4.9.8's: role, and replication bytes behind (no slave here).
      expect(row.slice(10)).toEqual(['ASYNC_MASTER', '0']);
    }
    const more = await ok('clusterList', '-m');
    expect(cells(more[0])).toEqual([
      '#Cluster',
      'Name',
      '#Broker',
      'Name',
      '#InTotalYest',
      '#OutTotalYest',
      '#InTotalToday',
      '#OutTotalToday',
    ]);
    expect(cells(more[1]).slice(0, 2)).toEqual([CLUSTER, broker(0).name]);
    const json = JSON.parse((await ok('clusterList', '--json')).join('')) as {
      brokerAddr: string;
      version: string;
    }[];
    expect(json.map((r) => r.brokerAddr)).toEqual([broker(0).addr, broker(1).addr]);
  });

  it('brokerStatus and getBrokerConfig print key/value lines per broker', async () => {
    const status = await ok('brokerStatus', '-b', broker(0).addr);
    expect(status).toContain('brokerVersionDesc               : V4_9_8');
    expect([...status].sort()).toEqual(status);
    const byCluster = await ok('brokerStatus', '-c', CLUSTER);
    expect(
      byCluster.some((l) => l.startsWith(`${broker(1).addr.padEnd(24)} brokerVersionDesc`)),
    ).toBe(true);
    const statusJson = JSON.parse(
      (await ok('brokerStatus', '-c', CLUSTER, '--json')).join(''),
    ) as Record<string, Record<string, string>>;
    expect(statusJson[broker(0).addr]?.brokerVersionDesc).toBe('V4_9_8');

    const config = await ok('getBrokerConfig', '-b', broker(0).addr);
    expect(config[0]).toBe(`============${broker(0).addr}============`);
    expect(config).toContain(`${'brokerName'.padEnd(50)}=  ${broker(0).name}`);
    const banners = (await ok('getBrokerConfig', '-c', CLUSTER)).filter((l) =>
      l.startsWith('===='),
    );
    expect(banners).toEqual([
      `============Master: ${broker(0).addr}============`,
      `============Master: ${broker(1).addr}============`,
    ]);
    const configJson = JSON.parse(
      (await ok('getBrokerConfig', '-b', broker(1).addr, '--json')).join(''),
    ) as Record<string, Record<string, string>>;
    expect(configJson[broker(1).addr]?.brokerName).toBe(broker(1).name);
  });

  it('updateBrokerConfig brokerPermission=4 shows in getBrokerConfig and the route; wipe/addWritePerm round-trip', async () => {
    const topic = 'it-admin-perm';
    await ok('updateTopic', '-c', CLUSTER, '-t', topic);
    await waitForRoute(topic, (p) => p.get(broker(1).name) === 6 && p.get(broker(0).name) === 6);

    expect(
      await ok('updateBrokerConfig', '-b', broker(1).addr, '-k', 'brokerPermission', '-v', '4'),
    ).toEqual([`update broker config success, ${broker(1).addr}`]);
    expect(await ok('getBrokerConfig', '-b', broker(1).addr)).toContain(
      `${'brokerPermission'.padEnd(50)}=  4`,
    );
    await waitForRoute(topic, (p) => p.get(broker(1).name) === 4);
    await ok('updateBrokerConfig', '-c', CLUSTER, '-k', 'brokerPermission', '-v', '6');
    await waitForRoute(topic, (p) => p.get(broker(1).name) === 6);

    const wiped = await ok('wipeWritePerm', '-b', broker(0).name);
    const namesrvs = cluster.namesrvAddr.split(';');
    expect(wiped).toHaveLength(2);
    namesrvs.forEach((ns, i) =>
      expect(wiped[i]).toMatch(
        new RegExp(
          `^wipe write perm of broker\\[${broker(0).name}\\] in name server\\[${ns}\\] OK, [1-9]\\d*$`,
        ),
      ),
    );
    const wipedRoute = await ok('topicRoute', '-t', topic, '-l');
    expect(cells(wipedRoute[1])).toEqual([
      CLUSTER,
      broker(0).name,
      `{0=${broker(0).addr}}`,
      '8',
      '8',
      '4',
    ]);

    const added = await ok('addWritePerm', '-b', broker(0).name);
    expect(added[0]).toMatch(
      new RegExp(
        `^add write perm of broker\\[${broker(0).name}\\] in name server\\[${namesrvs[0]}\\] OK, [1-9]`,
      ),
    );
    expect(cells((await ok('topicRoute', '-t', topic, '-l'))[1])[5]).toBe('6');

    const message = await fails(
      'updateBrokerConfig',
      '-b',
      broker(0).addr,
      '-k',
      'noSuchKey',
      '-v',
      '1',
    );
    expect(message).toMatch(/^mqadmin updateBrokerConfig: .*noSuchKey/);
  });

  it('cleanExpiredCQ and getNamesrvConfig answer from every target', async () => {
    expect(await ok('cleanExpiredCQ', '-c', CLUSTER)).toEqual(['success']);
    expect(await ok('cleanExpiredCQ', '-b', broker(1).addr)).toEqual(['success']);
    const lines = await ok('getNamesrvConfig');
    const banners = lines.filter((l) => l.startsWith('===='));
    expect(banners).toEqual(
      cluster.namesrvAddr.split(';').map((ns) => `============${ns}============`),
    );
    expect(lines).toContain(`${'listenPort'.padEnd(50)}=  0`);
  });
});

describe('mqadmin topic commands', () => {
  const topic = 'it-admin-topic';

  it('updateTopic -c creates the topic on every master; topicRoute and topicClusterList show it', async () => {
    expect(await ok('updateTopic', '-c', CLUSTER, '-t', topic, '-r', '4', '-w', '4')).toEqual([
      `create topic to ${broker(0).addr} success.`,
      `create topic to ${broker(1).addr} success.`,
      `TopicConfig [topicName=${topic}, readQueueNums=4, writeQueueNums=4, perm=RW-, topicFilterType=SINGLE_TAG, topicSysFlag=0, order=false]`,
    ]);
    await waitForRoute(topic, (p) => p.size === 2);

    const table = await ok('topicRoute', '-t', topic, '-l');
    expect(cells(table[0])).toEqual([
      '#ClusterName',
      '#BrokerName',
      '#BrokerAddrs',
      '#ReadQueue',
      '#WriteQueue',
      '#Perm',
    ]);
    expect(cells(table[1])).toEqual([
      CLUSTER,
      broker(0).name,
      `{0=${broker(0).addr}}`,
      '4',
      '4',
      '6',
    ]);
    expect(cells(table[2])).toEqual([
      CLUSTER,
      broker(1).name,
      `{0=${broker(1).addr}}`,
      '4',
      '4',
      '6',
    ]);
    expect(table[3]).toBe('-'.repeat(158));
    expect(cells(table[4])).toEqual(['Total:', '2', '8', '8']);

    const pretty = (await mqadmin('topicRoute', '-t', topic)).stdout;
    expect(pretty.split('\n').length).toBeGreaterThan(10);
    const route = JSON.parse(pretty) as { queueDatas: { brokerName: string }[] };
    expect(route.queueDatas.map((q) => q.brokerName).sort()).toEqual([
      broker(0).name,
      broker(1).name,
    ]);
    const compact = await ok('topicRoute', '-t', topic, '--json');
    expect(compact).toHaveLength(1);
    expect(JSON.parse(compact[0]!)).toEqual(route);

    expect(await ok('topicClusterList', '-t', topic)).toEqual([CLUSTER]);
    expect(await ok('topicClusterList', '-t', topic, '--json')).toEqual([
      JSON.stringify([CLUSTER]),
    ]);
    expect(await ok('topicList')).toContain(topic);
    const clusterModel = await ok('topicList', '-c');
    expect(cells(clusterModel[0])).toEqual(['#Cluster', 'Name', '#Topic', '#Consumer', 'Group']);
    expect(clusterModel.map(cells)).toContainEqual([CLUSTER, topic]);
  });

  it('topicStatus shows the max offsets after messages are sent; statsAll shows the backlog', async () => {
    for (let i = 0; i < 3; i++) {
      await sendRaw(raw, broker(0).addr, { topic, queueId: 1, body: `m${i}` });
    }
    await sendRaw(raw, broker(1).addr, { topic, queueId: 2, body: 'x' });
    const lines = await ok('topicStatus', '-t', topic);
    expect(lines[0]).toBe(
      '#Broker Name                      #QID  #Min Offset           #Max Offset             #Last Updated',
    );
    expect(lines).toHaveLength(9);
    const rows = lines.slice(1).map(cells);
    expect(rows[1]!.slice(0, 4)).toEqual([broker(0).name, '1', '0', '3']);
    expect(rows[1]![4]).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(rows[0]).toEqual([broker(0).name, '0', '0', '0']);
    expect(rows[6]!.slice(0, 4)).toEqual([broker(1).name, '2', '0', '1']);
    const json = JSON.parse((await ok('topicStatus', '-t', topic, '--json'))[0]!) as {
      brokerName: string;
      queueId: number;
      maxOffset: number;
    }[];
    expect(json.find((q) => q.brokerName === broker(0).name && q.queueId === 1)?.maxOffset).toBe(3);

    const noConsumer = await ok('statsAll', '-t', topic);
    expect(cells(noConsumer[0])).toEqual([
      '#Topic',
      '#Consumer',
      'Group',
      '#Accumulation',
      '#InTPS',
      '#OutTPS',
      '#InMsg24Hour',
      '#OutMsg24Hour',
    ]);
    expect(cells(noConsumer[1])).toEqual([topic, '0', '0.00', '0', 'NO_CONSUMER']);

    await commitOffsetRaw(raw, broker(0).addr, {
      group: 'it-admin-g',
      topic,
      queueId: 1,
      offset: 1,
    });
    const consumed = await ok('statsAll', '-t', topic);
    expect(cells(consumed[1])).toEqual([topic, 'it-admin-g', '3', '0.00', '0.00', '0', '0']);
    const statsJson = JSON.parse((await ok('statsAll', '-t', topic, '--json'))[0]!) as unknown;
    expect(statsJson).toEqual([
      {
        topic,
        consumerGroup: 'it-admin-g',
        accumulation: 3,
        inTps: 0,
        outTps: 0,
        inMsg24Hour: 0,
        outMsg24Hour: 0,
      },
    ]);
  });

  it('allocateMQ spreads the readable queues over the given ips', async () => {
    const lines = await ok('allocateMQ', '-t', topic, '-i', '10.0.0.1,10.0.0.2,10.0.0.3');
    const { result } = JSON.parse(lines[0]!) as { result: Record<string, { queueId: number }[]> };
    expect(Object.keys(result)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(Object.values(result).map((qs) => qs.length)).toEqual([3, 3, 2]);
  });

  it('updateTopicPerm changes one master and says when nothing changes', async () => {
    expect(await ok('updateTopicPerm', '-t', topic, '-p', '4', '-b', broker(1).addr)).toEqual([
      `update topic perm from 6 to 4 in ${broker(1).addr} success.`,
      `TopicConfig [topicName=${topic}, readQueueNums=4, writeQueueNums=4, perm=R--, topicFilterType=SINGLE_TAG, topicSysFlag=0, order=false].`,
    ]);
    await waitForRoute(topic, (p) => p.get(broker(1).name) === 4);
    expect(await ok('updateTopicPerm', '-t', topic, '-p', '4', '-b', broker(1).addr)).toEqual([
      'new perm equals to the old one!',
    ]);
    expect(await ok('updateTopicPerm', '-t', topic, '-p', '6', '-c', CLUSTER)).toEqual([
      `update topic perm from 6 to 6 in ${broker(0).addr} success.`,
      `update topic perm from 4 to 6 in ${broker(1).addr} success.`,
    ]);
  });

  it('updateTopic -b (winning over -c) with -o true merges the broker into the orderConf', async () => {
    const ordered = 'it-admin-ordered';
    expect(
      await ok(
        'updateTopic',
        '-b',
        broker(1).addr,
        '-c',
        'NoSuchCluster',
        '-t',
        ordered,
        '-w',
        '2',
        '-r',
        '2',
        '-o',
        'true',
      ),
    ).toEqual([
      `set broker orderConf. isOrder=true, orderConf=[${broker(1).name}:2]`,
      `create topic to ${broker(1).addr} success.`,
      `TopicConfig [topicName=${ordered}, readQueueNums=2, writeQueueNums=2, perm=RW-, topicFilterType=SINGLE_TAG, topicSysFlag=0, order=true]`,
    ]);
    expect(await ok('updateOrderConf', '-t', ordered, '-m', 'get')).toEqual([
      `get orderConf success. topic=[${ordered}], orderConf=[${broker(1).name}:2]`,
    ]);
    await ok('updateOrderConf', '-t', ordered, '-m', 'put', '-v', 'broker-x:4');
    expect(await admin.getKVConfig('ORDER_TOPIC_CONFIG', ordered)).toBe('broker-x:4');
    expect(await ok('updateOrderConf', '-t', ordered, '-m', 'delete')).toEqual([
      `delete orderConf success. topic=[${ordered}]`,
    ]);
    expect(await fails('updateOrderConf', '-t', ordered, '-m', 'get')).toContain(
      'has no orderConf',
    );
  });

  it('deleteTopic removes the topic from the cluster and from topicList', async () => {
    expect(await ok('deleteTopic', '-t', topic, '-c', CLUSTER)).toEqual([
      `delete topic [${topic}] from cluster [${CLUSTER}] success.`,
      `delete topic [${topic}] from NameServer success.`,
    ]);
    expect(await ok('topicList')).not.toContain(topic);
  });
});

describe('mqadmin NameServer KV commands', () => {
  it('updateKvConfig and deleteKvConfig write to every NameServer', async () => {
    expect(await ok('updateKvConfig', '-s', 'IT_NS', '-k', 'k1', '-v', 'v1')).toEqual([
      'create or update kv config to namespace success.',
    ]);
    for (const ns of cluster.namesrvAddr.split(';')) {
      const one = new MQAdmin({ namesrvAddr: ns });
      await one.start();
      try {
        expect(await one.getKVConfig('IT_NS', 'k1')).toBe('v1');
      } finally {
        await one.close();
      }
    }
    expect(await ok('deleteKvConfig', '-s', 'IT_NS', '-k', 'k1')).toEqual([
      'delete kv config from namespace success.',
    ]);
    expect(await admin.getKVConfig('IT_NS', 'k1')).toBeUndefined();
  });
});

describe('mqadmin errors', () => {
  it('names an unknown topic and says how to create it', async () => {
    for (const command of ['topicRoute', 'topicStatus', 'topicClusterList']) {
      expect(await fails(command, '-t', 'it-no-such-topic')).toBe(
        `mqadmin ${command}: topic it-no-such-topic does not exist: create it with mqadmin updateTopic -c <clusterName> -t it-no-such-topic`,
      );
    }
  });

  it("prints RocketMQ's message for an unknown cluster", async () => {
    expect(await fails('updateTopic', '-c', 'NoSuchCluster', '-t', 'T1')).toBe(
      `mqadmin updateTopic: [error] Make sure the specified clusterName exists or the name server connected to is correct. (cluster "NoSuchCluster" is unknown; known clusters: ${CLUSTER})`,
    );
    expect(await fails('brokerStatus', '-c', 'NoSuchCluster')).toContain('[error] Make sure');
  });

  it('names an unreachable NameServer', async () => {
    expect(await fails('topicList', '-n', DEAD_NAMESRV)).toMatch(
      /^mqadmin topicList: no NameServer reachable \(127\.0\.0\.1:1\)/,
    );
    expect(
      await fails('updateKvConfig', '-n', DEAD_NAMESRV, '-s', 'a', '-k', 'b', '-v', 'c'),
    ).toMatch(/^mqadmin updateKvConfig: NameServer 127\.0\.0\.1:1 is unreachable/);
  });

  it('refuses bad flag values and a missing -b/-c with status 1', async () => {
    expect(await fails('updateTopic', '-c', CLUSTER, '-t', 'T1', '-p', '5')).toBe(
      'mqadmin updateTopic: option --perm must be 2 (W), 4 (R) or 6 (RW), got 5',
    );
    const missing = await mqadmin('getBrokerConfig');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('usage: mqadmin getBrokerConfig');
  });
});
