import { CommandError } from '../cli/command-spec.js';

/** An error's message (or the thrown value as text), as commands quote a failure inside their own line. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The failures of a command that goes on past a failing target (a broker, a queue) as RocketMQ's tools do, then
 * fails with one line naming each: `<what><target>: <reason>; <target>: <reason>`.
 */
export class FailureList {
  private readonly failures: string[] = [];

  /** Records that `target` failed with `error`. */
  add(target: string, error: unknown): void {
    this.failures.push(`${target}: ${errorText(error)}`);
  }

  /** Failures recorded so far. */
  get size(): number {
    return this.failures.length;
  }

  /** @throws CommandError `<what>` followed by every failure, when there is any. */
  throwIfAny(what: string): void {
    if (this.failures.length > 0) throw new CommandError(`${what}${this.failures.join('; ')}`);
  }
}
