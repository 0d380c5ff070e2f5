#!/usr/bin/env node
// `npm start`: install (pinned pnpm via npx if needed), build, start what exists of the local cluster and show a
// message going through it.
//
// Until bin/mqbroker exists (milestone M1-3) it wires the pieces that do: a real NameServer process (bin/mqnamesrv's
// app on 127.0.0.1:9876, or a free port if 9876 is taken) and an in-process stand-in for the broker — the embedded
// store, the broker's topic table and NameServer registration, and a remoting server whose SEND_MESSAGE_V2 and
// PULL_MESSAGE handlers use the store. Then, as a client would, it looks the topic's route up on the NameServer,
// sends a message to the broker address from the route and pulls it back.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, ensureInstalled, pnpm } from './bootstrap.mjs';

ensureInstalled();
pnpm(['run', 'build']);

const protocol = await import('../packages/protocol/dist/index.js');
const { ProcessorTable, RemotingClient, RemotingServer } =
  await import('../packages/remoting/dist/index.js');
const { openMessageStore } = await import('../packages/store/dist/index.js');
const broker = await import('../packages/broker/dist/index.js');
const { RemotingCommand, RequestCode, ResponseCode } = protocol;

const home = await mkdtemp(join(tmpdir(), 'rmq-quickstart-'));

