import { MAX_PROPERTIES_BYTES } from '@rocketmq-ts/protocol';
import type { PutMessageStatus } from '../store-types.js';

/** RocketMQ topic names: `[A-Za-z0-9%_|-]`, 1..127 characters (TopicValidator; V1 records hold ≤ 127 bytes). */
const TOPIC_PATTERN = /^[A-Za-z0-9%_|-]{1,127}$/;

/** A refusal: the status the put resolves with and why. */
export interface Refusal {
  status: PutMessageStatus;
  remark: string;
}

/**
 * Checks one message the way RocketMQ's store does before appending (DefaultMessageStore.checkMessage,
 * CommitLog.MessageExtEncoder): topic, queue id, body size, properties size.
 */
const validTopics = new Set<string>();

export function validateMessage(input: {
  topic: string;
  queueId: number;
  bodyBytes: number;
  propertiesBytes: number;
  maxMessageSize: number;
}): Refusal | undefined {
  if (!validTopics.has(input.topic) && !TOPIC_PATTERN.test(input.topic)) {
    return {
      status: 'MESSAGE_ILLEGAL',
      remark: `topic "${input.topic.slice(0, 200)}" is not 1..127 characters of [A-Za-z0-9%_|-]`,
    };
  }
  // Remember valid names (bounded), so the pattern runs once per topic rather than once per message.
  if (validTopics.size < 100_000) validTopics.add(input.topic);
  if (!Number.isInteger(input.queueId) || input.queueId < 0 || input.queueId > 0x7fffffff) {
    return {
      status: 'MESSAGE_ILLEGAL',
      remark: `queueId ${input.queueId} is not a non-negative int32`,
    };
  }
  if (input.bodyBytes > input.maxMessageSize) {
    return {
      status: 'MESSAGE_ILLEGAL',
      remark: `message body of ${input.bodyBytes} bytes exceeds maxMessageSize ${input.maxMessageSize}`,
    };
  }
  if (input.propertiesBytes > MAX_PROPERTIES_BYTES) {
    return {
      status: 'PROPERTIES_SIZE_EXCEEDED',
      remark: `properties of ${input.propertiesBytes} bytes exceed ${MAX_PROPERTIES_BYTES}`,
    };
  }
  return undefined;
}
