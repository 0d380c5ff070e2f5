#!/usr/bin/env node
// `npm start`: install (pinned pnpm via npx if needed), build, start a local cluster — a real NameServer process
// (bin/mqnamesrv's app) and a real broker process (bin/mqbroker's app, embedded store under ./data) — and show a
// message going through it the way a RocketMQ client does: create TopicTest on the broker (what `mqadmin updateTopic`
// sends), find its route on the NameServer, send to the broker the route names, pull the message back.
// The cluster then keeps running for your own clients (NAMESRV_ADDR is printed) until Ctrl+C.
// `npm start -- --once` stops everything after the demo.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, ensureInstalled, pnpm } from './bootstrap.mjs';

const once = process.argv.includes('--once');
ensureInstalled();
pnpm(['run', 'build']);

const protocol = await import('../packages/protocol/dist/index.js');
const { RemotingClient } = await import('../packages/remoting/dist/index.js');
const { RemotingCommand, RequestCode, ResponseCode } = protocol;

const DATA = join(ROOT, 'data');
const TOPIC = 'TopicTest';
const children = [];

/**
 * Starts an app with a properties file on `port`, falling back to a free port when it is taken; resolves with the
 * child and its bound port once the app wrote its ready file.
 */
async function startApp({ app, name, properties, port, args = [] }) {
  for (const tryPort of [port, 0]) {
    const conf = join(DATA, `${name}.conf`);
    const ready = join(DATA, `${name}.ready`);
    await rm(ready, { force: true });
    const lines = Object.entries({ ...properties, listenPort: tryPort }).map(
      ([k, v]) => `${k}=${v}`,
    );
    await writeFile(conf, `${lines.join('\n')}\n`);
    const main = join(ROOT, 'apps', app, 'dist', 'main.js');
    const child = spawn(process.execPath, [main, '-c', conf, '--ready-file', ready, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, HOME: join(DATA, name) },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const deadline = Date.now() + 30_000;
    while (!existsSync(ready) && child.exitCode === null && Date.now() < deadline) await sleep(50);
    if (existsSync(ready)) {
      children.push(child);
      return { child, port: JSON.parse(readFileSync(ready, 'utf8')).listenPort };
    }
    child.kill('SIGKILL');
    if (!/EADDRINUSE|address already in use/i.test(stderr) || tryPort === 0) {
      throw new Error(`${name} did not start: ${stderr.trim() || 'no ready file within 30 s'}`);
    }
    console.log(`  port ${tryPort} is taken; ${name} takes a free port instead`);
  }
  throw new Error(`${name} did not start`);
}

async function stopAll() {
  // Broker first: it unregisters from the NameServer on SIGTERM.
  for (const child of [...children].reverse()) {
    if (child.exitCode !== null) continue;
    child.kill('SIGTERM');
    const deadline = Date.now() + 10_000;
    while (child.exitCode === null && Date.now() < deadline) await sleep(50);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

const client = new RemotingClient();
try {
  await mkdir(DATA, { recursive: true });
  const namesrv = await startApp({
    app: 'namesrv',
    name: 'namesrv',
    port: 9876,
    properties: { bindAddress: '127.0.0.1' },
  });
  const namesrvAddr = `127.0.0.1:${namesrv.port}`;
  console.log(`✓ mqnamesrv is up at ${namesrvAddr}`);
  const broker = await startApp({
    app: 'broker',
    name: 'broker-a',
    port: 10911,
    properties: {
      brokerClusterName: 'DefaultCluster',
      brokerName: 'broker-a',
      brokerId: 0,
      bindAddress: '127.0.0.1',
      brokerIP1: '127.0.0.1',
      storePathRootDir: join(DATA, 'broker-a', 'store'),
      flushDiskType: 'ASYNC_FLUSH',
    },
    args: ['-n', namesrvAddr],
  });
  const brokerAddr = `127.0.0.1:${broker.port}`;
  console.log(
    `✓ mqbroker broker-a is up at ${brokerAddr}, store in ${join('data', 'broker-a', 'store')}`,
  );

  const created = await client.invoke(
    brokerAddr,
    RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_TOPIC, {
      topic: TOPIC,
      defaultTopic: 'TBW102',
      readQueueNums: '4',
      writeQueueNums: '4',
      perm: '6',
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: '0',
      order: 'false',
    }),
    { timeoutMs: 5000 },
  );
  if (created.code !== ResponseCode.SUCCESS) throw new Error(`create topic: ${created.remark}`);
  console.log(`✓ UPDATE_AND_CREATE_TOPIC ${TOPIC} (4 queues) → code ${created.code}`);

  let route;
  const routeDeadline = Date.now() + 10_000;
  while (route === undefined) {
    const response = await client.invoke(
      namesrvAddr,
      RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: TOPIC }),
      { timeoutMs: 3000 },
    );
    if (response.code === ResponseCode.SUCCESS)
      route = protocol.decodeTopicRouteData(response.body);
    else if (Date.now() > routeDeadline)
      throw new Error(`no route for ${TOPIC}: ${response.remark}`);
    else await sleep(100); // the broker re-registers right after a topic change
  }
  const routedAddr = route.brokerDatas[0].brokerAddrs.get(0);
  console.log(
    `✓ GET_ROUTEINFO_BY_TOPIC ${TOPIC} → ${route.queueDatas[0].writeQueueNums} write queues on ${route.brokerDatas[0].brokerName} at ${routedAddr}`,
  );

  const sent = await client.invoke(
    routedAddr,
    RemotingCommand.request(
      RequestCode.SEND_MESSAGE_V2,
      {
        a: 'QuickstartProducer',
        b: TOPIC,
        c: 'TBW102',
        d: '4',
        e: '0',
        f: '0',
        g: String(Date.now()),
        h: '0',
        i: protocol.encodeMessageProperties({ TAGS: 'TagA', KEYS: 'quickstart-1' }),
      },
      Buffer.from('Hello RocketMQ from rocketmq-ts'),
    ),
    { timeoutMs: 5000 },
  );
  if (sent.code !== ResponseCode.SUCCESS) throw new Error(`send: ${sent.code} ${sent.remark}`);
  const queueOffset = Number(sent.extFields.queueOffset);
  console.log(
    `✓ SEND_MESSAGE_V2 → SEND_OK, msgId ${sent.extFields.msgId}, queue 0, queueOffset ${queueOffset}`,
  );

  const pulled = await client.invoke(
    routedAddr,
    RemotingCommand.request(RequestCode.PULL_MESSAGE, {
      consumerGroup: 'QuickstartConsumer',
      topic: TOPIC,
      queueId: '0',
      queueOffset: String(queueOffset),
      maxMsgNums: '1',
      sysFlag: '4',
      commitOffset: '0',
      suspendTimeoutMillis: '0',
      subscription: 'TagA',
      subVersion: '0',
    }),
    { timeoutMs: 5000 },
  );
  const [record] = pulled.body ? protocol.decodeMessageRecords(pulled.body) : [];
  if (record === undefined) throw new Error(`pull: ${pulled.code} ${pulled.remark}`);
  console.log(
    `✓ PULL_MESSAGE → "${record.body.toString('utf8')}" tags ${record.properties.get('TAGS')}, keys ${record.properties.get('KEYS')}, commit-log offset ${record.phyOffset}`,
  );
  await client.close();
  if (once) {
    await stopAll();
    console.log('✓ stopped mqbroker and mqnamesrv (data kept in ./data)');
  } else {
    console.log(
      `\nThe cluster keeps running: NAMESRV_ADDR=${namesrvAddr}, broker at ${brokerAddr}. Point any RocketMQ 4.x client at it.\nTry in another terminal: bin/mqadmin clusterList -n ${namesrvAddr}\nCtrl+C stops both (the broker unregisters and flushes first).`,
    );
    const stop = () => {
      stopAll().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }
} catch (error) {
  await client.close();
  await stopAll();
  console.error(`quickstart failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
