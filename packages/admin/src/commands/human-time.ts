import { CommandError, optionalOption } from '../cli/command-spec.js';
import type { OptionSpec, ParsedOptions } from '../cli/command-spec.js';

/*
 * Times as mqadmin reads and prints them: the time options (`-s`, `-b`, `-e`) in RocketMQ's two forms, and the local
 * time formats of Java's `UtilAll` that the tables and message details print.
 */

/** `yyyy-MM-dd#HH:mm:ss:SSS` (Java `UtilAll.YYYY_MM_DD_HH_MM_SS_SSS`; note the `#`). */
const TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})#(\d{2}):(\d{2}):(\d{2}):(\d{3})$/;

/** `resetOffsetByTime -s now`: the end of each queue (Java passes −1 to the broker). */
export const TIMESTAMP_NOW = -1;

/** Options of {@link parseTimeArgument}. */
export interface TimeArgumentOptions {
  /** Accept `now` (resetOffsetByTime only), read as {@link TIMESTAMP_NOW}. Default false. */
  allowNow?: boolean;
}

/**
 * Reads a time option as RocketMQ's tools do (`PrintMessageSubCommand.timestampFormat`): epoch milliseconds, or
 * `yyyy-MM-dd#HH:mm:ss:SSS` in the local time zone (Java's SimpleDateFormat default). Unlike Java's lenient
 * parser, an impossible date (`2024-02-30`) is refused instead of rolling over into the next month.
 * @returns ms since the epoch, or {@link TIMESTAMP_NOW} for `now` when allowed.
 * @throws CommandError naming the option and the accepted forms.
 */
export function parseTimeArgument(
  option: Pick<OptionSpec, 'short' | 'long'>,
  value: string,
  options: TimeArgumentOptions = {},
): number {
  const text = value.trim();
  if (options.allowNow === true && text === 'now') return TIMESTAMP_NOW;
  if (/^\d+$/.test(text)) {
    const ms = Number(text);
    if (Number.isSafeInteger(ms)) return ms;
  }
  const m = TIME_PATTERN.exec(text);
  if (m !== null) {
    const [year, month, day, hour, minute, second, millis] = m.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const date = new Date(year, month - 1, day, hour, minute, second, millis);
    if (
      date.getFullYear() === year &&
      date.getMonth() === month - 1 &&
      date.getDate() === day &&
      date.getHours() === hour &&
      date.getMinutes() === minute &&
      date.getSeconds() === second
    ) {
      return date.getTime();
    }
  }
  const forms = `epoch milliseconds${options.allowNow === true ? ', now' : ''} or yyyy-MM-dd#HH:mm:ss:SSS`;
  throw new CommandError(
    `option -${option.short}/--${option.long}: "${value}" is not a time: use ${forms}`,
  );
}

/** A time option as {@link parseTimeArgument} reads it, or undefined when it was not given. */
export function optionalTimeOption(
  options: ParsedOptions,
  option: Pick<OptionSpec, 'short' | 'long'>,
): number | undefined {
  const value = optionalOption(options, option.long);
  return value === undefined ? undefined : parseTimeArgument(option, value);
}

/** `yyyy-MM-dd#HH:mm:ss:SSS` of a time in the local zone: what {@link parseTimeArgument} reads back. */
export function formatTimeArgument(ms: number): string {
  const d = new Date(ms);
  return `${datePart(d)}#${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}:${pad(d.getMilliseconds(), 3)}`;
}

/**
 * Java `UtilAll.timeMillisToHumanString2`: `yyyy-MM-dd HH:mm:ss,SSS`, local zone (message detail timestamps,
 * topicStatus `#Last Updated`).
 */
export function formatHumanTime(ms: number): string {
  const d = new Date(ms);
  return `${datePart(d)} ${timePart(d)},${pad(d.getMilliseconds(), 3)}`;
}

/** Java `UtilAll.formatDate(date, YYYY_MM_DD_HH_MM_SS)`: `yyyy-MM-dd HH:mm:ss`, local zone (consumerProgress). */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${datePart(d)} ${timePart(d)}`;
}

/** Java `UtilAll.timeMillisToHumanString`: `yyyyMMddHHmmssSSS`, local zone (ProcessQueueInfo timestamps). */
export function formatCompactTime(ms: number): string {
  const d = new Date(ms);
  return [
    pad(d.getFullYear(), 4),
    pad(d.getMonth() + 1, 2),
    pad(d.getDate(), 2),
    pad(d.getHours(), 2),
    pad(d.getMinutes(), 2),
    pad(d.getSeconds(), 2),
    pad(d.getMilliseconds(), 3),
  ].join('');
}

function datePart(d: Date): string {
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)}`;
}

function timePart(d: Date): string {
  return `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
