import type { MQAdmin } from '@rocketmq-ts/client';
import type { ClusterInfo } from '@rocketmq-ts/protocol';
import type { ParsedOptions } from '../cli/command-spec.js';
import { optionalOption, requiredOption } from '../cli/command-spec.js';
import { clusterBrokers, clusterMasters } from './cluster-targets.js';
import type { BrokerTarget } from './cluster-targets.js';

/*
 * Reading back the `-b brokerAddr` / `-c clusterName` pair of `targetOptions`: `-b` wins when both are given, as in
 * RocketMQ; the parser has already required one of the two.
 */

/** Which brokers of a `-c` cluster a command acts on: its masters, or masters and slaves. */
export type ClusterScope = 'masters' | 'all';

/** The brokers of the `-c` cluster, with the cluster info they come from. */
export interface ClusterTargets {
  clusterName: string;
  info: ClusterInfo;
  /** Sorted by broker name, then id (Java `CommandUtil.fetchMasterAndSlaveAddrByClusterName`). */
  brokers: BrokerTarget[];
}

/** The brokers a `-b` / `-c` pair names. */
export interface BrokerTargets {
  /** `-b`'s address alone, else the addresses of {@link BrokerTargets.cluster}'s brokers. */
  addrs: string[];
  /** With `-c` (and no `-b`): the cluster's brokers; undefined with `-b`. */
  cluster: ClusterTargets | undefined;
}

/** `-b`'s broker address (trimmed), or undefined when it was not given. */
export function targetBrokerAddr(options: ParsedOptions): string | undefined {
  return optionalOption(options, 'brokerAddr')?.trim();
}

/**
 * The brokers of the `-c` cluster in `scope`.
 * @throws CommandError for an unknown cluster (RocketMQ's `[error] Make sure the specified clusterName exists…`).
 */
export async function clusterTargets(
  admin: MQAdmin,
  options: ParsedOptions,
  scope: ClusterScope,
): Promise<ClusterTargets> {
  const clusterName = requiredOption(options, 'clusterName').trim();
  const info = await admin.clusterInfo();
  const brokers =
    scope === 'masters' ? clusterMasters(info, clusterName) : clusterBrokers(info, clusterName);
  return { clusterName, info, brokers };
}

/**
 * The brokers a `-b` / `-c` pair names: `-b` alone when given, else the cluster's brokers in `scope`.
 * @throws CommandError for an unknown cluster.
 */
export async function brokerTargets(
  admin: MQAdmin,
  options: ParsedOptions,
  scope: ClusterScope,
): Promise<BrokerTargets> {
  const brokerAddr = targetBrokerAddr(options);
  if (brokerAddr !== undefined) return { addrs: [brokerAddr], cluster: undefined };
  const cluster = await clusterTargets(admin, options, scope);
  return { addrs: cluster.brokers.map((b) => b.addr), cluster };
}
