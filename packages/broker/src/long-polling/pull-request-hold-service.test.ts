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

  it('wakes the pulls of a closed connection at once, and only those', async () => {
    const hold = new PullRequestHoldService();
    const closing = hold.park({
      topic: 'T',
      queueId: 0,
      queueOffset: 0,
      holdMs: 10_000,
      channelId: 1,
    });
    const closingToo = hold.park({
      topic: 'U',
      queueId: 2,
      queueOffset: 3,
      holdMs: 10_000,
      channelId: 1,
    });
    const staying = hold.park({
      topic: 'T',
      queueId: 0,
      queueOffset: 0,
      holdMs: 10_000,
      channelId: 2,
    });
    hold.releaseChannel(1);
    await expect(closing).resolves.toBe('closed');
    await expect(closingToo).resolves.toBe('closed');
    expect(hold.size).toBe(1);
    hold.releaseChannel(1); // nothing left of it: no effect
    hold.notifyMessageArriving('T', 0, 1);
    await expect(staying).resolves.toBe('arrived');
    expect(hold.size).toBe(0);
  });
});
