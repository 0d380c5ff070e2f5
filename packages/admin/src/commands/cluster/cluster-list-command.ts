import { setTimeout as sleep } from 'node:timers/promises';
import type { MQAdmin } from '@rocketmq-ts/client';
import type { CommandContext, CommandSpec } from '../../cli/command-spec.js';
import { CommandError, intOption } from '../../cli/command-spec.js';
import { brokersOf } from '../cluster-targets.js';
import type { BrokerTarget } from '../cluster-targets.js';
import { errorText } from '../failure-list.js';
import {
  clusterBaseRow,
  clusterMoreStatsRow,
  formatClusterBase,
  formatClusterMoreStats,
} from './cluster-list-format.js';
import type { ClusterBaseRow, ClusterMoreStatsRow } from './cluster-list-format.js';

/** Every broker address the NameServer knows: clusters in its order, broker names sorted, ids ascending (as Java). */
async function brokersByCluster(
  admin: MQAdmin,
): Promise<(BrokerTarget & { clusterName: string })[]> {
  const info = await admin.clusterInfo();
  const out: (BrokerTarget & { clusterName: string })[] = [];
  for (const [clusterName, brokerNames] of info.clusterAddrTable) {
    for (const brokerName of [...brokerNames].sort()) {
      for (const b of brokersOf(info, brokerName)) out.push({ ...b, clusterName });
    }
  }
  return out;
}

/** One snapshot of the selected view; a broker whose runtime info could not be read has `error` set. */
async function snapshot(
  admin: MQAdmin,
  view: { more: boolean; nowMs: number },
): Promise<(ClusterBaseRow | ClusterMoreStatsRow)[]> {
  const rows: (ClusterBaseRow | ClusterMoreStatsRow)[] = [];
  for (const b of await brokersByCluster(admin)) {
    const broker = {
      clusterName: b.clusterName,
      brokerName: b.brokerName,
      brokerId: b.brokerId,
      brokerAddr: b.addr,
    };
    let table: Map<string, string> | undefined;
    let error: string | undefined;
    try {
      table = await admin.brokerRuntimeInfo(b.addr);
    } catch (e) {
      error = errorText(e);
    }
    const kv = table ?? new Map<string, string>();
    const row = view.more
      ? clusterMoreStatsRow(broker, kv)
      : clusterBaseRow(broker, { table: kv, nowMs: view.nowMs });
    if (error !== undefined) row.error = error;
    rows.push(row);
  }
  return rows;
}

function print(
  ctx: CommandContext,
  rows: (ClusterBaseRow | ClusterMoreStatsRow)[],
  more: boolean,
): void {
  if (ctx.json) {
    ctx.print(JSON.stringify(rows));
    return;
  }
  const lines = more
    ? formatClusterMoreStats(rows as ClusterMoreStatsRow[])
    : formatClusterBase(rows as ClusterBaseRow[]);
  for (const line of lines) ctx.print(line);
}

/**
 * `clusterList [-m] [-i seconds]` (Java 4.9.8 `ClusterListSubCommand`): one row per broker address (masters and
 * slaves) with version, in/out TPS and thread-pool load, page-cache wait, hours of stored messages and disk use —
 * the 4.x columns, then (our extension, appended so the 4.x columns keep their positions) `#Role` and `#Behind(B)`
 * from the runtime keys `brokerRole` and `haBehindBytes` (`-` when a broker does not report them) — or with `-m`
 * yesterday's and today's message counts. With `-i` it prints the table again every
 * interval until interrupted (Ctrl-C / SIGINT ends the process, as with Java's tool); a broker that cannot be read
 * then shows empty cells and the loop goes on. Without `-i`, the table is printed with such rows and the command
 * then fails naming the broker(s). `--json` prints each snapshot as a JSON array of rows.
 */
export const clusterListCommand: CommandSpec = {
  name: 'clusterList',
  description: 'List all of clusters',
  json: true,
  options: [
    { short: 'm', long: 'moreStats', description: 'Print more stats', hasArg: false },
    { short: 'i', long: 'interval', description: 'specify intervals numbers, it is in seconds' },
  ],
  async run(ctx) {
    const more = ctx.options.has('moreStats');
    const repeat = ctx.options.has('interval');
    const intervalSeconds = intOption(ctx.options, 'interval', 1);
    if (intervalSeconds < 1) {
      throw new CommandError(`option --interval must be at least 1 second, got ${intervalSeconds}`);
    }
    const admin = await ctx.admin();
    for (let i = 0; ; i++) {
      if (i > 0) await sleep(intervalSeconds * 1000);
      const rows = await snapshot(admin, { more, nowMs: ctx.now() });
      print(ctx, rows, more);
      if (repeat) continue;
      const failed = rows.filter((r) => r.error !== undefined);
      if (failed.length > 0) {
        throw new CommandError(
          `cannot read runtime info of ${failed.map((r) => `${r.brokerAddr} (${r.error})`).join(', ')}`,
        );
      }
      return;
    }
  },
};
