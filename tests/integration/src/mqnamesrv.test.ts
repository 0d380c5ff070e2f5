import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeTopicRouteData,
  encodeRegisterBrokerBody,
} from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { ServerProcessError, startServerProcess, waitFor } from '@rocketmq-ts/testkit';
import type { ServerProcess } from '@rocketmq-ts/testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const ENTRY = fileURLToPath(new URL('../../../apps/namesrv/dist/main.js', import.meta.url));
const started: ServerProcess[] = [];
const clients: RemotingClient[] = [];

beforeAll(() => {
  if (!existsSync(ENTRY)) {
    throw new Error(`${ENTRY} is missing: build first (npm test builds before running the suites)`);
  }
});

afterEach(async () => {
  while (clients.length > 0) await clients.pop()!.close();
  while (started.length > 0) await started.pop()!.stop();
});

async function startNamesrv(conf: string): Promise<ServerProcess> {
  const server = await startServerProcess({
    entry: ENTRY,
    name: 'namesrv',
    args: async ({ homeDir }) => {
      const file = join(homeDir, 'namesrv.conf');
      await writeFile(file, conf.replaceAll('$HOME', homeDir));
      return ['-c', file];
    },
  });
  started.push(server);
  return server;
}

function client(): RemotingClient {
  const c = new RemotingClient();
  clients.push(c);
  return c;
}

function registerBroker(topic: string): RemotingCommand {
  const body = encodeRegisterBrokerBody({
    topicConfigSerializeWrapper: {
      dataVersion: { counter: 1, timestamp: Date.now() },
      topicConfigTable: new Map([
        [
          topic,
          {
            topicName: topic,
            readQueueNums: 4,
            writeQueueNums: 4,
            perm: 6,
            topicFilterType: 'SINGLE_TAG',
            topicSysFlag: 0,
            order: false,
          },
        ],
      ]),
    },
    filterServerList: [],
  });
  return RemotingCommand.request(
    RequestCode.REGISTER_BROKER,
    {
      brokerName: 'broker-a',
      brokerAddr: '127.0.0.1:10911',
      clusterName: 'DefaultCluster',
      haServerAddr: '127.0.0.1:10912',
      brokerId: '0',
    },
    body,
  );
}

describe('mqnamesrv', () => {
  it('answers route queries, serves a registered broker, and drops it when its connection closes', async () => {
    const namesrv = await startNamesrv(
      'listenPort=0\nbindAddress=127.0.0.1\nkvConfigPath=$HOME/kv/kvConfig.json\n',
    );
    const routeOf = (topic: string) =>
      RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic });
    const reader = client();
    const missing = await reader.invoke(namesrv.addr, routeOf('TopicTest'), { timeoutMs: 3000 });
    expect(missing.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(missing.remark).toContain('No topic route info in name server for the topic: TopicTest');

    const broker = client();
    const registered = await broker.invoke(namesrv.addr, registerBroker('TopicTest'), {
      timeoutMs: 3000,
    });
    expect(registered.code).toBe(ResponseCode.SUCCESS);
    const route = await reader.invoke(namesrv.addr, routeOf('TopicTest'), { timeoutMs: 3000 });
    expect(route.code).toBe(ResponseCode.SUCCESS);
    const data = decodeTopicRouteData(route.body!);
    expect(data.queueDatas.map((q) => [q.brokerName, q.readQueueNums, q.perm])).toEqual([
      ['broker-a', 4, 6],
    ]);
    expect(data.brokerDatas[0]!.brokerAddrs.get(0)).toBe('127.0.0.1:10911');

    await broker.close();
    clients.splice(clients.indexOf(broker), 1);
    await waitFor(
      async () =>
        (await reader.invoke(namesrv.addr, routeOf('TopicTest'), { timeoutMs: 3000 })).code ===
        ResponseCode.TOPIC_NOT_EXIST,
      { description: 'route removed after the broker connection closed', timeoutMs: 10_000 },
    );
  });

  it('keeps KV config across a restart', async () => {
    const shared = await mkdtemp(join(tmpdir(), 'rmq-kv-'));
    try {
      const conf = `listenPort=0\nbindAddress=127.0.0.1\nkvConfigPath=${join(shared, 'kvConfig.json')}\n`;
      const first = await startNamesrv(conf);
      const put = await client().invoke(
        first.addr,
        RemotingCommand.request(RequestCode.PUT_KV_CONFIG, {
          namespace: 'ORDER_TOPIC_CONFIG',
          key: 'TopicOrder',
          value: 'broker-a:4',
        }),
        { timeoutMs: 3000 },
      );
      expect(put.code).toBe(ResponseCode.SUCCESS);
      await started.pop()!.stop();
      const second = await startNamesrv(conf);
      const get = await client().invoke(
        second.addr,
        RemotingCommand.request(RequestCode.GET_KV_CONFIG, {
          namespace: 'ORDER_TOPIC_CONFIG',
          key: 'TopicOrder',
        }),
        { timeoutMs: 3000 },
      );
      expect(get.code).toBe(ResponseCode.SUCCESS);
      expect(get.extFields?.value).toBe('broker-a:4');
      // Stop it before removing the directory: a NameServer persists its KV file when it shuts down.
      await started.pop()!.stop();
    } finally {
      await rm(shared, { recursive: true, force: true });
    }
  });

  it('refuses a bad config value with a message naming the key and exits non-zero', async () => {
    const error = await startNamesrv('listenPort=abc\nbindAddress=127.0.0.1\n').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServerProcessError);
    expect((error as ServerProcessError).kind).toBe('early-exit');
    expect((error as ServerProcessError).stderrTail).toContain('listenPort=abc');
    // testkit keeps a failed server's directory for inspection; this failure was the point of the test.
    await rm((error as ServerProcessError).homeDir, { recursive: true, force: true });
  });
});
