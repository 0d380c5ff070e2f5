#!/usr/bin/env node
// `npm start`: install (pinned pnpm via npx if needed), build, start what exists of the local cluster and show a
// message going through it.
//
// The NameServer (bin/mqnamesrv) and Broker (bin/mqbroker) arrive with milestone M1-3; this command will then start
// them. Until then it wires the pieces that exist: a RocketMQ remoting server on 127.0.0.1 whose SEND_MESSAGE_V2 and
// PULL_MESSAGE handlers use the embedded store (in a temporary directory), and the RocketMQ remoting client sending
// a real SEND_MESSAGE_V2 frame and pulling the stored record back.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureInstalled, pnpm } from './bootstrap.mjs';

ensureInstalled();
pnpm(['run', 'build']);

const protocol = await import('../packages/protocol/dist/index.js');
const { ProcessorTable, RemotingClient, RemotingServer } =
  await import('../packages/remoting/dist/index.js');
const { openMessageStore } = await import('../packages/store/dist/index.js');
const { RemotingCommand, RequestCode, ResponseCode } = protocol;

const storeDir = await mkdtemp(join(tmpdir(), 'rmq-quickstart-'));
const store = await openMessageStore({
  storePathRootDir: storeDir,
  mappedFileSizeCommitLog: 64 * 1024 * 1024,
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
const addr = `127.0.0.1:${server.port}`;
const client = new RemotingClient();
try {
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
  console.log(`\n✓ remoting server on ${addr}, store in ${storeDir}`);
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
    '\nWhat exists now: the RocketMQ 4.x wire codec (@rocketmq-ts/protocol), the transport (@rocketmq-ts/remoting) and the embeddable store (@rocketmq-ts/store).',
  );
  console.log(
    'Coming next (M1-3): bin/mqnamesrv on :9876 and bin/mqbroker on :10911, which this command will then start.',
  );
} finally {
  await client.close();
  await server.close();
  await store.close();
  await rm(storeDir, { recursive: true, force: true });
}
