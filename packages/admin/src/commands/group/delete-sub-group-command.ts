import type { CommandSpec } from '../../cli/command-spec.js';
import { boolOption, optionalOption, requiredOption } from '../../cli/command-spec.js';
import { clusterMasters } from '../cluster-targets.js';

/**
 * `deleteSubGroup (-b <brokerAddr> | -c <cluster>) -g <group> [-r removeOffset]` (DeleteSubscriptionGroupCommand,
 * 4.9.8). With `-b`: `delete subscription group [G] from broker [addr] success.` With `-c`: the same on every
 * master (`… in cluster [C] success.`), then the topics `%RETRY%G` and `%DLQ%G` are deleted from the cluster and the
 * NameServers (`delete topic [T] from cluster [C] success.`, `delete topic [T] from NameServer success.`); a failure
 * there prints a WARN line and the command goes on, as Java does. `-r true` also drops the group's offsets.
 */
export const deleteSubGroupCommand: CommandSpec = {
  name: 'deleteSubGroup',
  description: 'Delete subscription group from broker.',
  options: [
    {
      short: 'b',
      long: 'brokerAddr',
      description: 'delete subscription group from which broker',
      group: 'target',
    },
    {
      short: 'c',
      long: 'clusterName',
      description: 'delete subscription group from which cluster',
      group: 'target',
    },
    { short: 'g', long: 'groupName', description: 'subscription group name', required: true },
    { short: 'r', long: 'removeOffset', description: 'remove offset' },
  ],
  async run(ctx) {
    const group = requiredOption(ctx.options, 'groupName').trim();
    const removeOffset = boolOption(ctx.options, 'removeOffset', false);
    const admin = await ctx.admin();
    const brokerAddr = optionalOption(ctx.options, 'brokerAddr')?.trim();
    if (brokerAddr !== undefined) {
      await admin.deleteSubscriptionGroup(brokerAddr, group, removeOffset);
      ctx.print(`delete subscription group [${group}] from broker [${brokerAddr}] success.`);
      return;
    }
    const cluster = requiredOption(ctx.options, 'clusterName').trim();
    for (const { addr } of clusterMasters(await admin.clusterInfo(), cluster)) {
      await admin.deleteSubscriptionGroup(addr, group, removeOffset);
      ctx.print(
        `delete subscription group [${group}] from broker [${addr}] in cluster [${cluster}] success.`,
      );
    }
    for (const topic of [`%RETRY%${group}`, `%DLQ%${group}`]) {
      try {
        await admin.deleteTopic(topic, cluster);
        ctx.print(`delete topic [${topic}] from cluster [${cluster}] success.`);
        ctx.print(`delete topic [${topic}] from NameServer success.`);
      } catch (error) {
        ctx.print(
          `WARN: delete topic [${topic}] failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  },
};
