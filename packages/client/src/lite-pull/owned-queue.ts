import type { MessageQueue } from '@rocketmq-ts/protocol';
import { ProcessQueue } from '../consumer/process-queue.js';
import type { MessageExt } from '../message/message.js';

/**
 * A queue the lite pull consumer reads (Java `AssignedMessageQueue.MessageQueueState`): its cache, where the next
 * pull starts, how far `poll()` has handed messages out, and a pending seek. Offsets are queue offsets; −1 = unset.
 */
export interface OwnedQueue {
  readonly mq: MessageQueue;
  /** Pulled messages not yet returned by poll(), and the dropped flag. */
  readonly pq: ProcessQueue;
  /** Offset of the next pull; −1 until the first pull computed it from the committed offset. */
  pullOffset: number;
  /** Offset after the messages poll() has returned: what a commit stores; −1 before the first. */
  consumeOffset: number;
  /** Offset the next pull must start from (seek, reset); −1 when none. */
  seekOffset: number;
  /** pause(): no pulls until resume(). */
  paused: boolean;
  /** Broker id the last pull suggested reading from (0 = master). */
  brokerId: number;
  /**
   * Bumped by every seek or reset: the running pull loop belongs to one generation and stops when it changes, and
   * batches of an older generation are not returned by poll().
   */
  generation: number;
  /** ms since the epoch of the last pull sent, for running-info reports. */
  lastPullTimestamp: number;
}

/** A pulled batch waiting for poll() (Java `ConsumeRequest`). */
export interface ConsumeRequest {
  readonly queue: OwnedQueue;
  /** The queue's generation when the batch was pulled. */
  readonly generation: number;
  readonly messages: MessageExt[];
}

/** A fresh queue state: nothing pulled, no offsets known. */
export function createOwnedQueue(mq: MessageQueue): OwnedQueue {
  return {
    mq,
    pq: new ProcessQueue(),
    pullOffset: -1,
    consumeOffset: -1,
    seekOffset: -1,
    paused: false,
    brokerId: 0,
    generation: 0,
    lastPullTimestamp: 0,
  };
}
