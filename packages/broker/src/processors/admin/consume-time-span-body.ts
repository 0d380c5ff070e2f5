import { encodeFastjson, messageQueueToJson } from '@rocketmq-ts/protocol';
import type { MessageQueue } from '@rocketmq-ts/protocol';

/*
 * QueryConsumeTimeSpanBody, the QUERY_CONSUME_TIME_SPAN (303) response body (Java
 * `common/protocol/body/QueryConsumeTimeSpanBody.java`, `QueueTimeSpan.java`); fastjson writes the bean properties
 * in alphabetical order:
 *   {"consumeTimeSpanSet":[{"consumeTimeStamp":…,"delayTime":…,"maxTimeStamp":…,
 *     "messageQueue":{"brokerName":"b","queueId":0,"topic":"t"},"minTimeStamp":…},…]}
 * The protocol package has no codec for it yet, so it lives beside its only writer.
 */

/** Time span of one queue as a group consumes it; all times in ms since the epoch. */
export interface QueueTimeSpan {
  messageQueue: MessageQueue;
  /** Store time of the first message still stored, or -1. */
  minTimeStamp: number;
  /** Store time of the last message, or -1. */
  maxTimeStamp: number;
  /** Store time of the last consumed message (the first message when nothing was consumed). */
  consumeTimeStamp: number;
  /** Now minus the store time of the next message to consume; 0 when the group is caught up. */
  delayTime: number;
}

/** Encodes a QueryConsumeTimeSpanBody. */
export function encodeQueryConsumeTimeSpanBody(spans: readonly QueueTimeSpan[]): Buffer {
  return encodeFastjson({
    consumeTimeSpanSet: spans.map((s) => ({
      consumeTimeStamp: s.consumeTimeStamp,
      delayTime: s.delayTime,
      maxTimeStamp: s.maxTimeStamp,
      messageQueue: messageQueueToJson(s.messageQueue),
      minTimeStamp: s.minTimeStamp,
    })),
  });
}
