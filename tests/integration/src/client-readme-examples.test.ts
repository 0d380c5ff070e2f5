/**
 * Keeps packages/client/README.md truthful: every ```ts block of the README appears verbatim (imports aside) in one of
 * the example functions below, which run against a real mqnamesrv + mqbroker and must move messages end to end; the
 * README's option tables list every `*_DEFAULTS` constant with its value. The examples take the NameServer list
 * from NAMESRV_ADDR, as the README says, so the test sets it to the test cluster's.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  CLIENT_DEFAULTS,
  LITE_PULL_CONSUMER_DEFAULTS,
  LitePullConsumer,
  MQAdmin,
  MQ_ADMIN_DEFAULTS,
  MQBrokerError,
  MQClientError,
  PRODUCER_DEFAULTS,
  PUSH_CONSUMER_DEFAULTS,
  Producer,
  PushConsumer,
  selectByHash,
} from '@rocketmq-ts/client';
import type { GroupConsumeStats, MessageExt, SendResult } from '@rocketmq-ts/client';
import { ResponseCode } from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { startCluster, waitFor } from '@rocketmq-ts/testkit';
import type { TestCluster } from '@rocketmq-ts/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTopic } from './support/broker-admin.js';

const README_PATH = fileURLToPath(new URL('../../../packages/client/README.md', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);

let cluster: TestCluster;
let remoting: RemotingClient;
const running: { shutdown(): Promise<void> }[] = [];

beforeAll(async () => {
  cluster = await startCluster({
    brokers: 1,
    brokerConfig: {
      mappedFileSizeCommitLog: 16 << 20,
      // The README's RECONSUME_LATER comes back after a second instead of the 10 s of delay level 3.
      messageDelayLevel: Array.from({ length: 18 }, () => '1s').join(' '),
    },
  });
  remoting = new RemotingClient();
  vi.stubEnv('NAMESRV_ADDR', cluster.namesrvAddr);
}, 60_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await remoting?.close();
  await cluster?.stop();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.shutdown()));
});

// ---- The application code the README examples call ("your code"). ----

/** What `handleOrder` was given, in order; the first call for `order-1002` fails (RECONSUME_LATER). */
const handled: MessageExt[] = [];
const failOnce = new Set(['order-1002']);

function handleOrder(msg: MessageExt): Promise<boolean> {
  handled.push(msg);
  return Promise.resolve(msg.keys === undefined || !failOnce.delete(msg.keys));
}

const workflow: MessageExt[] = [];

function advanceWorkflow(msg: MessageExt): Promise<boolean> {
  workflow.push(msg);
  return Promise.resolve(true);
}

const audited: MessageExt[] = [];
/** Ends the README's poll loop: set after the first audited batch, or by the test's deadline. */
let stopping = false;

function audit(msg: MessageExt): Promise<void> {
  audited.push(msg);
  stopping = true;
  return Promise.resolve();
}

// ---- The README's examples, verbatim (the first test checks it). ----

async function quickStartExample(): Promise<SendResult> {
  const producer = new Producer({ producerGroup: 'quick-start' }); // NameServer: NAMESRV_ADDR
  await producer.start();
  const sent = await producer.send({ topic: 'Orders', tags: 'created', body: 'hello' });
  await producer.shutdown();
  return sent;
}

async function producerExample(): Promise<SendResult> {
  const producer = new Producer({ producerGroup: 'order-producers' });
  await producer.start();

  // One message: tags for consumer-side filtering, keys to find it again (mqadmin queryMsgByKey).
  const result = await producer.send({
    topic: 'Orders',
    tags: 'created',
    keys: ['order-1001', 'customer-42'],
    properties: { region: 'eu' },
    body: JSON.stringify({ orderId: 1001, amount: 25 }),
  });
  // result.sendStatus: 'SEND_OK'; result.msgId: the id consumers see (UNIQ_KEY);
  // result.messageQueue and result.queueOffset: where the broker stored it.

  // Several messages of one topic in one request, stored one after the other in one queue.
  await producer.sendBatch([
    { topic: 'Orders', tags: 'created', keys: 'order-1002', body: '{"orderId":1002}' },
    { topic: 'Orders', tags: 'created', keys: 'order-1003', body: '{"orderId":1003}' },
  ]);

  // Ordered: the same arg picks the same queue, so an orderly consumer sees these in send order.
  for (const step of ['created', 'paid', 'shipped']) {
    await producer.send(
      { topic: 'Orders', tags: step, keys: 'order-1004', body: `order-1004 ${step}` },
      { selector: selectByHash, arg: 'order-1004' },
    );
  }

  // Fire and forget: resolves once the request is written; nothing says whether it was stored.
  await producer.sendOneway({ topic: 'Orders', tags: 'audit', body: 'order-1001 viewed' });

  await producer.shutdown();
  return result;
}

