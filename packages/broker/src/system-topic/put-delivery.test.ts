import { createMemoryLogger } from '@rocketmq-ts/protocol';
import type { LogLine } from '@rocketmq-ts/protocol';
import type { PutMessageResult } from '@rocketmq-ts/store';
import { describe, expect, it } from 'vitest';
import { settleDelivery } from './put-delivery.js';
import type { RealDelivery } from './real-destination.js';

const PUT: RealDelivery = {
  kind: 'put',
  input: {
    topic: 'T',
    queueId: 0,
    body: Buffer.from('b'),
    bornTimestamp: 0,
    bornHost: { host: '127.0.0.1', port: 1 },
    storeHost: { host: '127.0.0.1', port: 2 },
  },
};

function settle(
  delivery: RealDelivery,
  result: PromiseSettledResult<PutMessageResult | undefined>,
) {
  const lines: LogLine[] = [];
  const settled = settleDelivery({
    delivery,
    result,
    logger: createMemoryLogger(lines),
    noun: 'timer',
    fields: { phyOffset: 7 },
  });
  return { settled, lines };
}

function putResult(status: PutMessageResult['status']): PromiseFulfilledResult<PutMessageResult> {
  return { status: 'fulfilled', value: { status, storeTimestamp: 5 } as PutMessageResult };
}

describe('settleDelivery', () => {
  it('counts stored statuses as done with the put result', () => {
    for (const status of ['PUT_OK', 'FLUSH_DISK_TIMEOUT', 'SLAVE_NOT_AVAILABLE'] as const) {
      const { settled, lines } = settle(PUT, putResult(status));
      expect(settled.done).toBe(true);
      expect(settled.stored?.status).toBe(status);
      expect(lines).toEqual([]);
    }
  });

  it('drops skips and messages refused for good, logging errors', () => {
    const skipped = settle(
      { kind: 'skip', reason: 'gone' },
      { status: 'fulfilled', value: undefined },
    );
    expect(skipped.settled).toEqual({ done: true });
    expect(skipped.lines[0]).toMatchObject({
      level: 'error',
      message: 'dropped a timer message that cannot be delivered',
      fields: { phyOffset: 7, reason: 'gone' },
    });
    const refused = settle(PUT, putResult('MESSAGE_ILLEGAL'));
    expect(refused.settled).toEqual({ done: true });
    expect(refused.lines[0]?.message).toBe('dropped a timer message the store refuses');
  });

  it('asks for a retry after a thrown put or a status that may change', () => {
    const thrown = settle(PUT, { status: 'rejected', reason: new Error('closed') });
    expect(thrown.settled.done).toBe(false);
    expect(thrown.lines[0]?.message).toBe('timer message put failed; will retry');
    const busy = settle(PUT, putResult('OS_PAGECACHE_BUSY'));
    expect(busy.settled.done).toBe(false);
    expect(busy.lines[0]?.message).toBe('timer message put refused; will retry');
  });
});
