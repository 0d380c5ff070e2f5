import type { CommandSpec } from '../../cli/command-spec.js';

/**
 * `topicList [-c]`: one topic per line, as the NameServer lists them (system, retry and DLQ topics included); with
 * `-c` a `#Cluster Name  #Topic  #Consumer Group` table (retry and DLQ topics skipped, a topic without consumers gets
 * one row with an empty group), mqadmin-and-config.md §1.10. `--json` prints the list as a JSON array.
 */
export const topicListCommand: CommandSpec = {
  name: 'topicList',
  description: 'Fetch all topic list from name server.',
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
    const rows: { cluster: string; topic: string; group: string }[] = [];
    for (const topic of topics) {
      if (topic.startsWith('%RETRY%') || topic.startsWith('%DLQ%')) continue;
      const clusters = await admin.topicClusterList(topic).catch(() => [] as string[]);
      const groups = await admin.queryTopicConsumeByWho(topic).catch(() => [] as string[]);
      for (const cluster of clusters.length > 0 ? clusters : ['']) {
        for (const group of groups.length > 0 ? groups : ['']) rows.push({ cluster, topic, group });
      }
    }
    if (ctx.json) {
      ctx.print(JSON.stringify(rows));
      return;
    }
    ctx.print(
      `${'#Cluster Name'.padEnd(20)}  ${'#Topic'.padEnd(48)}  ${'#Consumer Group'.padEnd(48)}`,
    );
    for (const r of rows)
      ctx.print(`${r.cluster.padEnd(20)}  ${r.topic.padEnd(64)}  ${r.group.padEnd(64)}`);
  },
};
