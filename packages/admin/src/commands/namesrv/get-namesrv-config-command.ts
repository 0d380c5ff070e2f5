import type { CommandSpec } from '../../cli/command-spec.js';
import { formatConfigLines } from '../config-lines.js';
import { PerServerOutput } from '../per-server-output.js';
import { ToolsClient, usingToolsClient } from '../tools-client.js';
import { namesrvAddrs, namesrvCall } from './namesrv-addrs.js';

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
    const output = new PerServerOutput(ctx);
    await usingToolsClient(ToolsClient.forAdmin(await ctx.admin()), async (client) => {
      for (const addr of addrs) {
        const config = await namesrvCall(client.namesrvConfig(addr));
        output.add(addr, config, () => [
          `============${addr}============`,
          ...formatConfigLines(config),
        ]);
      }
    });
    output.end();
  },
};
