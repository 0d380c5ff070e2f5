import { MQAdmin } from '@rocketmq-ts/client';
import type { CommandContext, CommandSpec, OptionSpec } from './command-spec.js';
import { missingNamesrvError } from './command-spec.js';
import { COMMON_OPTIONS, JSON_OPTION, ParseError, parseCommandLine } from './parse-command-line.js';
import { formatCommandList, formatUsage } from './usage.js';

/** Where mqadmin reads and writes: the process in `bin/mqadmin`, buffers in tests. */
export interface MqadminRun {
  /** Arguments after `mqadmin`. */
  argv: readonly string[];
  /** Environment (`NAMESRV_ADDR`). */
  env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** The command table, in listing order. */
  commands: readonly CommandSpec[];
  /** Admin timeout per request, ms (tests). Default MQAdmin's. */
  timeoutMs?: number;
}

/**
 * Runs one mqadmin invocation as RocketMQ's MQAdminStartup does — no arguments lists the commands, `help <cmd>`
 * prints its usage, names match case-insensitively, `-h` prints usage, a parse error prints the error and the usage
 * to stderr with status 1 — with one deliberate difference: a failing command prints one line saying what failed and
 * exits 1 (RocketMQ prints a stack trace and exits 0). See docs/mqadmin.md.
 * @returns the exit status.
 */
export async function runMqadmin(run: MqadminRun): Promise<number> {
  const [name, ...rest] = run.argv;
  if (name === undefined) {
    run.stdout(`${formatCommandList(run.commands)}\n`);
    return 0;
  }
  if (name.toLowerCase() === 'help') {
    const target = rest[0];
    if (target === undefined) {
      run.stdout(`${formatCommandList(run.commands)}\n`);
      return 0;
    }
    const command = find(run.commands, target);
    if (command === undefined) {
      run.stderr(`The sub command ${target} not exist.\n`);
      return 1;
    }
    run.stdout(`${formatUsage(command, optionsOf(command))}\n`);
    return 0;
  }
  const command = find(run.commands, name);
  if (command === undefined) {
    run.stderr(`The sub command ${name} not exist.\n${formatCommandList(run.commands)}\n`);
    return 1;
  }
  const specs = optionsOf(command);
  let options;
  try {
    options = parseCommandLine(rest, specs);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    run.stderr(`${error.message}\n${formatUsage(command, specs)}\n`);
    return 1;
  }
  if (options.has('help')) {
    run.stdout(`${formatUsage(command, specs)}\n`);
    return 0;
  }
  const fromFlag = options.get('namesrvAddr');
  const namesrvAddr =
    typeof fromFlag === 'string' ? fromFlag : (run.env.NAMESRV_ADDR ?? undefined) || undefined;
  let admin: MQAdmin | undefined;
  const ctx: CommandContext = {
    options,
    namesrvAddr,
    json: options.has('json'),
    print: (line) => run.stdout(`${line}\n`),
    now: () => Date.now(),
    admin: async () => {
      if (admin !== undefined) return admin;
      if (namesrvAddr === undefined) throw missingNamesrvError();
      const created = new MQAdmin({
        namesrvAddr,
        instanceName: `mqadmin-${process.pid}`,
        ...(run.timeoutMs !== undefined ? { timeoutMs: run.timeoutMs } : {}),
      });
      await created.start();
      admin = created;
      return created;
    },
  };
  try {
    await command.run(ctx);
    return 0;
  } catch (error) {
    run.stderr(`mqadmin ${command.name}: ${describe(error)}\n`);
    return 1;
  } finally {
    await admin?.close().catch(() => undefined);
  }
}

function optionsOf(command: CommandSpec): OptionSpec[] {
  return [...command.options, ...COMMON_OPTIONS, ...(command.json === true ? [JSON_OPTION] : [])];
}

function find(commands: readonly CommandSpec[], name: string): CommandSpec | undefined {
  const lower = name.toLowerCase();
  return commands.find((c) => c.name.toLowerCase() === lower);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause =
    error.cause instanceof Error && !error.message.includes(error.cause.message)
      ? ` (${error.cause.message})`
      : '';
  return `${error.message}${cause}`;
}
