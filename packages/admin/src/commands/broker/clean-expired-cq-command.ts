import type { CommandSpec } from '../../cli/command-spec.js';
import { CommandError, optionalOption } from '../../cli/command-spec.js';
import { targetBrokerAddr } from '../broker-targets.js';
import { clusterBrokers } from '../cluster-targets.js';
import { FailureList } from '../failure-list.js';
import { brokerAddrOption } from '../option-specs.js';
import { ToolsClient, usingToolsClient } from '../tools-client.js';

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
    brokerAddrOption('Broker address'),
    { short: 'c', long: 'cluster', description: 'clustername' },
  ],
  async run(ctx) {
    const admin = await ctx.admin();
    const brokerAddr = targetBrokerAddr(ctx.options);
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
    const failures = new FailureList();
    await usingToolsClient(ToolsClient.forAdmin(admin), async (client) => {
      for (const addr of addrs) {
        try {
          await client.cleanExpiredConsumeQueue(addr);
        } catch (error) {
          failures.add(addr, error);
        }
      }
    });
    ctx.print(failures.size === 0 && addrs.length > 0 ? 'success' : 'false');
    if (addrs.length === 0) throw new CommandError('no broker to clean: the NameServer knows none');
    failures.throwIfAny('clean expired consume queues failed on ');
  },
};
