import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeClusterInfo,
  decodeTopicRouteData,
  encodeHeartbeatData,
} from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import {
  ServerProcessError,
  startCluster,
  startServerProcess,
  waitFor,
} from '@rocketmq-ts/testkit';
import type { ServerProcess, TestCluster } from '@rocketmq-ts/testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const BROKER = fileURLToPath(new URL('../../../apps/broker/dist/main.js', import.meta.url));
const run = promisify(execFile);
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(() => {
  if (!existsSync(BROKER)) {
    throw new Error(
      `${BROKER} is missing: build first (npm test builds before running the suites)`,
    );
  }
});

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function cluster(brokers: number): Promise<TestCluster> {
  const c = await startCluster({ brokers });
  cleanups.push(() => c.stop());
  return c;
}

function client(): RemotingClient {
  const c = new RemotingClient();
  cleanups.push(() => c.close());
  return c;
}

async function brokerNames(c: RemotingClient, namesrvAddr: string): Promise<string[]> {
  const response = await c.invoke(
    namesrvAddr,
    RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO),
    { timeoutMs: 3000 },
  );
  return [...decodeClusterInfo(response.body!).brokerAddrTable.keys()].sort();
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rmq-mqbroker-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('mqbroker', () => {
  it('registers with the name server, serves its topics, and unregisters on SIGTERM', async () => {
    const c = await cluster(1);
    const rc = client();
    expect(await brokerNames(rc, c.namesrvAddr)).toEqual(['broker-0']);
    const route = await rc.invoke(
      c.namesrvAddr,
      RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'broker-0' }),
      { timeoutMs: 3000 },
    );
    expect(route.code).toBe(ResponseCode.SUCCESS);
    expect(decodeTopicRouteData(route.body!).brokerDatas[0]?.brokerAddrs.get(0)).toBe(
      c.brokers[0]!.addr,
    );
    // Read the log first: stop() removes the server's directory.
    const log = await readFile(c.brokers[0]!.handle.stdoutLog, 'utf8');
    expect(log).toContain('boot success');
    await c.brokers[0]!.handle.stop();
    // The name server drops the broker at once: by UNREGISTER_BROKER, or when its connection closes.
    await waitFor(async () => (await brokerNames(rc, c.namesrvAddr)).length === 0, {
      description: 'the name server to drop the stopped broker',
      timeoutMs: 5000,
    });
  });

  it("registers a group's new retry topic before answering the heartbeat that created it", async () => {
    const c = await cluster(1);
    const rc = client();
    const heartbeat = await rc.invoke(
      c.brokers[0]!.addr,
      RemotingCommand.request(
        RequestCode.HEART_BEAT,
        {},
        encodeHeartbeatData({
          clientID: '127.0.0.1@hb',
          producerDataSet: [],
          consumerDataSet: [
            {
              groupName: 'FreshGroup',
              consumeType: 'CONSUME_PASSIVELY',
              messageModel: 'CLUSTERING',
              consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
              unitMode: false,
              subscriptionDataSet: [],
            },
          ],
        }),
      ),
      { timeoutMs: 5000 },
    );
    expect(heartbeat.code).toBe(ResponseCode.SUCCESS);
    // No waiting: a client asks for the route right after its first heartbeat.
    const route = await rc.invoke(
      c.namesrvAddr,
      RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: '%RETRY%FreshGroup' }),
      { timeoutMs: 3000 },
    );
    expect(route.code).toBe(ResponseCode.SUCCESS);
  });

  it('takes the name server address from NAMESRV_ADDR when neither -n nor the file gives one', async () => {
    const c = await cluster(0);
    const dir = await tempDir();
    const broker: ServerProcess = await startServerProcess({
      entry: BROKER,
      name: 'broker-env',
      env: { NAMESRV_ADDR: c.namesrvAddr },
      args: async ({ homeDir }) => {
        const conf = join(homeDir, 'broker.conf');
        await writeFile(
          conf,
          `brokerName=broker-env\nlistenPort=0\nbindAddress=127.0.0.1\nstorePathRootDir=${join(dir, 'store')}\n`,
        );
        return ['-c', conf];
      },
    });
    cleanups.push(() => broker.stop());
    const rc = client();
    await waitFor(async () => (await brokerNames(rc, c.namesrvAddr)).includes('broker-env'), {
      description: 'broker-env to register through NAMESRV_ADDR',
      timeoutMs: 5000,
    });
  });

  it('refuses a bad value naming the key, and warns about an unknown key by name', async () => {
    const dir = await tempDir();
    const bad = join(dir, 'bad.conf');
    await writeFile(bad, `brokerRole=MASTER\nstorePathRootDir=${join(dir, 'store')}\n`);
    const error = await run(process.execPath, [BROKER, '-c', bad]).catch((e: unknown) => e);
    expect((error as { code?: number }).code).toBe(1);
    expect((error as { stderr?: string }).stderr).toContain('brokerRole');
    expect((error as { stderr?: string }).stderr).toContain('MASTER');

    const c = await cluster(0);
    const broker = await startServerProcess({
      entry: BROKER,
      name: 'broker-unknown-key',
      args: async ({ homeDir }) => {
        const conf = join(homeDir, 'broker.conf');
        await writeFile(
          conf,
          `brokerNmae=typo\nlistenPort=0\nbindAddress=127.0.0.1\nstorePathRootDir=${join(dir, 'store2')}\n`,
        );
        return ['-c', conf, '-n', c.namesrvAddr];
      },
    });
    cleanups.push(() => broker.stop());
    const log = await readFile(broker.stdoutLog, 'utf8');
    expect(log).toContain('unknown config key ignored');
    expect(log).toContain('brokerNmae');
  });

  it('prints every config item with -p and the important ones with -m', async () => {
    const dir = await tempDir();
    const conf = join(dir, 'broker.conf');
    await writeFile(
      conf,
      `brokerName=broker-p\nfileReservedTime=48\nstorePathRootDir=${join(dir, 'store')}\n`,
    );
    const all = await run(process.execPath, [BROKER, '-c', conf, '-n', '127.0.0.1:9876', '-p']);
    expect(all.stdout).toContain('brokerName=broker-p');
    expect(all.stdout).toContain('namesrvAddr=127.0.0.1:9876');
    expect(all.stdout).toContain('fileReservedTime=48');
    expect(all.stdout).toContain('waitTimeMillsInSendQueue=200');
    const important = await run(process.execPath, [BROKER, '-c', conf, '-m']);
    expect(important.stdout).toContain('brokerName=broker-p');
    expect(important.stdout).not.toContain('waitTimeMillsInSendQueue');
    expect(existsSync(join(dir, 'store'))).toBe(false);
  });

  it('exits non-zero with a clear message when the store cannot hold a largest message', async () => {
    const error = await startServerProcess({
      entry: BROKER,
      name: 'broker-small-segment',
      args: async ({ homeDir }) => {
        const conf = join(homeDir, 'broker.conf');
        await writeFile(
          conf,
          `listenPort=0\nbindAddress=127.0.0.1\nmappedFileSizeCommitLog=65536\nstorePathRootDir=${join(homeDir, 'store')}\n`,
        );
        return ['-c', conf];
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerProcessError);
    expect((error as ServerProcessError).stderrTail).toContain('maxMessageSize');
    await rm((error as ServerProcessError).homeDir, { recursive: true, force: true });
  });
});
