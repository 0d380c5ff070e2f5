import type { CommandContext, CommandSpec } from '../../cli/command-spec.js';
import { CommandError, requiredOption } from '../../cli/command-spec.js';
import { errorText } from '../failure-list.js';
import { namesrvAddrs, namesrvCallError } from './namesrv-addrs.js';

/** Which of the two write-perm commands. */
export interface WritePermChange {
  /** Command name. */
  name: 'wipeWritePerm' | 'addWritePerm';
  /** Verb of the printed line: `wipe` or `add`. */
  verb: 'wipe' | 'add';
  description: string;
}

/**
 * Builds wipeWritePerm / addWritePerm (Java 4.9.8 `WipeWritePermSubCommand`, `AddWritePermSubCommand`): on every
 * NameServer of `-n`, removes (or restores) the write bit of the broker set's queues and prints
 * `<verb> write perm of broker[B] in name server[NS] OK, <topics changed>`, or `… Failed` for a NameServer that
 * refuses or cannot be reached, going on with the next as Java does; the command then fails with one line naming
 * them (Java prints a stack trace and exits 0).
 */
export function writePermCommand(change: WritePermChange): CommandSpec {
  return {
    name: change.name,
    description: change.description,
    options: [{ short: 'b', long: 'brokerName', description: 'broker name', required: true }],
    async run(ctx: CommandContext) {
      const brokerName = requiredOption(ctx.options, 'brokerName').trim();
      const addrs = namesrvAddrs(ctx);
      const admin = await ctx.admin();
      const failures: string[] = [];
      for (const addr of addrs) {
        try {
          const count =
            change.verb === 'wipe'
              ? await admin.wipeWritePerm(addr, brokerName)
              : await admin.addWritePerm(addr, brokerName);
          ctx.print(
            `${change.verb} write perm of broker[${brokerName}] in name server[${addr}] OK, ${count}`,
          );
        } catch (error) {
          ctx.print(
            `${change.verb} write perm of broker[${brokerName}] in name server[${addr}] Failed`,
          );
          failures.push(errorText(namesrvCallError(error)));
        }
      }
      if (failures.length > 0) throw new CommandError(failures.join('; '));
    },
  };
}
