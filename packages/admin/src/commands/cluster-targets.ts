import type { ClusterInfo } from '@rocketmq-ts/protocol';
import { CommandError } from '../cli/command-spec.js';

/** RocketMQ's message for a `-c` cluster the NameServer does not know (Java `CommandUtil.ERROR_MESSAGE`). */
export const UNKNOWN_CLUSTER_MESSAGE =
  '[error] Make sure the specified clusterName exists or the name server connected to is correct.';

/** One broker of a broker set, as the NameServer registered it. */
export interface BrokerTarget {
  /** Broker set name, e.g. `broker-a`. */
  brokerName: string;
  /** 0 for the master, > 0 for slaves. */
  brokerId: number;
  /** `ip:port`. */
  addr: string;
}

/**
 * The broker set names of a cluster, sorted (Java iterates a HashSet; sorting makes the output repeatable).
 * @throws CommandError with RocketMQ's {@link UNKNOWN_CLUSTER_MESSAGE} and the clusters that do exist.
 */
export function clusterBrokerNames(info: ClusterInfo, clusterName: string): string[] {
  const names = info.clusterAddrTable.get(clusterName);
  if (names === undefined) {
    const known = [...info.clusterAddrTable.keys()].join(', ') || 'none';
    throw new CommandError(
      `${UNKNOWN_CLUSTER_MESSAGE} (cluster "${clusterName}" is unknown; known clusters: ${known})`,
    );
  }
  return [...names].sort();
}

/**
 * Every broker of a cluster, masters and slaves, sorted by broker name then id (Java
 * `CommandUtil.fetchMasterAndSlaveAddrByClusterName`).
 * @throws CommandError for an unknown cluster.
 */
export function clusterBrokers(info: ClusterInfo, clusterName: string): BrokerTarget[] {
  return clusterBrokerNames(info, clusterName).flatMap((brokerName) => brokersOf(info, brokerName));
}

/**
 * The masters of a cluster, sorted by broker name (Java `CommandUtil.fetchMasterAddrByClusterName`).
 * @throws CommandError for an unknown cluster.
 */
export function clusterMasters(info: ClusterInfo, clusterName: string): BrokerTarget[] {
  return clusterBrokers(info, clusterName).filter((b) => b.brokerId === 0);
}

/** The brokers of one broker set, by ascending id (a Java HashMap of small Long keys iterates the same way). */
export function brokersOf(info: ClusterInfo, brokerName: string): BrokerTarget[] {
  const data = info.brokerAddrTable.get(brokerName);
  if (data === undefined) return [];
  return [...data.brokerAddrs]
    .sort(([a], [b]) => a - b)
    .map(([brokerId, addr]) => ({ brokerName, brokerId, addr }));
}

/** The broker set an address belongs to (Java `CommandUtil.fetchBrokerNameByAddr`), or undefined. */
export function brokerNameOfAddr(info: ClusterInfo, addr: string): string | undefined {
  for (const [name, data] of info.brokerAddrTable) {
    for (const a of data.brokerAddrs.values()) if (a === addr) return name;
  }
  return undefined;
}
