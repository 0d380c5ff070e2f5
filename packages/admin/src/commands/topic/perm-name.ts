import type { ParsedOptions } from '../../cli/command-spec.js';
import { CommandError, intOption } from '../../cli/command-spec.js';

/*
 * Topic and broker permission bits (Java `PermName`, mqadmin-and-config.md §1.1): 8 priority, 4 read, 2 write,
 * 1 inherit. Operators use 2 (W), 4 (R) and 6 (RW, the default).
 */

/** Readable by consumers. */
export const PERM_READ = 4;
/** Writable by producers. */
export const PERM_WRITE = 2;
/** Inherited by topics auto-created from this one. */
export const PERM_INHERIT = 1;

/** The perm values mqadmin's `-p` accepts, as its help text lists them (`2|4|6`). */
export const TOPIC_PERMS: readonly number[] = [2, 4, 6];

/** Java `PermName.perm2String`: `R`, `W`, `X` (inherit) or `-` in three places, e.g. 6 → `RW-`, 4 → `R--`. */
export function permToString(perm: number): string {
  return [
    (perm & PERM_READ) !== 0 ? 'R' : '-',
    (perm & PERM_WRITE) !== 0 ? 'W' : '-',
    (perm & PERM_INHERIT) !== 0 ? 'X' : '-',
  ].join('');
}

/**
 * A topic perm option (`-p`): 2, 4 or 6, else `fallback` when absent.
 * @throws CommandError naming the option and the accepted values (RocketMQ passes any integer on to the broker).
 */
export function permOption(options: ParsedOptions, long: string, fallback: number): number {
  const perm = intOption(options, long, fallback);
  if (!TOPIC_PERMS.includes(perm)) {
    throw new CommandError(`option --${long} must be 2 (W), 4 (R) or 6 (RW), got ${perm}`);
  }
  return perm;
}
