import { describe, expect, it } from 'vitest';
import { SyncWriteGate } from './sync-write-gate.js';

function gateAt(clock: { nowMs: number }, closed: [number, number][]): SyncWriteGate {
  return new SyncWriteGate({
    slowWriteMs: 20,
    slowWritesToClose: 3,
    windowMs: 1000,
    poolForMs: 10_000,
    onClose: (tookMs, bytes) => closed.push([tookMs, bytes]),
    now: () => clock.nowMs,
  });
}

describe('SyncWriteGate', () => {
  it('stays open through fast writes and lone slow ones', () => {
    const clock = { nowMs: 1000 };
    const closed: [number, number][] = [];
    const gate = gateAt(clock, closed);
    gate.record(20, 4096);
    gate.record(50, 4096);
    clock.nowMs += 600;
    gate.record(40, 4096);
    clock.nowMs += 600; // the first slow write left the window
    gate.record(45, 4096);
    expect(gate.open).toBe(true);
    expect(closed).toEqual([]);
  });

  it('closes for poolForMs after enough slow writes within the window, then opens again', () => {
    const clock = { nowMs: 1000 };
    const closed: [number, number][] = [];
    const gate = gateAt(clock, closed);
    gate.record(30, 1);
    clock.nowMs += 100;
    gate.record(30, 2);
    clock.nowMs += 100;
    expect(gate.open).toBe(true);
    gate.record(35, 131_072);
    expect(closed).toEqual([[35, 131_072]]);
    expect(gate.open).toBe(false);
    clock.nowMs += 9_999;
    expect(gate.open).toBe(false);
    clock.nowMs += 1;
    expect(gate.open).toBe(true);
    // Counting starts over after reopening.
    gate.record(30, 1);
    expect(gate.open).toBe(true);
  });
});
