import { describe, expect, it } from 'vitest';
import { TimerBucket, TimerWheel } from './timer-wheel.js';

function times(bucket: TimerBucket): number[] {
  return Array.from({ length: bucket.size }, (_, i) => bucket.deliverAtMs(i));
}

describe('TimerWheel', () => {
  it('hands out due timers earliest first and keeps the others', () => {
    const wheel = new TimerWheel({ precisionMs: 100, slotCount: 10, nowMs: 1000 });
    for (const t of [1350, 1120, 1340, 1105, 1990]) wheel.add(t, t * 10, 50);
    const out = new TimerBucket();
    expect(wheel.takeDue(1100, 100, out)).toBe(true);
    expect(out.size).toBe(0);
    expect(wheel.nextDueMs()).toBe(1105);
    expect(wheel.takeDue(1345, 100, out)).toBe(true);
    expect(times(out)).toEqual([1105, 1120, 1340]);
    expect(out.phyOffset(0)).toBe(11050);
    expect(out.recordSize(0)).toBe(50);
    expect(wheel.size).toBe(2);
    expect(wheel.nextDueMs()).toBe(1350);
  });

  it('puts timers behind the cursor in the overdue bucket and hands them out first', () => {
    const wheel = new TimerWheel({ precisionMs: 100, slotCount: 10, nowMs: 5000 });
    wheel.add(5010, 1, 1);
    wheel.add(100, 2, 1);
    wheel.add(4000, 3, 1);
    const out = new TimerBucket();
    expect(wheel.takeDue(5000, 10, out)).toBe(true);
    expect(times(out)).toEqual([100, 4000]);
  });

  it('keeps far timers in the overflow and moves them into the wheel when their round comes', () => {
    const wheel = new TimerWheel({ precisionMs: 100, slotCount: 4, nowMs: 0 });
    wheel.add(250, 1, 1);
    wheel.add(1230, 2, 1);
    wheel.add(810, 3, 1);
    expect(wheel.overflowSize).toBe(2);
    const out = new TimerBucket();
    wheel.takeDue(900, 10, out);
    expect(times(out)).toEqual([250, 810]);
    expect(wheel.overflowSize).toBe(1);
    wheel.takeDue(1229, 10, out);
    expect(out.size).toBe(2);
    wheel.takeDue(1230, 10, out);
    expect(times(out)).toEqual([250, 810, 1230]);
    expect(wheel.size).toBe(0);
  });

  it('stops at max and reports that due timers are left', () => {
    const wheel = new TimerWheel({ precisionMs: 10, slotCount: 8, nowMs: 0 });
    for (let t = 0; t < 50; t++) wheel.add(t, t, 1);
    const out = new TimerBucket();
    expect(wheel.takeDue(100, 20, out)).toBe(false);
    expect(times(out)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(wheel.takeDue(100, 100, out)).toBe(true);
    expect(out.size).toBe(50);
  });
});
