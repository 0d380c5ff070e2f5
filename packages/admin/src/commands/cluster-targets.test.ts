import type { ClusterInfo } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { CommandError } from '../cli/command-spec.js';
import {
  UNKNOWN_CLUSTER_MESSAGE,
  brokerNameOfAddr,
  clusterBrokers,
  clusterMasters,
} from './cluster-targets.js';

const INFO: ClusterInfo = {
  clusterAddrTable: new Map([['DefaultCluster', ['broker-b', 'broker-a']]]),
  brokerAddrTable: new Map([
    [
      'broker-b',
      {
        cluster: 'DefaultCluster',
        brokerName: 'broker-b',
        brokerAddrs: new Map([
          [1, '10.0.0.3:10911'],
          [0, '10.0.0.2:10911'],
        ]),
      },
    ],
    [
      'broker-a',
      {
        cluster: 'DefaultCluster',
        brokerName: 'broker-a',
        brokerAddrs: new Map([[0, '10.0.0.1:10911']]),
      },
    ],
  ]),
};

describe('cluster targets', () => {
  it('lists brokers by name then id, and the masters', () => {
    expect(clusterBrokers(INFO, 'DefaultCluster').map((b) => b.addr)).toEqual([
      '10.0.0.1:10911',
      '10.0.0.2:10911',
      '10.0.0.3:10911',
    ]);
    expect(clusterMasters(INFO, 'DefaultCluster').map((b) => b.brokerName)).toEqual([
      'broker-a',
      'broker-b',
    ]);
  });

  it("refuses an unknown cluster with RocketMQ's message and the known clusters", () => {
    expect(() => clusterMasters(INFO, 'Nope')).toThrow(CommandError);
    expect(() => clusterMasters(INFO, 'Nope')).toThrow(
      `${UNKNOWN_CLUSTER_MESSAGE} (cluster "Nope" is unknown; known clusters: DefaultCluster)`,
    );
  });

  it('finds the broker set of an address', () => {
    expect(brokerNameOfAddr(INFO, '10.0.0.3:10911')).toBe('broker-b');
    expect(brokerNameOfAddr(INFO, '10.0.0.9:10911')).toBeUndefined();
  });
});
