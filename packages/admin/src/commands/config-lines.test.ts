import { describe, expect, it } from 'vitest';
import { formatConfigLines } from './config-lines.js';

describe('config lines', () => {
  it('prints key = value with the key in 50 characters, keeping the order', () => {
    const config = new Map([
      ['brokerPermission', '6'],
      ['brokerName', 'broker-0'],
    ]);
    expect(formatConfigLines(config)).toEqual([
      'brokerPermission                                  =  6',
      'brokerName                                        =  broker-0',
    ]);
  });
});
