import { describe, expect, it } from 'vitest';
import { formatBrokerStatus } from './broker-status-command.js';

describe('brokerStatus output', () => {
  const stats = new Map([
    ['putTps', '1.0 1.0 1.0'],
    ['brokerVersionDesc', 'V4_9_8'],
  ]);

  it('prints key: value lines sorted by key', () => {
    expect(formatBrokerStatus(stats)).toEqual([
      'brokerVersionDesc               : V4_9_8',
      'putTps                          : 1.0 1.0 1.0',
    ]);
  });

  it('prefixes each line with the broker address in the -c form', () => {
    expect(formatBrokerStatus(stats, '127.0.0.1:10911')[1]).toBe(
      '127.0.0.1:10911          putTps                          : 1.0 1.0 1.0',
    );
  });
});
