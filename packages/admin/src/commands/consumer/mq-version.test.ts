import { describe, expect, it } from 'vitest';
import { mqVersionDesc } from './mq-version.js';

describe('mqVersionDesc', () => {
  it("names ordinals as Java's MQVersion.getVersionDesc", () => {
    expect(mqVersionDesc(0)).toBe('V3_0_0_SNAPSHOT');
    expect(mqVersionDesc(15)).toBe('V3_0_0_FINAL');
    expect(mqVersionDesc(16)).toBe('V3_0_1_SNAPSHOT');
    expect(mqVersionDesc(212)).toBe('V4_0_0_SNAPSHOT');
    expect(mqVersionDesc(409)).toBe('V4_9_8');
    expect(mqVersionDesc(413)).toBe('V5_0_0');
  });

  it('prints ordinals past the table as HIGHER_VERSION', () => {
    expect(mqVersionDesc(612)).toBe('HIGHER_VERSION');
    expect(mqVersionDesc(10_000)).toBe('HIGHER_VERSION');
    expect(mqVersionDesc(611)).toBe('V5_9_9');
  });
});
