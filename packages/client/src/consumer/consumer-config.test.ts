import { describe, expect, it } from 'vitest';
import { formatConsumeTimestamp, parseConsumeTimestamp } from './consumer-config.js';

describe('consumeTimestamp', () => {
  it('parses yyyyMMddHHmmss as local time and formats it back', () => {
    const ms = parseConsumeTimestamp('20231231235959');
    expect(ms).toBe(new Date(2023, 11, 31, 23, 59, 59).getTime());
    expect(formatConsumeTimestamp(ms!)).toBe('20231231235959');
  });

  it('rejects impossible dates and other formats', () => {
    expect(parseConsumeTimestamp('20230230000000')).toBeUndefined();
    expect(parseConsumeTimestamp('20230101246000')).toBeUndefined();
    expect(parseConsumeTimestamp('2023010100000')).toBeUndefined();
    expect(parseConsumeTimestamp('abcdefghijklmn')).toBeUndefined();
  });
});
