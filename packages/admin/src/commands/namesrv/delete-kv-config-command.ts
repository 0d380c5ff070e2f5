import type { CommandSpec } from '../../cli/command-spec.js';
import { KV_KEY_OPTIONS, kvConfigKey } from './kv-config-key.js';
import { namesrvCall } from './namesrv-addrs.js';

/**
 * `deleteKvConfig -s namespace -k key` (Java 4.9.8 `DeleteKvConfigCommand`): deletes the entry on every NameServer of
 * `-n` and prints `delete kv config from namespace success.` (also when there was no such entry, as in RocketMQ).
 */
export const deleteKvConfigCommand: CommandSpec = {
  name: 'deleteKvConfig',
  description: 'Delete KV config.',
  options: KV_KEY_OPTIONS,
  async run(ctx) {
    const { namespace, key } = kvConfigKey(ctx.options);
    const admin = await ctx.admin();
    await namesrvCall(admin.deleteKVConfig(namespace, key));
    ctx.print('delete kv config from namespace success.');
  },
};
