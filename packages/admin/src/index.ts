// @rocketmq-ts/admin: RocketMQ's mqadmin as a library (runMqadmin, the command table) and the mqadmin bin.

export { runMqadmin } from './cli/run-mqadmin.js';
export type { MqadminRun } from './cli/run-mqadmin.js';
export {
  CommandError,
  requiredOption,
  optionalOption,
  intOption,
  boolOption,
} from './cli/command-spec.js';
export type { CommandSpec, CommandContext, OptionSpec, ParsedOptions } from './cli/command-spec.js';
export {
  parseCommandLine,
  ParseError,
  COMMON_OPTIONS,
  JSON_OPTION,
} from './cli/parse-command-line.js';
export { formatCommandList, formatUsage } from './cli/usage.js';
export { MQADMIN_COMMANDS } from './commands/index.js';
