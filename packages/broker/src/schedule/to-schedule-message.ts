import { MessageConst } from '@rocketmq-ts/protocol';
import type { PutMessageInput } from '@rocketmq-ts/store';
import {
  mayWaitInSystemTopic,
  propertiesMapOf,
  toSystemTopic,
} from '../system-topic/real-destination.js';
import { SCHEDULE_TOPIC } from '../topic/topic-validator.js';

// Kept here under its first home's name: the package index and the transaction code import it from this module.
export { propertiesMapOf };

/**
 * The delay level a message asks for: its `DELAY` property as an integer, 0 when absent. Java parses it with
 * `Integer.parseInt` and fails the send on garbage; here a value that is not an integer counts as no delay.
 */
export function delayLevelOf(properties: ReadonlyMap<string, string>): number {
  const text = properties.get(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return 0;
  const level = Number(text);
  return Number.isSafeInteger(level) ? level : 0;
}

/**
 * Redirects a delayed message to the schedule topic, as Java 4.9.8 `CommitLog.asyncPutMessage` does before
 * appending (remoting-protocol.md §4.2 step 12, §7.4): when the message asks for a delay level > 0 (`DELAY`
 * property) and is not a prepared or rollback transactional message, it goes to `SCHEDULE_TOPIC_XXXX` queue
 * `level − 1` with the level capped at `maxDelayLevel`, and its real destination in `REAL_TOPIC`/`REAL_QID`;
 * `DELAY` holds the capped level. The store then gives the record its delivery time as tags code, and the
 * {@link ScheduleMessageService} puts it back into the real topic once due.
 *
 * The send processor can call it for every message; CONSUMER_SEND_MSG_BACK calls it after setting `DELAY`.
 * @param input - the message as it would be stored.
 * @param maxDelayLevel - number of configured delay levels (`parseMessageDelayLevel(messageDelayLevel).length`,
 *   18 by default); at least 1.
 * @returns a new input for the schedule topic (properties as an encoded string), or `input` itself when the
 *   message asks for no delay.
 * @throws RocketMQError (MESSAGE_ILLEGAL) when the topic contains a properties separator.
 */
export function toScheduleMessage(input: PutMessageInput, maxDelayLevel: number): PutMessageInput {
  if (!mayWaitInSystemTopic(input.sysFlag)) return input;
  const properties = propertiesMapOf(input.properties);
  const requested = delayLevelOf(properties);
  if (requested <= 0) return input;
  const level = Math.max(1, Math.min(requested, maxDelayLevel));
  properties.set(MessageConst.PROPERTY_DELAY_TIME_LEVEL, String(level));
  return toSystemTopic(input, properties, { topic: SCHEDULE_TOPIC, queueId: level - 1 });
}
