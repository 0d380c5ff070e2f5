import { topicRouteDataToJson, writeFastjson } from '@rocketmq-ts/protocol';
import type { BrokerData, TopicRouteData } from '@rocketmq-ts/protocol';
import type { CommandSpec } from '../../cli/command-spec.js';
import { requiredOption } from '../../cli/command-spec.js';
import { topicOption } from '../option-specs.js';
import { formatRow } from '../text-columns.js';
import { unlessTopicMissing } from './topic-not-found.js';

/** The columns of `topicRoute -l` (Java `TopicRouteSubCommand.FORMAT`). */
const ROUTE_FORMAT = '%-45s %-32s %-50s %-10s %-11s %-5s';

/** Dashes between the rows and the `Total:` row of `topicRoute -l`. */
const ROUTE_RULE = '-'.repeat(158);

/**
 * The route as JSON text in RocketMQ's property order (alphabetical, as fastjson writes beans), pretty-printed with
 * tabs when `pretty`. Unlike fastjson's `toJson(true)` it is valid JSON: broker ids are quoted (`{"0":"…"}`).
 */
export function topicRouteJson(route: TopicRouteData, pretty: boolean): string {
  const value: unknown = JSON.parse(writeFastjson(topicRouteDataToJson(route)));
  return pretty ? JSON.stringify(value, null, '\t') : JSON.stringify(value);
}

/** Java `HashMap<Long, String>.toString()` of broker addresses: `{0=127.0.0.1:10911, 1=127.0.0.1:10921}`. */
export function formatBrokerAddrs(brokerAddrs: BrokerData['brokerAddrs']): string {
  const entries = [...brokerAddrs].sort(([a], [b]) => a - b);
  return `{${entries.map(([id, addr]) => `${id}=${addr}`).join(', ')}}`;
}

/**
 * The `topicRoute -l` table (Java 4.9.8 `TopicRouteSubCommand.printData`): `#ClusterName #BrokerName #BrokerAddrs
 * #ReadQueue #WriteQueue #Perm`, one row per broker set sorted by name (perm as a number), 158 dashes, then
 * `Total:` with the broker-set count and the read and write queue totals. A broker set without queue data (Java
 * fails on it) shows empty queue cells.
 */
export function formatTopicRouteTable(route: TopicRouteData): string[] {
  const queues = new Map(route.queueDatas.map((q) => [q.brokerName, q]));
  const brokers = [...route.brokerDatas].sort((a, b) =>
    a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0,
  );
  const lines = [
    formatRow(ROUTE_FORMAT, [
      '#ClusterName',
      '#BrokerName',
      '#BrokerAddrs',
      '#ReadQueue',
      '#WriteQueue',
      '#Perm',
    ]),
  ];
  let totalRead = 0;
  let totalWrite = 0;
  for (const b of brokers) {
    const q = queues.get(b.brokerName);
    totalRead += q?.readQueueNums ?? 0;
    totalWrite += q?.writeQueueNums ?? 0;
    lines.push(
      formatRow(ROUTE_FORMAT, [
        b.cluster,
        b.brokerName,
        formatBrokerAddrs(b.brokerAddrs),
        q?.readQueueNums ?? '',
        q?.writeQueueNums ?? '',
        q?.perm ?? '',
      ]),
    );
  }
  lines.push(ROUTE_RULE);
  lines.push(formatRow(ROUTE_FORMAT, ['Total:', queues.size, '', totalRead, totalWrite, '']));
  return lines;
}

/**
 * `topicRoute -t topic [-l]` (Java 4.9.8 `TopicRouteSubCommand`, mqadmin-and-config.md §1.2, §1.10): the topic's
 * TopicRouteData as pretty JSON, or with `-l` as a table. `--json` prints the route as one line of JSON.
 */
export const topicRouteCommand: CommandSpec = {
  name: 'topicRoute',
  description: 'Examine topic route info',
  json: true,
  options: [
    topicOption(),
    { short: 'l', long: 'list', description: 'Use list format to print data', hasArg: false },
  ],
  async run(ctx) {
    const topic = requiredOption(ctx.options, 'topic').trim();
    const admin = await ctx.admin();
    const route = await unlessTopicMissing(topic, admin.topicRoute(topic));
    if (ctx.json) ctx.print(topicRouteJson(route, false));
    else if (ctx.options.has('list'))
      for (const line of formatTopicRouteTable(route)) ctx.print(line);
    else ctx.print(topicRouteJson(route, true));
  },
};
