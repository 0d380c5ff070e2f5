import type { MQAdmin } from '@rocketmq-ts/client';
import type { ParsedOptions } from '../../cli/command-spec.js';
import { optionalOption, requiredOption } from '../../cli/command-spec.js';
import { clusterBrokers } from '../cluster-targets.js';
import type { BrokerTarget } from '../cluster-targets.js';

/**
 * The brokers a `-b brokerAddr` / `-c clusterName` pair names: `-b` alone when given (it wins over `-c`, as in
 * RocketMQ), else the cluster's brokers (`masters` only, or masters with their slaves), sorted by broker name and id.
 * The parser has already required one of the two.
 * @throws CommandError for an unknown cluster (RocketMQ's `[error] Make sure the specified clusterName exists…`).
 */
export async function brokerTargets(
  admin: MQAdmin,
  options: ParsedOptions,
  scope: { masters: boolean; clusterOption?: string },
): Promise<{ addrs: string[]; fromCluster: BrokerTarget[] | undefined }> {
  const brokerAddr = optionalOption(options, 'brokerAddr')?.trim();
  if (brokerAddr !== undefined) return { addrs: [brokerAddr], fromCluster: undefined };
  const clusterName = requiredOption(options, scope.clusterOption ?? 'clusterName').trim();
  const all = clusterBrokers(await admin.clusterInfo(), clusterName);
  const brokers = scope.masters ? all.filter((b) => b.brokerId === 0) : all;
  return { addrs: brokers.map((b) => b.addr), fromCluster: brokers };
}
