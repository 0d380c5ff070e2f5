import { describe, expect, it } from 'vitest';
import { onTestCleanup, waitFor } from '../../test/broker-test-context.js';
import { DeliveryLoop } from './delivery-loop.js';
import type { DeliveryLoopOptions } from './delivery-loop.js';

/** A loop whose rounds resolve to the queued waits (then undefined: caught up), counting rounds and errors. */
function countingLoop(
  waits: (number | Error | undefined)[],
  options: Partial<DeliveryLoopOptions>,
) {
  const seen = { rounds: 0, errors: 0 };
  const loop = new DeliveryLoop({
    round: () => {
      seen.rounds++;
      const next = waits.shift();
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    onError: () => seen.errors++,
    idleSleepMs: 60_000,
    retryAfterFailureMs: 60_000,
    wakeCutsWait: false,
    ...options,
  });
  onTestCleanup(() => loop.close());
  return { loop, seen };
}

describe('DeliveryLoop', () => {
  it('runs a round at start and another when woken while idle', async () => {
    const { loop, seen } = countingLoop([], {});
    loop.start();
    await waitFor(() => seen.rounds === 1);
    // Let the round settle so the loop is idle.
    await new Promise((resolve) => setTimeout(resolve, 20));
    loop.wake();
    await waitFor(() => seen.rounds === 2);
    expect(seen.errors).toBe(0);
  });

  it('waits the given delay before the first round', async () => {
    const later = countingLoop([], {});
    const soon = countingLoop([], {});
    later.loop.start(60_000);
    soon.loop.start(10);
    await waitFor(() => soon.seen.rounds === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(later.seen.rounds).toBe(0);
  });

  it('keeps a requested wait on wake unless wakeCutsWait', async () => {
    const keeps = countingLoop([60_000], {});
    const cuts = countingLoop([60_000], { wakeCutsWait: true });
    keeps.loop.start();
    cuts.loop.start();
    await waitFor(() => keeps.seen.rounds === 1 && cuts.seen.rounds === 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    keeps.loop.wake();
    cuts.loop.wake();
    await waitFor(() => cuts.seen.rounds === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(keeps.seen.rounds).toBe(1);
  });

  it('reports a failed round and waits retryAfterFailureMs', async () => {
    const { loop, seen } = countingLoop([new Error('boom')], { retryAfterFailureMs: 10 });
    loop.start();
    await waitFor(() => seen.rounds === 2);
    expect(seen.errors).toBe(1);
  });

  it('runs no round after close', async () => {
    const { loop, seen } = countingLoop([], {});
    await loop.close();
    loop.start();
    loop.wake();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(seen.rounds).toBe(0);
  });
});
