import type { CommandSpec } from '../../cli/command-spec.js';
import { isGroupTopic } from '../group-topics.js';
import { formatRow, frontStringAtLeast } from '../text-columns.js';

/** One `topicList -c` row. */
export interface TopicClusterRow {
  cluster: string;
  topic: string;
  /** Empty for a topic without consumers. */
  group: string;
}

/**
 * The `topicList -c` table as Java 4.9.8 `TopicListSubCommand` prints it: the header `%-20s  %-48s  %-48s` and rows
 * `%-20s  %-64s  %-64s` (an upstream inconsistency kept as is), values cut to the column width.
 */
export function formatTopicClusterRows(rows: readonly TopicClusterRow[]): string[] {
  return [
    formatRow('%-20s  %-48s  %-48s', ['#Cluster Name', '#Topic', '#Consumer Group']),
    ...rows.map((r) =>
      formatRow('%-20s  %-64s  %-64s', [
        frontStringAtLeast(r.cluster, 20),
        frontStringAtLeast(r.topic, 64),
        frontStringAtLeast(r.group, 64),
      ]),
    ),
  ];
}

/**
 * `topicList [-c]`: one topic per line, as the NameServer lists them (system, retry and DLQ topics included); with
 * `-c` a `#Cluster Name  #Topic  #Consumer Group` table (retry and DLQ topics skipped, a topic without consumers gets
 * one row with an empty group), mqadmin-and-config.md §1.10. Java names only the cluster of the route's first
 * broker set; a topic spread over several clusters gets a row per cluster here. `--json` prints the list (or the
 * rows) as JSON.
 */
export const topicListCommand: CommandSpec = {
  name: 'topicList',
  description: 'Fetch all topic list from name server',
  json: true,
  options: [{ short: 'c', long: 'clusterModel', description: 'clusterModel', hasArg: false }],
  async run(ctx) {
    const admin = await ctx.admin();
    const topics = await admin.topicList();
    if (!ctx.options.has('clusterModel')) {
      if (ctx.json) ctx.print(JSON.stringify(topics));
      else for (const topic of topics) ctx.print(topic);
      return;
    }
    const rows: TopicClusterRow[] = [];
    for (const topic of topics) {
      if (isGroupTopic(topic)) continue;
      // As in Java, a topic whose cluster or consumers cannot be looked up is listed with empty cells.
      const clusters = await admin.topicClusterList(topic).catch(() => [] as string[]);
      const groups = await admin.queryTopicConsumeByWho(topic).catch(() => [] as string[]);
      for (const cluster of clusters.length > 0 ? clusters : ['']) {
        for (const group of groups.length > 0 ? groups : ['']) rows.push({ cluster, topic, group });
      }
    }
    if (ctx.json) ctx.print(JSON.stringify(rows));
    else for (const line of formatTopicClusterRows(rows)) ctx.print(line);
  },
};
