import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from './logger.js';
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
