import { describe, expect, it } from 'vitest';
import { runMqadmin } from '../cli/run-mqadmin.js';
import { MESSAGE_CONSUMER_COMMANDS } from './message-consumer-commands.js';

/** Runs mqadmin with these commands against a NameServer address nothing listens on (never reached here). */
async function mqadmin(
  ...argv: string[]
): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runMqadmin({
    argv: [...argv, '-n', '127.0.0.1:1'],
    env: {},
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    commands: MESSAGE_CONSUMER_COMMANDS,
    timeoutMs: 500,
  });
  return { status, stdout, stderr };
}

describe('MESSAGE_CONSUMER_COMMANDS', () => {
  it('holds the fifteen commands with unique names, the listing/status ones offering --json', () => {
    const names = MESSAGE_CONSUMER_COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(15);
    expect(
      MESSAGE_CONSUMER_COMMANDS.filter((c) => c.json === true)
        .map((c) => c.name)
        .sort(),
    ).toEqual([
      'consumerConnection',
      'consumerProgress',
      'consumerStatus',
      'producerConnection',
      'queryMsgByKey',
    ]);
  });

  it('refuses a time that is neither epoch ms nor yyyy-MM-dd#HH:mm:ss:SSS with one line naming the flag', async () => {
    const r = await mqadmin('resetOffsetByTime', '-g', 'G', '-t', 'T', '-s', 'yesterday');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'mqadmin resetOffsetByTime: option -s/--timestamp: "yesterday" is not a time: use epoch milliseconds, now or yyyy-MM-dd#HH:mm:ss:SSS\n',
    );
  });

  it("stops consumeMessage option mistakes with RocketMQ's sentences before connecting", async () => {
    expect((await mqadmin('consumeMessage', '-t', 'T', '-i', '1')).stderr).toBe(
      'mqadmin consumeMessage: Please set the brokerName before queueId!\n',
    );
    expect((await mqadmin('consumeMessage', '-t', 'T', '-c', '0')).stderr).toContain(
      'Please input a positive messageNumber!',
    );
    expect((await mqadmin('consumeMessage', '-t', 'T', '-b', 'b', '-o', '3')).stderr).toContain(
      'Please set queueId before offset!',
    );
    expect((await mqadmin('sendMessage', '-t', 'T', '-p', 'x', '-i', '1')).stderr).toContain(
      'Broker name must be set if the queue is chosen!',
    );
  });

  it('requires -b or -c for updateSubGroup and deleteSubGroup, printing the usage', async () => {
    const r = await mqadmin('updateSubGroup', '-g', 'G');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^Missing required option: \[-b .*, -c .*\]\nusage: mqadmin updateSubGroup /,
    );
  });
});
