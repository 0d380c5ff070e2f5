import type { MessageQueue, TopicRouteData } from '@rocketmq-ts/protocol';
import { topicRouteToPublishInfo } from '../route/topic-route-info.js';
import type { TopicPublishInfo } from '../route/topic-route-info.js';

/**
 * A topic's writable queues and its round-robin position (Java `TopicPublishInfo` with its `sendWhichQueue`).
 * The position starts at a random value, as Java's `ThreadLocalIndex` does, so producers started together do not
 * all begin on the same queue.
 */
export class PublishQueues {
  readonly info: TopicPublishInfo;
  /** True when the queues come from the template topic (`createTopicKey`) because the topic has no route yet. */
  readonly fromDefaultTopic: boolean;
  private index: number;

  constructor(
    info: TopicPublishInfo,
    options: { fromDefaultTopic?: boolean; startIndex?: number } = {},
  ) {
    this.info = info;
    this.fromDefaultTopic = options.fromDefaultTopic ?? false;
    this.index = (options.startIndex ?? Math.floor(Math.random() * 0x7fffffff)) & 0x7fffffff;
  }

  /** The writable queues, in route order. */
  get messageQueues(): readonly MessageQueue[] {
    return this.info.messageQueues;
  }

  /** True when there is at least one queue to send to (Java `TopicPublishInfo.ok()`). */
  get ok(): boolean {
    return this.info.messageQueues.length > 0;
  }

  /** Advances the position and returns it (a non-negative int32). */
  nextIndex(): number {
    this.index = (this.index + 1) & 0x7fffffff;
    return this.index;
  }

  /** The next queue round-robin (Java `selectOneMessageQueue()`); undefined when there is none. */
  selectOne(): MessageQueue | undefined {
    const queues = this.info.messageQueues;
    if (queues.length === 0) return undefined;
    return queues[this.nextIndex() % queues.length];
  }

  /**
   * The next queue round-robin that is not on `lastBrokerName` (the broker of the attempt that just failed);
   * any next queue when every queue is on that broker (Java `selectOneMessageQueue(lastBrokerName)`).
   */
  selectOneAvoiding(lastBrokerName: string | undefined): MessageQueue | undefined {
    if (lastBrokerName === undefined) return this.selectOne();
    const queues = this.info.messageQueues;
    for (let i = 0; i < queues.length; i++) {
      const mq = queues[this.nextIndex() % queues.length] as MessageQueue;
      if (mq.brokerName !== lastBrokerName) return mq;
    }
    return this.selectOne();
  }

  /** The write queue count of a broker in the route, or -1 when the route does not name it (Java `getQueueIdByBroker`). */
  writeQueueNumsOf(brokerName: string): number {
    const qd = this.info.route.queueDatas.find((q) => q.brokerName === brokerName);
    return qd === undefined ? -1 : qd.writeQueueNums;
  }
}

/**
 * The publish queues of `topic` taken from the template topic's route, as Java does while a topic has no route
 * (`updateTopicRouteInfoFromNameServer(topic, true, producer)`): every queue data capped at
 * `min(defaultTopicQueueNums, readQueueNums)` read and write queues. A broker with `autoCreateTopicEnable`
 * creates the topic on the first send to one of them.
 */
export function publishQueuesFromDefaultTopic(options: {
  topic: string;
  defaultRoute: TopicRouteData;
  defaultTopicQueueNums: number;
}): PublishQueues {
  const { topic, defaultRoute, defaultTopicQueueNums } = options;
  const route: TopicRouteData = {
    ...defaultRoute,
    orderTopicConf: undefined,
    queueDatas: defaultRoute.queueDatas.map((qd) => {
      const n = Math.min(defaultTopicQueueNums, qd.readQueueNums);
      return { ...qd, readQueueNums: n, writeQueueNums: n };
    }),
  };
  return new PublishQueues(topicRouteToPublishInfo(topic, route), { fromDefaultTopic: true });
}
