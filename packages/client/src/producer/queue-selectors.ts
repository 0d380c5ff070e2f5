import { ResponseCode, javaStringHashCode } from '@rocketmq-ts/protocol';
import type { MessageQueue } from '@rocketmq-ts/protocol';
import { MQClientError } from '../errors.js';
import type { Message } from '../message/message.js';

/**
 * Picks the queue of an ordered send (Java `MessageQueueSelector`): given the topic's writable queues (a copy, in
 * route order), the message and the caller's `arg`, returns one of the queues. Messages that must stay in order
 * go through the same queue, so give them the same `arg` (an order id, a user id).
 */
export type MessageQueueSelector<TArg = unknown> = (
  queues: readonly MessageQueue[],
  message: Message,
  arg: TArg,
) => MessageQueue;

/**
 * Java `SelectMessageQueueByHash`: the queue at `abs(hash % n)`, the hash being Java's `String.hashCode` of
 * `String(arg)`. For string args this matches Java producers; numbers hash as their decimal string, which
 * differs from Java's `Integer`/`Long.hashCode`.
 *
 * @throws MQClientError when `queues` is empty.
 */
export function selectByHash(
  queues: readonly MessageQueue[],
  _message: Message,
  arg: unknown,
): MessageQueue {
  if (queues.length === 0) throw noQueue();
  const value = Math.abs(javaStringHashCode(String(arg)) % queues.length);
  return queues[value] as MessageQueue;
}

/**
 * Java `SelectMessageQueueByRandom`: any queue, uniformly.
 *
 * @throws MQClientError when `queues` is empty.
 */
export function selectByRandom(queues: readonly MessageQueue[]): MessageQueue {
  if (queues.length === 0) throw noQueue();
  return queues[Math.floor(Math.random() * queues.length)] as MessageQueue;
}

function noQueue(): MQClientError {
  return new MQClientError('there is no queue to select from', ResponseCode.SYSTEM_ERROR);
}
