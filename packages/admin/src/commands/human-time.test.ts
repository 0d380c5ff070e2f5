import { describe, expect, it } from 'vitest';
import { CommandError } from '../cli/command-spec.js';
import {
  TIMESTAMP_NOW,
  formatCompactTime,
  formatDateTime,
  formatHumanTime,
  formatTimeArgument,
  parseTimeArgument,
} from './human-time.js';

const S = { short: 's', long: 'timestamp' };

describe('parseTimeArgument', () => {
  it('reads epoch milliseconds', () => {
    expect(parseTimeArgument(S, '1700000000123')).toBe(1_700_000_000_123);
    expect(parseTimeArgument(S, ' 0 ')).toBe(0);
  });

  it('reads yyyy-MM-dd#HH:mm:ss:SSS in the local time zone, as Java SimpleDateFormat does', () => {
    expect(parseTimeArgument(S, '2024-03-05#07:08:09:010')).toBe(
      new Date(2024, 2, 5, 7, 8, 9, 10).getTime(),
    );
  });

  it('reads back what formatTimeArgument writes', () => {
    const ms = Date.UTC(2023, 10, 14, 22, 13, 20, 456);
    expect(parseTimeArgument(S, formatTimeArgument(ms))).toBe(ms);
  });

  it('reads now only where allowed', () => {
    expect(parseTimeArgument(S, 'now', { allowNow: true })).toBe(TIMESTAMP_NOW);
    expect(() => parseTimeArgument(S, 'now')).toThrow(CommandError);
  });

  it('refuses other text with a message naming the option and the accepted forms', () => {
    for (const bad of ['yesterday', '2024-03-05 07:08:09', '2024-02-30#00:00:00:000', '-5', '']) {
      expect(() => parseTimeArgument(S, bad)).toThrow(
        /^option -s\/--timestamp: ".*" is not a time: use epoch milliseconds or yyyy-MM-dd#HH:mm:ss:SSS$/,
      );
    }
    expect(() => parseTimeArgument(S, 'x', { allowNow: true })).toThrow(
      'use epoch milliseconds, now or yyyy-MM-dd#HH:mm:ss:SSS',
    );
  });
});

describe('Java time formats', () => {
  const ms = new Date(2024, 0, 2, 3, 4, 5, 6).getTime();

  it('formats message timestamps as yyyy-MM-dd HH:mm:ss,SSS', () => {
    expect(formatHumanTime(ms)).toBe('2024-01-02 03:04:05,006');
  });

  it('formats consumerProgress times as yyyy-MM-dd HH:mm:ss', () => {
    expect(formatDateTime(ms)).toBe('2024-01-02 03:04:05');
  });

  it('formats process-queue times as yyyyMMddHHmmssSSS', () => {
    expect(formatCompactTime(ms)).toBe('20240102030405006');
  });

  it('formats time arguments with the # separator', () => {
    expect(formatTimeArgument(ms)).toBe('2024-01-02#03:04:05:006');
  });
});
