import type { MQAdmin } from '@rocketmq-ts/client';
import { ResponseCode, RocketMQError } from '@rocketmq-ts/protocol';
import type { TopicRouteData } from '@rocketmq-ts/protocol';
import type { CommandSpec } from '../../cli/command-spec.js';
import { optionalOption } from '../../cli/command-spec.js';
import { isGroupTopic } from '../group-topics.js';
import { topicOption } from '../option-specs.js';
import { formatJavaFixed, formatRow, frontStringAtLeast } from '../text-columns.js';
import { ToolsClient, usingToolsClient } from '../tools-client.js';
import type { BrokerStatsData } from '../tools-client.js';
import { topicMissingError } from './topic-not-found.js';

/** Broker statistic of messages put to a topic (Java `Stats.TOPIC_PUT_NUMS`), keyed by topic. */
const TOPIC_PUT_NUMS = 'TOPIC_PUT_NUMS';
/** Broker statistic of messages a group pulled (Java `Stats.GROUP_GET_NUMS`), keyed by `topic@group`. */
const GROUP_GET_NUMS = 'GROUP_GET_NUMS';

/** One statsAll row: a topic and one group consuming it, or the topic alone (`consumerGroup` null). */
export interface StatsAllRow {
  topic: string;
  /** Null when no group consumes the topic (printed as an empty group and `NO_CONSUMER`). */
  consumerGroup: string | null;
  /** Messages not consumed yet by the group (0 when unknown or negative). */
  accumulation: number;
  /** Messages per second put to the topic over the last minute, summed over its masters. */
  inTps: number;
  /** Messages per second the group pulled over the last minute; null without a group. */
  outTps: number | null;
  /** Messages put in the last 24 hours (Java `compute24HourSum`). */
  inMsg24Hour: number;
  /** Messages the group pulled in the last 24 hours; null without a group. */
  outMsg24Hour: number | null;
}

/** Header and rows as Java 4.9.8 `StatsAllSubCommand` prints them (`%-64s  %-64s %12d %11.2f %11.2f %14d %14d`). */
export function formatStatsAll(rows: readonly StatsAllRow[]): string[] {
  const line = (cells: readonly (string | number)[]): string =>
    formatRow('%-64s  %-64s %12s %11s %11s %14s %14s', cells);
  return [
    line([
      '#Topic',
      '#Consumer Group',
      '#Accumulation',
      '#InTPS',
      '#OutTPS',
      '#InMsg24Hour',
      '#OutMsg24Hour',
    ]),
    ...rows.map((r) =>
      line([
        frontStringAtLeast(r.topic, 64),
        frontStringAtLeast(r.consumerGroup ?? '', 64),
        r.accumulation,
        formatJavaFixed(r.inTps, 2),
        r.outTps === null ? '' : formatJavaFixed(r.outTps, 2),
        r.inMsg24Hour,
        r.outMsg24Hour ?? 'NO_CONSUMER',
      ]),
    ),
  ];
}

/** Java `StatsAllSubCommand.compute24HourSum`: the day's sum, else the hour's, else the minute's. */
export function compute24HourSum(data: BrokerStatsData): number {
  if (data.statsDay.sum !== 0) return data.statsDay.sum;
  if (data.statsHour.sum !== 0) return data.statsHour.sum;
  return data.statsMinute.sum;
}

/**
 * Sums one statistic over a topic's masters, as Java does, treating a broker that fails to answer as contributing
 * nothing. Brokers that answer REQUEST_CODE_NOT_SUPPORTED (rocketmq-ts brokers keep no per-topic statistics) are
 * remembered in `unsupported` and not asked again.
 */
async function sumStats(
  client: ToolsClient,
  route: TopicRouteData,
  query: { statsName: string; statsKey: string; unsupported: Set<string> },
): Promise<{ tps: number; sum24h: number }> {
  let tps = 0;
  let sum24h = 0;
  for (const bd of route.brokerDatas) {
    const master = bd.brokerAddrs.get(0);
    if (master === undefined || query.unsupported.has(master)) continue;
    try {
      const data = await client.viewBrokerStatsData(master, query);
      tps += data.statsMinute.tps;
      sum24h += compute24HourSum(data);
    } catch (error) {
      if (
        error instanceof RocketMQError &&
        error.code === ResponseCode.REQUEST_CODE_NOT_SUPPORTED
      ) {
        query.unsupported.add(master);
      }
    }
  }
  return { tps, sum24h };
}

