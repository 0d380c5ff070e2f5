/**
 * The mqadmin message, consumer-group and offset commands (packages/admin/dist/main.js, run as a process) against a
 * real mqnamesrv + mqbroker: consumer progress and message tracks of a group consumed by a PushConsumer, message
 * lookups by id / key / unique key / offset, connections (with the subscription-mismatch warning), consumer status,
 * offset resets and clones, sendMessage / consumeMessage / printMsg, subscription-group administration, and the
 * one-line errors. Output formats are RocketMQ 4.9.8's.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MQAdmin, Producer, PushConsumer } from '@rocketmq-ts/client';
import type {
  ConsumeConcurrentlyStatus,
  MessageExt,
  PushConsumerInit,
  SendResult,
} from '@rocketmq-ts/client';
import { createOffsetMessageId } from '@rocketmq-ts/protocol';
import { startCluster, waitFor } from '@rocketmq-ts/testkit';
import type { TestCluster } from '@rocketmq-ts/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const MQADMIN = fileURLToPath(new URL('../../../packages/admin/dist/main.js', import.meta.url));
const CLUSTER = 'DefaultCluster';
const QUEUES = 4;

let cluster: TestCluster;
let admin: MQAdmin;
let producer: Producer;
const consumers: PushConsumer[] = [];
const dirs: string[] = [];
let seq = 0;
/** TMPDIR of the mqadmin processes: message bodies go to <TMPDIR>/rocketmq/msgbodys, removed afterwards. */
let bodyTmp = '';

beforeAll(async () => {
  bodyTmp = await mkdtemp(join(tmpdir(), 'rmq-mqadmin-tmp-'));
  cluster = await startCluster({ brokers: 1, brokerConfig: { mappedFileSizeCommitLog: 16 << 20 } });
  admin = new MQAdmin({ namesrvAddr: cluster.namesrvAddr });
  await admin.start();
  producer = new Producer({
    producerGroup: 'it-mqadmin-pg',
    namesrvAddr: cluster.namesrvAddr,
    instanceName: 'it-mqadmin-producer',
    heartbeatBrokerInterval: 1000,
  });
  await producer.start();
}, 60_000);

afterAll(async () => {
  await producer?.shutdown();
  await admin?.close();
  await cluster?.stop();
  if (bodyTmp !== '') await rm(bodyTmp, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.shutdown()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

function broker(): { addr: string; name: string } {
  const b = cluster.brokers[0]!;
  return { addr: b.addr, name: b.brokerName };
}

interface Run {
  status: number;
  stdout: string;
  stderr: string;
  lines: string[];
}

/** `node packages/admin/dist/main.js <args> -n <namesrv>`, bounded by a timeout. */
function mqadmin(args: readonly string[], options: { cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MQADMIN, ...args, '-n', cluster.namesrvAddr],
      {
        timeout: 30_000,
        cwd: options.cwd,
        env: { ...process.env, NAMESRV_ADDR: '', TMPDIR: bodyTmp },
      },
      (error, stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ status, stdout, stderr, lines: stdout.split('\n') });
      },
    );
  });
}

