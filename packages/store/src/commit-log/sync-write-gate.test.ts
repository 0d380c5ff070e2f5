import { describe, expect, it } from 'vitest';
import { SyncWriteGate } from './sync-write-gate.js';

describe('SyncWriteGate', () => {
  it('stays open while writes are fast and closes for poolForMs after a slow one', () => {
    let nowMs = 1000;
    const slow: [number, number][] = [];
    const gate = new SyncWriteGate({
      slowWriteMs: 20,
      poolForMs: 10_000,
      onSlowWrite: (tookMs, bytes) => slow.push([tookMs, bytes]),
      now: () => nowMs,
    });
    expect(gate.open).toBe(true);
    gate.record(20, 4096);
    expect(gate.open).toBe(true);
    gate.record(35, 131_072);
    expect(slow).toEqual([[35, 131_072]]);
    expect(gate.open).toBe(false);
    nowMs += 9_999;
    expect(gate.open).toBe(false);
    nowMs += 1;
    expect(gate.open).toBe(true);
  });
});
