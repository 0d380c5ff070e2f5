import { parseSubscriptionExpression } from '@rocketmq-ts/protocol';
import type { SubscriptionData } from '@rocketmq-ts/protocol';
import { MQClientError } from '../errors.js';

/** Java `Validators.TOPIC_MAX_LENGTH` (4.9.8). */
export const TOPIC_MAX_LENGTH = 127;

/**
 * Java `Validators.checkTopic` (4.9.8): not blank, at most 127 characters of `[%|a-zA-Z0-9_-]`.
 * @throws MQClientError naming the problem.
 */
export function checkTopic(topic: string): void {
  if (typeof topic !== 'string' || topic.trim() === '') {
    throw new MQClientError('the specified topic is blank');
  }
  if (topic.length > TOPIC_MAX_LENGTH) {
    throw new MQClientError(
      `the specified topic is longer than topic max length ${TOPIC_MAX_LENGTH}`,
    );
  }
  if (!/^[%|a-zA-Z0-9_-]+$/.test(topic)) {
    throw new MQClientError(
      `the specified topic[${topic}] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$`,
    );
  }
}

/**
 * A TAG subscription (Java `FilterAPI.buildSubscriptionData`) with `subVersion` = now.
 * @throws RocketMQError (SUBSCRIPTION_PARSE_FAILED) for an expression made only of `||`.
 */
export function buildSubscriptionData(topic: string, subExpression: string): SubscriptionData {
  const parsed = parseSubscriptionExpression(subExpression);
  return {
    topic,
    subString: parsed.subString,
    tagsSet: [...parsed.tagsSet],
    codeSet: [...parsed.codeSet],
    subVersion: Date.now(),
    expressionType: 'TAG',
    classFilterMode: false,
  };
}
