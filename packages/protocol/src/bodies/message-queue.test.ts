import { describe, expect, it } from 'vitest';
import { compareMessageQueue, messageQueueKey } from './message-queue.js';

describe('messageQueueKey', () => {
  it('gives equal keys for equal queues and different keys when any part differs', () => {
    const a = { topic: 't', brokerName: 'b', queueId: 1 };
    expect(messageQueueKey({ ...a })).toBe(messageQueueKey(a));
    expect(messageQueueKey({ ...a, queueId: 2 })).not.toBe(messageQueueKey(a));
    expect(messageQueueKey({ topic: 't@b', brokerName: '', queueId: 1 })).not.toBe(
      messageQueueKey({ topic: 't', brokerName: 'b', queueId: 1 }),
    );
  });
});

describe('compareMessageQueue', () => {
  it('orders by topic, then broker name, then queue id like Java', () => {
    const queues = [
      { topic: 'b', brokerName: 'x', queueId: 0 },
      { topic: 'a', brokerName: 'y', queueId: 0 },
      { topic: 'a', brokerName: 'x', queueId: 10 },
      { topic: 'a', brokerName: 'x', queueId: 2 },
    ];
    expect([...queues].sort(compareMessageQueue)).toEqual([
      queues[3],
      queues[2],
      queues[1],
      queues[0],
    ]);
  });
});
