import type { CommandSpec } from '../../cli/command-spec.js';
import { writePermCommand } from './broker-write-perm.js';

/**
 * `wipeWritePerm -b brokerName`: on every NameServer of `-n`, producers stop being routed to the broker set (its
 * queues lose the write bit), e.g. before maintenance. See {@link writePermCommand} for the output.
 */
export const wipeWritePermCommand: CommandSpec = writePermCommand({
  name: 'wipeWritePerm',
  verb: 'wipe',
  description: 'Wipe write perm of broker in all name server you defined in the -n param',
});
