import type { ConsumerRunningInfo, ProcessQueueInfo } from '@rocketmq-ts/client';
import { describe, expect, it } from 'vitest';
import {
  formatRunningInfo,
  processQueueWarnings,
  sameSubscription,
} from './running-info-format.js';

const NOW = 1_700_000_600_000;

function pq(overrides: Partial<ProcessQueueInfo> = {}): ProcessQueueInfo {
  return {
    commitOffset: 7,
    cachedMsgMinOffset: 0,
    cachedMsgMaxOffset: 0,
    cachedMsgCount: 0,
    cachedMsgSizeInMiB: 0,
    transactionMsgMinOffset: 0,
    transactionMsgMaxOffset: 0,
    transactionMsgCount: 0,
    locked: false,
    tryUnlockTimes: 0,
    lastLockTimestamp: 0,
    droped: false,
    lastPullTimestamp: 0,
    lastConsumeTimestamp: 0,
    ...overrides,
  };
}

function info(
  subString: string,
  overrides: { started?: number; orderly?: boolean; queue?: Partial<ProcessQueueInfo> } = {},
): ConsumerRunningInfo {
  return {
    properties: new Map([
      ['PROP_CONSUME_TYPE', 'CONSUME_PASSIVELY'],
      ['PROP_CONSUMEORDERLY', String(overrides.orderly ?? false)],
      ['PROP_CONSUMER_START_TIMESTAMP', String(overrides.started ?? NOW - 600_000)],
    ]),
    subscriptionSet: [
      {
        topic: 'TopicTest',
        subString,
        tagsSet: [],
        codeSet: [],
        subVersion: Math.random(),
        expressionType: 'TAG',
        classFilterMode: false,
      },
    ],
    mqTable: [[{ topic: 'TopicTest', brokerName: 'broker-a', queueId: 1 }, pq(overrides.queue)]],
    statusTable: new Map([
      [
        'TopicTest',
        {
          pullRT: 1,
          pullTPS: 2.5,
          consumeRT: 3,
          consumeOKTPS: 4,
          consumeFailedTPS: 0,
          consumeFailedMsgs: 0,
        },
      ],
    ]),
  };
}

describe('formatRunningInfo', () => {
  it('prints the sections of Java ConsumerRunningInfo.formatString', () => {
    const text = formatRunningInfo(info('TagA'));
    expect(text.startsWith('#Consumer Properties#\n')).toBe(true);
    expect(text).toContain(`${'PROP_CONSUME_TYPE'.padEnd(40)}: CONSUME_PASSIVELY\n`);
    expect(text).toContain(
      `\n\n#Consumer Subscription#\n001 Topic: ${'TopicTest'.padEnd(40)} ClassFilter: false    SubExpression: TagA\n`,
    );
    expect(text).toContain(`\n\n#Consumer Offset#\n`);
    expect(text).toContain(
      `${'TopicTest'.padEnd(32)}  ${'broker-a'.padEnd(32)}  1     ${'7'.padEnd(20)}\n`,
    );
    expect(text).toContain('ProcessQueueInfo [commitOffset=7, cachedMsgMinOffset=0');
    expect(text).toContain(
      `${'TopicTest'.padEnd(32)}  ${'1.00'.padStart(14)} ${'2.50'.padStart(14)} ${'3.00'.padStart(14)} `,
    );
    expect(text).not.toContain('#Consumer jstack#');
  });
});

describe('sameSubscription', () => {
  it('compares topic@expression of push consumers that ran over two minutes, not subVersion', () => {
    expect(sameSubscription([info('TagA'), info('TagA')], NOW)).toBe(true);
    expect(sameSubscription([info('TagA'), info('TagB')], NOW)).toBe(false);
  });

  it('does not judge consumers that just started, as Java', () => {
    expect(sameSubscription([info('TagA', { started: NOW - 1000 }), info('TagB')], NOW)).toBe(true);
  });
});

describe('processQueueWarnings', () => {
  it('flags concurrent queues with cached messages and nothing consumed for a minute', () => {
    const stuck = info('*', { queue: { cachedMsgCount: 3, lastConsumeTimestamp: NOW - 61_000 } });
    expect(processQueueWarnings('c1', stuck, NOW)).toEqual([
      "c1 MessageQueue [topic=TopicTest, brokerName=broker-a, queueId=1] can't consume for a while, maybe blocked, 61000ms",
    ]);
    expect(processQueueWarnings('c1', info('*'), NOW)).toEqual([]);
  });

  it('flags orderly queues that are not locked', () => {
    const unlocked = info('*', { orderly: true, queue: { lastLockTimestamp: NOW - 5000 } });
    expect(processQueueWarnings('c1', unlocked, NOW)[0]).toMatch(/can't lock for a while, 5000ms$/);
  });
});
