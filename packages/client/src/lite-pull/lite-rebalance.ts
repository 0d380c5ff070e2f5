import type { Logger, MessageQueue } from '@rocketmq-ts/protocol';
import type { MQClientInstance } from '../client-instance.js';
import { topicRouteToSubscribeInfo } from '../route/topic-route-info.js';
import type { LitePullConsumerConfig } from './lite-pull-config.js';

/**
 * The queues of `topic` this client should own now (Java `RebalanceImpl.rebalanceByTopic`): every readable queue
 * in BROADCASTING; in CLUSTERING the allocation strategy's share, given the group's members as a master of the
 * topic lists them (GET_CONSUMER_LIST_BY_GROUP). Both lists are sorted, so every member computes the same split.
 * @returns undefined when the allocation cannot be made now (no route, no master, no member listed yet): the
 *   current queues are kept, as Java does.
 * @throws the errors of the member listing and of the strategy.
 */
export async function allocateTopicQueues(input: {
  instance: MQClientInstance;
  config: Readonly<LitePullConsumerConfig>;
  topic: string;
  logger: Logger;
}): Promise<MessageQueue[] | undefined> {
  const { instance, config, topic, logger } = input;
  const route = await instance.routeOf(topic);
  if (route === undefined) {
    logger.warn('rebalance skipped: the topic has no route', { topic });
    return undefined;
  }
  const mqAll = topicRouteToSubscribeInfo(topic, route);
  if (config.messageModel === 'BROADCASTING') return mqAll;
  const addr = route.brokerDatas.map((bd) => bd.brokerAddrs.get(0)).find((a) => a !== undefined);
  if (addr === undefined) {
    logger.warn('rebalance skipped: no master in the route', { topic });
    return undefined;
  }
  const cidAll = (await instance.api.getConsumerIdList(addr, config.consumerGroup)).sort();
  if (mqAll.length === 0 || cidAll.length === 0) {
    logger.warn('rebalance skipped: no queue or no member', { topic, cidAll });
    return undefined;
  }
  return config.allocateMessageQueueStrategy.allocate({
    consumerGroup: config.consumerGroup,
    currentCID: instance.clientId,
    mqAll,
    cidAll,
  });
}
