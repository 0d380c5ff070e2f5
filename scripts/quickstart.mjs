#!/usr/bin/env node
// `npm start`: install (pinned pnpm via npx if needed), build, start what exists of the local cluster and show a
// message going through it.
//
// Milestone M1-1 ships the wire codec and the transport; the NameServer (bin/mqnamesrv) and Broker (bin/mqbroker)
// arrive with M1-3, and this command will then start them. Until then it starts a RocketMQ remoting server on
// 127.0.0.1 and sends it a real SEND_MESSAGE_V2 frame through the RocketMQ remoting client.
import { ensureInstalled, pnpm } from './bootstrap.mjs';

ensureInstalled();
pnpm(['run', 'build']);

const { RemotingCommand, RequestCode, ResponseCode, decodeFrameContent, encodeFrame } =
  await import('../packages/protocol/dist/index.js');
const { ProcessorTable, RemotingClient, RemotingServer } =
  await import('../packages/remoting/dist/index.js');

const received = [];
const table = new ProcessorTable().on(RequestCode.SEND_MESSAGE_V2, {
  process: async (request) => {
    received.push({ topic: request.extFields?.b, body: request.body?.toString('utf8') });
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
      extFields: { msgId: 'demo', queueId: request.extFields?.e ?? '0', queueOffset: '0' },
    });
  },
});
const server = new RemotingServer({ listenPort: 0, host: '127.0.0.1', processors: table });
await server.start();
const addr = `127.0.0.1:${server.port}`;
const client = new RemotingClient();
try {
  const request = RemotingCommand.request(
    RequestCode.SEND_MESSAGE_V2,
    {
      a: 'quickstart-pg',
      b: 'TopicTest',
      c: 'TBW102',
      d: '4',
      e: '0',
      f: '0',
      g: String(Date.now()),
      h: '0',
      i: 'TAGS\u0001TagA\u0002',
    },
    Buffer.from('Hello RocketMQ from rocketmq-ts'),
  );
  const frame = encodeFrame(request);
  const response = await client.invoke(addr, decodeFrameContent(frame.subarray(4)), {
    timeoutMs: 3000,
  });
  console.log(`\n✓ remoting server listening on ${addr}`);
  console.log(
    `✓ sent SEND_MESSAGE_V2 (${frame.length}-byte frame) to topic ${received[0]?.topic}: "${received[0]?.body}"`,
  );
  console.log(
    `✓ response code ${response.code} (SUCCESS), opaque ${response.opaque}, queueId ${response.extFields?.queueId}`,
  );
  console.log(
    '\nWhat exists now (milestone M1-1): the RocketMQ 4.x wire codec (@rocketmq-ts/protocol) and transport (@rocketmq-ts/remoting).',
  );
  console.log(
    'Coming next: the store (M1-2), then bin/mqnamesrv on :9876 and bin/mqbroker on :10911 (M1-3), which this command will start.',
  );
} finally {
  await client.close();
  await server.close();
}
