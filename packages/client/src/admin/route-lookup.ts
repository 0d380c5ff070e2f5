import { ResponseCode } from '@rocketmq-ts/protocol';
import type { BrokerData, ClusterInfo, TopicRouteData } from '@rocketmq-ts/protocol';
import { MQClientError } from '../errors.js';

/**
 * Where to send a broker-set request (Java `BrokerData.selectBrokerAddr`): the master, else one of the slaves
 * (Java picks one at random; this picks the lowest id, so repeated calls reach the same broker).
 */
export function selectBrokerAddr(bd: BrokerData): string | undefined {
  const master = bd.brokerAddrs.get(0);
  if (master !== undefined) return master;
  const ids = [...bd.brokerAddrs.keys()].sort((a, b) => a - b);
  return ids.length === 0 ? undefined : bd.brokerAddrs.get(ids[0]!);
}

/** One address per broker set of a route ({@link selectBrokerAddr}), without duplicates. */
export function routeBrokerAddrs(route: TopicRouteData | undefined): string[] {
  const out = new Set<string>();
  for (const bd of route?.brokerDatas ?? []) {
    const addr = selectBrokerAddr(bd);
    if (addr !== undefined) out.add(addr);
  }
  return [...out];
}

/**
 * The master addresses of a cluster's broker sets, sorted by broker name.
 * @throws MQClientError when the NameServer does not know the cluster.
 */
export function clusterMasterAddrs(info: ClusterInfo, clusterName: string): string[] {
  const brokerNames = info.clusterAddrTable.get(clusterName);
  if (brokerNames === undefined) {
    const known = [...info.clusterAddrTable.keys()].join(', ') || 'none';
    throw new MQClientError(
      `cluster ${clusterName} is not known to the NameServer (known clusters: ${known}): check the cluster name and namesrvAddr`,
    );
  }
  const out: string[] = [];
  for (const name of [...brokerNames].sort()) {
    const master = info.brokerAddrTable.get(name)?.brokerAddrs.get(0);
    if (master !== undefined) out.push(master);
  }
  return out;
}

/** Every master address the NameServer knows, sorted by broker name. */
export function allMasterAddrs(info: ClusterInfo): string[] {
  return [...info.brokerAddrTable.keys()].sort().flatMap((name) => {
    const master = info.brokerAddrTable.get(name)?.brokerAddrs.get(0);
    return master === undefined ? [] : [master];
  });
}

/** The broker set an address belongs to, or undefined. */
export function brokerNameOfAddr(info: ClusterInfo, addr: string): string | undefined {
  for (const [name, bd] of info.brokerAddrTable) {
    for (const a of bd.brokerAddrs.values()) if (a === addr) return name;
  }
  return undefined;
}

/** The clusters holding any broker set of a route (by the NameServer's cluster table), sorted. */
export function routeClusters(info: ClusterInfo, route: TopicRouteData): string[] {
  const names = new Set(route.brokerDatas.map((bd) => bd.brokerName));
  const out: string[] = [];
  for (const [cluster, brokerNames] of info.clusterAddrTable) {
    if (brokerNames.some((n) => names.has(n))) out.push(cluster);
  }
  return out.sort();
}

/** The error for a topic without a route. */
export function noRouteError(topic: string): MQClientError {
  return new MQClientError(
    `the NameServer has no route for topic ${topic}: create the topic (mqadmin updateTopic) or check namesrvAddr`,
    ResponseCode.TOPIC_NOT_EXIST,
  );
}
