import { describe, expect, it } from 'vitest';
import { testMessage } from '../../test/test-message.js';
import type { MessageExt } from '../message/message.js';
import { ProcessQueue } from './process-queue.js';

function msg(queueOffset: number, bodyBytes = 10): MessageExt {
  return testMessage({
    body: Buffer.alloc(bodyBytes),
    msgId: `id-${queueOffset}`,
    offsetMsgId: `off-${queueOffset}`,
    queueOffset,
    commitLogOffset: queueOffset * 100,
  });
}

describe('ProcessQueue (concurrent use)', () => {
  it('commits the smallest offset still in flight, then one past the highest once empty', () => {
    const pq = new ProcessQueue();
    const batch = [10, 11, 12, 13].map((o) => msg(o));
    expect(pq.putMessages(batch)).toBe(true);
    expect(pq.msgCount).toBe(4);
    expect(pq.msgSize).toBe(40);
    expect(pq.maxSpan()).toBe(3);
    // 11 and 12 finish first: 10 is still in flight, so nothing past it may be committed.
    expect(pq.removeMessages([batch[1]!, batch[2]!])).toBe(10);
    expect(pq.removeMessages([batch[0]!])).toBe(13);
    expect(pq.removeMessages([batch[3]!])).toBe(14);
    expect(pq.msgCount).toBe(0);
    expect(pq.msgSize).toBe(0);
  });

  it('answers -1 when nothing was cached and ignores duplicate offsets', () => {
    const pq = new ProcessQueue();
    expect(pq.removeMessages([msg(1)])).toBe(-1);
    pq.putMessages([msg(5), msg(6)]);
    pq.putMessages([msg(6), msg(7)]);
    expect(pq.msgCount).toBe(3);
    expect(pq.firstMessage()?.queueOffset).toBe(5);
    expect(pq.maxOffset).toBe(7);
  });

  it('asks for a dispatch only when no consume run is active (orderly contract)', () => {
    const pq = new ProcessQueue();
    expect(pq.putMessages([msg(0)])).toBe(true);
    expect(pq.putMessages([msg(1)])).toBe(false);
  });
});

describe('ProcessQueue (orderly use)', () => {
  it('takes batches in offset order and commits one past the batch', () => {
    const pq = new ProcessQueue();
    pq.putMessages([0, 1, 2, 3, 4].map((o) => msg(o)));
    expect(pq.takeMessages(2).map((m) => m.queueOffset)).toEqual([0, 1]);
    expect(pq.commit()).toBe(2);
    expect(pq.msgCount).toBe(3);
    expect(pq.takeMessages(2).map((m) => m.queueOffset)).toEqual([2, 3]);
    expect(pq.commit()).toBe(4);
  });

  it('puts a suspended batch back in front so it is consumed again first', () => {
    const pq = new ProcessQueue();
    pq.putMessages([0, 1, 2].map((o) => msg(o)));
    const taken = pq.takeMessages(2);
    pq.makeMessageToConsumeAgain(taken);
    expect(pq.msgCount).toBe(3);
    expect(pq.takeMessages(3).map((m) => m.queueOffset)).toEqual([0, 1, 2]);
    expect(pq.commit()).toBe(3);
    expect(pq.msgCount).toBe(0);
  });

  it('ends the consume run when nothing is left', () => {
    const pq = new ProcessQueue();
    pq.putMessages([msg(0)]);
    expect(pq.consuming).toBe(true);
    pq.takeMessages(1);
    expect(pq.takeMessages(1)).toEqual([]);
    expect(pq.consuming).toBe(false);
    expect(pq.commit()).toBe(1);
    expect(pq.commit()).toBe(-1);
  });

  it('reports lock and pull expiry from its timestamps', () => {
    const pq = new ProcessQueue();
    const now = Date.now();
    pq.lastLockTimestamp = now - 31_000;
    pq.lastPullTimestamp = now - 1000;
    expect(pq.isLockExpired(now)).toBe(true);
    expect(pq.isPullExpired(now)).toBe(false);
    const snapshot = pq.snapshot();
    expect(snapshot.cachedMsgCount).toBe(0);
    expect(snapshot.droped).toBe(false);
  });
});
