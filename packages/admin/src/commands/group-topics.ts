/*
 * The topics a consumer group gets besides the ones it subscribes to (Java `MixAll`): `%RETRY%<group>`, created at
 * its first heartbeat, and `%DLQ%<group>`, created at its first dead letter.
 */

/** Java `MixAll.RETRY_GROUP_TOPIC_PREFIX`. */
export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';

/** Java `MixAll.DLQ_GROUP_TOPIC_PREFIX`. */
export const DLQ_GROUP_TOPIC_PREFIX = '%DLQ%';

/** The retry and dead-letter topics of a group, in that order. */
export function groupTopics(group: string): [string, string] {
  return [`${RETRY_GROUP_TOPIC_PREFIX}${group}`, `${DLQ_GROUP_TOPIC_PREFIX}${group}`];
}

/** True for a group's retry or dead-letter topic, which statsAll and `topicList -c` leave out. */
export function isGroupTopic(topic: string): boolean {
  return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX) || topic.startsWith(DLQ_GROUP_TOPIC_PREFIX);
}
