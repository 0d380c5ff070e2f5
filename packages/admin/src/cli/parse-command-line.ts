import type { OptionSpec, ParsedOptions } from './command-spec.js';

/** Options every command accepts (RocketMQ's `ServerUtil.buildCommandlineOptions`) plus our `--json`. */
export const COMMON_OPTIONS: readonly OptionSpec[] = [
  { short: 'h', long: 'help', description: 'Print help', hasArg: false },
  {
    short: 'n',
    long: 'namesrvAddr',
    description: "Name server address list, eg: '192.168.0.1:9876;192.168.0.2:9876'",
  },
];

/** The `--json` option of commands that offer it. */
export const JSON_OPTION: OptionSpec = {
  short: 'json',
  long: 'json',
  description: 'Print the result as JSON (rocketmq-ts addition)',
  hasArg: false,
};

/** An argv that does not fit the command's options; printed with the usage, exit status 1 (as RocketMQ). */
export class ParseError extends Error {
  override name = 'ParseError';
}

/**
 * Parses a command's argv the way commons-cli's PosixParser does for RocketMQ's tools: `-t X`, `-tX`, `--topic X`,
 * `--topic=X`; flags without values; checks required options and one-of groups (`-b` / `-c`: both may be given, the
 * command decides which wins).
 * @throws ParseError naming the unknown option, the missing value or the missing required option.
 */
export function parseCommandLine(
  argv: readonly string[],
  specs: readonly OptionSpec[],
): ParsedOptions {
  const byShort = new Map(specs.map((s) => [s.short, s]));
  const byLong = new Map(specs.map((s) => [s.long, s]));
  const out = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      spec = byLong.get(name) ?? byShort.get(name);
      if (eq !== -1) inline = arg.slice(eq + 1);
    } else if (arg.startsWith('-') && arg.length > 1) {
      const name = arg.slice(1);
      spec = byShort.get(name) ?? byLong.get(name);
      if (spec === undefined && byShort.has(name.charAt(0))) {
        spec = byShort.get(name.charAt(0));
        inline = name.slice(1);
      }
    } else {
      throw new ParseError(`Unrecognized argument: ${arg}`);
    }
    if (spec === undefined) throw new ParseError(`Unrecognized option: ${arg}`);
    if (spec.hasArg === false) {
      if (inline !== undefined) throw new ParseError(`Option ${spec.long} takes no value`);
      out.set(spec.long, true);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ParseError(`Missing argument for option: ${spec.short}`);
    out.set(spec.long, value);
  }
  if (out.has('help')) return out;
  const missing = specs.filter((s) => s.required === true && !out.has(s.long));
  if (missing.length > 0) {
    throw new ParseError(
      `Missing required option${missing.length > 1 ? 's' : ''}: ${missing.map((s) => s.short).join(', ')}`,
    );
  }
  const groups = new Map<string, OptionSpec[]>();
  for (const s of specs)
    if (s.group !== undefined) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);
  for (const members of groups.values()) {
    if (!members.some((s) => out.has(s.long))) {
      throw new ParseError(
        `Missing required option: [${members.map((s) => `-${s.short} ${s.description}`).join(', ')}]`,
      );
    }
  }
  return out;
}