/** The rows of one topic (Java `printTopicDetail`); `activeOnly` keeps those with traffic in the last 24 hours. */
async function topicRows(
  admin: MQAdmin,
  client: ToolsClient,
  query: { topic: string; activeOnly: boolean; unsupported: Set<string> },
): Promise<StatsAllRow[]> {
  const { topic, unsupported } = query;
  const route = await admin.topicRoute(topic);
  const groups = await admin.queryTopicConsumeByWho(topic);
  const put = await sumStats(client, route, {
    statsName: TOPIC_PUT_NUMS,
    statsKey: topic,
    unsupported,
  });
  const rows: StatsAllRow[] = [];
  if (groups.length === 0) {
    if (!query.activeOnly || put.sum24h > 0) {
      rows.push({
        topic,
        consumerGroup: null,
        accumulation: 0,
        inTps: put.tps,
        outTps: null,
        inMsg24Hour: put.sum24h,
        outMsg24Hour: null,
      });
    }
    return rows;
  }
  for (const group of groups) {
    const get = await sumStats(client, route, {
      statsName: GROUP_GET_NUMS,
      statsKey: `${topic}@${group}`,
      unsupported,
    });
    const accumulation = await admin.consumeStats(group, topic).then(
      (stats) => Math.max(0, stats.diffTotal),
      () => 0,
    );
    if (!query.activeOnly || put.sum24h > 0 || get.sum24h > 0) {
      rows.push({
        topic,
        consumerGroup: group,
        accumulation,
        inTps: put.tps,
        outTps: get.tps,
        inMsg24Hour: put.sum24h,
        outMsg24Hour: get.sum24h,
      });
    }
  }
  return rows;
}

/**
 * `statsAll [-a] [-t topic]` (Java 4.9.8 `StatsAllSubCommand`, mqadmin-and-config.md §1.10): per topic (retry and DLQ
 * topics skipped) and consuming group the backlog, in/out TPS and 24-hour counts. TPS and counts come from the
 * masters' VIEW_BROKER_STATS_DATA; rocketmq-ts brokers do not keep those statistics, so against them the TPS and
 * 24-hour columns read 0 (and `-a` keeps no rows), as Java's tool prints for brokers without data. A topic whose
 * lookup fails is left out, as in Java. `--json` prints the rows as a JSON array of {@link StatsAllRow}.
 */
export const statsAllCommand: CommandSpec = {
  name: 'statsAll',
  description: 'Topic and Consumer tps stats',
  json: true,
  options: [
    { short: 'a', long: 'activeTopic', description: 'print active topic only', hasArg: false },
    topicOption('print select topic only', false),
  ],
  async run(ctx) {
    const activeOnly = ctx.options.has('activeTopic');
    const selected = optionalOption(ctx.options, 'topic')?.trim();
    const admin = await ctx.admin();
    const topics = await admin.topicList();
    if (selected !== undefined && selected !== '' && !topics.includes(selected)) {
      throw topicMissingError(selected);
    }
    const unsupported = new Set<string>();
    const rows: StatsAllRow[] = [];
    await usingToolsClient(ToolsClient.forAdmin(admin), async (client) => {
      for (const topic of topics) {
        if (isGroupTopic(topic)) continue;
        if (selected !== undefined && selected !== '' && topic !== selected) continue;
        try {
          rows.push(...(await topicRows(admin, client, { topic, activeOnly, unsupported })));
        } catch {
          // Java skips a topic whose route or consumer lookup fails and goes on with the next.
        }
      }
    });
    if (ctx.json) ctx.print(JSON.stringify(rows));
    else for (const line of formatStatsAll(rows)) ctx.print(line);
  },
};
