import type { TopicRouteData } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { formatBrokerAddrs, formatTopicRouteTable, topicRouteJson } from './topic-route-command.js';

const ROUTE: TopicRouteData = {
  queueDatas: [
    { brokerName: 'broker-1', readQueueNums: 4, writeQueueNums: 2, perm: 4, topicSysFlag: 0 },
    { brokerName: 'broker-0', readQueueNums: 8, writeQueueNums: 8, perm: 6, topicSysFlag: 0 },
  ],
  brokerDatas: [
    {
      cluster: 'DefaultCluster',
      brokerName: 'broker-1',
      brokerAddrs: new Map([
        [1, '127.0.0.1:10921'],
        [0, '127.0.0.1:10920'],
      ]),
    },
    {
      cluster: 'DefaultCluster',
      brokerName: 'broker-0',
      brokerAddrs: new Map([[0, '127.0.0.1:10911']]),
    },
  ],
  filterServerTable: new Map(),
};

describe('topicRoute output', () => {
  it('prints broker addresses as Java HashMap.toString', () => {
    expect(
      formatBrokerAddrs(
        new Map([
          [1, 'b'],
          [0, 'a'],
        ]),
      ),
    ).toBe('{0=a, 1=b}');
  });

  // Header, row and Total lines as Java 4.9.8 printf prints them (trailing padding included).
  it('prints the -l table sorted by broker name with totals', () => {
    expect(formatTopicRouteTable(ROUTE)).toEqual([
      '#ClusterName                                  #BrokerName                      #BrokerAddrs                                       #ReadQueue #WriteQueue #Perm',
      'DefaultCluster                                broker-0                         {0=127.0.0.1:10911}                                8          8           6    ',
      'DefaultCluster                                broker-1                         {0=127.0.0.1:10920, 1=127.0.0.1:10921}             4          2           4    ',
      '-'.repeat(158),
      'Total:                                        2                                                                                   12         10               ',
    ]);
  });

  it('prints the route as valid JSON in fastjson property order', () => {
    const text = topicRouteJson(ROUTE, false);
    expect(text).toBe(
      '{"brokerDatas":[{"brokerAddrs":{"0":"127.0.0.1:10920","1":"127.0.0.1:10921"},"brokerName":"broker-1","cluster":"DefaultCluster"},' +
        '{"brokerAddrs":{"0":"127.0.0.1:10911"},"brokerName":"broker-0","cluster":"DefaultCluster"}],"filterServerTable":{},' +
        '"queueDatas":[{"brokerName":"broker-1","perm":4,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":2},' +
        '{"brokerName":"broker-0","perm":6,"readQueueNums":8,"topicSysFlag":0,"writeQueueNums":8}]}',
    );
    const pretty = topicRouteJson(ROUTE, true);
    expect(pretty.split('\n')[1]).toBe('\t"brokerDatas": [');
    expect(JSON.parse(pretty)).toEqual(JSON.parse(text));
  });
});
