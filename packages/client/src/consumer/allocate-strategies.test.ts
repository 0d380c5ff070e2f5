import type { MessageQueue } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import {
  AllocateMessageQueueAveragely,
  AllocateMessageQueueAveragelyByCircle,
  AllocateMessageQueueByConfig,
  AllocateMessageQueueConsistentHash,
  md5Hash,
  messageQueueToString,
} from './allocate-strategies.js';
import type { AllocateMessageQueueStrategy } from './allocate-strategies.js';

function queues(count: number, topic = 'TopicTest', brokerName = 'broker-a'): MessageQueue[] {
  return Array.from({ length: count }, (_, queueId) => ({ topic, brokerName, queueId }));
}

function allocateAll(
  strategy: AllocateMessageQueueStrategy,
  mqAll: MessageQueue[],
  cidAll: string[],
): number[][] {
  return cidAll.map((currentCID) =>
    strategy.allocate({ consumerGroup: 'cg', currentCID, mqAll, cidAll }).map((mq) => mq.queueId),
  );
}

describe('AllocateMessageQueueAveragely', () => {
  const avg = new AllocateMessageQueueAveragely();

  it('gives 8 queues to 3 clients as contiguous ranges of 3, 3 and 2', () => {
    expect(allocateAll(avg, queues(8), ['c1', 'c2', 'c3'])).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7],
    ]);
  });

  it('gives one queue each to the first clients when there are more clients than queues', () => {
    expect(allocateAll(avg, queues(2), ['c1', 'c2', 'c3'])).toEqual([[0], [1], []]);
  });

  it('splits evenly when the counts divide', () => {
    expect(allocateAll(avg, queues(4), ['a', 'b'])).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it('allocates nothing to a client missing from the list and reports the name AVG', () => {
    expect(
      avg.allocate({ consumerGroup: 'cg', currentCID: 'x', mqAll: queues(4), cidAll: ['a'] }),
    ).toEqual([]);
    expect(avg.getName()).toBe('AVG');
  });

  it('refuses an empty queue or client list as Java does', () => {
    expect(() =>
      avg.allocate({ consumerGroup: 'cg', currentCID: 'a', mqAll: [], cidAll: ['a'] }),
    ).toThrow(/mqAll/);
    expect(() =>
      avg.allocate({ consumerGroup: 'cg', currentCID: 'a', mqAll: queues(1), cidAll: [] }),
    ).toThrow(/cidAll/);
  });
});

describe('AllocateMessageQueueAveragelyByCircle', () => {
  it('deals 8 queues round-robin to 3 clients', () => {
    const circle = new AllocateMessageQueueAveragelyByCircle();
    expect(allocateAll(circle, queues(8), ['c1', 'c2', 'c3'])).toEqual([
      [0, 3, 6],
      [1, 4, 7],
      [2, 5],
    ]);
    expect(circle.getName()).toBe('AVG_BY_CIRCLE');
  });
});

describe('AllocateMessageQueueConsistentHash', () => {
  it('hashes like Java ConsistentHashRouter.MD5Hash: the first 4 MD5 bytes, unsigned', () => {
    // MD5("abc") = 900150983cd2…
    expect(md5Hash('abc')).toBe(0x90015098);
    expect(messageQueueToString({ topic: 't', brokerName: 'b', queueId: 3 })).toBe(
      'MessageQueue [topic=t, brokerName=b, queueId=3]',
    );
  });

  it('places queues where the Java client does (computed with the 4.9.8 algorithm on a JVM)', () => {
    const cids = ['10.0.0.1@1', '10.0.0.2@2', '10.0.0.3@3'];
    const result = allocateAll(new AllocateMessageQueueConsistentHash(), queues(8), cids);
    expect(result).toEqual([[1, 2, 4, 5, 7], [], [0, 3, 6]]);
  });

  it('assigns every queue to exactly one client and moves few queues when a client leaves', () => {
    const hash = new AllocateMessageQueueConsistentHash({ virtualNodeCnt: 10 });
    const mqAll = queues(64);
    const cids = ['a@1', 'b@2', 'c@3', 'd@4'];
    const before = allocateAll(hash, mqAll, cids);
    expect(before.flat().sort((x, y) => x - y)).toEqual(mqAll.map((q) => q.queueId));
    const after = allocateAll(hash, mqAll, cids.slice(0, 3));
    // Queues of the remaining clients stay where they were.
    for (let i = 0; i < 3; i++) {
      for (const q of before[i]!) expect(after[i]).toContain(q);
    }
    expect(hash.getName()).toBe('CONSISTENT_HASH');
  });

  it('rejects a negative virtual node count', () => {
    expect(() => new AllocateMessageQueueConsistentHash({ virtualNodeCnt: -1 })).toThrow(
      /virtualNodeCnt/,
    );
  });
});

describe('AllocateMessageQueueByConfig', () => {
  it('returns the configured queues whatever the group looks like', () => {
    const fixed = [{ topic: 'TopicTest', brokerName: 'broker-b', queueId: 5 }];
    const byConfig = new AllocateMessageQueueByConfig(fixed);
    expect(
      byConfig.allocate({ consumerGroup: 'cg', currentCID: 'a', mqAll: queues(8), cidAll: ['a'] }),
    ).toEqual(fixed);
    expect(byConfig.getName()).toBe('CONFIG');
  });
});
