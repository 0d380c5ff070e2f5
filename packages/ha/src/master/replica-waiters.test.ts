import { afterEach, describe, expect, it } from 'vitest';
import { ReplicaWaiters } from './replica-waiters.js';
import type { ReplicaWaitResult } from './replica-waiters.js';

const open: ReplicaWaiters[] = [];
afterEach(() => {
  while (open.length > 0) open.pop()!.settleAll('FLUSH_SLAVE_TIMEOUT');
});

function waiters(): ReplicaWaiters {
  const w = new ReplicaWaiters(10);
  open.push(w);
  return w;
}

function track(promise: Promise<ReplicaWaitResult>): { result: ReplicaWaitResult | undefined } {
  const state: { result: ReplicaWaitResult | undefined } = { result: undefined };
  void promise.then((r) => (state.result = r));
  return state;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ReplicaWaiters', () => {
  it('settles every wait at or below an ack, in any insertion order', async () => {
    const w = waiters();
    const ends = [300, 100, 200, 500, 400, 100];
    const states = ends.map((end) => track(w.add(end, 60_000)));
    w.ack(250);
    await tick();
    expect(states.map((s) => s.result)).toEqual([
      undefined,
      'PUT_OK',
      'PUT_OK',
      undefined,
      undefined,
      'PUT_OK',
    ]);
    expect(w.pending).toBe(3);
    w.ack(500);
    await tick();
    expect(states.every((s) => s.result === 'PUT_OK')).toBe(true);
    expect(w.pending).toBe(0);
  });

  it('times out by deadline, shorter timeouts first, leaving later ones pending', async () => {
    const w = waiters();
    const now = Date.now();
    const long = track(w.add(10, 60_000));
    const short = track(w.add(20, 1000));
    const shorter = track(w.add(30, 500));
    w.sweep(now + 700);
    await tick();
    expect(shorter.result).toBe('FLUSH_SLAVE_TIMEOUT');
    expect(short.result).toBeUndefined();
    w.sweep(now + 2000);
    await tick();
    expect(short.result).toBe('FLUSH_SLAVE_TIMEOUT');
    expect(long.result).toBeUndefined();
    w.ack(30);
    await tick();
    expect(long.result).toBe('PUT_OK');
    expect(w.pending).toBe(0);
  });

  it('times out on its own timer without any ack', async () => {
    const w = waiters();
    await expect(w.add(100, 30)).resolves.toBe('FLUSH_SLAVE_TIMEOUT');
    expect(w.pending).toBe(0);
  });

  it('settles a wait once even when both its ack and its deadline pass', async () => {
    const w = waiters();
    const results: ReplicaWaitResult[] = [];
    void w.add(5, 0).then((r) => results.push(r));
    w.ack(10);
    w.sweep(Date.now() + 1000);
    await tick();
    expect(results).toEqual(['PUT_OK']);
    expect(w.pending).toBe(0);
  });

  it('handles many increasing waits with one ack per batch', async () => {
    const w = waiters();
    const all = Array.from({ length: 5000 }, (_, i) => w.add((i + 1) * 100, 60_000));
    for (let ack = 0; ack <= 500_000; ack += 50_000) w.ack(ack);
    const results = await Promise.all(all);
    expect(results.every((r) => r === 'PUT_OK')).toBe(true);
    expect(w.pending).toBe(0);
  });

  it('settles everything pending with the given result on settleAll', async () => {
    const w = waiters();
    const a = w.add(1, 60_000);
    const b = w.add(2, 60_000);
    w.settleAll('FLUSH_SLAVE_TIMEOUT');
    expect(await Promise.all([a, b])).toEqual(['FLUSH_SLAVE_TIMEOUT', 'FLUSH_SLAVE_TIMEOUT']);
  });
});
