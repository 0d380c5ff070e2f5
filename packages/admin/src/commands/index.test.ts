import { describe, expect, it } from 'vitest';
import { runMqadmin } from '../cli/run-mqadmin.js';
import { MQADMIN_COMMANDS } from './index.js';

/**
 * Runs mqadmin in-process with every command; nothing here reaches a server (`-n` when given names an address
 * nothing listens on).
 */
async function mqadmin(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const status = await runMqadmin({
    argv,
    env: {},
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    commands: MQADMIN_COMMANDS,
    timeoutMs: 500,
  });
  return { status, out, err };
}

/** {@link mqadmin} with `-n 127.0.0.1:1`. */
function mqadminNoServer(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  return mqadmin(...argv, '-n', '127.0.0.1:1');
}

describe('MQADMIN_COMMANDS', () => {
  it('are listed in RocketMQ 4.9.8 registration order', () => {
    expect(MQADMIN_COMMANDS.map((c) => c.name)).toEqual([
      'updateTopic',
      'deleteTopic',
      'updateSubGroup',
      'deleteSubGroup',
      'updateBrokerConfig',
      'updateTopicPerm',
      'topicRoute',
      'topicStatus',
      'topicClusterList',
      'brokerStatus',
      'queryMsgById',
      'queryMsgByKey',
      'queryMsgByUniqueKey',
      'queryMsgByOffset',
      'printMsg',
      'producerConnection',
      'consumerConnection',
      'consumerProgress',
      'consumerStatus',
      'cloneGroupOffset',
      'clusterList',
      'topicList',
      'updateKvConfig',
      'deleteKvConfig',
      'wipeWritePerm',
      'addWritePerm',
      'resetOffsetByTime',
      'updateOrderConf',
      'cleanExpiredCQ',
      'statsAll',
      'allocateMQ',
      'getNamesrvConfig',
      'getBrokerConfig',
      'sendMessage',
      'consumeMessage',
    ]);
  });

  it('offer --json on the listing and status commands', () => {
    const withJson = MQADMIN_COMMANDS.filter((c) => c.json === true).map((c) => c.name);
    expect(withJson.sort()).toEqual(
      [
        'brokerStatus',
        'clusterList',
        'consumerConnection',
        'consumerProgress',
        'consumerStatus',
        'getBrokerConfig',
        'getNamesrvConfig',
        'producerConnection',
        'queryMsgByKey',
        'statsAll',
        'topicClusterList',
        'topicList',
        'topicRoute',
        'topicStatus',
      ].sort(),
    );
  });
});

describe('topic and cluster commands', () => {
  it('require -b or -c for updateTopic, with the usage on stderr', async () => {
    const { status, err } = await mqadmin('updateTopic', '-t', 'T', '-n', '127.0.0.1:1');
    expect(status).toBe(1);
    expect(err).toContain('Missing required option: [-b create topic to which broker, -c');
    expect(err).toContain('usage: mqadmin updateTopic');
  });

  it.each([
    [
      ['updateTopic', '-c', 'C', '-t', 'T', '-p', '5'],
      'option --perm must be 2 (W), 4 (R) or 6 (RW), got 5',
    ],
    [
      ['updateTopic', '-c', 'C', '-t', 'T', '-r', 'x'],
      'option --readQueueNums must be an integer, got "x"',
    ],
    [
      ['updateTopic', '-c', 'C', '-t', 'T', '-w', '0'],
      'option --writeQueueNums must be from 1 to 1024, got 0',
    ],
    [
      ['updateTopic', '-c', 'C', '-t', 'T', '-o', 'yes'],
      'option --order must be true or false, got "yes"',
    ],
    [
      ['updateOrderConf', '-t', 'T', '-m', 'list'],
      'option --method must be put, get or delete, got "list"',
    ],
    [['updateOrderConf', '-t', 'T', '-m', 'put'], 'please set orderConf with option -v'],
    [['clusterList', '-i', '0'], 'option --interval must be at least 1 second, got 0'],
    [['allocateMQ', '-t', 'T', '-i', 'a,,b'], 'option --ipList must be a comma-separated list'],
  ])('refuse bad values in one line before contacting anything: %j', async (argv, message) => {
    const { status, out, err } = await mqadmin(...argv);
    expect(status).toBe(1);
    expect(out).toBe('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain(message);
  });

  it('say how to give a NameServer when there is none', async () => {
    const { status, err } = await mqadmin('topicList');
    expect(status).toBe(1);
    expect(err).toBe(
      'mqadmin topicList: no NameServer address: pass -n 127.0.0.1:9876 or set NAMESRV_ADDR\n',
    );
  });
});

describe('message and consumer commands', () => {
  it('refuses a time that is neither epoch ms nor yyyy-MM-dd#HH:mm:ss:SSS with one line naming the flag', async () => {
    const r = await mqadminNoServer('resetOffsetByTime', '-g', 'G', '-t', 'T', '-s', 'yesterday');
    expect(r.status).toBe(1);
    expect(r.err).toBe(
      'mqadmin resetOffsetByTime: option -s/--timestamp: "yesterday" is not a time: use epoch milliseconds, now or yyyy-MM-dd#HH:mm:ss:SSS\n',
    );
  });

  it("stops consumeMessage option mistakes with RocketMQ's sentences before connecting", async () => {
    expect((await mqadminNoServer('consumeMessage', '-t', 'T', '-i', '1')).err).toBe(
      'mqadmin consumeMessage: Please set the brokerName before queueId!\n',
    );
    expect((await mqadminNoServer('consumeMessage', '-t', 'T', '-c', '0')).err).toContain(
      'Please input a positive messageNumber!',
    );
    expect(
      (await mqadminNoServer('consumeMessage', '-t', 'T', '-b', 'b', '-o', '3')).err,
    ).toContain('Please set queueId before offset!');
    expect((await mqadminNoServer('sendMessage', '-t', 'T', '-p', 'x', '-i', '1')).err).toContain(
      'Broker name must be set if the queue is chosen!',
    );
  });

  it('requires -b or -c for updateSubGroup and deleteSubGroup, printing the usage', async () => {
    const r = await mqadminNoServer('updateSubGroup', '-g', 'G');
    expect(r.status).toBe(1);
    expect(r.err).toMatch(
      /^Missing required option: \[-b .*, -c .*\]\nusage: mqadmin updateSubGroup /,
    );
  });
});
