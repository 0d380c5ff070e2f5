import type { CommandSpec } from '../../cli/command-spec.js';
import { brokerTargets } from '../broker-targets.js';
import { FailureList } from '../failure-list.js';
import { targetOptions } from '../option-specs.js';
import { PerServerOutput } from '../per-server-output.js';
import { formatRow } from '../text-columns.js';

/** Statistics sorted by key (Java copies them into a TreeMap: UTF-16 code unit order, as JS compares strings). */
function sortedStats(stats: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...stats].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
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
  return [...sortedStats(stats)].map(([key, value]) =>
    prefixAddr === undefined
      ? formatRow('%-32s: %s', [key, value])
      : formatRow('%-24s %-32s: %s', [prefixAddr, key, value]),
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
  options: targetOptions('Broker address', 'which cluster'),
  async run(ctx) {
    const admin = await ctx.admin();
    const { addrs, cluster } = await brokerTargets(admin, ctx.options, 'all');
    const output = new PerServerOutput(ctx);
    const failures = new FailureList();
    for (const addr of addrs) {
      let stats: Map<string, string>;
      try {
        stats = await admin.brokerRuntimeInfo(addr);
      } catch (error) {
        if (cluster === undefined) throw error;
        failures.add(addr, error);
        continue;
      }
      output.add(addr, sortedStats(stats), () =>
        formatBrokerStatus(stats, cluster === undefined ? undefined : addr),
      );
    }
    output.end();
    failures.throwIfAny('cannot read runtime info of ');
  },
};
