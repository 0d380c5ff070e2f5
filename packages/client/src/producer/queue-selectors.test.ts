import type { MessageQueue } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { MQClientError } from '../errors.js';
import { selectByHash, selectByRandom } from './queue-selectors.js';

const queues: MessageQueue[] = Array.from({ length: 8 }, (_, queueId) => ({
  topic: 'T',
  brokerName: 'b',
  queueId,
}));
const message = { topic: 'T', body: 'x' };

describe('selectByHash', () => {
  it("picks abs(String.hashCode % n), as Java's SelectMessageQueueByHash", () => {
    // "order-1".hashCode() = -1207111310 in Java; -1207111310 % 8 = -6 → 6.
    expect(selectByHash(queues, message, 'order-1').queueId).toBe(6);
    // "TagA".hashCode() = 2598919; % 8 = 7.
    expect(selectByHash(queues, message, 'TagA').queueId).toBe(7);
  });

  it('sends the same arg to the same queue and hashes numbers as their decimal string', () => {
    expect(selectByHash(queues, message, 42)).toBe(selectByHash(queues, message, '42'));
    expect(selectByHash(queues, message, 'x')).toBe(selectByHash(queues, message, 'x'));
  });

  it('refuses an empty queue list', () => {
    expect(() => selectByHash([], message, 'a')).toThrow(MQClientError);
  });
});

describe('selectByRandom', () => {
  it('returns one of the queues', () => {
    for (let i = 0; i < 20; i++) expect(queues).toContain(selectByRandom(queues));
    expect(() => selectByRandom([])).toThrow(MQClientError);
  });
});
