import { describe, expect, it } from 'vitest';
import { PullRequestHoldService } from './pull-request-hold-service.js';

describe('PullRequestHoldService', () => {
  it('wakes the pulls of a queue whose offset the new max passed, and only those', async () => {
    const hold = new PullRequestHoldService();
    const atFive = hold.park({ topic: 'T', queueId: 0, queueOffset: 5, holdMs: 10_000 });
    const atSeven = hold.park({ topic: 'T', queueId: 0, queueOffset: 7, holdMs: 10_000 });
    const otherQueue = hold.park({ topic: 'T', queueId: 1, queueOffset: 0, holdMs: 10_000 });
    expect(hold.size).toBe(3);
    hold.notifyMessageArriving('T', 0, 6);
    await expect(atFive).resolves.toBe('arrived');
    expect(hold.size).toBe(2);
    hold.notifyMessageArriving('T', 0, 8);
    await expect(atSeven).resolves.toBe('arrived');
    hold.close();
    await expect(otherQueue).resolves.toBe('shutdown');
    expect(hold.size).toBe(0);
  });

  it('ends a pull at its hold time, and answers at once after close', async () => {
    const hold = new PullRequestHoldService();
    const startedAt = Date.now();
    await expect(hold.park({ topic: 'T', queueId: 0, queueOffset: 0, holdMs: 50 })).resolves.toBe(
      'timeout',
    );
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(45);
    hold.close();
    await expect(
      hold.park({ topic: 'T', queueId: 0, queueOffset: 0, holdMs: 10_000 }),
    ).resolves.toBe('shutdown');
  });
});
