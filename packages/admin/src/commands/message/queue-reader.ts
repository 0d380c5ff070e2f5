import type { MessageQueue } from '@rocketmq-ts/protocol';
import type { PulledMessage, ToolsClient, ToolsPullStatus } from '../tools-client.js';

/** Java's DefaultMQPullConsumer batch in printMsg: 32 messages per pull. */
export const PULL_BATCH = 32;

/** Options of {@link readQueue}. */
export interface ReadQueueOptions {
  mq: MessageQueue;
  /** First consume-queue offset to read. */
  from: number;
  /** Stop before this offset. */
  to: number;
  /** Tag expression; default `*`. */
  subExpression?: string;
  /** Pulling group; default TOOLS_CONSUMER. */
  group?: string;
  /** Called for each batch, filtered stretch and early end, in order. */
  onEvent: (event: ReadQueueEvent) => void;
}

/** What {@link readQueue} reports, in order: batches, filtered stretches, and why it stopped early. */
export type ReadQueueEvent =
  | { kind: 'found'; messages: PulledMessage[] }
  /** The broker skipped a stretch whose tags did not match; `offset` is where reading goes on. */
  | { kind: 'no-matched'; offset: number }
  /** The queue ended before `to` (NO_NEW_MSG) or the offset is out of range (OFFSET_ILLEGAL). */
  | { kind: 'finished'; status: ToolsPullStatus; offset: number };

/**
 * Reads [from, to) of one queue with non-blocking pulls of at most {@link PULL_BATCH} messages, as RocketMQ's
 * printMsg / consumeMessage loops do. Bounded: it stops at `to`, when the queue ends, and when a pull makes no
 * progress (a broker answering the same offset again).
 * @throws what {@link ToolsClient.pull} throws.
 */
export async function readQueue(client: ToolsClient, options: ReadQueueOptions): Promise<void> {
  const { mq, onEvent } = options;
  let offset = options.from;
  while (offset < options.to) {
    const result = await client.pull(mq, {
      offset,
      maxNums: Math.min(PULL_BATCH, options.to - offset),
      ...(options.subExpression === undefined ? {} : { subExpression: options.subExpression }),
      ...(options.group === undefined ? {} : { group: options.group }),
    });
    const next = result.nextBeginOffset;
    switch (result.pullStatus) {
      case 'FOUND': {
        const messages = result.messages.filter((m) => m.msg.queueOffset < options.to);
        onEvent({ kind: 'found', messages });
        break;
      }
      case 'NO_MATCHED_MSG':
        onEvent({ kind: 'no-matched', offset: next });
        break;
      case 'NO_NEW_MSG':
      case 'OFFSET_ILLEGAL':
        onEvent({ kind: 'finished', status: result.pullStatus, offset: next });
        return;
    }
    if (next <= offset) return;
    offset = next;
  }
}

/**
 * The offsets to read of one queue for a store-time window, as printMsg and consumeMessage take them: `from` the
 * first message stored at or after `begin` (else the queue's first offset), `to` the first at or after `end` (else
 * one past the queue's last message).
 */
export async function queueOffsetRange(
  client: ToolsClient,
  mq: MessageQueue,
  window: { begin: number | undefined; end: number | undefined },
): Promise<{ from: number; to: number }> {
  const from =
    window.begin === undefined
      ? await client.minOffset(mq)
      : await client.searchOffset(mq, window.begin);
  const to =
    window.end === undefined
      ? await client.maxOffset(mq)
      : await client.searchOffset(mq, window.end);
  return { from, to };
}
