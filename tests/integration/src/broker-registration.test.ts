import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  NameServerRegistrar,
  TopicConfigManager,
  brokerStoreConfig,
  resolveBrokerConfig,
} from '@rocketmq-ts/broker';
import { NameServer, resolveNamesrvConfig } from '@rocketmq-ts/namesrv';
import { TOPIC_CONFIG_DEFAULTS } from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { openMessageStore } from '@rocketmq-ts/store';
import { waitFor } from '@rocketmq-ts/testkit';
import { afterEach, describe, expect, it } from 'vitest';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rmq-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function startNameServer(): Promise<NameServer> {
  const dir = await tempDir();
  const namesrv = new NameServer(
    resolveNamesrvConfig({
      kvConfigPath: join(dir, 'kvConfig.json'),
      listenPort: 0,
      host: '127.0.0.1',
    }),
  );
  await namesrv.start();
  cleanups.push(() => namesrv.close());
  return namesrv;
}

describe('broker registration with real name servers', () => {
  it('publishes the broker topics as routes on two name servers and withdraws them on unregister', async () => {
    const ns1 = await startNameServer();
    const ns2 = await startNameServer();
    const dir = await tempDir();
    const config = resolveBrokerConfig({
      storePathRootDir: dir,
      brokerClusterName: 'it-cluster',
      brokerName: 'it-broker',
      listenPort: 0,
      namesrvAddr: `127.0.0.1:${ns1.port};127.0.0.1:${ns2.port}`,
      store: { mappedFileSizeCommitLog: 64 * 1024 },
      maxMessageSize: 16 * 1024,
    });
    const store = await openMessageStore(brokerStoreConfig(config));
    cleanups.push(() => store.close());
    const topics = new TopicConfigManager({ metadata: store.metadata, config });
    await topics.start();
    const client = new RemotingClient();
    cleanups.push(() => client.close());
    const registrar = new NameServerRegistrar({
      client,
      config,
      topics,
      brokerAddr: '127.0.0.1:30911',
      haServerAddr: '127.0.0.1:30912',
      debounceMs: 1,
    });
    cleanups.push(() => registrar.close());

    const results = await registrar.start();
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    for (const ns of [ns1, ns2]) {
      const route = ns.routes.pickupTopicRouteData('TBW102');
      expect(route?.queueDatas).toEqual([
        expect.objectContaining({
          brokerName: 'it-broker',
          readQueueNums: 8,
          writeQueueNums: 8,
          perm: 7,
        }),
      ]);
      expect(route?.brokerDatas[0]?.brokerAddrs.get(0)).toBe('127.0.0.1:30911');
      expect(ns.routes.getAllClusterInfo().clusterAddrTable.get('it-cluster')).toEqual([
        'it-broker',
      ]);
    }

    await topics.createOrUpdate({
      ...TOPIC_CONFIG_DEFAULTS,
      topicName: 'ItTopic',
      readQueueNums: 3,
      writeQueueNums: 3,
    });
    await waitFor(
      () => [ns1, ns2].every((ns) => ns.routes.pickupTopicRouteData('ItTopic') !== undefined),
      { timeoutMs: 5000, description: 'ItTopic routed by both name servers' },
    );
    expect(ns2.routes.pickupTopicRouteData('ItTopic')?.queueDatas[0]?.writeQueueNums).toBe(3);

    const gone = await registrar.unregisterAll();
    expect(gone.map((r) => r.ok)).toEqual([true, true]);
    for (const ns of [ns1, ns2]) expect(ns.routes.pickupTopicRouteData('ItTopic')).toBeUndefined();
  });
});
