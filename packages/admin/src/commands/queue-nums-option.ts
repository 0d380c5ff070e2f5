import type { ParsedOptions } from '../cli/command-spec.js';
import { CommandError, intOption } from '../cli/command-spec.js';

/** Most queues a topic may have per broker here: a sanity bound, far above what operators use (8 or 16). */
export const MAX_QUEUE_NUMS = 1024;

/**
 * A queue-count option (`-r`, `-w`): an integer from 1 to {@link MAX_QUEUE_NUMS}, else `fallback` when absent.
 * @throws CommandError naming the option and the value (RocketMQ passes any integer on to the broker).
 */
export function queueNumsOption(options: ParsedOptions, long: string, fallback: number): number {
  const value = intOption(options, long, fallback);
  if (value < 1 || value > MAX_QUEUE_NUMS) {
    throw new CommandError(`option --${long} must be from 1 to ${MAX_QUEUE_NUMS}, got ${value}`);
  }
  return value;
}
