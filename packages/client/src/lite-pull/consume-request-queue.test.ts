import { describe, expect, it } from 'vitest';
import { ConsumeRequestQueue } from './consume-request-queue.js';

describe('ConsumeRequestQueue', () => {
  it('hands queued items out in order, at once', async () => {
    const q = new ConsumeRequestQueue<number>();
    q.push(1);
    q.push(2);
    expect(q.size).toBe(2);
    expect(await q.take(1000)).toBe(1);
    expect(await q.take(0)).toBe(2);
    expect(await q.take(0)).toBeUndefined();
  });

  it('wakes waiters in call order when items arrive', async () => {
    const q = new ConsumeRequestQueue<string>();
    const first = q.take(5000);
    const second = q.take(5000);
    q.push('a');
    q.push('b');
    expect(await first).toBe('a');
    expect(await second).toBe('b');
    expect(q.size).toBe(0);
  });

  it('resolves a waiter with undefined at its deadline, and a later push is kept', async () => {
    const q = new ConsumeRequestQueue<string>();
    expect(await q.take(20)).toBeUndefined();
    q.push('late');
    expect(await q.take(0)).toBe('late');
  });

  it('drops selected items and, when closed, everything', async () => {
    const q = new ConsumeRequestQueue<number>();
    for (const n of [1, 2, 3, 4]) q.push(n);
    q.removeWhere((n) => n % 2 === 0);
    expect(await q.take(0)).toBe(1);
    const waiting = q.take(0);
    expect(await waiting).toBe(3);
    const pending = q.take(5000);
    q.close();
    expect(await pending).toBeUndefined();
    q.push(5);
    expect(q.size).toBe(0);
    expect(await q.take(1000)).toBeUndefined();
  });
});