/** Starts the NameServer app on `port` (0 = any free port); resolves with the child and its bound port. */
async function startNameServer(port) {
  const conf = join(home, `namesrv-${port}.conf`);
  const ready = join(home, `namesrv-${port}.ready`);
  const kv = join(home, 'kvConfig.json');
  await writeFile(conf, `listenPort=${port}\nbindAddress=127.0.0.1\nkvConfigPath=${kv}\n`);
  const main = join(ROOT, 'apps', 'namesrv', 'dist', 'main.js');
  const child = spawn(process.execPath, [main, '-c', conf, '--ready-file', ready], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const deadline = Date.now() + 15_000;
  while (!existsSync(ready)) {
    if (child.exitCode !== null) throw new Error(`mqnamesrv exited: ${stderr.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('mqnamesrv did not become ready within 15 s');
    }
    await sleep(50);
  }
  return { child, port: JSON.parse(readFileSync(ready, 'utf8')).listenPort };
}

let namesrv;
try {
  namesrv = await startNameServer(9876);
} catch {
  namesrv = await startNameServer(0); // 9876 is taken on this machine
}
const namesrvAddr = `127.0.0.1:${namesrv.port}`;
const config = broker.resolveBrokerConfig({
  storePathRootDir: join(home, 'store'),
  brokerName: 'broker-a',
  listenPort: 0,
  namesrvAddr,
  store: { mappedFileSizeCommitLog: 64 * 1024 * 1024 },
});
const store = await openMessageStore(broker.brokerStoreConfig(config));
const topics = new broker.TopicConfigManager({ metadata: store.metadata, config });
await topics.start();
await topics.createOrUpdate({
  ...protocol.TOPIC_CONFIG_DEFAULTS,
  topicName: 'TopicTest',
  readQueueNums: 4,
  writeQueueNums: 4,
});
const storeHost = { host: '127.0.0.1', port: 10911 };

const table = new ProcessorTable()
  .on(RequestCode.SEND_MESSAGE_V2, {
    process: async (request, ctx) => {
      const header = protocol.decodeSendMessageRequestHeader(request.extFields ?? {}, request.code);
      const [host, port] = ctx.remoteAddr.split(':');
      const put = await store.putMessage({
        topic: header.topic,
        queueId: header.queueId,
        body: request.body ?? Buffer.alloc(0),
        flag: header.flag,
        properties: header.properties,
        sysFlag: header.sysFlag,
        bornTimestamp: header.bornTimestamp,
        bornHost: { host, port: Number(port) },
        storeHost,
      });
      return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
        extFields: protocol.encodeSendMessageResponseHeader({
          msgId: put.msgIds[0],
          queueId: header.queueId,
          queueOffset: put.queueOffsets[0],
        }),
      });
    },
  })
  .on(RequestCode.PULL_MESSAGE, {
    process: async (request) => {
      const header = protocol.decodePullMessageRequestHeader(request.extFields ?? {});
      const got = await store.getMessage({
        topic: header.topic,
        queueId: header.queueId,
        queueOffset: header.queueOffset,
        maxMsgNums: header.maxMsgNums,
      });
      return RemotingCommand.responseTo(
        request,
        got.status === 'FOUND' ? ResponseCode.SUCCESS : ResponseCode.PULL_NOT_FOUND,
        {
          remark: got.status,
          extFields: protocol.encodePullMessageResponseHeader({
            suggestWhichBrokerId: 0,
            nextBeginOffset: got.nextBeginOffset,
            minOffset: got.minOffset,
            maxOffset: got.maxOffset,
          }),
          body: got.messages.length > 0 ? Buffer.concat(got.messages) : undefined,
        },
      );
    },
  });
const server = new RemotingServer({ listenPort: 0, host: '127.0.0.1', processors: table });
await server.start();
const client = new RemotingClient();
const registrar = new broker.NameServerRegistrar({
  client,
  config,
  topics,
  brokerAddr: `127.0.0.1:${server.port}`,
});
try {
  await registrar.start();
  const routeResponse = await client.invoke(
    namesrvAddr,
    RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'TopicTest' }),
    { timeoutMs: 3000 },
  );
  const route = protocol.decodeTopicRouteData(routeResponse.body);
  const addr = route.brokerDatas[0].brokerAddrs.get(0);
  console.log(
    `\n✓ mqnamesrv (pid ${namesrv.child.pid}) listening on ${namesrvAddr}; broker-a registered`,
  );
  console.log(
    `✓ route of TopicTest from the NameServer: ${route.brokerDatas[0].brokerName} at ${addr}, ` +
      `${route.queueDatas[0].writeQueueNums} write queues`,
  );
  const send = RemotingCommand.request(
    RequestCode.SEND_MESSAGE_V2,
    protocol.encodeSendMessageRequestHeaderV2(
      protocol.toSendMessageRequestHeaderV2({
        producerGroup: 'quickstart-pg',
        topic: 'TopicTest',
        defaultTopic: 'TBW102',
        defaultTopicQueueNums: 4,
        queueId: 0,
        sysFlag: 0,
        bornTimestamp: Date.now(),
        flag: 0,
        properties: 'TAGS\u0001TagA\u0002KEYS\u0001order-1\u0002',
      }),
    ),
    Buffer.from('Hello RocketMQ from rocketmq-ts'),
  );
  const sent = await client.invoke(addr, send, { timeoutMs: 3000 });
  console.log(
    `✓ SEND_MESSAGE_V2 → code ${sent.code}, msgId ${sent.extFields?.msgId}, queueOffset ${sent.extFields?.queueOffset}`,
  );
  const pull = RemotingCommand.request(
    RequestCode.PULL_MESSAGE,
    protocol.encodePullMessageRequestHeader({
      consumerGroup: 'quickstart-cg',
      topic: 'TopicTest',
      queueId: 0,
      queueOffset: 0,
      maxMsgNums: 32,
      sysFlag: 0,
      commitOffset: 0,
      suspendTimeoutMillis: 0,
      subVersion: 0,
    }),
  );
  const pulled = await client.invoke(addr, pull, { timeoutMs: 3000 });
  const [record] = protocol.decodeMessageRecords(pulled.body ?? Buffer.alloc(0));
  console.log(
    `✓ PULL_MESSAGE → code ${pulled.code} (${pulled.remark}): "${record?.body.toString('utf8')}" tags ${record?.properties.get('TAGS')}, stored at commit-log offset ${record?.phyOffset}`,
  );
  console.log(
    '\nWhat exists now: the wire codec, the transport, the store, bin/mqnamesrv, and the broker topic table and registration.',
  );
  console.log(
    'Coming next (M1-3): bin/mqbroker on :10911 with its request processors; this command will then start it.',
  );
} finally {
  await registrar.unregisterAll().catch(() => undefined);
  await registrar.close();
  await client.close();
  await server.close();
  await store.close();
  namesrv.child.kill('SIGTERM');
  if (namesrv.child.exitCode === null)
    await new Promise((resolve) => namesrv.child.once('exit', resolve));
  await rm(home, { recursive: true, force: true });
}
