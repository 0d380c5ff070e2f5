import type { CommandSpec } from '../../cli/command-spec.js';
import { optionalOption, requiredOption } from '../../cli/command-spec.js';
import { clusterBrokers } from '../cluster-targets.js';
import { configToJson, formatConfigLines } from '../config-lines.js';

/** A broker to dump and the banner above its settings. */
interface Dump {
  addr: string;
  banner: string;
}

/**
 * `getBrokerConfig (-b addr | -c cluster)` (Java 4.9.8 `GetBrokerConfigCommand`, mqadmin-and-config.md §1.10): every
 * setting of one broker under `============<addr>============`, or of each master of the cluster
 * (`============Master: <m>============`) followed by its slaves (`============My Master: <m>=====Slave:
 * <s>============`); one `key = value` line per setting (`%-50s=  %s`) in the broker's order, then an empty line.
 * Masters are in broker-name order (Java: hash order). Java prints nothing when neither `-b` nor `-c` is given;
 * here that is a usage error. `--json` prints `{"<addr>": {"key": "value", …}, …}`.
 */
export const getBrokerConfigCommand: CommandSpec = {
  name: 'getBrokerConfig',
  description: 'Get broker config by cluster or special broker!',
  json: true,
  options: [
    { short: 'b', long: 'brokerAddr', description: 'get which broker', group: 'target' },
    { short: 'c', long: 'clusterName', description: 'get which cluster', group: 'target' },
  ],
  async run(ctx) {
    const admin = await ctx.admin();
    const brokerAddr = optionalOption(ctx.options, 'brokerAddr')?.trim();
    const dumps: Dump[] = [];
    if (brokerAddr !== undefined) {
      dumps.push({ addr: brokerAddr, banner: `============${brokerAddr}============` });
    } else {
      const clusterName = requiredOption(ctx.options, 'clusterName').trim();
      const brokers = clusterBrokers(await admin.clusterInfo(), clusterName);
      for (const master of brokers.filter((b) => b.brokerId === 0)) {
        dumps.push({ addr: master.addr, banner: `============Master: ${master.addr}============` });
        for (const slave of brokers) {
          if (slave.brokerName !== master.brokerName || slave.brokerId === 0) continue;
          dumps.push({
            addr: slave.addr,
            banner: `============My Master: ${master.addr}=====Slave: ${slave.addr}============`,
          });
        }
      }
    }
    const json: Record<string, Record<string, string>> = {};
    for (const dump of dumps) {
      const config = await admin.getBrokerConfig(dump.addr);
      if (ctx.json) {
        json[dump.addr] = configToJson(config);
        continue;
      }
      ctx.print(dump.banner);
      for (const line of formatConfigLines(config)) ctx.print(line);
      ctx.print('');
    }
    if (ctx.json) ctx.print(JSON.stringify(json));
  },
};
