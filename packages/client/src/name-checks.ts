/*
 * Client-side rules for topic and group names (Java `org.apache.rocketmq.client.Validators` and
 * `TopicValidator`, 4.9.8), shared by producers, consumers and their configs.
 */

/** Characters allowed in topic and group names (Java `TopicValidator.isTopicOrGroupIllegal`). */
export const VALID_NAME = /^[%|a-zA-Z0-9_-]+$/;

/** Longest topic name, characters (Java `Validators.TOPIC_MAX_LENGTH`). */
export const TOPIC_MAX_LENGTH = 127;

/** Longest group name, characters (Java `Validators.CHARACTER_MAX_LENGTH`). */
export const GROUP_MAX_LENGTH = 255;

/**
 * Why a topic name is invalid, in Java's words (`Validators.checkTopic`), or undefined when it is valid: not blank,
 * at most 127 characters, only `[%|a-zA-Z0-9_-]`.
 */
export function checkTopicName(topic: unknown): string | undefined {
  if (typeof topic !== 'string' || topic.trim() === '') return 'the specified topic is blank';
  if (topic.length > TOPIC_MAX_LENGTH) {
    return `the specified topic is longer than topic max length ${TOPIC_MAX_LENGTH}`;
  }
  if (!VALID_NAME.test(topic)) {
    return `the specified topic[${topic}] contains illegal characters, allowing only ${VALID_NAME.source}`;
  }
  return undefined;
}

/**
 * Why a group name is invalid, in Java's words (`Validators.checkGroup`) as a ConfigError reason, or undefined when
 * it is valid: not blank, at most 255 characters, only `[%|a-zA-Z0-9_-]`. The reserved default groups are the
 * caller's to refuse.
 */
export function checkGroupName(group: unknown): string | undefined {
  if (typeof group !== 'string' || group.trim() === '') return 'is required and must not be blank';
  if (group.length > GROUP_MAX_LENGTH) {
    return `is longer than group max length ${GROUP_MAX_LENGTH}`;
  }
  if (!VALID_NAME.test(group)) {
    return `contains illegal characters, allowing only ${VALID_NAME.source}`;
  }
  return undefined;
}
