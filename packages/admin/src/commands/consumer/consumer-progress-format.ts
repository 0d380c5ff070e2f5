import type { GroupConsumeStats } from '@rocketmq-ts/client';
import { messageQueueKey } from '@rocketmq-ts/protocol';
import type { MessageQueue } from '@rocketmq-ts/protocol';
import { formatDateTime } from '../human-time.js';
import { formatJavaFixed, formatRow, frontStringAtLeast } from '../text-columns.js';
import { mqVersionDesc } from './mq-version.js';

/*
 * consumerProgress output, RocketMQ 4.9.8 (ConsumerProgressSubCommand; mqadmin-and-config.md §1.10 and §1.11): no
 * `#Inflight` column, and the summary is `Consume TPS:` and `Diff Total:` (5.x: `Consume Diff Total:` and
 * `Consume Inflight Total:`).
 */

/**
 * The `consumerProgress -g <group>` table: `#Topic` (L64), `#Broker Name` (L32), `#QID` (L4), `#Broker Offset`,
 * `#Consumer Offset` (L20), with `-s true` `#Client IP` (L20, `N/A` when no client holds the queue), `#Diff`
 * (L20), `#LastTime` (`yyyy-MM-dd HH:mm:ss`, `N/A` when nothing was consumed); then a blank line,
 * `Consume TPS: <x.xx>` and `Diff Total: <n>`. Rows come sorted by topic, broker name and queue id.
 * @param clientIpByQueue - with `-s true`: {@link messageQueueKey} → the IP of the client holding the queue.
 */
export function consumerProgressLines(
  stats: GroupConsumeStats,
  clientIpByQueue?: ReadonlyMap<string, string>,
): string[] {
  const showIp = clientIpByQueue !== undefined;
  // Java's two formats: `#Client IP` (one space after it) between `#Consumer Offset` and `#Diff`, or no such column.
  const format = showIp
    ? '%-64s  %-32s  %-4s  %-20s  %-20s  %-20s %-20s  %s'
    : '%-64s  %-32s  %-4s  %-20s  %-20s  %-20s  %s';
  const lines = [
    formatRow(format, [
      '#Topic',
      '#Broker Name',
      '#QID',
      '#Broker Offset',
      '#Consumer Offset',
      ...(showIp ? ['#Client IP'] : []),
      '#Diff',
      '#LastTime',
    ]),
  ];
  let diffTotal = 0;
  for (const q of stats.queues) {
    diffTotal += q.lag;
    lines.push(
      formatRow(format, [
        frontStringAtLeast(q.mq.topic, 64),
        frontStringAtLeast(q.mq.brokerName, 32),
        q.mq.queueId,
        q.brokerOffset,
        q.consumerOffset,
        ...(showIp ? [clientIpByQueue.get(messageQueueKey(q.mq)) ?? 'N/A'] : []),
        q.lag,
        q.lastTimestamp === 0 ? 'N/A' : formatDateTime(q.lastTimestamp),
      ]),
    );
  }
  lines.push(
    '',
    `Consume TPS: ${formatJavaFixed(stats.consumeTps, 2)}`,
    `Diff Total: ${diffTotal}`,
  );
  return lines;
}

/** One group of the `consumerProgress` list view (Java `GroupConsumeInfo`). */
export interface GroupProgressSummary {
  group: string;
  /** Live connections; 0 = offline. */
  count: number;
  /** Lowest client version ordinal of the connections (Java `computeMinVersion`); ignored when offline. */
  minVersion: number;
  /** `CONSUME_ACTIVELY` (pull) or `CONSUME_PASSIVELY` (push); ignored when offline. */
  consumeType?: string;
  /** `CLUSTERING` / `BROADCASTING`; printed for push groups only. */
  messageModel?: string;
  /** Consume TPS, printed as an integer as Java truncates it. */
  consumeTps: number;
  diffTotal: number;
}

/**
 * The `consumerProgress` list view (no `-g`): `#Group` (L64), `#Count` (L6), `#Version` (L24, lowest client
 * version or `OFFLINE`), `#Type` (L5, PUSH/PULL), `#Model` (L14, push groups only), `#TPS` (L7), `#Diff Total`.
 */
export function groupProgressLines(rows: readonly GroupProgressSummary[]): string[] {
  const line = (cells: readonly (string | number)[]): string =>
    formatRow('%-64s  %-6s  %-24s %-5s  %-14s  %-7s  %s', cells);
  const lines = [line(['#Group', '#Count', '#Version', '#Type', '#Model', '#TPS', '#Diff Total'])];
  for (const r of rows) {
    const online = r.count > 0;
    const push = r.consumeType !== 'CONSUME_ACTIVELY';
    lines.push(
      line([
        frontStringAtLeast(r.group, 64),
        r.count,
        online ? mqVersionDesc(r.minVersion) : 'OFFLINE',
        online ? (push ? 'PUSH' : 'PULL') : '',
        online && r.consumeType === 'CONSUME_PASSIVELY' ? (r.messageModel ?? '') : '',
        Math.trunc(r.consumeTps),
        r.diffTotal,
      ]),
    );
  }
  return lines;
}

/** `ip` of a client id `ip@instance[@unit]` (Java `clientId.split("@")[0]`). */
export function clientIpOf(clientId: string): string {
  return clientId.split('@')[0] ?? clientId;
}

/** Queue → client IP from each client's running-info queue table. */
export function clientIpByQueue(
  owners: readonly { clientId: string; queues: readonly MessageQueue[] }[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of owners)
    for (const mq of o.queues) out.set(messageQueueKey(mq), clientIpOf(o.clientId));
  return out;
}
