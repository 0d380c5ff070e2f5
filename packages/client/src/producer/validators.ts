import { ResponseCode } from '@rocketmq-ts/protocol';
import { MQClientError } from '../errors.js';
import { checkTopicName } from '../name-checks.js';

/*
 * Client-side checks of messages before anything is sent (Java `org.apache.rocketmq.client.Validators` and
 * `TopicValidator`, 4.9.8); the name rules themselves are in name-checks.ts.
 */

/** System topics no client may send to; the broker answers NO_PERMISSION (Java `NOT_ALLOWED_SEND_TOPIC_SET`). */
export const NOT_ALLOWED_SEND_TOPICS: ReadonlySet<string> = new Set([
  'SCHEDULE_TOPIC_XXXX',
  'RMQ_SYS_TRANS_HALF_TOPIC',
  'RMQ_SYS_TRANS_OP_HALF_TOPIC',
  'TRANS_CHECK_MAX_TIME_TOPIC',
  'SELF_TEST_TOPIC',
  'OFFSET_MOVED_EVENT',
]);

/**
 * Checks a topic a message is about to be sent to (Java `checkTopic` + `isNotAllowedSendTopic`).
 *
 * @throws MQClientError with code MESSAGE_ILLEGAL for an invalid name, NO_PERMISSION for a system topic that
 *   only the broker writes.
 */
export function checkSendTopic(topic: unknown): asserts topic is string {
  const problem = checkTopicName(topic);
  if (problem !== undefined) throw new MQClientError(problem, ResponseCode.MESSAGE_ILLEGAL);
  if (NOT_ALLOWED_SEND_TOPICS.has(topic as string)) {
    throw new MQClientError(
      `sending to the system topic ${String(topic)} is forbidden`,
      ResponseCode.NO_PERMISSION,
    );
  }
}

/**
 * Checks a body's length (Java `Validators.checkMessage`): not empty, at most `maxMessageSize` bytes. Checked
 * before compression, as Java does.
 *
 * @throws MQClientError with code MESSAGE_ILLEGAL.
 */
export function checkBodyLength(
  length: number,
  options: { maxMessageSize: number; topic: string },
): void {
  if (length === 0) {
    throw new MQClientError(
      `the message body for topic ${options.topic} is empty`,
      ResponseCode.MESSAGE_ILLEGAL,
    );
  }
  if (length > options.maxMessageSize) {
    throw new MQClientError(
      `the message body for topic ${options.topic} is ${length} bytes, over maxMessageSize ${options.maxMessageSize}`,
      ResponseCode.MESSAGE_ILLEGAL,
    );
  }
}
