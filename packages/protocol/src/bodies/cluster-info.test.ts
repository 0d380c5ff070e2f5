import { describe, expect, it } from 'vitest';
import { decodeClusterInfo, encodeClusterInfo } from './cluster-info.js';
import type { ClusterInfo } from './cluster-info.js';

const REFERENCE_EXAMPLE =
  '{"brokerAddrTable":{"broker-a":{"brokerAddrs":{"0":"10.0.0.1:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}},' +
  '"clusterAddrTable":{"DefaultCluster":["broker-a"]}}';

const expected: ClusterInfo = {
  brokerAddrTable: new Map([
    [
      'broker-a',
      {
        brokerAddrs: new Map([[0, '10.0.0.1:10911']]),
        brokerName: 'broker-a',
        cluster: 'DefaultCluster',
      },
    ],
  ]),
  clusterAddrTable: new Map([['DefaultCluster', ['broker-a']]]),
};

describe('ClusterInfo', () => {
  it('decodes the reference example', () => {
    expect(decodeClusterInfo(Buffer.from(REFERENCE_EXAMPLE))).toEqual(expected);
  });

  it('decodes unquoted broker id keys as Java writes them', () => {
    expect(decodeClusterInfo(REFERENCE_EXAMPLE.replace('"0":', '0:'))).toEqual(expected);
  });

  it('encodes exactly the reference form and re-decodes equal', () => {
    const bytes = encodeClusterInfo(expected);
    expect(bytes.toString()).toBe(REFERENCE_EXAMPLE);
    expect(decodeClusterInfo(bytes)).toEqual(expected);
  });
});
