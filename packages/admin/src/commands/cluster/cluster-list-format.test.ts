import { describe, expect, it } from 'vitest';
import {
  clusterBaseRow,
  clusterMoreStatsRow,
  firstTps,
  formatClusterBase,
  formatClusterMoreStats,
} from './cluster-list-format.js';

const BROKER = {
  clusterName: 'DefaultCluster',
  brokerName: 'broker-0',
  brokerId: 0,
  brokerAddr: '127.0.0.1:10911',
};

describe('clusterList output', () => {
  // Expected lines printed by Java 4.9.8's format strings.
  it('prints the 4.x base view', () => {
    const nowMs = 10 * 3_600_000;
    const row = clusterBaseRow(BROKER, {
      nowMs,
      table: new Map([
        ['brokerVersionDesc', 'V4_9_8'],
        ['putTps', '12.345 10.0 9.0'],
        ['getTransferedTps', '3.0 3.0 3.0'],
        ['sendThreadPoolQueueSize', '0'],
        ['sendThreadPoolQueueHeadWaitTimeMills', '0'],
        ['pullThreadPoolQueueSize', '1'],
        ['pullThreadPoolQueueHeadWaitTimeMills', '2'],
        ['pageCacheLockTimeMills', '0'],
        ['earliestMessageTimeStamp', String(nowMs - 1.5 * 3_600_000)],
        ['commitLogDiskRatio', '0.56789'],
      ]),
    });
    const failed = {
      ...clusterBaseRow(
        { ...BROKER, brokerId: 1, brokerAddr: '127.0.0.1:10921' },
        { nowMs, table: new Map() },
      ),
      error: 'cannot connect',
    };
    expect(formatClusterBase([row, failed])).toEqual([
      '#Cluster Name     #Broker Name            #BID  #Addr                  #Version                #InTPS(LOAD)       #OutTPS(LOAD) #PCWait(ms) #Hour #SPACE',
      'DefaultCluster    broker-0                0     127.0.0.1:10911        V4_9_8                  12.35(0,0ms)         3.00(1,2ms)          0  1.50 0.5679',
      'DefaultCluster    broker-0                1     127.0.0.1:10921                                   0.00(,ms)           0.00(,ms)             0.00 0.0000',
    ]);
  });

  it('shows 0 hours for a broker that stores no message (Java computes from -1)', () => {
    const row = clusterBaseRow(BROKER, {
      nowMs: Date.now(),
      table: new Map([['earliestMessageTimeStamp', '-1']]),
    });
    expect(row.hour).toBe(0);
  });

  it('prints a missing KV value as Java prints null', () => {
    const row = clusterBaseRow(BROKER, { nowMs: 0, table: new Map([['putTps', '1.0']]) });
    expect(formatClusterBase([row])[1]).toContain('1.00(null,nullms)');
  });

  it('prints the -m view from the message counters', () => {
    const row = clusterMoreStatsRow(
      BROKER,
      new Map([
        ['msgPutTotalYesterdayMorning', '10'],
        ['msgPutTotalTodayMorning', '11'],
        ['msgPutTotalTodayNow', '14'],
        ['msgGetTotalYesterdayMorning', '0'],
        ['msgGetTotalTodayMorning', '2'],
        ['msgGetTotalTodayNow', '6'],
      ]),
    );
    expect(formatClusterMoreStats([row])).toEqual([
      '#Cluster Name     #Broker Name                       #InTotalYest  #OutTotalYest  #InTotalToday #OutTotalToday',
      'DefaultCluster    broker-0                                      1              2              3              4',
    ]);
  });

  it('reads the first window of a TPS triple', () => {
    expect(firstTps('12.5 11.0 10.0')).toBe(12.5);
    expect(firstTps(undefined)).toBe(0);
    expect(firstTps('n/a')).toBe(0);
  });
});