async function pushConsumerExample(): Promise<PushConsumer> {
  const consumer = new PushConsumer({
    consumerGroup: 'order-consumers',
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', // where a group without committed offsets starts
  });
  consumer.subscribe('Orders', 'created || paid');
  consumer.registerMessageListener(async (msgs) => {
    for (const msg of msgs) {
      // msg.body (a Buffer), msg.tags, msg.keys, msg.properties, msg.msgId, msg.reconsumeTimes
      if (!(await handleOrder(msg))) return 'RECONSUME_LATER'; // delivered again later
    }
    return 'CONSUME_SUCCESS';
  });
  await consumer.start();
  return consumer;
}

async function orderlyConsumerExample(): Promise<PushConsumer> {
  const orderly = new PushConsumer({
    consumerGroup: 'order-workflow',
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    messageListenerOrderly: async (msgs) => {
      for (const msg of msgs) {
        if (!(await advanceWorkflow(msg))) return 'SUSPEND_CURRENT_QUEUE_A_MOMENT'; // same batch again
      }
      return 'SUCCESS';
    },
  });
  orderly.subscribe('Orders', '*');
  await orderly.start();
  return orderly;
}

async function litePullExample(): Promise<void> {
  const puller = new LitePullConsumer({
    consumerGroup: 'order-audit',
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  });
  await puller.subscribe('Orders', 'created');
  await puller.start();
  while (!stopping) {
    // poll(): up to pullBatchSize messages of one queue; [] after pollTimeoutMillis without any
    for (const msg of await puller.poll()) await audit(msg);
  }
  await puller.shutdown(); // with autoCommit (the default) commits what poll() returned
}

async function adminExample(): Promise<GroupConsumeStats> {
  const admin = new MQAdmin();
  await admin.start();
  await admin.createTopicOnCluster('DefaultCluster', {
    topicName: 'Orders',
    readQueueNums: 4,
    writeQueueNums: 4,
  });
  const stats = await admin.consumeStats('order-consumers', 'Orders');
  // stats.diffTotal: messages not consumed yet; stats.queues: each queue's brokerOffset, consumerOffset, lag
  await admin.close();
  return stats;
}

async function errorsExample(producer: Producer): Promise<void> {
  try {
    await producer.send({ topic: 'Orders', body: '' });
  } catch (error) {
    if (error instanceof MQClientError && error.code === ResponseCode.MESSAGE_ILLEGAL) {
      // refused before anything was sent (here: the body is empty)
    } else if (error instanceof MQBrokerError) {
      // a broker or NameServer refused: error.code, error.addr
    } else {
      throw error;
    }
  }
}

// ---- README parsing. ----

/** The bodies of the ```ts fences. */
function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** Lines without their indentation, blank lines dropped: a block indented in a function still matches. */
function normalized(code: string): string {
  return code
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

/** `import { A, B } from 'm'` statements of a text as module → imported names (value and type imports alike). */
function importedNames(code: string): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  for (const m of code.matchAll(/^import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'([^']+)';/gm)) {
    const set = names.get(m[2]!) ?? new Set<string>();
    for (const name of m[1]!.split(',')) if (name.trim() !== '') set.add(name.trim());
    names.set(m[2]!, set);
  }
  return names;
}

/** The `| \`option\` | default | … |` rows of the table under a `### heading`, as option → default cell. */
function tableDefaults(markdown: string, heading: string): Map<string, string> {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`the README has no "${heading}" section`);
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(/^#{2,3} /m);
  const rows = new Map<string, string>();
  for (const line of (end === -1 ? rest : rest.slice(0, end)).split('\n')) {
    const m = /^\|\s*`(\w+)`\s*\|\s*(.*?)\s*\|/.exec(line);
    if (m !== null) rows.set(m[1]!, m[2]!);
  }
  return rows;
}

