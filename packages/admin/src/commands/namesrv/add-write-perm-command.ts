import type { CommandSpec } from '../../cli/command-spec.js';
import { writePermCommand } from './broker-write-perm.js';

/**
 * `addWritePerm -b brokerName`: undoes wipeWritePerm on every NameServer of `-n` (the broker set's queues get the
 * write bit back). See {@link writePermCommand} for the output.
 */
export const addWritePermCommand: CommandSpec = writePermCommand({
  name: 'addWritePerm',
  verb: 'add',
  description: 'Add write perm of broker in all name server you defined in the -n param',
});
