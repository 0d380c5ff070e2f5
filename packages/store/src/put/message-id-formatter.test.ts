import fc from 'fast-check';
import { createOffsetMessageId } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { MessageIdFormatter } from './message-id-formatter.js';

describe('MessageIdFormatter', () => {
  it('formats the same ids as createOffsetMessageId for any offset and host', () => {
    const formatter = new MessageIdFormatter();
    const host = fc.constantFrom(
      { host: '127.0.0.1', port: 10911 },
      { host: '10.1.2.3', port: 1 },
      { host: '::1', port: 10911 },
    );
    fc.assert(
      fc.property(host, fc.maxSafeNat(), (storeHost, phyOffset) => {
        expect(formatter.format(storeHost, phyOffset)).toBe(
          createOffsetMessageId(storeHost, phyOffset),
        );
      }),
      { numRuns: 2000 },
    );
    expect(formatter.format({ host: '127.0.0.1', port: 10911 }, 0)).toBe(
      '7F00000100002A9F0000000000000000',
    );
  });
});
