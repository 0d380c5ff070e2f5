import {
  MessageConst,
  MessageSysFlag,
  NAME_VALUE_SEPARATOR,
  PROPERTY_SEPARATOR,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  encodeSendMessageRequestHeader,
} from '@rocketmq-ts/protocol';
import type { MessageQueue } from '@rocketmq-ts/protocol';
import { MQBrokerError, MQClientError } from '../errors.js';
import type { MQClientInstance } from '../client-instance.js';
import type { OutgoingMessage } from '../producer/outgoing-message.js';
import type { ProducerConfig } from '../producer/producer-config.js';
import { sendResultFromResponse } from '../producer/send-result.js';
import type { SendResult } from '../producer/send-result.js';

/** Broker codes after which Java's sync send tries another queue (`DefaultMQProducerImpl.sendDefaultImpl`). */
const RETRIABLE_CODES: ReadonlySet<number> = new Set([
  ResponseCode.TOPIC_NOT_EXIST,
  ResponseCode.SERVICE_NOT_AVAILABLE,
  ResponseCode.SYSTEM_ERROR,
  ResponseCode.NO_PERMISSION,
  ResponseCode.NO_BUYER_ID,
  ResponseCode.NOT_IN_CURRENT_UNIT,
]);

/**
 * Turns a prepared message into its half-message form (Java `sendMessageInTransaction` + `sendKernelImpl`):
 * properties `TRAN_MSG=true` and `PGROUP=<producerGroup>` appended, sysFlag transaction bits = PREPARED.
 */
export function toHalfOutgoing(out: OutgoingMessage, producerGroup: string): OutgoingMessage {
  const sep = (name: string, value: string) =>
    `${name}${NAME_VALUE_SEPARATOR}${value}${PROPERTY_SEPARATOR}`;
  return {
    ...out,
    properties:
      out.properties +
      sep(MessageConst.PROPERTY_TRANSACTION_PREPARED, 'true') +
      sep(MessageConst.PROPERTY_PRODUCER_GROUP, producerGroup),
    sysFlag: out.sysFlag | MessageSysFlag.TRANSACTION_PREPARED_TYPE,
  };
}

/** Options of {@link sendHalfMessage}. */
export interface SendHalfMessageOptions {
  /** The client instance whose connections and broker table are used. */
  instance: MQClientInstance;
  /** The producer's options (group, template topic, retries). */
  config: Readonly<ProducerConfig>;
  /** The message in half form ({@link toHalfOutgoing}). */
  out: OutgoingMessage;
  /** The topic's writable queues. */
  queues: readonly MessageQueue[];
  /** Where to start the round robin over `queues`. */
  startIndex: number;
  /** Budget of the send, retries included, ms. */
  timeoutMs: number;
}

/**
 * Sends a half message synchronously, trying up to `1 + retryTimesWhenSendFailed` queues (each on another broker
 * when there is one) on transport failures and retriable broker codes, within `timeoutMs`.
 * @returns the send result of the first broker that stored it.
 * @throws MQClientError when the topic has no queue, every attempt failed or the budget ran out; MQBrokerError
 *   for a non-retriable refusal.
 */
export async function sendHalfMessage(options: SendHalfMessageOptions): Promise<SendResult> {
  const { instance, config, out, queues, timeoutMs } = options;
  if (queues.length === 0) {
    throw new MQClientError(
      `topic ${out.topic} has no writable queue`,
      ResponseCode.TOPIC_NOT_EXIST,
    );
  }
  const begin = performance.now();
  const attempts = 1 + config.retryTimesWhenSendFailed;
  let lastError: unknown;
  let lastBroker: string | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const remaining = timeoutMs - (performance.now() - begin);
    if (remaining <= 0) break;
    const mq = pickQueue(queues, options.startIndex + attempt, lastBroker);
    lastBroker = mq.brokerName;
    const addr = instance.masterAddr(mq.brokerName);
    if (addr === undefined) {
      lastError = new MQClientError(`broker ${mq.brokerName} has no master in the route`);
      continue;
    }
    const header = encodeSendMessageRequestHeader(
      {
        producerGroup: config.producerGroup,
        topic: out.topic,
        defaultTopic: config.createTopicKey,
        defaultTopicQueueNums: config.defaultTopicQueueNums,
        queueId: mq.queueId,
        sysFlag: out.sysFlag,
        bornTimestamp: Date.now(),
        flag: out.flag,
        properties: out.properties,
        reconsumeTimes: 0,
        unitMode: false,
        batch: false,
        bname: mq.brokerName,
      },
      RequestCode.SEND_MESSAGE_V2,
    );
    try {
      const response = await instance.api.invoke(
        addr,
        RemotingCommand.request(RequestCode.SEND_MESSAGE_V2, header, out.body),
        Math.max(1, Math.round(remaining)),
      );
      return sendResultFromResponse({
        response,
        addr,
        topic: out.topic,
        brokerName: mq.brokerName,
        msgIds: out.msgIds,
      });
    } catch (error) {
      lastError = error;
      if (error instanceof MQBrokerError && !RETRIABLE_CODES.has(error.code)) throw error;
    }
  }
  throw new MQClientError(
    `sending the half message to topic ${out.topic} failed: ${lastError instanceof Error ? lastError.message : 'time budget used up'}`,
    lastError instanceof MQBrokerError ? lastError.code : ResponseCode.SYSTEM_ERROR,
    { cause: lastError },
  );
}

/** Queue `index` (mod length), moved on to another broker's queue when it is on `avoidBroker` and one exists. */
function pickQueue(
  queues: readonly MessageQueue[],
  index: number,
  avoidBroker: string | undefined,
): MessageQueue {
  for (let i = 0; i < queues.length; i++) {
    const mq = queues[(index + i) % queues.length]!;
    if (mq.brokerName !== avoidBroker) return mq;
  }
  return queues[index % queues.length]!;
}
