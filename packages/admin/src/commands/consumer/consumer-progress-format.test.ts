import type { GroupConsumeStats } from '@rocketmq-ts/client';
import { messageQueueKey } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../human-time.js';
import {
  clientIpByQueue,
  consumerProgressLines,
  groupProgressLines,
} from './consumer-progress-format.js';

const LAST = new Date(2024, 5, 1, 12, 0, 0).getTime();
const mq0 = { topic: 'TopicTest', brokerName: 'broker-a', queueId: 0 };
const mq1 = { topic: 'TopicTest', brokerName: 'broker-a', queueId: 1 };

const STATS: GroupConsumeStats = {
  queues: [
    { mq: mq0, brokerOffset: 10, consumerOffset: 7, lag: 3, lastTimestamp: LAST },
    { mq: mq1, brokerOffset: 4, consumerOffset: 0, lag: 4, lastTimestamp: 0 },
  ],
  diffTotal: 7,
  consumeTps: 1.5,
};

describe('consumerProgressLines', () => {
  it('prints the 4.9.8 columns, one row per queue, then Consume TPS and Diff Total', () => {
    const lines = consumerProgressLines(STATS);
    expect(lines[0]).toBe(
      `${'#Topic'.padEnd(64)}  ${'#Broker Name'.padEnd(32)}  #QID  ${'#Broker Offset'.padEnd(20)}  ` +
        `${'#Consumer Offset'.padEnd(20)}  ${'#Diff'.padEnd(20)}  #LastTime`,
    );
    expect(lines[1]).toBe(
      `${'TopicTest'.padEnd(64)}  ${'broker-a'.padEnd(32)}  0     ${'10'.padEnd(20)}  ${'7'.padEnd(20)}  ` +
        `${'3'.padEnd(20)}  ${formatDateTime(LAST)}`,
    );
    expect(lines[2]?.endsWith(`${'4'.padEnd(20)}  N/A`)).toBe(true);
    expect(lines.slice(3)).toEqual(['', 'Consume TPS: 1.50', 'Diff Total: 7']);
  });

  it('adds the #Client IP column with -s true, N/A for queues no client holds', () => {
    const ips = clientIpByQueue([{ clientId: '10.0.0.5@c1', queues: [mq0] }]);
    expect(ips.get(messageQueueKey(mq0))).toBe('10.0.0.5');
    const lines = consumerProgressLines(STATS, ips);
    expect(lines[0]).toContain(
      `${'#Consumer Offset'.padEnd(20)}  ${'#Client IP'.padEnd(20)} #Diff`,
    );
    expect(lines[1]).toContain(`${'10.0.0.5'.padEnd(20)} ${'3'.padEnd(20)}  `);
    expect(lines[2]).toContain(`${'N/A'.padEnd(20)} ${'4'.padEnd(20)}  N/A`);
  });

  it('cuts topics to 64 and broker names to 32 characters, as Java frontStringAtLeast', () => {
    const long = { topic: 'T'.repeat(70), brokerName: 'b'.repeat(40), queueId: 2 };
    const [, row] = consumerProgressLines({
      queues: [{ mq: long, brokerOffset: 1, consumerOffset: 1, lag: 0, lastTimestamp: 0 }],
      diffTotal: 0,
      consumeTps: 0,
    });
    expect(row?.startsWith(`${'T'.repeat(64)}  ${'b'.repeat(32)}  2   `)).toBe(true);
  });
});

describe('groupProgressLines', () => {
  it('prints online groups with version, type and model, offline ones as OFFLINE', () => {
    const lines = groupProgressLines([
      {
        group: 'G1',
        count: 2,
        minVersion: 409,
        consumeType: 'CONSUME_PASSIVELY',
        messageModel: 'CLUSTERING',
        consumeTps: 12.9,
        diffTotal: 5,
      },
      { group: 'G2', count: 0, minVersion: 0, consumeTps: 0, diffTotal: 3 },
      {
        group: 'G3',
        count: 1,
        minVersion: 409,
        consumeType: 'CONSUME_ACTIVELY',
        consumeTps: 0,
        diffTotal: 0,
      },
    ]);
    expect(lines[0]).toBe(
      `${'#Group'.padEnd(64)}  #Count  ${'#Version'.padEnd(24)} #Type  ${'#Model'.padEnd(14)}  #TPS     #Diff Total`,
    );
    expect(lines[1]).toBe(
      `${'G1'.padEnd(64)}  2       ${'V4_9_8'.padEnd(24)} PUSH   ${'CLUSTERING'.padEnd(14)}  12       5`,
    );
    expect(lines[2]).toBe(
      `${'G2'.padEnd(64)}  0       ${'OFFLINE'.padEnd(24)}        ${''.padEnd(14)}  0        3`,
    );
    expect(lines[3]).toContain(`${'V4_9_8'.padEnd(24)} PULL   ${''.padEnd(14)}  0 `);
  });
});
