import type { MessageQueue } from '@rocketmq-ts/protocol';
import type { MessageExt } from '../message/message.js';
import type { ConsumeMessageDirectlyResult } from '../running-info/consumer-running-info.js';
import { resetRetryTopic } from './consumer-runtime.js';

/** What {@link consumeMessageDirectly} runs and how it reads the listener's answer. */
export interface ConsumeDirectlyRequest<TStatus extends string> {
  msg: MessageExt;
  /** The broker set the message is stored on. */
  brokerName: string;
  group: string;
  /** Whether the listener is orderly (the result's `order`). */
  orderly: boolean;
  /** Calls the listener once on `[msg]` with a fresh context for `mq`. */
  call: (msgs: MessageExt[], mq: MessageQueue) => Promise<TStatus>;
  /** The listener's success status (`CONSUME_SUCCESS` / `SUCCESS`), answered as CR_SUCCESS. */
  success: TStatus;
  /** The listener's retry status (`RECONSUME_LATER` / `SUSPEND_CURRENT_QUEUE_A_MOMENT`), answered as CR_LATER. */
  later: TStatus;
}

/**
 * Runs a listener once for mqadmin consumeMessage (Java `consumeMessageDirectly` of both consume services): no
 * retry, no offset change. Any other answer is CR_RETURN_NULL; a rejection is CR_THROW_EXCEPTION with its text as
 * remark.
 */
export async function consumeMessageDirectly<TStatus extends string>(
  request: ConsumeDirectlyRequest<TStatus>,
): Promise<ConsumeMessageDirectlyResult> {
  const { msg } = request;
  const mq = { topic: msg.topic, brokerName: request.brokerName, queueId: msg.queueId };
  resetRetryTopic([msg], request.group);
  const begin = Date.now();
  const result: ConsumeMessageDirectlyResult = {
    order: request.orderly,
    autoCommit: true,
    consumeResult: 'CR_RETURN_NULL',
    spentTimeMills: 0,
  };
  try {
    // A listener may answer anything at run time; only the two statuses count.
    const status: unknown = await request.call([msg], mq);
    if (status === request.success) result.consumeResult = 'CR_SUCCESS';
    else if (status === request.later) result.consumeResult = 'CR_LATER';
  } catch (error) {
    result.consumeResult = 'CR_THROW_EXCEPTION';
    result.remark = String(error);
  }
  result.spentTimeMills = Date.now() - begin;
  return result;
}
