import type { CommandSpec } from '../../cli/command-spec.js';
import { clusterTargets, targetBrokerAddr } from '../broker-targets.js';
import type { BrokerTarget } from '../cluster-targets.js';
import { formatConfigLines } from '../config-lines.js';
import { targetOptions } from '../option-specs.js';
import { PerServerOutput } from '../per-server-output.js';

/** A broker to dump and the banner above its settings. */
export interface Dump {
  addr: string;
  banner: string;
}

/**
 * The `-c` dumps: each master (`============Master: <m>============`) followed by its slaves (`============My Master:
 * <m>=====Slave: <s>============`); slaves of a broker set without a master are left out, as Java does.
 * `brokers` are sorted by broker name, then id.
 */
export function clusterDumps(brokers: readonly BrokerTarget[]): Dump[] {
  const masters = new Map(
    brokers.filter((b) => b.brokerId === 0).map((b) => [b.brokerName, b.addr]),
  );
  return brokers.flatMap((b): Dump[] => {
    const master = masters.get(b.brokerName);
    if (master === undefined) return [];
    const banner =
      b.brokerId === 0
        ? `============Master: ${master}============`
        : `============My Master: ${master}=====Slave: ${b.addr}============`;
    return [{ addr: b.addr, banner }];
  });
}

/**
 * `getBrokerConfig (-b addr | -c cluster)` (Java 4.9.8 `GetBrokerConfigCommand`, mqadmin-and-config.md §1.10): every
 * setting of one broker under `============<addr>============`, or of each master of the cluster followed by its
 * slaves (see {@link clusterDumps}); one `key = value` line per setting (`%-50s=  %s`) in the broker's order, then an
 * empty line. Masters are in broker-name order (Java: hash order). Java prints nothing when neither `-b` nor `-c` is
 * given; here that is a usage error. `--json` prints `{"<addr>": {"key": "value", …}, …}`.
 */
export const getBrokerConfigCommand: CommandSpec = {
  name: 'getBrokerConfig',
  description: 'Get broker config by cluster or special broker!',
  json: true,
  options: targetOptions('get which broker', 'get which cluster'),
  async run(ctx) {
    const admin = await ctx.admin();
    const brokerAddr = targetBrokerAddr(ctx.options);
    const dumps =
      brokerAddr !== undefined
        ? [{ addr: brokerAddr, banner: `============${brokerAddr}============` }]
        : clusterDumps((await clusterTargets(admin, ctx.options, 'all')).brokers);
    const output = new PerServerOutput(ctx);
    for (const dump of dumps) {
      const config = await admin.getBrokerConfig(dump.addr);
      output.add(dump.addr, config, () => [dump.banner, ...formatConfigLines(config), '']);
    }
    output.end();
  },
};
