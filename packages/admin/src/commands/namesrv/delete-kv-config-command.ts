import type { CommandSpec } from '../../cli/command-spec.js';
import { CommandError, requiredOption } from '../../cli/command-spec.js';
import { namesrvCallError } from './namesrv-addrs.js';

/**
 * `deleteKvConfig -s namespace -k key` (Java 4.9.8 `DeleteKvConfigCommand`): deletes the entry on every NameServer of
 * `-n` and prints `delete kv config from namespace success.` (also when there was no such entry, as in RocketMQ).
 */
export const deleteKvConfigCommand: CommandSpec = {
  name: 'deleteKvConfig',
  description: 'Delete KV config.',
  options: [
    { short: 's', long: 'namespace', description: 'set the namespace', required: true },
    { short: 'k', long: 'key', description: 'set the key name', required: true },
  ],
  async run(ctx) {
    const namespace = requiredOption(ctx.options, 'namespace').trim();
    const key = requiredOption(ctx.options, 'key').trim();
    if (namespace === '' || key === '') {
      throw new CommandError('options --namespace and --key must not be empty');
    }
    const admin = await ctx.admin();
    try {
      await admin.deleteKVConfig(namespace, key);
    } catch (error) {
      throw namesrvCallError(error);
    }
    ctx.print('delete kv config from namespace success.');
  },
};
