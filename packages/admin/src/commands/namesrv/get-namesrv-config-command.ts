import type { CommandSpec } from '../../cli/command-spec.js';
import { configToJson, formatConfigLines } from '../config-lines.js';
import { ExtraAdminRequests } from '../extra-admin-requests.js';
import { namesrvAddrs, namesrvCallError } from './namesrv-addrs.js';

/**
 * `getNamesrvConfig` (Java 4.9.8 `GetNamesrvConfigCommand`): the settings of every NameServer of `-n`, each under
 * `============<addr>============` as `key = value` lines (`%-50s=  %s`) in the order the NameServer lists them.
 * `--json` prints `{"<addr>": {"key": "value", …}, …}`. (updateNamesrvConfig is not offered: rocketmq-ts
 * NameServers do not answer UPDATE_NAMESRV_CONFIG.)
 */
export const getNamesrvConfigCommand: CommandSpec = {
  name: 'getNamesrvConfig',
  description: 'Get configs of name server.',
  json: true,
  options: [],
  async run(ctx) {
    const addrs = namesrvAddrs(ctx);
    const extra = new ExtraAdminRequests(await ctx.admin());
    const json: Record<string, Record<string, string>> = {};
    try {
      for (const addr of addrs) {
        let config: Map<string, string>;
        try {
          config = await extra.namesrvConfig(addr);
        } catch (error) {
          throw namesrvCallError(error);
        }
        if (ctx.json) {
          json[addr] = configToJson(config);
          continue;
        }
        ctx.print(`============${addr}============`);
        for (const line of formatConfigLines(config)) ctx.print(line);
      }
    } finally {
      await extra.close();
    }
    if (ctx.json) ctx.print(JSON.stringify(json));
  },
};
