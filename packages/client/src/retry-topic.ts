/** Prefix of a consumer group's retry topic (Java `MixAll.RETRY_GROUP_TOPIC_PREFIX`). */
export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';

/**
 * `%RETRY%<group>` (Java `MixAll.getRetryTopic`): where a group's failed messages come back from; brokers create it
 * at the group's first heartbeat.
 */
export function retryTopicOf(group: string): string {
  return `${RETRY_GROUP_TOPIC_PREFIX}${group}`;
}
