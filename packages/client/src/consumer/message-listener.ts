import type { MessageQueue } from '@rocketmq-ts/protocol';
import type { MessageExt } from '../message/message.js';

/*
 * Listener types of the push consumer (Java `MessageListenerConcurrently`, `MessageListenerOrderly` and their
 * contexts and statuses), promise-based.
 */

/** Concurrent listener outcome (Java `ConsumeConcurrentlyStatus`). */
export type ConsumeConcurrentlyStatus = 'CONSUME_SUCCESS' | 'RECONSUME_LATER';

/** Orderly listener outcome (Java `ConsumeOrderlyStatus`, without the deprecated COMMIT/ROLLBACK). */
export type ConsumeOrderlyStatus = 'SUCCESS' | 'SUSPEND_CURRENT_QUEUE_A_MOMENT';

/** Passed to each concurrent listener call (Java `ConsumeConcurrentlyContext`); the listener may change the fields. */
export interface ConsumeConcurrentlyContext {
  /** The queue the messages were pulled from (for retried messages: the `%RETRY%<group>` queue). */
  readonly messageQueue: MessageQueue;
  /**
   * Delay level of the retry when the batch fails: 0 (default) lets the broker choose `3 + reconsumeTimes`, −1
   * sends the messages straight to the dead letter queue, 1–18 picks a level.
   */
  delayLevelWhenNextConsume: number;
  /**
   * With CONSUME_SUCCESS: index of the last message consumed successfully; the ones after it are retried. Default:
   * all of them succeeded.
   */
  ackIndex: number;
}

/** Passed to each orderly listener call (Java `ConsumeOrderlyContext`). */
export interface ConsumeOrderlyContext {
  readonly messageQueue: MessageQueue;
  /** Pause after SUSPEND_CURRENT_QUEUE_A_MOMENT, ms; −1 (default) uses `suspendCurrentQueueTimeMillis`. */
  suspendCurrentQueueTimeMillis: number;
}

/**
 * Consumes messages in parallel (up to `consumeThreadMax` calls at once, over all queues). Resolve
 * `CONSUME_SUCCESS` or `RECONSUME_LATER`; a rejection or any other value counts as RECONSUME_LATER. In clustering
 * mode a failed message is re-delivered later through `%RETRY%<group>` with `reconsumeTimes + 1`, and goes to
 * `%DLQ%<group>` after `maxReconsumeTimes`; in broadcasting mode it is dropped (logged).
 */
export type MessageListenerConcurrently = (
  msgs: MessageExt[],
  context: ConsumeConcurrentlyContext,
) => Promise<ConsumeConcurrentlyStatus>;

/**
 * Consumes each queue's messages one batch at a time, in queue order (clustering: while holding the queue's lock
 * on the broker). Resolve `SUCCESS`, or `SUSPEND_CURRENT_QUEUE_A_MOMENT` to retry the same batch after
 * `suspendCurrentQueueTimeMillis`; a rejection or any other value counts as SUSPEND. After `maxReconsumeTimes`
 * suspensions a message goes to `%DLQ%<group>` and the queue moves on.
 */
export type MessageListenerOrderly = (
  msgs: MessageExt[],
  context: ConsumeOrderlyContext,
) => Promise<ConsumeOrderlyStatus>;

/** Which kind of listener a consumer runs. */
export type MessageListener =
  | { kind: 'concurrently'; listener: MessageListenerConcurrently }
  | { kind: 'orderly'; listener: MessageListenerOrderly };
