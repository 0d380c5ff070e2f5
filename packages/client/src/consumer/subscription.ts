import { parseSubscriptionExpression } from '@rocketmq-ts/protocol';
import type { SubscriptionData } from '@rocketmq-ts/protocol';
import { MQClientError } from '../errors.js';
import { checkTopicName } from '../name-checks.js';

/**
 * Java `Validators.checkTopic` (4.9.8): not blank, at most 127 characters of `[%|a-zA-Z0-9_-]`.
 * @throws MQClientError naming the problem.
 */
export function checkTopic(topic: string): void {
  const problem = checkTopicName(topic);
  if (problem !== undefined) throw new MQClientError(problem);
}

/**
 * A TAG subscription (Java `FilterAPI.buildSubscriptionData`); an absent or empty expression means `*`.
 * @param subVersion - default now, ms.
 * @throws RocketMQError (SUBSCRIPTION_PARSE_FAILED) for an expression made only of `||`.
 */
export function buildSubscriptionData(
  topic: string,
  subExpression: string | undefined,
  subVersion: number = Date.now(),
): SubscriptionData {
  const parsed = parseSubscriptionExpression(subExpression);
  return {
    topic,
    subString: parsed.subString,
    tagsSet: [...parsed.tagsSet],
    codeSet: [...parsed.codeSet],
    subVersion,
    expressionType: 'TAG',
    classFilterMode: false,
  };
}
