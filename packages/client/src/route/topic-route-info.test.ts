import type { BrokerData, QueueData, TopicRouteData } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { topicRouteToPublishInfo, topicRouteToSubscribeInfo } from './topic-route-info.js';

function queueData(brokerName: string, queues: number, perm = 6): QueueData {
  return { brokerName, readQueueNums: queues, writeQueueNums: queues, perm, topicSysFlag: 0 };
}

function brokerData(brokerName: string, ids: number[]): BrokerData {
  return {
    cluster: 'c',
    brokerName,
    brokerAddrs: new Map(ids.map((id) => [id, `10.0.0.${id + 1}:${brokerName.length}`])),
  };
}

/** `broker-a` has its master and a slave; `broker-b`'s master has expired from the route, its slave is left. */
const route: TopicRouteData = {
  queueDatas: [queueData('broker-b', 2), queueData('broker-a', 2)],
  brokerDatas: [brokerData('broker-b', [1]), brokerData('broker-a', [0, 1])],
  filterServerTable: new Map(),
};

describe('topicRouteToPublishInfo', () => {
  it('offers only the queues of broker sets whose master is in the route', () => {
    const info = topicRouteToPublishInfo('T', route);
    expect(info.orderTopic).toBe(false);
    expect(info.messageQueues).toEqual([
      { topic: 'T', brokerName: 'broker-a', queueId: 0 },
      { topic: 'T', brokerName: 'broker-a', queueId: 1 },
    ]);
  });

  it('offers no queue when every master is gone, and none of a set the route does not list', () => {
    const noMaster: TopicRouteData = { ...route, brokerDatas: [brokerData('broker-b', [1, 2])] };
    expect(topicRouteToPublishInfo('T', noMaster).messageQueues).toEqual([]);
  });

  it('skips queue data without the write bit', () => {
    const readOnly: TopicRouteData = { ...route, queueDatas: [queueData('broker-a', 2, 4)] };
    expect(topicRouteToPublishInfo('T', readOnly).messageQueues).toEqual([]);
  });
});

describe('topicRouteToSubscribeInfo', () => {
  it('keeps the queues of a broker set without a master: its slave still serves them', () => {
    expect(
      topicRouteToSubscribeInfo('T', route).map((q) => `${q.brokerName}:${q.queueId}`),
    ).toEqual(['broker-a:0', 'broker-a:1', 'broker-b:0', 'broker-b:1']);
  });
});
