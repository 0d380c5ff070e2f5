import type { MessageQueue } from '@rocketmq-ts/protocol';
import type { MQClientInstance } from '../client-instance.js';
import { MQClientError } from '../errors.js';
import type { FindBrokerResult } from '../route/broker-addr-lookup.js';

/** The part of a queue a broker-set lookup needs: the set's name, and the topic whose route lists it. */
type QueueRef = Pick<MessageQueue, 'topic' | 'brokerName'>;

/**
 * The broker to pull a queue from (Java `PullAPIWrapper.pullKernelImpl`): `findBrokerAddressInSubscribe(brokerName,
 * brokerId, false)`, and once more after fetching the topic's route when the set is not known yet. While the
 * set's master is out of the routes this is one of its slaves.
 * @param brokerId - the id the last pull of this queue suggested (`suggestWhichBrokerId`), 0 = master.
 * @throws MQClientError when no route names the broker set.
 */
export async function findSubscribeBroker(
  instance: MQClientInstance,
  mq: QueueRef,
  brokerId: number,
): Promise<FindBrokerResult> {
  const found = await lookUpWithRouteRefresh(instance, mq, () =>
    instance.findBrokerAddressInSubscribe(mq.brokerName, brokerId, false),
  );
  if (found === undefined) throw notInRoutes(instance, mq);
  return found;
}

/**
 * The broker to read or commit a queue's consumer offset at, and to ask for queue offsets and group members: the
 * master while the routes list it, else a slave of the set (Java `findBrokerAddressInAdmin`); fetches the topic's
 * route once when the set is not known yet.
 * @throws MQClientError when no route names the broker set.
 */
export async function findAdminAddr(instance: MQClientInstance, mq: QueueRef): Promise<string> {
  const found = await lookUpWithRouteRefresh(instance, mq, () =>
    instance.findBrokerAddressInAdmin(mq.brokerName),
  );
  if (found === undefined) throw notInRoutes(instance, mq);
  return found.brokerAddr;
}

/**
 * The master's address of a queue's broker set (Java `findBrokerAddressInPublish`), fetching the route once when
 * unknown: for what only a master may do (send a message or send it back, lock a queue for orderly consumption).
 * @throws MQClientError when the broker set has no master in the routes.
 */
export async function findMasterAddr(instance: MQClientInstance, mq: QueueRef): Promise<string> {
  const addr = await lookUpWithRouteRefresh(instance, mq, () => instance.masterAddr(mq.brokerName));
  if (addr === undefined) {
    throw new MQClientError(
      `the broker ${mq.brokerName} of topic ${mq.topic} has no master in the routes known to ${instance.clientId}`,
    );
  }
  return addr;
}

function notInRoutes(instance: MQClientInstance, mq: QueueRef): MQClientError {
  return new MQClientError(
    `the broker ${mq.brokerName} of topic ${mq.topic} is not in any route known to ${instance.clientId}`,
  );
}

/** `lookUp()`, and once more after fetching `mq.topic`'s route when the first answer is undefined. */
async function lookUpWithRouteRefresh<T>(
  instance: MQClientInstance,
  mq: Pick<MessageQueue, 'topic'>,
  lookUp: () => T | undefined,
): Promise<T | undefined> {
  const found = lookUp();
  if (found !== undefined) return found;
  await instance.updateRoute(mq.topic);
  return lookUp();
}
