import type { CommandSpec } from '../../cli/command-spec.js';
import { CommandError } from '../../cli/command-spec.js';
import { padRight } from '../text-columns.js';
import { brokerTargets } from './broker-targets.js';

/** Statistics sorted by key (Java copies them into a TreeMap: UTF-16 code unit order, as JS compares strings). */
function sortedStats(stats: ReadonlyMap<string, string>): [string, string][] {
  return [...stats].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * brokerStatus lines (Java 4.9.8 `BrokerStatusSubCommand.printBrokerRuntimeStats`): one `key: value` line per
 * statistic sorted by key (`%-32s: %s`), or with `prefixAddr` (the `-c` form) `%-24s %-32s: %s` with the broker
 * address first.
 */
export function formatBrokerStatus(
  stats: ReadonlyMap<string, string>,
  prefixAddr?: string,
): string[] {
  return sortedStats(stats).map(([key, value]) =>
    prefixAddr === undefined
      ? `${padRight(key, 32)}: ${value}`
      : `${padRight(prefixAddr, 24)} ${padRight(key, 32)}: ${value}`,
  );
}

/**
 * `brokerStatus (-b addr | -c cluster)`: the runtime statistics of one broker, or of every broker (masters and
 * slaves) of the cluster. One of `-b` / `-c` is required as in 5.x (4.9.8 printed nothing without them). With `-c`,
 * a broker that cannot be read does not stop the others (as in Java); the command then fails naming it. `--json`
 * prints `{"<addr>": {"<key>": "<value>", …}, …}` with keys sorted.
 */
export const brokerStatusCommand: CommandSpec = {
  name: 'brokerStatus',
  description: 'Fetch broker runtime status data',
  json: true,
  options: [
    { short: 'b', long: 'brokerAddr', description: 'Broker address', group: 'target' },
    { short: 'c', long: 'clusterName', description: 'which cluster', group: 'target' },
  ],
  async run(ctx) {
    const admin = await ctx.admin();
    const { addrs, fromCluster } = await brokerTargets(admin, ctx.options, { masters: false });
    const json: Record<string, Record<string, string>> = {};
    const failures: string[] = [];
    for (const addr of addrs) {
      let stats: Map<string, string>;
      try {
        stats = await admin.brokerRuntimeInfo(addr);
      } catch (error) {
        if (fromCluster === undefined) throw error;
        failures.push(`${addr}: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      if (ctx.json) {
        json[addr] = Object.fromEntries(sortedStats(stats));
        continue;
      }
      const lines = formatBrokerStatus(stats, fromCluster === undefined ? undefined : addr);
      for (const line of lines) ctx.print(line);
    }
    if (ctx.json) ctx.print(JSON.stringify(json));
    if (failures.length > 0) {
      throw new CommandError(`cannot read runtime info of ${failures.join('; ')}`);
    }
  },
};
