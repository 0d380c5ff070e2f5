import { MessageConst, ResponseCode, RocketMQError } from '@rocketmq-ts/protocol';
import type { PutMessageInput } from '@rocketmq-ts/store';
import { delayLevelOf } from '../schedule/to-schedule-message.js';
import {
  mayWaitInSystemTopic,
  propertiesMapOf,
  toSystemTopic,
} from '../system-topic/real-destination.js';

/** Topic of pending timer messages, one queue (Java 5.x `TimerMessageStore.TIMER_TOPIC`). */
export const TIMER_TOPIC = 'rmq_sys_wheel_timer';

/**
 * Aliyun ONS' delivery time property, ms since the epoch, written by ali-ons `Message.setStartDeliverTime`
 * (remoting-protocol.md §8). Apache brokers ignore it; this broker reads it like `TIMER_DELIVER_MS`.
 */
export const PROPERTY_START_DELIVER_TIME = '__STARTDELIVERTIME';

/** Limits of {@link timerDeliverTimeOf}; defaults are the broker's (`timerMaxDelaySec`, `timerPrecisionMs`). */
export interface TimerLimits {
  /** Furthest delivery time accepted, in s from now. Default 259 200 (3 days). */
  timerMaxDelaySec?: number;
}

/** Outcome of {@link timerDeliverTimeOf} for a timer message. */
export type TimerDeliverTime = { deliverAtMs: number } | { error: string };

const INTEGER = /^[+-]?\d+$/;

/**
 * The delivery time a message asks for, as Java 5.x `HookUtils.checkIfTimerMessage` / `transformTimerMessage` read
 * it: `TIMER_DELAY_SEC` (s from now), else `TIMER_DELAY_MS` (ms from now), else `TIMER_DELIVER_MS` (ms since the
 * epoch), else `__STARTDELIVERTIME` (ms since the epoch, ali-ons/ONS; our addition).
 *
 * @param properties - the message's properties.
 * @param nowMs - the broker's clock, ms since the epoch.
 * @returns undefined when the message is not a timer message (none of the properties, a `DELAY` level > 0 —
 *   the level wins, as in Java —, or `TIMER_OUT_MS` already set: a delivered timer message sent again) or when the
 *   time is not in the future (delivered at once, as Java does); `{ deliverAtMs }` for a timer; `{ error }` — the
 *   send is answered MESSAGE_ILLEGAL with it as remark — when the value is not an integer or lies beyond
 *   `timerMaxDelaySec`.
 */
export function timerDeliverTimeOf(
  properties: ReadonlyMap<string, string>,
  nowMs: number,
  limits: TimerLimits = {},
): TimerDeliverTime | undefined {
  if (delayLevelOf(properties) > 0) return undefined;
  if (properties.has(MessageConst.PROPERTY_TIMER_OUT_MS)) return undefined;
  let name: string;
  let relativeUnitMs = 0;
  if (properties.has(MessageConst.PROPERTY_TIMER_DELAY_SEC)) {
    name = MessageConst.PROPERTY_TIMER_DELAY_SEC;
    relativeUnitMs = 1000;
  } else if (properties.has(MessageConst.PROPERTY_TIMER_DELAY_MS)) {
    name = MessageConst.PROPERTY_TIMER_DELAY_MS;
    relativeUnitMs = 1;
  } else if (properties.has(MessageConst.PROPERTY_TIMER_DELIVER_MS)) {
    name = MessageConst.PROPERTY_TIMER_DELIVER_MS;
  } else if (properties.has(PROPERTY_START_DELIVER_TIME)) {
    name = PROPERTY_START_DELIVER_TIME;
  } else {
    return undefined;
  }
  const text = properties.get(name)!.trim();
  const value = Number(text);
  if (!INTEGER.test(text) || !Number.isSafeInteger(value)) {
    return { error: `timer message illegal: ${name} ${JSON.stringify(text)} is not an integer` };
  }
  const deliverAtMs = relativeUnitMs > 0 ? nowMs + value * relativeUnitMs : value;
  if (!Number.isSafeInteger(deliverAtMs)) {
    return { error: `timer message illegal: ${name} ${text} is out of range` };
  }
  if (deliverAtMs <= nowMs) return undefined;
  const maxDelayMs = (limits.timerMaxDelaySec ?? 259_200) * 1000;
  if (deliverAtMs - nowMs > maxDelayMs) {
    return {
      error:
        `timer message illegal: the delay ${deliverAtMs - nowMs} ms (${name}) is beyond the max delay ` +
        `${maxDelayMs} ms (timerMaxDelaySec)`,
    };
  }
  return { deliverAtMs };
}

/**
 * Redirects a timer message to {@link TIMER_TOPIC} queue 0, as Java 5.x `HookUtils.transformTimerMessage` does:
 * its real destination goes to `REAL_TOPIC`/`REAL_QID` and its delivery time to `TIMER_OUT_MS`; every other field
 * and property stays. The {@link TimerMessageService} puts it back into its real topic once due.
 *
 * Difference from Java: `TIMER_OUT_MS` is the exact delivery time (Java rounds it down to `timerPrecisionMs`, which
 * can deliver up to one precision early); the wheel still fetches timers slot by slot.
 * @param input - the message as it would be stored.
 * @param deliverAtMs - its delivery time, ms since the epoch ({@link timerDeliverTimeOf}).
 * @returns a new input for the timer topic, or `input` itself for a prepared or rollback transactional message
 *   (a half message becomes a timer message when committed).
 */
export function toTimerMessage(input: PutMessageInput, deliverAtMs: number): PutMessageInput {
  if (!mayWaitInSystemTopic(input.sysFlag)) return input;
  const properties = propertiesMapOf(input.properties);
  properties.set(MessageConst.PROPERTY_TIMER_OUT_MS, String(deliverAtMs));
  return toSystemTopic(input, properties, { topic: TIMER_TOPIC, queueId: 0 });
}

/**
 * Rewrites a message for the timer topic when it asks for a delivery time, else returns it unchanged.
 * @throws RocketMQError (MESSAGE_ILLEGAL) for a refused timer message.
 */
export type TimerRewriter = (
  input: PutMessageInput,
  properties: ReadonlyMap<string, string>,
) => PutMessageInput;

/**
 * The send path's timer step (Java 5.x `HookUtils.handleScheduleMessage`, timer part): {@link timerDeliverTimeOf}
 * then {@link toTimerMessage}.
 * @param config - the broker's `timerWheelEnable` and `timerMaxDelaySec`.
 * @param now - clock, ms since the epoch. Default `Date.now`.
 * @returns a {@link TimerRewriter} that throws RocketMQError (MESSAGE_ILLEGAL) with the reason as remark for a
 *   delivery time that is not an integer or lies beyond `timerMaxDelaySec`, and for any timer message while
 *   `timerWheelEnable` is false (Java answers WHEEL_TIMER_NOT_ENABLE, mapped to MESSAGE_ILLEGAL).
 */
export function timerRewriterOf(
  config: { timerWheelEnable: boolean; timerMaxDelaySec: number },
  now: () => number = Date.now,
): TimerRewriter {
  return (input, properties) => {
    const deliver = timerDeliverTimeOf(properties, now(), config);
    if (deliver === undefined) return input;
    if (!config.timerWheelEnable) {
      throw new RocketMQError(
        'accurate timer message is not enabled, timerWheelEnable is false',
        ResponseCode.MESSAGE_ILLEGAL,
      );
    }
    if ('error' in deliver) throw new RocketMQError(deliver.error, ResponseCode.MESSAGE_ILLEGAL);
    return toTimerMessage(input, deliver.deliverAtMs);
  };
}
