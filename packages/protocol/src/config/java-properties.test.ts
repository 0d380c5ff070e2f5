import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJavaProperties, stringifyJavaProperties } from './java-properties.js';

describe('java properties', () => {
  it('reads a broker.conf the way java.util.Properties does', () => {
    const text = [
      '# sample',
      'brokerClusterName = DefaultCluster',
      '  brokerName=broker-a',
      'brokerId:0',
      'deleteWhen 04',
      '! another comment',
      'namesrvAddr=127.0.0.1:9876;\\',
      '    127.0.0.2:9876',
      'storePathRootDir=/data/rocket\\u006dq',
      'empty=',
      'brokerId=1',
    ].join('\n');
    expect(Object.fromEntries(parseJavaProperties(text))).toEqual({
      brokerClusterName: 'DefaultCluster',
      brokerName: 'broker-a',
      brokerId: '1',
      deleteWhen: '04',
      namesrvAddr: '127.0.0.1:9876;127.0.0.2:9876',
      storePathRootDir: '/data/rocketmq',
      empty: '',
    });
  });

  it('round-trips keys and values written by stringifyJavaProperties', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 12 }).filter((k) => k.trim() === k && k.length > 0),
          fc.string({ maxLength: 20 }).filter((v) => v.trim() === v),
        ),
        (record) => {
          const parsed = parseJavaProperties(stringifyJavaProperties(Object.entries(record)));
          return (
            JSON.stringify(Object.fromEntries(parsed)) ===
            JSON.stringify(Object.fromEntries(Object.entries(record)))
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
