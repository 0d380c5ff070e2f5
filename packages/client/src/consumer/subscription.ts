import { parseSubscriptionExpression } from '@rocketmq-ts/protocol';
import type { SubscriptionData } from '@rocketmq-ts/protocol';
import { MQClientError } from '../errors.js';
import { checkTopicName } from '../name-checks.js';
import type { MessageSelector } from './message-selector.js';

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

/**
 * The subscription of a selector or a tag expression (Java `FilterAPI.build`): a tag expression as
 * {@link buildSubscriptionData}; an SQL92 one carries the expression as is with expressionType `SQL92` (it is
 * compiled by the brokers, see CHECK_CLIENT_CONFIG).
 * @throws MQClientError for a blank SQL92 expression or an unknown selector type; RocketMQError
 *   (SUBSCRIPTION_PARSE_FAILED) for a tag expression made only of `||`.
 */
export function buildSubscriptionFromSelector(
  topic: string,
  selector: string | MessageSelector | undefined,
  subVersion: number = Date.now(),
): SubscriptionData {
  if (selector === undefined || typeof selector === 'string') {
    return buildSubscriptionData(topic, selector, subVersion);
  }
  if (selector.type === 'TAG') return buildSubscriptionData(topic, selector.expression, subVersion);
  if (selector.type !== 'SQL92') {
    throw new MQClientError(
      `unknown message selector type ${String(selector.type)} (TAG or SQL92)`,
    );
  }
  if (selector.expression.trim() === '') {
    throw new MQClientError(`the SQL92 subscription to ${topic} has no expression`);
  }
  return {
    topic,
    subString: selector.expression,
    tagsSet: [],
    codeSet: [],
    subVersion,
    expressionType: 'SQL92',
    classFilterMode: false,
  };
}
