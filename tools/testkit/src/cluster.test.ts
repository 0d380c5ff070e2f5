import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCluster, type TestCluster } from './cluster.js';
import { ServerAppMissingError, ServerProcessError } from './errors.js';
import { runningServerPids } from './server-process.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

const FAKE_SERVER = fileURLToPath(new URL('../test/fixtures/fake-server.mjs', import.meta.url));

/** Puts an `<app>/dist/main.js` into appsDir that runs the fixture server (the far side of the ready-file contract). */
async function installApp(appsDir: string, app: string): Promise<void> {
  await mkdir(join(appsDir, app, 'dist'), { recursive: true });
  await writeFile(
    join(appsDir, app, 'dist', 'main.js'),
    `import ${JSON.stringify(pathToFileURL(FAKE_SERVER).href)};\n`,
  );
}

describe('startCluster', () => {
  let appsDir: string;
  let cluster: TestCluster | undefined;

  beforeEach(async () => {
    appsDir = await makeTempDir('apps');
  });
  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
    await removeTempDir(appsDir);
    expect(runningServerPids()).toEqual([]);
  });

  it('says the name server app is missing and arrives with milestone M1-3', async () => {
    const error = await startCluster({ appsDir }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ServerAppMissingError);
    expect((error as ServerAppMissingError).app).toBe('namesrv');
    expect((error as Error).message).toContain('the namesrv app is missing');
    expect((error as Error).message).toContain(join(appsDir, 'namesrv', 'dist', 'main.js'));
    expect((error as Error).message).toContain('milestone M1-3');
  });

  it('says the broker app is missing before starting any name server', async () => {
    await installApp(appsDir, 'namesrv');

    const error = await startCluster({ appsDir }).catch((e: unknown) => e);

    expect((error as ServerAppMissingError).app).toBe('broker');
    expect((error as Error).message).toMatch(/the broker app is missing.*milestone M1-3/);
    expect(runningServerPids()).toEqual([]);
  });

  it('starts name servers on port 0, then brokers pointed at all of them with a broker.conf', async () => {
    await installApp(appsDir, 'namesrv');
    await installApp(appsDir, 'broker');

    cluster = await startCluster({
      appsDir,
      namesrvs: 2,
      brokers: 2,
      brokerConfig: { flushDiskType: 'SYNC_FLUSH', autoCreateTopicEnable: true },
    });

    expect(cluster.namesrvAddr).toBe(cluster.namesrvs.map((n) => n.addr).join(';'));
    expect(cluster.namesrvAddr).toMatch(/^127\.0\.0\.1:\d+;127\.0\.0\.1:\d+$/);
    const namesrvConf = join(cluster.namesrvs[0]?.homeDir ?? '', 'namesrv.conf');
    expect(await readFile(namesrvConf, 'utf8')).toBe('listenPort=0\nbindAddress=127.0.0.1\n');
    expect(cluster.brokers.map((b) => b.brokerName)).toEqual(['broker-0', 'broker-1']);

    const broker = cluster.brokers[1];
    expect(broker?.addr).toBe(`127.0.0.1:${broker?.handle.ready.listenPort}`);
    const brokerConf = join(broker?.handle.homeDir ?? '', 'broker.conf');
    expect(broker?.handle.ready.argv).toEqual([
      '-n',
      cluster.namesrvAddr,
      '-c',
      brokerConf,
      '--ready-file',
      broker?.handle.readyFile,
    ]);
    expect((await readFile(brokerConf, 'utf8')).split('\n')).toEqual([
      'brokerClusterName=DefaultCluster',
      'brokerName=broker-1',
      'brokerId=0',
      'listenPort=0',
      'brokerIP1=127.0.0.1',
      'bindAddress=127.0.0.1',
      'flushDiskType=SYNC_FLUSH',
      'autoCreateTopicEnable=true',
      `storePathRootDir=${join(broker?.handle.homeDir ?? '', 'store')}`,
      '',
    ]);

    const homeDirs = [...cluster.namesrvs, ...cluster.brokers.map((b) => b.handle)].map(
      (h) => h.homeDir,
    );
    const stopping = cluster.stop();
    expect(cluster.stop()).toBe(stopping);
    await stopping;
    for (const dir of homeDirs) expect(existsSync(dir)).toBe(false);
  });

  it('stops the name servers it started when a broker fails to become ready', async () => {
    await installApp(appsDir, 'namesrv');
    await mkdir(join(appsDir, 'broker', 'dist'), { recursive: true });
    await writeFile(
      join(appsDir, 'broker', 'dist', 'main.js'),
      "process.stderr.write('broker: bad config\\n');\nprocess.exit(1);\n",
    );

    const error = await startCluster({ appsDir }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ServerProcessError);
    const failure = error as ServerProcessError;
    await removeTempDir(failure.homeDir);
    expect(failure.serverName).toBe('broker-0');
    expect(failure.kind).toBe('early-exit');
    expect(failure.message).toContain('broker: bad config');
    expect(runningServerPids()).toEqual([]);
  });
});
