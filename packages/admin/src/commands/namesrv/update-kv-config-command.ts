import type { CommandSpec } from '../../cli/command-spec.js';
import { requiredOption } from '../../cli/command-spec.js';
import { KV_KEY_OPTIONS, kvConfigKey } from './kv-config-key.js';
import { namesrvCall } from './namesrv-addrs.js';

/**
 * `updateKvConfig -s namespace -k key -v value` (Java 4.9.8 `UpdateKvConfigCommand`): puts the entry on every
 * NameServer of `-n` and prints `create or update kv config to namespace success.`.
 */
export const updateKvConfigCommand: CommandSpec = {
  name: 'updateKvConfig',
  description: 'Create or update KV config.',
  options: [
    ...KV_KEY_OPTIONS,
    { short: 'v', long: 'value', description: 'set the key value', required: true },
  ],
  async run(ctx) {
    const { namespace, key } = kvConfigKey(ctx.options);
    const value = requiredOption(ctx.options, 'value').trim();
    const admin = await ctx.admin();
    await namesrvCall(admin.putKVConfig(namespace, key, value));
    ctx.print('create or update kv config to namespace success.');
  },
};
