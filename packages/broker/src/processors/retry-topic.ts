import { ResponseCode, RocketMQError } from '@rocketmq-ts/protocol';
import type { TopicConfig } from '@rocketmq-ts/protocol';
import type { BrokerContext } from '../broker-context.js';
import { RETRY_GROUP_TOPIC_PREFIX } from '../topic/topic-validator.js';

/** A message sent to a `%RETRY%<group>` topic. */
export interface RetrySend {
  retryTopic: string;
  /** Times the message was consumed and failed already. */
  reconsumeTimes: number;
  /** Per-message limit from the request (honoured for client version ≥ 121), else the group's `retryMaxTimes`. */
  maxReconsumeTimes: number | undefined;
}

/**
 * Step 6 of remoting-protocol.md §4.2: a send to `%RETRY%<group>` needs the group's config, and once
 * `reconsumeTimes` reaches the limit it goes to `%DLQ%<group>` instead (created on demand).
 * @returns the DLQ topic config when the message must go there, else undefined.
 * @throws RocketMQError SUBSCRIPTION_GROUP_NOT_EXIST when the group has no config and cannot get one.
 */
export async function redirectToDeadLetterIfExhausted(
  ctx: BrokerContext,
  send: RetrySend,
): Promise<TopicConfig | undefined> {
  const group = send.retryTopic.slice(RETRY_GROUP_TOPIC_PREFIX.length);
  const groupConfig = await ctx.subscriptionGroups.findOrCreate(group);
  if (groupConfig === undefined) {
    throw new RocketMQError(
      `subscription group not exist, ${group} — create it with mqadmin updateSubGroup or enable autoCreateSubscriptionGroup`,
      ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
    );
  }
  const max = send.maxReconsumeTimes ?? groupConfig.retryMaxTimes;
  if (send.reconsumeTimes < max) return undefined;
  ctx.logger.info('message exhausted its retries; sent to the dead letter queue', {
    group,
    reconsumeTimes: send.reconsumeTimes,
  });
  return ctx.topics.createDLQTopicIfAbsent(group);
}
