import { ResponseCode } from '@rocketmq-ts/protocol';
import type { BrokerData, ClusterInfo, TopicRouteData } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import {
  allMasterAddrs,
  brokerNameOfAddr,
  clusterMasterAddrs,
  noRouteError,
  routeBrokerAddrs,
  routeClusters,
  selectBrokerAddr,
} from './route-lookup.js';

function bd(brokerName: string, addrs: Array<[number, string]>, cluster = 'C1'): BrokerData {
  return { cluster, brokerName, brokerAddrs: new Map(addrs) };
}

const info: ClusterInfo = {
  brokerAddrTable: new Map([
    [
      'b',
      bd('b', [
        [0, '10.0.0.2:1'],
        [1, '10.0.0.3:1'],
      ]),
    ],
    ['a', bd('a', [[0, '10.0.0.1:1']])],
    ['s', bd('s', [[2, '10.0.0.9:1']], 'C2')],
  ]),
  clusterAddrTable: new Map([
    ['C1', ['b', 'a']],
    ['C2', ['s']],
  ]),
};

describe('route lookups', () => {
  it('selects the master of a broker set, else its lowest slave', () => {
    expect(
      selectBrokerAddr(
        bd('b', [
          [1, 'slave'],
          [0, 'master'],
        ]),
      ),
    ).toBe('master');
    expect(
      selectBrokerAddr(
        bd('b', [
          [3, 's3'],
          [2, 's2'],
        ]),
      ),
    ).toBe('s2');
    expect(selectBrokerAddr(bd('b', []))).toBeUndefined();
  });

  it('lists one address per broker set of a route', () => {
    const route: TopicRouteData = {
      queueDatas: [],
      brokerDatas: [bd('a', [[0, 'x:1']]), bd('b', [[1, 'y:1']]), bd('c', [])],
      filterServerTable: new Map(),
    };
    expect(routeBrokerAddrs(route)).toEqual(['x:1', 'y:1']);
    expect(routeBrokerAddrs(undefined)).toEqual([]);
  });

  it('lists the masters of a cluster sorted by broker name and refuses an unknown cluster', () => {
    expect(clusterMasterAddrs(info, 'C1')).toEqual(['10.0.0.1:1', '10.0.0.2:1']);
    expect(clusterMasterAddrs(info, 'C2')).toEqual([]);
    expect(() => clusterMasterAddrs(info, 'C9')).toThrow(
      'cluster C9 is not known to the NameServer (known clusters: C1, C2)',
    );
    expect(allMasterAddrs(info)).toEqual(['10.0.0.1:1', '10.0.0.2:1']);
  });

  it('finds the broker set of an address and the clusters of a route', () => {
    expect(brokerNameOfAddr(info, '10.0.0.3:1')).toBe('b');
    expect(brokerNameOfAddr(info, '10.9.9.9:1')).toBeUndefined();
    const route: TopicRouteData = {
      queueDatas: [],
      brokerDatas: [bd('s', []), bd('a', [])],
      filterServerTable: new Map(),
    };
    expect(routeClusters(info, route)).toEqual(['C1', 'C2']);
  });

  it('explains a missing route with TOPIC_NOT_EXIST', () => {
    const error = noRouteError('T');
    expect(error.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(error.message).toMatch(/no route for topic T: create the topic/);
  });
});
