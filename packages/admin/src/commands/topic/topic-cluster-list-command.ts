import type { CommandSpec } from '../../cli/command-spec.js';
import { requiredOption } from '../../cli/command-spec.js';
import { topicOption } from '../option-specs.js';
import { unlessTopicMissing } from './topic-not-found.js';

/**
 * `topicClusterList -t topic` (Java 4.9.8 `TopicClusterSubCommand`): one cluster name per line, every cluster holding
 * a broker set of the topic's route, sorted. `--json` prints them as a JSON array.
 */
export const topicClusterListCommand: CommandSpec = {
  name: 'topicClusterList',
  description: 'get cluster info for topic',
  json: true,
  options: [topicOption()],
  async run(ctx) {
    const topic = requiredOption(ctx.options, 'topic').trim();
    const admin = await ctx.admin();
    const clusters = await unlessTopicMissing(topic, admin.topicClusterList(topic));
    if (ctx.json) ctx.print(JSON.stringify(clusters));
    else for (const cluster of clusters) ctx.print(cluster);
  },
};
