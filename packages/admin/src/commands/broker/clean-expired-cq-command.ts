import type { CommandSpec } from '../../cli/command-spec.js';
import { CommandError, optionalOption } from '../../cli/command-spec.js';
import { clusterBrokers } from '../cluster-targets.js';
import { ExtraAdminRequests } from '../extra-admin-requests.js';

/**
 * `cleanExpiredCQ [-b addr | -c cluster]` (Java 4.9.8 `CleanExpiredCQSubCommand`): asks one broker, every broker of
 * a cluster (masters and slaves), or with neither option every broker of every cluster, to delete expired
 * consume-queue files (CLEAN_EXPIRED_CONSUMEQUEUE). Prints `success` when every broker did, else `false` — Java
 * reports only the last broker's answer and prints no line break — and then fails naming the brokers that refused or
 * did not answer.
 */
export const cleanExpiredCQCommand: CommandSpec = {
  name: 'cleanExpiredCQ',
  description: 'Clean expired ConsumeQueue on broker.',
  options: [
    { short: 'b', long: 'brokerAddr', description: 'Broker address' },
    { short: 'c', long: 'cluster', description: 'clustername' },
  ],
  async run(ctx) {
    const admin = await ctx.admin();
    const brokerAddr = optionalOption(ctx.options, 'brokerAddr')?.trim();
    const clusterName = optionalOption(ctx.options, 'cluster')?.trim();
    let addrs: string[];
    if (brokerAddr !== undefined) {
      addrs = [brokerAddr];
    } else {
      const info = await admin.clusterInfo();
      const clusters =
        clusterName === undefined || clusterName === ''
          ? [...info.clusterAddrTable.keys()]
          : [clusterName];
      addrs = clusters.flatMap((c) => clusterBrokers(info, c).map((b) => b.addr));
    }
    const extra = new ExtraAdminRequests(admin);
    const failures: string[] = [];
    try {
      for (const addr of addrs) {
        try {
          await extra.cleanExpiredConsumeQueue(addr);
        } catch (error) {
          failures.push(`${addr}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    } finally {
      await extra.close();
    }
    ctx.print(failures.length === 0 && addrs.length > 0 ? 'success' : 'false');
    if (addrs.length === 0) throw new CommandError('no broker to clean: the NameServer knows none');
    if (failures.length > 0) {
      throw new CommandError(`clean expired consume queues failed on ${failures.join('; ')}`);
    }
  },
};
