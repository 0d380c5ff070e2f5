import type { Logger, MessageQueue } from '@rocketmq-ts/protocol';
import type { MQClientInstance } from '../client-instance.js';
import {
  findBrokerAddressInAdmin,
  findBrokerAddressInPublish,
} from '../route/broker-addr-lookup.js';
import { topicRouteToSubscribeInfo } from '../route/topic-route-info.js';
import type { LitePullConsumerConfig } from './lite-pull-config.js';

/**
 * The queues of `topic` this client should own now (Java `RebalanceImpl.rebalanceByTopic`): every readable queue
 * in BROADCASTING; in CLUSTERING the allocation strategy's share, given the group's members as a master of the
 * topic lists them (GET_CONSUMER_LIST_BY_GROUP; a slave when no master is listed). Both lists are sorted, so every
 * member computes the same split.
 * @returns undefined when the allocation cannot be made now (no route, no broker, no member listed yet): the
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
  // Java `findBrokerAddrByTopic` asks one broker set, its master else a slave: consumers heart-beat to slaves too,
  // so a slave knows the group's members while its master is gone. A master, when any is listed, is preferred.
  const addr =
    route.brokerDatas.map((bd) => findBrokerAddressInPublish(bd.brokerAddrs)).find(isDefined) ??
    route.brokerDatas
      .map((bd) => findBrokerAddressInAdmin(bd.brokerAddrs)?.brokerAddr)
      .find(isDefined);
  if (addr === undefined) {
    logger.warn('rebalance skipped: no broker in the route', { topic });
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

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
