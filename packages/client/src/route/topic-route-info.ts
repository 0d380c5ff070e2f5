import type { MessageQueue, TopicRouteData } from '@rocketmq-ts/protocol';

/** Queue permission bits in routes (remoting-protocol.md §7.2). */
const PERM_WRITE = 2;
const PERM_READ = 4;

/** Where a producer may send a topic's messages (Java `TopicPublishInfo`). */
export interface TopicPublishInfo {
  /** True when the NameServer's ORDER_TOPIC_CONFIG names this topic: queues come from it, in its order. */
  orderTopic: boolean;
  /** Writable queues on brokers with a live master, sorted by broker name then queue id. */
  messageQueues: MessageQueue[];
  /** The route they were computed from. */
  route: TopicRouteData;
}

/**
 * The writable queues of a route (Java `MQClientInstance.topicRouteData2TopicPublishInfo`): for an ordered topic the
 * `brokerName:queueCount` pairs of `orderTopicConf`; otherwise `writeQueueNums` queues of each writable queue data
 * whose broker set has a master (id 0) in the route.
 */
export function topicRouteToPublishInfo(topic: string, route: TopicRouteData): TopicPublishInfo {
  const messageQueues: MessageQueue[] = [];
  if (route.orderTopicConf !== undefined && route.orderTopicConf !== '') {
    for (const pair of route.orderTopicConf.split(';')) {
      const [brokerName, count] = pair.split(':');
      if (brokerName === undefined || count === undefined) continue;
      for (let queueId = 0; queueId < Number(count); queueId++) {
        messageQueues.push({ topic, brokerName, queueId });
      }
    }
    return { orderTopic: true, messageQueues, route };
  }
  const withMaster = new Set(
    route.brokerDatas.filter((b) => b.brokerAddrs.has(0)).map((b) => b.brokerName),
  );
  const queueDatas = [...route.queueDatas].sort((a, b) =>
    a.brokerName === b.brokerName ? 0 : a.brokerName < b.brokerName ? -1 : 1,
  );
  for (const qd of queueDatas) {
    if ((qd.perm & PERM_WRITE) === 0 || !withMaster.has(qd.brokerName)) continue;
    for (let queueId = 0; queueId < qd.writeQueueNums; queueId++) {
      messageQueues.push({ topic, brokerName: qd.brokerName, queueId });
    }
  }
  return { orderTopic: false, messageQueues, route };
}

/** The readable queues of a route (Java `topicRouteData2TopicSubscribeInfo`), sorted. */
export function topicRouteToSubscribeInfo(topic: string, route: TopicRouteData): MessageQueue[] {
  const out: MessageQueue[] = [];
  for (const qd of route.queueDatas) {
    if ((qd.perm & PERM_READ) === 0) continue;
    for (let queueId = 0; queueId < qd.readQueueNums; queueId++) {
      out.push({ topic, brokerName: qd.brokerName, queueId });
    }
  }
  return out.sort(compareMessageQueues);
}

/** Java `MessageQueue.compareTo`: topic, then broker name, then queue id. */
export function compareMessageQueues(a: MessageQueue, b: MessageQueue): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.brokerName !== b.brokerName) return a.brokerName < b.brokerName ? -1 : 1;
  return a.queueId - b.queueId;
}

/** A stable string key for a queue (maps and sets). */
export function messageQueueKey(mq: MessageQueue): string {
  return `${mq.topic}\u0000${mq.brokerName}\u0000${mq.queueId}`;
}
