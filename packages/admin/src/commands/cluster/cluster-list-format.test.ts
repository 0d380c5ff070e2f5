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
  // Expected lines printed by Java 4.9.8's format strings, plus our #Role and #Behind(B) at the end.
  it('prints the 4.x base view, then the role and bytes behind', () => {
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
        ['brokerRole', 'ASYNC_MASTER'],
        ['haBehindBytes', '0'],
      ]),
    });
    const failed = {
      ...clusterBaseRow(
        { ...BROKER, brokerId: 1, brokerAddr: '127.0.0.1:10921' },
        { nowMs, table: new Map() },
      ),
      error: 'cannot connect',
    };
    const slave = clusterBaseRow(
      { ...BROKER, brokerId: 1, brokerAddr: '127.0.0.1:10931' },
      {
        nowMs,
        table: new Map([
          ['brokerVersionDesc', 'V4_9_8'],
          ['brokerRole', 'SLAVE'],
          ['haBehindBytes', '1048576'],
        ]),
      },
    );
    expect(formatClusterBase([row, failed, slave])).toEqual([
      '#Cluster Name     #Broker Name            #BID  #Addr                  #Version                #InTPS(LOAD)       #OutTPS(LOAD) #PCWait(ms) #Hour #SPACE  #Role         #Behind(B)',
      'DefaultCluster    broker-0                0     127.0.0.1:10911        V4_9_8                  12.35(0,0ms)         3.00(1,2ms)          0  1.50 0.5679  ASYNC_MASTER  0',
      'DefaultCluster    broker-0                1     127.0.0.1:10921                                   0.00(,ms)           0.00(,ms)             0.00 0.0000',
      'DefaultCluster    broker-0                1     127.0.0.1:10931        V4_9_8                0.00(null,nullms)      0.00(null,nullms)       null  0.00 0.0000  SLAVE         1048576',
    ]);
    // The 4.9.8 columns keep their positions: a script splitting on whitespace finds #SPACE in the tenth cell.
    expect(formatClusterBase([row])[1]!.split(/\s+/)[9]).toBe('0.5679');
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

  it('prints - for a role and lag the broker does not report (a Java broker), and keeps them in the JSON row', () => {
    const javaBroker = clusterBaseRow(BROKER, {
      nowMs: 0,
      table: new Map([['brokerVersionDesc', 'V4_9_8']]),
    });
    expect(formatClusterBase([javaBroker])[1]).toMatch(/ 0\.0000 {2}- {13}-$/);
    expect(JSON.parse(JSON.stringify(javaBroker))).toMatchObject({
      brokerRole: null,
      haBehindBytes: null,
    });
    const slave = clusterBaseRow(BROKER, {
      nowMs: 0,
      table: new Map([
        ['brokerRole', 'SLAVE'],
        ['haBehindBytes', '42'],
      ]),
    });
    expect(JSON.parse(JSON.stringify(slave))).toMatchObject({
      brokerRole: 'SLAVE',
      haBehindBytes: '42',
    });
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
