import type { CommandSpec } from '../../cli/command-spec.js';
import { requiredOption } from '../../cli/command-spec.js';
import { clusterBrokerNames } from '../cluster-targets.js';
import { topicOption } from '../option-specs.js';

/**
 * `deleteTopic -t topic -c cluster` (Java 4.9.8 `DeleteTopicSubCommand`, mqadmin-and-config.md §1.2): deletes the
 * topic on every master of the cluster, then that cluster's part of it on every NameServer of `-n`, and prints
 * `delete topic [T] from cluster [C] success.` and `delete topic [T] from NameServer success.`. Deleting a topic that
 * does not exist succeeds, as in RocketMQ (scripts can delete idempotently).
 */
export const deleteTopicCommand: CommandSpec = {
  name: 'deleteTopic',
  description: 'Delete topic from broker and NameServer.',
  options: [
    topicOption(),
    {
      short: 'c',
      long: 'clusterName',
      description: 'delete topic from which cluster',
      required: true,
    },
  ],
  async run(ctx) {
    const topic = requiredOption(ctx.options, 'topic').trim();
    const clusterName = requiredOption(ctx.options, 'clusterName').trim();
    const admin = await ctx.admin();
    // Checked here for RocketMQ's unknown-cluster message; MQAdmin.deleteTopic would word it differently.
    clusterBrokerNames(await admin.clusterInfo(), clusterName);
    await admin.deleteTopic(topic, clusterName);
    ctx.print(`delete topic [${topic}] from cluster [${clusterName}] success.`);
    ctx.print(`delete topic [${topic}] from NameServer success.`);
  },
};