/** Runs a command that must succeed; its stdout lines. */
async function ok(args: readonly string[], options: { cwd?: string } = {}): Promise<string[]> {
  const r = await mqadmin(args, options);
  if (r.status !== 0) throw new Error(`mqadmin ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  expect(r.stderr).toBe('');
  return r.lines;
}

/** Runs a command that must fail with exactly one line on stderr; that line. */
async function fails(args: readonly string[]): Promise<string> {
  const r = await mqadmin(args);
  expect(r.status).toBe(1);
  const errLines = r.stderr.trimEnd().split('\n');
  expect(errLines).toHaveLength(1);
  return errLines[0]!;
}

async function newTopic(prefix: string): Promise<string> {
  const topic = `${prefix}${++seq}_${Date.now()}`;
  await admin.createTopicOnCluster(CLUSTER, {
    topicName: topic,
    readQueueNums: QUEUES,
    writeQueueNums: QUEUES,
  });
  return topic;
}

async function send(
  topic: string,
  body: string,
  extra: { tags?: string; keys?: string; queueId?: number } = {},
): Promise<SendResult> {
  return producer.send(
    {
      topic,
      body,
      ...(extra.tags === undefined ? {} : { tags: extra.tags }),
      ...(extra.keys === undefined ? {} : { keys: extra.keys }),
    },
    extra.queueId === undefined
      ? {}
      : { queue: { topic, brokerName: broker().name, queueId: extra.queueId } },
  );
}

async function startConsumer(
  init: Omit<PushConsumerInit, 'namesrvAddr'>,
  subscription: { topic: string; expression?: string },
): Promise<PushConsumer> {
  const consumer = new PushConsumer({
    namesrvAddr: cluster.namesrvAddr,
    clientIP: '127.0.0.1',
    heartbeatBrokerInterval: 1000,
    persistConsumerOffsetInterval: 200,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    ...init,
  });
  consumer.subscribe(subscription.topic, subscription.expression ?? '*');
  consumers.push(consumer);
  await consumer.start();
  return consumer;
}

/** Waits until the broker has the group's offsets at the end of every queue it consumes. */
async function waitCaughtUp(group: string, topic: string): Promise<void> {
  await waitFor(
    async () => {
      const stats = await admin.consumeStats(group, topic).catch(() => undefined);
      return stats !== undefined && stats.queues.length > 0 && stats.diffTotal === 0;
    },
    { description: `${group} to commit every offset of ${topic}`, timeoutMs: 15_000 },
  );
}

function line(lines: readonly string[], prefix: string): string {
  const found = lines.find((l) => l.startsWith(prefix));
  if (found === undefined)
    throw new Error(`no line starting with "${prefix}" in:\n${lines.join('\n')}`);
  return found;
}

function label(name: string, value: string | number): string {
  return `${name.padEnd(20)} ${value}`;
}

const PROGRESS_HEADER =
  `${'#Topic'.padEnd(64)}  ${'#Broker Name'.padEnd(32)}  #QID  ${'#Broker Offset'.padEnd(20)}  ` +
  `${'#Consumer Offset'.padEnd(20)}  ${'#Diff'.padEnd(20)}  #LastTime`;

describe('mqadmin consumer progress and message tracks', () => {
  it('shows the Diff of a group that consumed M of N messages and who consumed each message', async () => {
    const topic = await newTopic('MqaProgress');
    const group = `it-mqa-progress-${seq}`;
    const first: SendResult[] = [];
    for (let i = 0; i < 6; i++)
      first.push(await send(topic, `m${i}`, { tags: 'TagA', keys: `key-${i}` }));

    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const consumed = new Set<string>();
    let holding = false;
    const consumer = await startConsumer(
      {
        consumerGroup: group,
        instanceName: 'mqa-progress',
        messageListener: async (msgs: MessageExt[]): Promise<ConsumeConcurrentlyStatus> => {
          for (const msg of msgs) {
            if (msg.body.toString() === 'hold') {
              holding = true;
              await gate;
            }
            consumed.add(msg.msgId);
          }
          return 'CONSUME_SUCCESS';
        },
      },
      { topic },
    );
    await waitFor(() => consumed.size === 6, {
      description: 'the first six messages to be consumed',
    });
    await waitCaughtUp(group, topic);

    let lines = await ok(['consumerProgress', '-g', group]);
    expect(lines[0]).toBe(PROGRESS_HEADER);
    const rows = lines.filter((l) => l.startsWith(topic));
    expect(rows).toHaveLength(QUEUES);
    for (const row of rows)
      expect(row).toMatch(new RegExp(`^${topic} +${broker().name} +\\d +\\d+ +\\d+ +0 +`));
    expect(line(lines, 'Consume TPS: ')).toMatch(/^Consume TPS: \d+\.\d\d$/);
    expect(lines).toContain('Diff Total: 0');

    // A consumed message: its detail block and the group's CONSUMED track.
    const done = first[0]!;
    lines = await ok(['queryMsgById', '-i', done.offsetMsgId]);
    expect(lines.slice(0, 5)).toEqual([
      label('OffsetID:', done.offsetMsgId),
      label('Topic:', topic),
      label('Tags:', '[TagA]'),
      label('Keys:', '[key-0]'),
      label('Queue ID:', done.messageQueue.queueId),
    ]);
    expect(lines).toContain(label('Queue Offset:', done.queueOffset));
    expect(line(lines, 'Properties:')).toContain(`UNIQ_KEY=${done.msgId}`);
    const bodyPath = line(lines, 'Message Body Path:').slice(21);
    expect(bodyPath).toBe(join(bodyTmp, 'rocketmq', 'msgbodys', done.msgId));
    expect(await readFile(bodyPath, 'utf8')).toBe('m0');
    expect(lines).toContain(
      `MessageTrack [consumerGroup=${group}, trackType=CONSUMED, exceptionDesc=null]`,
    );

    // A message the listener is still holding: not consumed yet, and one message of Diff.
    const held = await send(topic, 'hold');
    await waitFor(() => holding, { description: 'the listener to hold the message' });
    lines = await ok(['queryMsgById', '-i', held.offsetMsgId]);
    expect(lines).toContain(
      `MessageTrack [consumerGroup=${group}, trackType=NOT_CONSUME_YET, exceptionDesc=null]`,
    );
    expect(await ok(['consumerProgress', '-g', group])).toContain('Diff Total: 1');

    // Release it, stop the group after 7 consumed, and produce 4 more: N = 11, M = 7.
    release();
    await waitFor(() => consumed.size === 7, { description: 'the held message to be consumed' });
    await waitCaughtUp(group, topic);
    await consumer.shutdown();
    for (let i = 0; i < 4; i++) await send(topic, `late${i}`);
    lines = await ok(['consumerProgress', '-g', group]);
    expect(lines).toContain('Diff Total: 4');

    // The list view: the group is offline now, with its total Diff.
    lines = await ok(['consumerProgress']);
    expect(lines[0]).toBe(
      `${'#Group'.padEnd(64)}  #Count  ${'#Version'.padEnd(24)} #Type  ${'#Model'.padEnd(14)}  #TPS     #Diff Total`,
    );
    expect(line(lines, `${group} `)).toMatch(new RegExp(`^${group} +0 +OFFLINE +0 +4$`));

    const json = JSON.parse((await ok(['consumerProgress', '-g', group, '--json']))[0]!) as {
      diffTotal: number;
      queues: { topic: string; diff: number }[];
    };
    expect(json.diffTotal).toBe(4);
    expect(json.queues.filter((q) => q.topic === topic)).toHaveLength(QUEUES);
  });

  it('shows the client IP of each queue with -s true', async () => {
    const topic = await newTopic('MqaClientIp');
    const group = `it-mqa-ip-${seq}`;
    await send(topic, 'x');
    await startConsumer(
      {
        consumerGroup: group,
        instanceName: 'mqa-ip',
        messageListener: () => Promise.resolve('CONSUME_SUCCESS'),
      },
      { topic },
    );
    await waitCaughtUp(group, topic);
    const lines = await ok(['consumerProgress', '-g', group, '-s', 'true']);
    expect(lines[0]).toContain(
      `${'#Consumer Offset'.padEnd(20)}  ${'#Client IP'.padEnd(20)} #Diff`,
    );
    for (const row of lines.filter((l) => l.startsWith(topic))) {
      expect(row).toContain(`${'127.0.0.1'.padEnd(20)} `);
    }
  });
});

describe('mqadmin message lookups', () => {
  it('finds a message by key, by unique key and by queue offset', async () => {
    const topic = await newTopic('MqaLookup');
    const sent = await send(topic, 'find me', {
      tags: 'TagL',
      keys: 'lookup-key other',
      queueId: 2,
    });
    await waitFor(
      async () => (await admin.queryMessageByKey({ topic, key: 'lookup-key' })).length === 1,
      { description: 'the key index to hold the message' },
    );

    let lines = await ok(['queryMsgByKey', '-t', topic, '-k', 'lookup-key']);
    expect(lines[0]).toBe(
      `${'#Message ID'.padEnd(50)} ${'#QID'.padStart(4)} ${'#Offset'.padStart(40)}`,
    );
    expect(lines[1]).toBe(
      `${sent.msgId.padEnd(50)} ${'2'.padStart(4)} ${String(sent.queueOffset).padStart(40)}`,
    );
    const json = JSON.parse(
      (await ok(['queryMsgByKey', '-t', topic, '-k', 'lookup-key', '--json']))[0]!,
    ) as { msgId: string; offsetMsgId: string }[];
    expect(json).toEqual([
      expect.objectContaining({ msgId: sent.msgId, offsetMsgId: sent.offsetMsgId }),
    ]);

    lines = await ok(['queryMsgByUniqueKey', '-i', sent.msgId, '-t', topic]);
    expect(lines[0]).toBe(label('Topic:', topic));
    expect(lines).toContain(label('Keys:', '[lookup-key other]'));
    expect(lines.some((l) => l.startsWith('OffsetID:'))).toBe(false);
    expect(lines).toContain('WARN: No Consumer');

    lines = await ok([
      'queryMsgByOffset',
      '-t',
      topic,
      '-b',
      broker().name,
      '-i',
      '2',
      '-o',
      String(sent.queueOffset),
      '-f',
      'UTF-8',
    ]);
    expect(lines[0]).toBe(label('OffsetID:', sent.offsetMsgId));
    expect(lines).toContain(label('Message Body:', 'find me'));

    // 5.x's -t: a producer msgId is looked up as a unique key.
    lines = await ok(['queryMsgById', '-i', sent.msgId, '-t', topic]);
    expect(lines[0]).toBe(label('OffsetID:', sent.offsetMsgId));
  });
});

describe('mqadmin connections and consumer status', () => {
  it('lists the members of a group and warns when they subscribe to a topic with different tags', async () => {
    const topic = await newTopic('MqaTags');
    const group = `it-mqa-tags-${seq}`;
    const listener = (): Promise<ConsumeConcurrentlyStatus> => Promise.resolve('CONSUME_SUCCESS');
    const a = await startConsumer(
      { consumerGroup: group, instanceName: 'mqa-a', messageListener: listener },
      { topic, expression: 'TagA' },
    );
    const b = await startConsumer(
      { consumerGroup: group, instanceName: 'mqa-b', messageListener: listener },
      { topic, expression: 'TagB' },
    );
    await waitFor(
      async () => {
        const cc = await admin.consumerConnection(group).catch(() => undefined);
        return (
          cc !== undefined &&
          cc.connectionSet.length === 2 &&
          cc.subscriptionMismatches.length === 1
        );
      },
      { description: 'both members and the mismatch to show', timeoutMs: 15_000 },
    );

    const lines = await ok(['consumerConnection', '-g', group]);
    expect(lines[0]).toBe(
      `${'#ClientId'.padEnd(36)} ${'#ClientAddr'.padEnd(22)} ${'#Language'.padEnd(10)} #Version`,
    );
    for (const c of [a, b]) expect(line(lines, `${c.clientId!} `)).toMatch(/ JAVA +V4_9_8$/);
    const sub = lines.indexOf('Below is subscription:');
    expect(lines[sub - 1]).toBe('');
    expect(lines[sub + 1]).toBe(`${'#Topic'.padEnd(20)} #SubExpression`);
    // The group's topics (its own and %RETRY%), then the warning, then the group settings.
    const settings = lines.indexOf('ConsumeType: CONSUME_PASSIVELY');
    const subscriptions = lines.slice(sub + 2, settings - 2).sort();
    expect(subscriptions).toHaveLength(2);
    expect(subscriptions[0]).toBe(`${`%RETRY%${group}`.padEnd(20)} *`);
    expect(subscriptions[1]).toMatch(new RegExp(`^${topic} Tag[AB]$`));
    const warn = lines[settings - 2]!;
    expect(warn).toMatch(
      new RegExp(
        `^WARN: members of group ${group} subscribe differently to topic ${topic}: Tag[AB] \\[.+\\], Tag[AB] \\[.+\\] — messages filtered out by one member are not delivered to the others; use one subscription per group$`,
      ),
    );
    expect(warn).toContain(`TagA [${a.clientId!}]`);
    expect(warn).toContain(`TagB [${b.clientId!}]`);
    expect(lines.slice(settings - 1, settings + 3)).toEqual([
      '',
      'ConsumeType: CONSUME_PASSIVELY',
      'MessageModel: CLUSTERING',
      'ConsumeFromWhere: CONSUME_FROM_FIRST_OFFSET',
    ]);

    const viaBroker = await ok(['consumerConnection', '-g', group, '-b', broker().addr, '--json']);
    const json = JSON.parse(viaBroker[0]!) as {
      connections: unknown[];
      subscriptionMismatches: unknown[];
    };
    expect(json.connections).toHaveLength(2);
    expect(json.subscriptionMismatches).toHaveLength(1);

    // consumerStatus writes each report under the working directory and lists the clients.
    const cwd = await mkdtemp(join(tmpdir(), 'rmq-mqadmin-'));
    dirs.push(cwd);
    const status = await ok(['consumerStatus', '-g', group], { cwd });
    expect(status[0]).toBe(
      `${'#Index'.padEnd(10)} ${'#ClientId'.padEnd(40)} ${'#Version'.padEnd(20)} #ConsumerRunningInfoFile`,
    );
    const row = line(status, '1  ');
    const file = row.split(/ +/).at(-1)!;
    expect(await readFile(join(cwd, file), 'utf8')).toMatch(/^#Consumer Properties#\n/);
    expect(status).toContain('Same subscription in the same group of consumer');
    expect(status).toContain('Rebalance OK');

    const one = await ok(['consumerStatus', '-g', group, '-i', a.clientId!]);
    // Subscriptions sorted as Java's TreeSet: %RETRY%<group> first.
    expect(one.join('\n')).toContain(
      `\n\n#Consumer Subscription#\n001 Topic: ${`%RETRY%${group}`.padEnd(40)} ClassFilter: false    SubExpression: *\n` +
        `002 Topic: ${topic.padEnd(40)} ClassFilter: false    SubExpression: TagA\n`,
    );
  });

  it('lists the live producers of a group', async () => {
    const topic = await newTopic('MqaProducer');
    await send(topic, 'p');
    await waitFor(() => admin.producerConnection('it-mqadmin-pg', topic).catch(() => undefined), {
      description: 'the producer heartbeat to reach the broker',
    });
    const lines = await ok(['producerConnection', '-g', 'it-mqadmin-pg', '-t', topic]);
    expect(lines[0]).toMatch(/^0001 {2}\S+@it-mqadmin-producer +\S+:\d+ +JAVA +V4_9_8$/);
  });
});

describe('mqadmin offsets', () => {
  it('resets offsets by time and clones them to another group', async () => {
    const topic = await newTopic('MqaReset');
    const group = `it-mqa-reset-${seq}`;
    const before = Date.now() - 1000;
    for (let i = 0; i < 5; i++) await send(topic, `r${i}`);
    const consumer = await startConsumer(
      {
        consumerGroup: group,
        instanceName: 'mqa-reset',
        messageListener: () => Promise.resolve('CONSUME_SUCCESS'),
      },
      { topic },
    );
    await waitCaughtUp(group, topic);
    await consumer.shutdown();

    const stamp = formatLocal(before);
    let lines = await ok(['resetOffsetByTime', '-g', group, '-t', topic, '-s', stamp]);
    expect(lines[0]).toBe(
      `rollback consumer offset by specified group[${group}], topic[${topic}], force[true], timestamp(string)[${stamp}], timestamp(long)[${before}]`,
    );
    expect(lines[1]).toBe(
      `${'#brokerName'.padEnd(40)}  ${'#queueId'.padEnd(40)}  ${'#offset'.padEnd(40)}`,
    );
    expect(lines.filter((l) => l.startsWith(broker().name))).toHaveLength(QUEUES);
    expect(await ok(['consumerProgress', '-g', group])).toContain('Diff Total: 5');

    await ok(['resetOffsetByTime', '-g', group, '-t', topic, '-s', 'now']);
    expect(await ok(['consumerProgress', '-g', group])).toContain('Diff Total: 0');

    await ok(['resetOffsetByTime', '-g', group, '-t', topic, '-s', String(before)]);
    const dest = `${group}-copy`;
    lines = await ok(['cloneGroupOffset', '-s', group, '-d', dest, '-t', topic]);
    expect(lines[0]).toBe(
      `clone group offset success. srcGroup[${group}], destGroup=[${dest}], topic[${topic}]`,
    );
    lines = await ok(['consumerProgress', '-g', dest]);
    expect(lines.filter((l) => l.startsWith(topic))).toHaveLength(QUEUES);
    expect(lines).toContain('Diff Total: 5');
  });
});

describe('mqadmin send and pull', () => {
  it('sends messages and reads them back with consumeMessage and printMsg', async () => {
    const topic = await newTopic('MqaSend');
    let lines = await ok(['sendMessage', '-t', topic, '-p', 'hello', '-k', 'kk', '-c', 'TagZ']);
    expect(lines[0]).toBe(
      `${'#Broker Name'.padEnd(32)}  ${'#QID'.padEnd(4)}  ${'#Send Result'.padEnd(20)}    #MsgId`,
    );
    const [brokerName, qid, result, msgId] = lines[1]!.split(/ +/);
    expect([brokerName, result]).toEqual([broker().name, 'SEND_OK']);
    // The first send picked its queue itself; the second goes to another one, so each queue holds one message.
    const otherQueue = qid === '3' ? '2' : '3';
    lines = await ok([
      'sendMessage',
      '-t',
      topic,
      '-p',
      'second',
      '-b',
      broker().name,
      '-i',
      otherQueue,
    ]);
    expect(lines[1]).toMatch(
      new RegExp(`^${broker().name} +${otherQueue} +SEND_OK +[0-9A-F]{32}$`),
    );

    lines = await ok(['consumeMessage', '-t', topic]);
    expect(lines.filter((l) => l === 'Consume ok').length).toBeGreaterThanOrEqual(1);
    const hello = line(lines, `MSGID: ${msgId!} `);
    expect(hello).toContain(`MessageExt [brokerName=${broker().name}, queueId=${qid!}, storeSize=`);
    expect(hello).toMatch(/ BODY: hello$/);
    expect(lines.some((l) => l.endsWith('BODY: second'))).toBe(true);

    lines = await ok([
      'consumeMessage',
      '-t',
      topic,
      '-b',
      broker().name,
      '-i',
      otherQueue,
      '-o',
      '0',
      '-c',
      '1',
    ]);
    expect(lines.filter((l) => l.startsWith('MSGID: '))).toHaveLength(1);
    expect(line(lines, 'MSGID: ')).toMatch(/ BODY: second$/);

    lines = await ok(['printMsg', '-t', topic]);
    expect(line(lines, 'minOffset=0, maxOffset=1, MessageQueue [topic=')).toContain(
      `brokerName=${broker().name}`,
    );
    expect(lines.filter((l) => l.startsWith('minOffset='))).toHaveLength(QUEUES);
    expect(lines.filter((l) => l === '-'.repeat(56))).toHaveLength(QUEUES);
    expect(line(lines, `MSGID: ${msgId!} `)).toMatch(/ BODY: hello$/);

    lines = await ok(['printMsg', '-t', topic, '-s', 'TagZ', '-d', 'false']);
    expect(lines.filter((l) => l.startsWith('MSGID: '))).toEqual([
      expect.stringMatching(/ BODY: NOT PRINT BODY$/),
    ]);
  });
});

describe('mqadmin subscription groups', () => {
  it('creates, updates and deletes a subscription group on a broker and on a cluster', async () => {
    const group = `it-mqa-sub-${++seq}`;
    const { addr } = broker();
    let lines = await ok(['updateSubGroup', '-b', addr, '-g', group, '-r', '5', '-q', '2']);
    expect(lines[0]).toBe(`create subscription group to ${addr} success.`);
    expect(lines[1]).toBe(
      `SubscriptionGroupConfig [groupName=${group}, consumeEnable=true, consumeFromMinEnable=false, ` +
        'consumeBroadcastEnable=false, retryQueueNums=2, retryMaxTimes=5, brokerId=0, ' +
        'whichBrokerWhenConsumeSlowly=1, notifyConsumerIdsChangedEnable=true]',
    );
    let table = (await admin.allSubscriptionGroups(addr)).subscriptionGroupTable;
    expect(table.get(group)).toMatchObject({
      retryMaxTimes: 5,
      retryQueueNums: 2,
      consumeBroadcastEnable: false,
    });

    lines = await ok(['updateSubGroup', '-c', CLUSTER, '-g', group, '-r', '7', '-s', 'false']);
    expect(lines[0]).toBe(`create subscription group to ${addr} success.`);
    table = (await admin.allSubscriptionGroups(addr)).subscriptionGroupTable;
    expect(table.get(group)).toMatchObject({ retryMaxTimes: 7, consumeEnable: false });

    lines = await ok(['deleteSubGroup', '-b', addr, '-g', group]);
    expect(lines[0]).toBe(`delete subscription group [${group}] from broker [${addr}] success.`);
    expect((await admin.allSubscriptionGroups(addr)).subscriptionGroupTable.has(group)).toBe(false);

    await ok(['updateSubGroup', '-b', addr, '-g', group]);
    lines = await ok(['deleteSubGroup', '-c', CLUSTER, '-g', group, '-r', 'true']);
    expect(lines[0]).toBe(
      `delete subscription group [${group}] from broker [${addr}] in cluster [${CLUSTER}] success.`,
    );
    expect((await admin.allSubscriptionGroups(addr)).subscriptionGroupTable.has(group)).toBe(false);
  });
});

describe('mqadmin errors', () => {
  it('fails with one line for unknown groups, missing messages and bad arguments', async () => {
    expect(await fails(['consumerProgress', '-g', 'it-mqa-nobody'])).toMatch(
      /^mqadmin consumerProgress: consumer group it-mqa-nobody has no consume progress/,
    );
    expect(await fails(['consumerConnection', '-g', 'it-mqa-nobody'])).toMatch(
      /^mqadmin consumerConnection: consumer group it-mqa-nobody is not online/,
    );
    const [host, port] = broker().addr.split(':');
    const nowhere = createOffsetMessageId({ host: host!, port: Number(port) }, 987_654_321);
    expect(await fails(['queryMsgById', '-i', nowhere])).toMatch(
      new RegExp(`^mqadmin queryMsgById: Message not found! msgId ${nowhere}: `),
    );
    const topic = await newTopic('MqaErrors');
    expect(await fails(['queryMsgByUniqueKey', '-i', '0'.repeat(32), '-t', topic])).toMatch(
      /^mqadmin queryMsgByUniqueKey: Message not found! /,
    );
    expect(
      await fails(['queryMsgByOffset', '-t', topic, '-b', broker().name, '-i', '0', '-o', '5']),
    ).toMatch(/^mqadmin queryMsgByOffset: Message not found! /);
    expect(await fails(['printMsg', '-t', topic, '-b', 'last tuesday'])).toBe(
      'mqadmin printMsg: option -b/--beginTimestamp: "last tuesday" is not a time: use epoch milliseconds or yyyy-MM-dd#HH:mm:ss:SSS',
    );
    expect(await fails(['printMsg', '-t', 'it-mqa-no-such-topic'])).toMatch(
      /^mqadmin printMsg: topic it-mqa-no-such-topic does not exist/,
    );
    const missing = await mqadmin(['queryMsgByKey', '-t', topic]);
    expect(missing.status).toBe(1);
    expect(missing.stderr.split('\n')[0]).toBe('Missing required option: k');
    expect(existsSync(MQADMIN)).toBe(true);
  });
});

/** `yyyy-MM-dd#HH:mm:ss:SSS` in the local zone, as an operator would type it. */
function formatLocal(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}#${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}:${p(d.getMilliseconds(), 3)}`;
}
