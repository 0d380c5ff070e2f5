import { describe, expect, it } from 'vitest';
import { runMqadmin } from '../cli/run-mqadmin.js';
import { TOPIC_CLUSTER_COMMANDS } from './topic-cluster-commands.js';

/** Runs mqadmin in-process with these commands; nothing here reaches a server. */
async function mqadmin(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const status = await runMqadmin({
    argv,
    env: {},
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    commands: TOPIC_CLUSTER_COMMANDS,
  });
  return { status, out, err };
}

describe('topic and cluster commands', () => {
  it('are listed in RocketMQ 4.9.8 registration order', () => {
    expect(TOPIC_CLUSTER_COMMANDS.map((c) => c.name)).toEqual([
      'updateTopic',
      'deleteTopic',
      'updateBrokerConfig',
      'updateTopicPerm',
      'topicRoute',
      'topicStatus',
      'topicClusterList',
      'brokerStatus',
      'clusterList',
      'topicList',
      'updateKvConfig',
      'deleteKvConfig',
      'wipeWritePerm',
      'addWritePerm',
      'updateOrderConf',
      'cleanExpiredCQ',
      'statsAll',
      'allocateMQ',
      'getNamesrvConfig',
      'getBrokerConfig',
    ]);
  });

  it('offer --json on the listing and status commands', () => {
    const withJson = TOPIC_CLUSTER_COMMANDS.filter((c) => c.json === true).map((c) => c.name);
    expect(withJson.sort()).toEqual(
      [
        'brokerStatus',
        'clusterList',
        'getBrokerConfig',
        'getNamesrvConfig',
        'statsAll',
        'topicClusterList',
        'topicList',
        'topicRoute',
        'topicStatus',
      ].sort(),
    );
  });

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
