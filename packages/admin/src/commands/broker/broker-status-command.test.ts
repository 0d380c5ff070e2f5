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

  it('prints every key the broker reports, the replication keys included', () => {
    const withReplication = new Map([...stats, ['haBehindBytes', '1024'], ['brokerRole', 'SLAVE']]);
    expect(formatBrokerStatus(withReplication)).toEqual([
      'brokerRole                      : SLAVE',
      'brokerVersionDesc               : V4_9_8',
      'haBehindBytes                   : 1024',
      'putTps                          : 1.0 1.0 1.0',
    ]);
  });

  it('prefixes each line with the broker address in the -c form', () => {
    expect(formatBrokerStatus(stats, '127.0.0.1:10911')[1]).toBe(
      '127.0.0.1:10911          putTps                          : 1.0 1.0 1.0',
    );
  });
});
