import type { CommandSpec } from '../../cli/command-spec.js';
import { boolOption, requiredOption } from '../../cli/command-spec.js';
import { brokerTargets } from '../broker-targets.js';
import { errorText } from '../failure-list.js';
import { groupTopics } from '../group-topics.js';
import { groupOption, targetOptions } from '../option-specs.js';

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
    ...targetOptions(
      'delete subscription group from which broker',
      'delete subscription group from which cluster',
    ),
    groupOption('groupName', 'subscription group name', true),
    { short: 'r', long: 'removeOffset', description: 'remove offset' },
  ],
  async run(ctx) {
    const group = requiredOption(ctx.options, 'groupName').trim();
    const removeOffset = boolOption(ctx.options, 'removeOffset', false);
    const admin = await ctx.admin();
    const { addrs, cluster } = await brokerTargets(admin, ctx.options, 'masters');
    const where = cluster === undefined ? '' : ` in cluster [${cluster.clusterName}]`;
    for (const addr of addrs) {
      await admin.deleteSubscriptionGroup(addr, group, removeOffset);
      ctx.print(`delete subscription group [${group}] from broker [${addr}]${where} success.`);
    }
    if (cluster === undefined) return;
    for (const topic of groupTopics(group)) {
      try {
        await admin.deleteTopic(topic, cluster.clusterName);
        ctx.print(`delete topic [${topic}] from cluster [${cluster.clusterName}] success.`);
        ctx.print(`delete topic [${topic}] from NameServer success.`);
      } catch (error) {
        ctx.print(`WARN: delete topic [${topic}] failed: ${errorText(error)}`);
      }
    }
  },
};
