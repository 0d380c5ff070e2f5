import { ResponseCode, RocketMQError } from '@rocketmq-ts/protocol';

/*
 * Topic names and system topics (remoting-protocol.md §7.1–§7.3; Java `TopicValidator`, `MixAll`, `PermName`).
 */

/** Permission bit: template topic whose config new topics may clone (§7.2). */
export const PERM_INHERIT = 1;
/** Permission bit: producers may write. */
export const PERM_WRITE = 2;
/** Permission bit: consumers may read. */
export const PERM_READ = 4;

/** Template topic for auto-creation on send. */
export const AUTO_CREATE_TOPIC_KEY_TOPIC = 'TBW102';
/** Delayed messages; one queue per delay level. */
export const SCHEDULE_TOPIC = 'SCHEDULE_TOPIC_XXXX';
/** Queue count of {@link SCHEDULE_TOPIC}: one per default delay level. */
export const SCHEDULE_TOPIC_QUEUE_NUMS = 18;
/** Benchmark tooling topic. */
export const BENCHMARK_TOPIC = 'BenchmarkTest';
/** Self-test topic. */
export const SELF_TEST_TOPIC = 'SELF_TEST_TOPIC';
/** Offset-moved events. */
export const OFFSET_MOVED_EVENT = 'OFFSET_MOVED_EVENT';
/** Transactional half messages. */
export const TRANS_HALF_TOPIC = 'RMQ_SYS_TRANS_HALF_TOPIC';
/** Transactional "done" markers. */
export const TRANS_OP_HALF_TOPIC = 'RMQ_SYS_TRANS_OP_HALF_TOPIC';
/** Half messages past the check limit. */
export const TRANS_CHECK_MAX_TIME_TOPIC = 'TRANS_CHECK_MAX_TIME_TOPIC';
/** Default trace topic. */
export const TRACE_TOPIC = 'RMQ_SYS_TRACE_TOPIC';
/** Prefix of a consumer group's retry topic. */
export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';
/** Prefix of a consumer group's dead-letter topic. */
export const DLQ_GROUP_TOPIC_PREFIX = '%DLQ%';
/** Reserved prefix of system topics. */
export const SYSTEM_TOPIC_PREFIX = 'rmq_sys_';
/** Longest topic name (Java `TOPIC_MAX_LENGTH`). */
export const TOPIC_MAX_LENGTH = 127;

/** RocketMQ's system topics (Java 4.9.8 `TopicValidator.getSystemTopicSet()`), in Java's order. */
export const SYSTEM_TOPIC_LIST: readonly string[] = [
  AUTO_CREATE_TOPIC_KEY_TOPIC,
  SCHEDULE_TOPIC,
  BENCHMARK_TOPIC,
  TRANS_HALF_TOPIC,
  TRACE_TOPIC,
  TRANS_OP_HALF_TOPIC,
  TRANS_CHECK_MAX_TIME_TOPIC,
  SELF_TEST_TOPIC,
  OFFSET_MOVED_EVENT,
];

const SYSTEM_TOPICS: ReadonlySet<string> = new Set(SYSTEM_TOPIC_LIST);

const TOPIC_PATTERN = /^[%|a-zA-Z0-9_-]+$/;

/** Whether `topic` is one of RocketMQ's system topics or carries the `rmq_sys_` prefix. */
export function isSystemTopic(topic: string): boolean {
  return SYSTEM_TOPICS.has(topic) || topic.startsWith(SYSTEM_TOPIC_PREFIX);
}

/**
 * Checks a topic name against §7.3: not blank, only `[%|a-zA-Z0-9_-]`, at most 127 characters.
 * @throws RocketMQError SYSTEM_ERROR with Java 4.9.8 TopicValidator.validateTopic's remark.
 */
export function validateTopicName(topic: string): void {
  if (topic.trim() === '') {
    throw new RocketMQError('The specified topic is blank.', ResponseCode.SYSTEM_ERROR);
  }
  if (!TOPIC_PATTERN.test(topic)) {
    throw new RocketMQError(
      'The specified topic contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$',
      ResponseCode.SYSTEM_ERROR,
    );
  }
  if (topic.length > TOPIC_MAX_LENGTH) {
    throw new RocketMQError(
      'The specified topic is longer than topic max length.',
      ResponseCode.SYSTEM_ERROR,
    );
  }
}

/** The retry topic of a consumer group: `%RETRY%<group>`. */
export function retryTopicOf(group: string): string {
  return `${RETRY_GROUP_TOPIC_PREFIX}${group}`;
}

/** The dead-letter topic of a consumer group: `%DLQ%<group>`. */
export function dlqTopicOf(group: string): string {
  return `${DLQ_GROUP_TOPIC_PREFIX}${group}`;
}
