import type { GroupConsumeStats, MQAdmin } from '@rocketmq-ts/client';
import { messageQueueKey } from '@rocketmq-ts/protocol';
import type { CommandContext, CommandSpec } from '../../cli/command-spec.js';
import { optionalOption } from '../../cli/command-spec.js';
import { RETRY_GROUP_TOPIC_PREFIX } from '../group-topics.js';
import { groupOption } from '../option-specs.js';
import {
  clientIpByQueue,
  consumerProgressLines,
  groupProgressLines,
} from './consumer-progress-format.js';
import type { GroupProgressSummary } from './consumer-progress-format.js';
import { mqVersionDesc } from './mq-version.js';

/**
 * `consumerProgress [-g <group>] [-s true]` (ConsumerProgressSubCommand, 4.9.8 columns: no `#Inflight`, summary
 * `Consume TPS:` / `Diff Total:`). With `-g`: one row per queue the group has progress on (its topics and its
 * `%RETRY%` topic), with `-s true` the IP of the client holding each queue. Without `-g`: one row per group found
 * through the `%RETRY%<group>` topics (sorted by name here; Java prints the NameServer's hash order), offline groups
 * as `OFFLINE`. A group with no progress fails with one line naming it. `--json` prints the same data as JSON.
 */
export const consumerProgressCommand: CommandSpec = {
  name: 'consumerProgress',
  description: "Query consumers's progress, speed",
  json: true,
  options: [
    groupOption('groupName'),
    { short: 's', long: 'showClientIP', description: 'Show Client IP per Queue' },
  ],
  async run(ctx) {
    const admin = await ctx.admin();
    const group = optionalOption(ctx.options, 'groupName')?.trim();
    if (group === undefined) {
      await printGroupList(ctx, admin);
      return;
    }
    // Java: `-s` takes a value and only "true" (any case) turns the column on.
    const showClientIp =
      optionalOption(ctx.options, 'showClientIP')?.trim().toLowerCase() === 'true';
    const stats = await admin.consumeStats(group);
    const ips = showClientIp ? await queueOwners(admin, group) : undefined;
    if (ctx.json) {
      ctx.print(JSON.stringify(progressJson(group, stats, ips)));
      return;
    }
    for (const line of consumerProgressLines(stats, ips)) ctx.print(line);
  },
};

/** Queue → client IP, from each live client's running info; clients that do not answer hold nothing here. */
async function queueOwners(admin: MQAdmin, group: string): Promise<Map<string, string>> {
  let clientIds: string[];
  try {
    clientIds = (await admin.consumerConnection(group)).connectionSet.map((c) => c.clientId);
  } catch {
    return new Map(); // offline: every queue N/A, as Java
  }
  const owners = await Promise.all(
    clientIds.map(async (clientId) => {
      try {
        const info = await admin.consumerRunningInfo(group, clientId);
        return { clientId, queues: info.mqTable.map(([mq]) => mq) };
      } catch {
        return { clientId, queues: [] };
      }
    }),
  );
  return clientIpByQueue(owners);
}

function progressJson(
  group: string,
  stats: GroupConsumeStats,
  ips: ReadonlyMap<string, string> | undefined,
): unknown {
  return {
    group,
    queues: stats.queues.map((q) => ({
      topic: q.mq.topic,
      brokerName: q.mq.brokerName,
      queueId: q.mq.queueId,
      brokerOffset: q.brokerOffset,
      consumerOffset: q.consumerOffset,
      ...(ips === undefined ? {} : { clientIp: ips.get(messageQueueKey(q.mq)) ?? null }),
      diff: q.lag,
      lastTimestamp: q.lastTimestamp,
    })),
    consumeTps: stats.consumeTps,
    diffTotal: stats.diffTotal,
  };
}

async function printGroupList(ctx: CommandContext, admin: MQAdmin): Promise<void> {
  const groups = (await admin.topicList())
    .filter((t) => t.startsWith(RETRY_GROUP_TOPIC_PREFIX))
    .map((t) => t.slice(RETRY_GROUP_TOPIC_PREFIX.length))
    .sort();
  const rows: GroupProgressSummary[] = [];
  for (const group of groups) {
    // Java logs and leaves the figures at zero when either lookup fails (no offsets yet, nobody online).
    const stats = await admin.consumeStats(group).catch(() => undefined);
    const connection = await admin.consumerConnection(group).catch(() => undefined);
    rows.push({
      group,
      count: connection?.connectionSet.length ?? 0,
      minVersion: Math.min(...(connection?.connectionSet.map((c) => c.version) ?? [0])),
      ...(connection?.consumeType === undefined ? {} : { consumeType: connection.consumeType }),
      ...(connection?.messageModel === undefined ? {} : { messageModel: connection.messageModel }),
      consumeTps: stats?.consumeTps ?? 0,
      diffTotal: stats?.diffTotal ?? 0,
    });
  }
  if (ctx.json) {
    ctx.print(
      JSON.stringify(
        rows.map((r) => ({
          group: r.group,
          count: r.count,
          version: r.count > 0 ? mqVersionDesc(r.minVersion) : 'OFFLINE',
          consumeType: r.count > 0 ? (r.consumeType ?? null) : null,
          messageModel: r.count > 0 ? (r.messageModel ?? null) : null,
          consumeTps: r.consumeTps,
          diffTotal: r.diffTotal,
        })),
      ),
    );
    return;
  }
  for (const line of groupProgressLines(rows)) ctx.print(line);
}
