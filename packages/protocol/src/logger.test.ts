import { describe, expect, it } from 'vitest';
import { createJsonLinesLogger, createMemoryLogger } from './logger.js';
import type { LogLine } from './logger.js';

describe('memory logger', () => {
  it('records lines with their level and merges child fields', () => {
    const lines: LogLine[] = [];
    const logger = createMemoryLogger(lines);
    logger.info('started', { port: 1 });
    logger.child({ remoteAddr: 'a' }).warn('slow', { ms: 5 });
    logger.error('plain');
    expect(lines).toEqual([
      { level: 'info', message: 'started', fields: { port: 1 } },
      { level: 'warn', message: 'slow', fields: { remoteAddr: 'a', ms: 5 } },
      { level: 'error', message: 'plain' },
    ]);
  });
});

describe('json lines logger', () => {
  it('writes one JSON object per line at or above its level, with child fields', () => {
    const lines: string[] = [];
    const logger = createJsonLinesLogger({
      write: (l) => lines.push(l),
      level: 'info',
      now: () => 0,
    });
    logger.debug('hidden');
    logger.child({ component: 'namesrv' }).info('listening', { port: 9876 });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    logger.error('odd', { cyclic, big: 1n });
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'info',
      msg: 'listening',
      component: 'namesrv',
      port: 9876,
    });
    expect(JSON.parse(lines[1]!)).toMatchObject({
      level: 'error',
      big: '1',
      cyclic: '[object Object]',
    });
    expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
  });
});
