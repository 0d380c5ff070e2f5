import type { CommandSpec } from '../../cli/command-spec.js';
import { CommandError, requiredOption } from '../../cli/command-spec.js';
import { namesrvCallError } from './namesrv-addrs.js';

/**
 * `updateKvConfig -s namespace -k key -v value` (Java 4.9.8 `UpdateKvConfigCommand`): puts the entry on every
 * NameServer of `-n` and prints `create or update kv config to namespace success.`.
 */
export const updateKvConfigCommand: CommandSpec = {
  name: 'updateKvConfig',
  description: 'Create or update KV config.',
  options: [
    { short: 's', long: 'namespace', description: 'set the namespace', required: true },
    { short: 'k', long: 'key', description: 'set the key name', required: true },
    { short: 'v', long: 'value', description: 'set the key value', required: true },
  ],
  async run(ctx) {
    const namespace = requiredOption(ctx.options, 'namespace').trim();
    const key = requiredOption(ctx.options, 'key').trim();
    const value = requiredOption(ctx.options, 'value').trim();
    if (namespace === '' || key === '') {
      throw new CommandError('options --namespace and --key must not be empty');
    }
    const admin = await ctx.admin();
    try {
      await admin.putKVConfig(namespace, key, value);
    } catch (error) {
      throw namesrvCallError(error);
    }
    ctx.print('create or update kv config to namespace success.');
  },
};
