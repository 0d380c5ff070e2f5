import { describe, expect, it } from 'vitest';
import { ConsumeSlots } from './consume-slots.js';

describe('ConsumeSlots', () => {
  it('lets at most `size` calls run and hands freed slots out in FIFO order', async () => {
    const slots = new ConsumeSlots(2);
    expect(await slots.acquire()).toBe(true);
    expect(await slots.acquire()).toBe(true);
    const order: number[] = [];
    const third = slots.acquire().then((ok) => order.push(3) && ok);
    const fourth = slots.acquire().then((ok) => order.push(4) && ok);
    expect(slots.active).toBe(2);
    expect(slots.queued).toBe(2);
    slots.release();
    expect(await third).toBeTruthy();
    slots.release();
    expect(await fourth).toBeTruthy();
    expect(order).toEqual([3, 4]);
  });

  it('refuses waiting and new calls after shutdown and waits for the running ones', async () => {
    const slots = new ConsumeSlots(1);
    await slots.acquire();
    const waiting = slots.acquire();
    const done = slots.shutdown(5000);
    expect(await waiting).toBe(false);
    expect(await slots.acquire()).toBe(false);
    slots.release();
    expect(await done).toBe(true);
  });

  it('gives up waiting after the deadline', async () => {
    const slots = new ConsumeSlots(1);
    await slots.acquire();
    expect(await slots.shutdown(20)).toBe(false);
  });
});
