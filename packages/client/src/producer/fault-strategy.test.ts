import type { QueueData, TopicRouteData } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { topicRouteToPublishInfo } from '../route/topic-route-info.js';
import {
  FaultStrategy,
  LatencyFaultTolerance,
  computeNotAvailableDuration,
} from './fault-strategy.js';
import { PublishQueues, publishQueuesFromDefaultTopic } from './publish-queues.js';

function route(brokers: Array<[string, number]>): TopicRouteData {
  return {
    queueDatas: brokers.map(([brokerName, n]): QueueData => ({
      brokerName,
      readQueueNums: n,
      writeQueueNums: n,
      perm: 6,
      topicSysFlag: 0,
    })),
    brokerDatas: brokers.map(([brokerName], i) => ({
      cluster: 'c',
      brokerName,
      brokerAddrs: new Map([[0, `127.0.0.1:${10911 + i}`]]),
    })),
    filterServerTable: new Map(),
  };
}

function queuesOf(brokers: Array<[string, number]>, startIndex = 0): PublishQueues {
  return new PublishQueues(topicRouteToPublishInfo('T', route(brokers)), { startIndex });
}

const key = (mq: { brokerName: string; queueId: number } | undefined): string =>
  mq === undefined ? 'none' : `${mq.brokerName}/${mq.queueId}`;

describe('PublishQueues', () => {
  it('goes round-robin over every writable queue', () => {
    const q = queuesOf([
      ['b', 2],
      ['a', 2],
    ]);
    const picked = Array.from({ length: 5 }, () => key(q.selectOne()));
    // Queues are sorted by broker name: a/0 a/1 b/0 b/1; the position starts at 0 and is advanced first.
    expect(picked).toEqual(['a/1', 'b/0', 'b/1', 'a/0', 'a/1']);
  });

  it('avoids the broker of the failed attempt while another one has queues', () => {
    const q = queuesOf([
      ['a', 2],
      ['b', 2],
    ]);
    for (let i = 0; i < 8; i++) expect(q.selectOneAvoiding('a')?.brokerName).toBe('b');
    const single = queuesOf([['a', 2]]);
    expect(single.selectOneAvoiding('a')?.brokerName).toBe('a');
  });

  it('selects nothing when there is no writable queue', () => {
    const q = queuesOf([]);
    expect(q.ok).toBe(false);
    expect(q.selectOne()).toBeUndefined();
  });

  it('caps the template topic route at defaultTopicQueueNums for a topic without route', () => {
    const q = publishQueuesFromDefaultTopic({
      topic: 'New',
      defaultRoute: route([
        ['a', 8],
        ['b', 2],
      ]),
      defaultTopicQueueNums: 4,
    });
    expect(q.fromDefaultTopic).toBe(true);
    expect(q.messageQueues.map(key)).toEqual(['a/0', 'a/1', 'a/2', 'a/3', 'b/0', 'b/1']);
    expect(q.messageQueues.every((mq) => mq.topic === 'New')).toBe(true);
  });
});

describe('computeNotAvailableDuration', () => {
  it('maps latency to the 4.x isolation table', () => {
    const table: Array<[number, number]> = [
      [0, 0],
      [99, 0],
      [549, 0],
      [550, 30_000],
      [1000, 60_000],
      [2000, 120_000],
      [3000, 180_000],
      [14_999, 180_000],
      [15_000, 600_000],
      [30_000, 600_000],
    ];
    for (const [latency, duration] of table) {
      expect(computeNotAvailableDuration(latency)).toBe(duration);
    }
  });
});

describe('LatencyFaultTolerance', () => {
  it('keeps a broker out for its duration, then lets it back', () => {
    let now = 1000;
    const t = new LatencyFaultTolerance(() => now);
    t.updateFaultItem('a', 600, 30_000);
    expect(t.isAvailable('a')).toBe(false);
    expect(t.isAvailable('b')).toBe(true);
    now += 30_000;
    expect(t.isAvailable('a')).toBe(true);
  });

  it('picks the least bad broker: available first, then lower latency', () => {
    const now = 1000;
    const t = new LatencyFaultTolerance(() => now);
    expect(t.pickOneAtLeast()).toBeUndefined();
    t.updateFaultItem('slow', 3000, 180_000);
    expect(t.pickOneAtLeast()).toBe('slow');
    t.updateFaultItem('fast', 600, 30_000);
    t.updateFaultItem('ok', 10, 0);
    // Three items: the better half is one item, the available one.
    expect(t.pickOneAtLeast()).toBe('ok');
  });
});

describe('FaultStrategy', () => {
  it('without latency fault avoidance only skips the last failed broker and records nothing', () => {
    const s = new FaultStrategy({ sendLatencyFaultEnable: false });
    const q = queuesOf([
      ['a', 1],
      ['b', 1],
    ]);
    s.updateFaultItem('a', 60_000, true);
    expect(s.tolerance.isAvailable('a')).toBe(true);
    expect(s.selectOneMessageQueue(q, 'b')?.brokerName).toBe('a');
  });

  it('with latency fault avoidance skips an isolated broker for 600 s', () => {
    let now = 0;
    const s = new FaultStrategy({ sendLatencyFaultEnable: true, clock: () => now });
    const q = queuesOf([
      ['a', 2],
      ['b', 2],
    ]);
    s.updateFaultItem('a', 5, true);
    for (let i = 0; i < 6; i++) expect(s.selectOneMessageQueue(q, undefined)?.brokerName).toBe('b');
    now = 599_999;
    expect(s.selectOneMessageQueue(q, undefined)?.brokerName).toBe('b');
    now = 600_000;
    const brokers = new Set(
      Array.from({ length: 4 }, () => s.selectOneMessageQueue(q, undefined)?.brokerName),
    );
    expect(brokers).toEqual(new Set(['a', 'b']));
  });

  it('falls back to a queue on the least bad broker when every broker is out', () => {
    const s = new FaultStrategy({ sendLatencyFaultEnable: true, clock: () => 0 });
    const q = queuesOf([
      ['a', 2],
      ['b', 3],
    ]);
    s.updateFaultItem('a', 20_000, false); // 600 s
    s.updateFaultItem('b', 700, false); // 30 s, lower latency
    const mq = s.selectOneMessageQueue(q, undefined);
    expect(mq?.brokerName).toBe('b');
    expect(mq?.topic).toBe('T');
    expect(mq!.queueId).toBeLessThan(3);
  });

  it('forgets a fallback broker that is not in the route and goes round-robin', () => {
    const s = new FaultStrategy({ sendLatencyFaultEnable: true, clock: () => 0 });
    const q = queuesOf([['a', 2]]);
    s.updateFaultItem('a', 20_000, false);
    s.updateFaultItem('gone', 1, true);
    s.updateFaultItem('gone2', 2, true);
    // 'a', 'gone', 'gone2' are all out; the better half is 'gone' (lowest latency), which the route lacks.
    expect(s.selectOneMessageQueue(q, undefined)?.brokerName).toBe('a');
    expect(s.tolerance.isAvailable('gone')).toBe(true);
  });
});
