import type { CommandSpec } from '../../cli/command-spec.js';
import { CommandError, requiredOption } from '../../cli/command-spec.js';
import { brokerTargets } from '../broker-targets.js';
import { FailureList } from '../failure-list.js';
import { targetOptions } from '../option-specs.js';

/**
 * `updateBrokerConfig (-b addr | -c cluster) -k key -v value` (Java 4.9.8 `UpdateBrokerConfigSubCommand`): sends
 * the setting to one broker or to every master of the cluster and prints `update broker config success, <addr>`
 * per broker. A rocketmq-ts broker answers with a note naming keys that take effect only after a restart; it is
 * printed on its own line (`note from <addr>: …`). With `-c`, a broker that refuses does not stop the others (as in
 * Java); the command then fails with one line naming each refusal. Java prints the usage and exits 0 when neither
 * `-b` nor `-c` is given; here that is a usage error.
 */
export const updateBrokerConfigCommand: CommandSpec = {
  name: 'updateBrokerConfig',
  description: "Update broker's config",
  options: [
    ...targetOptions('update which broker', 'update which cluster'),
    { short: 'k', long: 'key', description: 'config key', required: true },
    { short: 'v', long: 'value', description: 'config value', required: true },
  ],
  async run(ctx) {
    const key = requiredOption(ctx.options, 'key').trim();
    const value = requiredOption(ctx.options, 'value').trim();
    if (key === '') throw new CommandError('option --key must not be empty');
    const admin = await ctx.admin();
    const { addrs } = await brokerTargets(admin, ctx.options, 'masters');
    const properties = new Map([[key, value]]);
    const failures = new FailureList();
    for (const addr of addrs) {
      try {
        const note = await admin.updateBrokerConfig(addr, properties);
        ctx.print(`update broker config success, ${addr}`);
        if (note !== undefined && note !== '') ctx.print(`note from ${addr}: ${note}`);
      } catch (error) {
        if (addrs.length === 1) throw error;
        failures.add(addr, error);
      }
    }
    failures.throwIfAny('update broker config failed on ');
  },
};