describe('the @rocketmq-ts/client README', () => {
  it('contains only examples that this file runs verbatim, with the imports this file makes', async () => {
    const [readme, self] = await Promise.all([
      readFile(README_PATH, 'utf8'),
      readFile(THIS_FILE, 'utf8'),
    ]);
    const blocks = tsBlocks(readme);
    expect(blocks.length).toBe(7);
    const selfCode = normalized(self);
    const selfImports = importedNames(self);
    for (const block of blocks) {
      const code = block
        .split('\n')
        .filter((line) => !line.startsWith('import '))
        .join('\n');
      expect(selfCode, `README block not found verbatim in this file:\n${code}`).toContain(
        normalized(code),
      );
      for (const [module, names] of importedNames(block)) {
        for (const name of names) {
          expect(selfImports.get(module)?.has(name), `${name} from ${module}`).toBe(true);
        }
      }
    }
  });

  it('lists every default of CLIENT_, PRODUCER_, PUSH_CONSUMER_, LITE_PULL_CONSUMER_ and MQ_ADMIN_DEFAULTS', async () => {
    const readme = await readFile(README_PATH, 'utf8');
    const tables: [string, Readonly<Record<string, unknown>>][] = [
      ['### Common options', CLIENT_DEFAULTS],
      ['### Producer options', PRODUCER_DEFAULTS],
      ['### PushConsumer options', PUSH_CONSUMER_DEFAULTS],
      ['### LitePullConsumer options', LITE_PULL_CONSUMER_DEFAULTS],
      ['### MQAdmin options', MQ_ADMIN_DEFAULTS],
    ];
    for (const [heading, defaults] of tables) {
      const rows = tableDefaults(readme, heading);
      for (const [key, value] of Object.entries(defaults)) {
        expect(rows.get(key), `${heading}: ${key}`).toBe(`\`${String(value)}\``);
      }
    }
  });

  it('runs the producer, consumer and admin examples against a real cluster', async () => {
    const topic = { client: remoting, brokerAddr: cluster.brokers[0]!.addr };
    await createTopic({
      ...topic,
      namesrvAddr: cluster.namesrvAddr,
      topic: 'Orders',
      queueNums: 4,
    });
    // The broker creates %RETRY%order-consumers at the group's first heartbeat but registers it with the NameServer
    // in the background, after answering; PushConsumer.start() reads the route right after that heartbeat and, when
    // it is not there yet, only finds it at the next 20 s rebalance. Created up front, the retry is seen in a second.
    await createTopic({
      ...topic,
      namesrvAddr: cluster.namesrvAddr,
      topic: '%RETRY%order-consumers',
      queueNums: 1,
    });
    const consumer = await pushConsumerExample();
    running.push(consumer);
    const orderly = await orderlyConsumerExample();
    running.push(orderly);

    const hello = await quickStartExample();
    const result = await producerExample();
    expect([hello.sendStatus, result.sendStatus]).toEqual(['SEND_OK', 'SEND_OK']);
    const errorsProducer = new Producer({ producerGroup: 'readme-errors' });
    running.push(errorsProducer);
    await errorsProducer.start();
    await errorsExample(errorsProducer);
    await expect(errorsProducer.send({ topic: 'Orders', body: '' })).rejects.toMatchObject({
      code: ResponseCode.MESSAGE_ILLEGAL,
    });

    // Concurrent listener: the `created || paid` messages, order-1002 twice (RECONSUME_LATER, then its retry).
    const handledKeys = (): string[] => handled.map((m) => m.keys ?? m.body.toString()).sort();
    await waitFor(() => handledKeys().length >= 7, {
      description: 'the README consumer to handle 6 messages and one retry',
      timeoutMs: 15_000,
    });
    expect(handledKeys()).toEqual([
      'hello',
      'order-1001 customer-42',
      'order-1002',
      'order-1002',
      'order-1003',
      'order-1004',
      'order-1004',
    ]);
    const first = handled.find((m) => m.keys === 'order-1001 customer-42')!;
    expect(first.msgId).toBe(result.msgId);
    expect(first.tags).toBe('created');
    expect(first.properties.get('region')).toBe('eu');
    expect(JSON.parse(first.body.toString())).toEqual({ orderId: 1001, amount: 25 });
    const retried = handled.filter((m) => m.keys === 'order-1002');
    expect(retried.map((m) => m.reconsumeTimes)).toEqual([0, 1]);

    // Orderly listener: every message, order-1004's steps in send order.
    await waitFor(() => workflow.filter((m) => m.keys === 'order-1004').length === 3, {
      description: 'the README orderly consumer to see the three steps of order-1004',
      timeoutMs: 15_000,
    });
    expect(workflow.filter((m) => m.keys === 'order-1004').map((m) => m.tags)).toEqual([
      'created',
      'paid',
      'shipped',
    ]);

    // Lite pull: a first non-empty poll ends the README loop (the timer only bounds a broken run).
    const deadline = setTimeout(() => {
      stopping = true;
    }, 15_000);
    try {
      await litePullExample();
    } finally {
      clearTimeout(deadline);
    }
    expect(audited.length).toBeGreaterThan(0);
    expect(new Set(audited.map((m) => m.tags))).toEqual(new Set(['created']));

    // Shut down first so the committed offsets are the final ones, then read them with the admin example.
    await Promise.all(running.splice(0).map((c) => c.shutdown()));
    const stats = await adminExample();
    expect(stats.queues.map((q) => q.mq.queueId).sort()).toEqual([0, 1, 2, 3]);
    expect(stats.diffTotal).toBe(0);
  }, 60_000);
});
