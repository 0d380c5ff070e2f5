import type { CommandSpec, OptionSpec } from './command-spec.js';

/** Width of the command-name field in the command list (MQAdminStartup: `%-35s`). */
const NAME_FIELD = 35;

/** The command list printed by `mqadmin` without arguments (MQAdminStartup.printHelp). */
export function formatCommandList(commands: readonly CommandSpec[]): string {
  const lines = ['The most commonly used mqadmin commands are:'];
  for (const c of commands) lines.push(`   ${c.name.padEnd(NAME_FIELD)} ${c.description}`);
  lines.push('');
  lines.push("See 'mqadmin help <command>' for more information on a specific command.");
  return lines.join('\n');
}

/** `usage: mqadmin <cmd> [-b <arg>] ...` plus one line per option, as commons-cli's HelpFormatter prints them. */
export function formatUsage(command: CommandSpec, options: readonly OptionSpec[]): string {
  const synopsis = options.map((o) => {
    const body = `-${o.short}${o.hasArg === false ? '' : ' <arg>'}`;
    return o.required === true ? body : `[${body}]`;
  });
  const rows = options.map((o) => [
    ` -${o.short},--${o.long}${o.hasArg === false ? '' : ' <arg>'}`,
    o.description,
  ]);
  const width = Math.max(...rows.map(([left]) => left!.length)) + 3;
  return [
    `usage: mqadmin ${command.name} ${synopsis.join(' ')}`,
    ...rows.map(([left, desc]) => `${left!.padEnd(width)}${desc!}`),
  ].join('\n');
}
