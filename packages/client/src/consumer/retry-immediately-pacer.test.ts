import { describe, expect, it } from 'vitest';
import {
  PULL_RETRY_IMMEDIATELY_FIRST_DELAY_MS,
  PULL_RETRY_IMMEDIATELY_MAX_DELAY_MS,
  RetryImmediatelyPacer,
} from './retry-immediately-pacer.js';

const stalled = { pullStatus: 'NO_MATCHED_MSG', nextBeginOffset: 10 } as const;

describe('RetryImmediatelyPacer', () => {
  it('pulls again at once after a retry-immediately answer, then backs off while they repeat without progress', () => {
    const pacer = new RetryImmediatelyPacer();
    const delays = Array.from({ length: 9 }, () => pacer.delayAfter(stalled, 10));
    expect(delays).toEqual([
      0,
      PULL_RETRY_IMMEDIATELY_FIRST_DELAY_MS,
      100,
      200,
      400,
      800,
      PULL_RETRY_IMMEDIATELY_MAX_DELAY_MS,
      PULL_RETRY_IMMEDIATELY_MAX_DELAY_MS,
      PULL_RETRY_IMMEDIATELY_MAX_DELAY_MS,
    ]);
  });

  it('never pauses while the answers move the offset on (messages filtered out by the broker)', () => {
    const pacer = new RetryImmediatelyPacer();
    for (let offset = 0; offset < 20; offset++) {
      expect(
        pacer.delayAfter({ pullStatus: 'NO_MATCHED_MSG', nextBeginOffset: offset + 1 }, offset),
      ).toBe(0);
    }
  });

  it('starts over after any other answer', () => {
    const pacer = new RetryImmediatelyPacer();
    pacer.delayAfter(stalled, 10);
    expect(pacer.delayAfter(stalled, 10)).toBeGreaterThan(0);
    expect(pacer.delayAfter({ pullStatus: 'FOUND', nextBeginOffset: 12 }, 10)).toBe(0);
    expect(pacer.delayAfter(stalled, 10)).toBe(0);
    expect(pacer.delayAfter({ pullStatus: 'NO_NEW_MSG', nextBeginOffset: 10 }, 10)).toBe(0);
    expect(pacer.delayAfter(stalled, 10)).toBe(0);
  });
});
