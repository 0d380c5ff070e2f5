/**
 * Delay levels and the consume-queue tags code of delayed messages. A record stored in `SCHEDULE_TOPIC_XXXX` with a
 * `DELAY` level > 0 gets, instead of the hash of its tag, its delivery time (store time + the level's delay, the
 * level capped at the highest one) in its consume-queue entry (Java `CommitLog.checkMessageAndReturnSize`,
 * `ScheduleMessageService.computeDeliverTimestamp`, 4.9.8). The put path and recovery both use it, so consume
 * queues rebuilt after a crash hold the same entries.
 */
import { ConfigError } from '@rocketmq-ts/protocol';

/** Topic of delayed messages, one queue per level (Java `TopicValidator.RMQ_SYS_SCHEDULE_TOPIC`). */
export const SCHEDULE_TOPIC = 'SCHEDULE_TOPIC_XXXX';

/** RocketMQ's default `messageDelayLevel`: 18 levels. */
export const DEFAULT_MESSAGE_DELAY_LEVEL =
  '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h';

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
};

const LEVEL_PATTERN = /^(\d+)([smhd])$/;

/**
 * Parses a `messageDelayLevel` string (Java `ScheduleMessageService.parseDelayLevel`): delays separated by spaces,
 * each a whole number followed by a unit `s`, `m`, `h` or `d`.
 *
 * Unlike Java, runs of spaces and surrounding blanks are accepted (Java fails to start on them).
 * @param text - e.g. `1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h`.
 * @returns the delay of each level in ms; index 0 is level 1.
 * @throws ConfigError (key `messageDelayLevel`) naming the value when it is empty or a delay does not parse.
 */
export function parseMessageDelayLevel(text: string): number[] {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ConfigError('messageDelayLevel', text, 'must list at least one delay like 1s or 5m');
  }
  return text
    .trim()
    .split(/\s+/)
    .map((item) => {
      const match = LEVEL_PATTERN.exec(item);
      const ms = match ? Number(match[1]) * UNIT_MS[match[2]!]! : NaN;
      if (!Number.isSafeInteger(ms)) {
        throw new ConfigError(
          'messageDelayLevel',
          text,
          `delay ${JSON.stringify(item)} must be a whole number followed by s, m, h or d`,
        );
      }
      return ms;
    });
}

/**
 * The delay level a record asks the schedule topic for: its `DELAY` property as an integer when the record is in
 * {@link SCHEDULE_TOPIC}, else 0. A value that is not an integer counts as 0 (its tag hash is used).
 */
export function scheduleDelayLevel(topic: string, delayProperty: string | undefined): number {
  if (topic !== SCHEDULE_TOPIC || delayProperty === undefined) return 0;
  if (!/^[+-]?\d+$/.test(delayProperty)) return 0;
  const level = Number(delayProperty);
  return Number.isSafeInteger(level) && level > 0 ? level : 0;
}

/**
 * Delivery time of a delayed record: `storeTimestamp` + the delay of `delayLevel`, the level capped at
 * `levels.length`. Levels below 1 count as level 1.
 * @param levels - delay per level in ms (index 0 = level 1), as {@link parseMessageDelayLevel} returns.
 * @returns ms since the epoch.
 */
export function deliverTimestamp(
  levels: readonly number[],
  delayLevel: number,
  storeTimestamp: number,
): number {
  const index = Math.max(0, Math.min(delayLevel, levels.length) - 1);
  // Java falls back to one second for a level it does not know.
  return storeTimestamp + (levels[index] ?? 1000);
}
