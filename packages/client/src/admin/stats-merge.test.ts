import { describe, expect, it } from 'vitest';
import { mergeConsumeStats, mergeTopicStats } from './stats-merge.js';

const mq = (brokerName: string, queueId: number, topic = 'T') => ({ topic, brokerName, queueId });

describe('mergeConsumeStats', () => {
  it('merges the brokers of a group, sorted by queue, with each lag and the totals', () => {
    const merged = mergeConsumeStats([
      {
        consumeTps: 1.5,
        offsetTable: [
          [mq('broker-b', 0), { brokerOffset: 10, consumerOffset: 4, lastTimestamp: 7 }],
          [mq('broker-b', 1, '%RETRY%g'), { brokerOffset: 0, consumerOffset: 0, lastTimestamp: 0 }],
        ],
      },
      {
        consumeTps: 2,
        offsetTable: [
          [mq('broker-a', 1), { brokerOffset: 5, consumerOffset: 5, lastTimestamp: 9 }],
          [mq('broker-a', 0), { brokerOffset: 3, consumerOffset: 1, lastTimestamp: 8 }],
        ],
      },
    ]);
    expect(merged.queues.map((q) => [q.mq.topic, q.mq.brokerName, q.mq.queueId, q.lag])).toEqual([
      ['%RETRY%g', 'broker-b', 1, 0],
      ['T', 'broker-a', 0, 2],
      ['T', 'broker-a', 1, 0],
      ['T', 'broker-b', 0, 6],
    ]);
    expect(merged.diffTotal).toBe(8);
    expect(merged.consumeTps).toBe(3.5);
  });

  it('keeps the later answer for a queue reported twice, as Java putAll does', () => {
    const merged = mergeConsumeStats([
      {
        consumeTps: 0,
        offsetTable: [[mq('b', 0), { brokerOffset: 1, consumerOffset: 0, lastTimestamp: 0 }]],
      },
      {
        consumeTps: 0,
        offsetTable: [[mq('b', 0), { brokerOffset: 2, consumerOffset: 2, lastTimestamp: 0 }]],
      },
    ]);
    expect(merged.queues).toHaveLength(1);
    expect(merged.queues[0]).toMatchObject({ brokerOffset: 2, consumerOffset: 2, lag: 0 });
  });

  it('gives an empty result for no answers', () => {
    expect(mergeConsumeStats([])).toEqual({ queues: [], diffTotal: 0, consumeTps: 0 });
  });
});

describe('mergeTopicStats', () => {
  it('merges the brokers of a topic, sorted by broker name and queue id', () => {
    const merged = mergeTopicStats([
      { offsetTable: [[mq('b', 1), { minOffset: 0, maxOffset: 4, lastUpdateTimestamp: 3 }]] },
      { offsetTable: [[mq('a', 0), { minOffset: 1, maxOffset: 2, lastUpdateTimestamp: 5 }]] },
    ]);
    expect(merged).toEqual([
      { mq: mq('a', 0), minOffset: 1, maxOffset: 2, lastUpdateTimestamp: 5 },
      { mq: mq('b', 1), minOffset: 0, maxOffset: 4, lastUpdateTimestamp: 3 },
    ]);
  });
});
