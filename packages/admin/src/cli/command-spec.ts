import type { MQAdmin } from '@rocketmq-ts/client';

/** One option of a command, as commons-cli declares it in RocketMQ's sub-commands. */
export interface OptionSpec {
  /** Short name without the dash, e.g. `t`. */
  short: string;
  /** Long name without the dashes, e.g. `topic`. */
  long: string;
  /** Description printed by `mqadmin help <command>`. */
  description: string;
  /** Whether it takes a value (`-t TopicTest`) or is a flag (`-l`). Default true. */
  hasArg?: boolean;
  /** Required option. */
  required?: boolean;
  /** Name of a group of which exactly one member is required (commons-cli OptionGroup, e.g. `-b` / `-c`). */
  group?: string;
}

/** Parsed options of one invocation: long name → value (`true` for a flag). */
export type ParsedOptions = ReadonlyMap<string, string | true>;

/** What a command can use while it runs. */
export interface CommandContext {
  /** Parsed options. */
  options: ParsedOptions;
  /** An admin client for the NameServers of `-n` / `NAMESRV_ADDR`, started on first use and closed afterwards. */
  admin(): Promise<MQAdmin>;
  /** The NameServer list in use (`-n`, else `NAMESRV_ADDR`), or undefined. */
  namesrvAddr: string | undefined;
  /** Writes one line to stdout. */
  print(line: string): void;
  /** True with `--json` on commands that support it. */
  json: boolean;
  /** Clock, ms (tests). */
  now(): number;
}

/** An mqadmin sub-command. */
export interface CommandSpec {
  /** Name as typed (matched case-insensitively). */
  name: string;
  /** One-line description in the command list. */
  description: string;
  /** Options besides `-h` and `-n`, which every command has. */
  options: readonly OptionSpec[];
  /** Offers `--json` (our addition, documented in docs/mqadmin.md). */
  json?: boolean;
  /** Runs the command; throws {@link CommandError} (or any error) on failure. */
  run(ctx: CommandContext): Promise<void>;
}

/** A command failed for a reason the operator can fix; printed as one line, exit status 1. */
export class CommandError extends Error {
  override name = 'CommandError';
}

/** The error of a command that needs a NameServer when neither `-n` nor NAMESRV_ADDR names one. */
export function missingNamesrvError(): CommandError {
  return new CommandError('no NameServer address: pass -n 127.0.0.1:9876 or set NAMESRV_ADDR');
}

/** The value of a required option (the parser has checked it is present). */
export function requiredOption(options: ParsedOptions, long: string): string {
  const value = options.get(long);
  if (typeof value !== 'string') throw new CommandError(`option --${long} is required`);
  return value;
}

/** The value of an option that takes a value, or undefined. */
export function optionalOption(options: ParsedOptions, long: string): string | undefined {
  const value = options.get(long);
  return typeof value === 'string' ? value : undefined;
}

/** An integer option, with a default; a value that is not an integer is a CommandError naming the option. */
export function intOption(options: ParsedOptions, long: string, fallback: number): number {
  const raw = optionalOption(options, long);
  if (raw === undefined) return fallback;
  const value = Number(raw.trim());
  if (!/^[+-]?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) {
    throw new CommandError(`option --${long} must be an integer, got "${raw}"`);
  }
  return value;
}

/** A boolean option given as a value (`-o true`), as RocketMQ's tools take them; default when absent. */
export function boolOption(options: ParsedOptions, long: string, fallback: boolean): boolean {
  const raw = options.get(long);
  if (raw === undefined) return fallback;
  if (raw === true) return true;
  const lower = raw.trim().toLowerCase();
  if (lower !== 'true' && lower !== 'false') {
    throw new CommandError(`option --${long} must be true or false, got "${raw}"`);
  }
  return lower === 'true';
}
