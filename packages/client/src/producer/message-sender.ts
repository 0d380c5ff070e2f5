import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  encodeSendMessageRequestHeader,
} from '@rocketmq-ts/protocol';
import type { Logger, MessageQueue } from '@rocketmq-ts/protocol';
import {
  ConnectionClosedError,
  RemotingAbortedError,
  RemotingConnectError,
  RemotingTimeoutError,
  RemotingTooManyRequestsError,
} from '@rocketmq-ts/remoting';
import type { MQClientInstance } from '../client-instance.js';
import { findMasterAddr } from '../consumer/find-broker.js';
import { MQBrokerError, MQClientError } from '../errors.js';
import type { FaultStrategy } from './fault-strategy.js';
import type { OutgoingMessage } from './outgoing-message.js';
import type { ProducerConfig } from './producer-config.js';
import type { PublishQueues } from './publish-queues.js';
import { sendResultFromResponse } from './send-result.js';
import type { SendResult } from './send-result.js';

/** One send's message, client instance and time budget (`timeoutMs` from `begin`, a performance.now() ms). */
export interface SendBudget {
  instance: MQClientInstance;
  out: OutgoingMessage;
  timeoutMs: number;
  begin: number;
}

/** What a {@link MessageSender} needs from its producer. */
export interface MessageSenderOptions {
  /** The producer's options (group, template topic, retries). */
  config: Readonly<ProducerConfig>;
  /** Where failed attempts are logged. */
  logger: Logger;
  /** Picks queues and records each attempt's latency. */
  faultStrategy: FaultStrategy;
  /**
   * The producer's publish queues of a topic (its route table).
   * @throws MQClientError when the topic has no route.
   */
  publishQueuesOf: (instance: MQClientInstance, topic: string) => Promise<PublishQueues>;
}

/**
 * The send path of a producer (Java `sendDefaultImpl` and `sendKernelImpl`) for messages already validated and
 * encoded: queue selection, retries on another broker within the time budget, and the SEND_MESSAGE_V2 /
 * SEND_BATCH_MESSAGE request. The Producer's user sends and the TransactionProducer's half messages both use it;
 * validation (reserved properties included) happens before, when the message is prepared.
 */
export class MessageSender {
  private readonly config: Readonly<ProducerConfig>;
  private readonly logger: Logger;
  private readonly faultStrategy: FaultStrategy;
  private readonly publishQueuesOf: MessageSenderOptions['publishQueuesOf'];

  constructor(options: MessageSenderOptions) {
    this.config = options.config;
    this.logger = options.logger;
    this.faultStrategy = options.faultStrategy;
    this.publishQueuesOf = options.publishQueuesOf;
  }

  /**
   * One attempt to a given queue (Java `send(msg, mq)` and the selector path): no retry.
   * @throws MQClientError (MESSAGE_ILLEGAL) when the queue is of another topic, or when the budget is used up;
   *   otherwise the broker's or the transport's error.
   */
  async sendToQueue(options: SendBudget & { mq: MessageQueue }): Promise<SendResult> {
    const { out, mq } = options;
    checkQueueTopic(mq, out.topic);
    const remaining = options.timeoutMs - (performance.now() - options.begin);
    if (remaining <= 0) throw timeoutError(out.topic, options.timeoutMs, undefined);
    return twoWayResult(await this.sendKernel({ ...options, timeoutMs: remaining, oneway: false }));
  }

  /**
   * {@link sendWithRetries} for a two-way send, which always has a result.
   * @throws as {@link sendWithRetries}.
   */
  async sendSync(options: SendBudget): Promise<SendResult> {
    return twoWayResult(await this.sendWithRetries({ ...options, oneway: false }));
  }

  /**
   * Java `sendDefaultImpl`: select, send, retry on another broker within the budget (one attempt when oneway).
   * @returns the result, undefined for oneway.
   * @throws MQClientError when the topic has no route, every attempt failed or the budget ran out (`cause`: the
   *   last failure); MQBrokerError for a non-retriable broker refusal.
   */
  async sendWithRetries(
    options: SendBudget & { oneway: boolean },
  ): Promise<SendResult | undefined> {
    const { instance, out, timeoutMs, begin, oneway } = options;
    const queues = await this.publishQueuesOf(instance, out.topic);
    const attempts = oneway ? 1 : 1 + this.config.retryTimesWhenSendFailed;
    const brokersSent: string[] = [];
    let mq: MessageQueue | undefined;
    let result: SendResult | undefined;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const selected = this.faultStrategy.selectOneMessageQueue(queues, mq?.brokerName);
      if (selected === undefined) break;
      mq = selected;
      const attemptBegin = performance.now();
      const remaining = timeoutMs - (attemptBegin - begin);
      if (remaining <= 0) {
        if (result !== undefined) return result;
        throw timeoutError(out.topic, timeoutMs, lastError);
      }
      brokersSent.push(mq.brokerName);
      try {
        const sent = await this.sendKernel({
          instance,
          out,
          mq,
          timeoutMs: remaining,
          oneway,
        });
        this.faultStrategy.updateFaultItem(mq.brokerName, performance.now() - attemptBegin, false);
        if (sent === undefined) return undefined;
        result = sent;
        if (sent.sendStatus !== 'SEND_OK' && this.config.retryAnotherBrokerWhenNotStoreOK) continue;
        return sent;
      } catch (error) {
        const latencyMs = performance.now() - attemptBegin;
        this.faultStrategy.updateFaultItem(mq.brokerName, latencyMs, true);
        lastError = error;
        if (!isRetriableSendError(error)) {
          if (result !== undefined) return result;
          throw error;
        }
        this.logger.warn('send attempt failed', {
          topic: out.topic,
          brokerName: mq.brokerName,
          queueId: mq.queueId,
          attempt: attempt + 1,
          latencyMs: Math.round(latencyMs),
          error: errorText(error),
        });
      }
    }
    if (result !== undefined) return result;
    const elapsedMs = Math.round(performance.now() - begin);
    throw new MQClientError(
      `send to topic ${out.topic} failed after ${brokersSent.length} attempt(s) in ${elapsedMs} ms (brokers: ${brokersSent.join(', ') || 'none'}): ${errorText(lastError)}`,
      lastError instanceof RocketMQError ? lastError.code : ResponseCode.SYSTEM_ERROR,
      { cause: lastError },
    );
  }

  /**
   * One request to the master of `mq`'s broker (Java `sendKernelImpl`).
   * @returns the result, undefined for oneway.
   * @throws MQClientError when the broker has no master; the broker's or the transport's error.
   */
  async sendKernel(options: {
    instance: MQClientInstance;
    out: OutgoingMessage;
    mq: MessageQueue;
    timeoutMs: number;
    oneway: boolean;
  }): Promise<SendResult | undefined> {
    const { instance, out, mq } = options;
    // Java `findBrokerAddressInPublish`, fetching the topic's route once when the set's master is not known.
    const addr = await findMasterAddr(instance, mq);
    const code = out.batch ? RequestCode.SEND_BATCH_MESSAGE : RequestCode.SEND_MESSAGE_V2;
    const header = encodeSendMessageRequestHeader(
      {
        producerGroup: this.config.producerGroup,
        topic: out.topic,
        defaultTopic: this.config.createTopicKey,
        defaultTopicQueueNums: this.config.defaultTopicQueueNums,
        queueId: mq.queueId,
        sysFlag: out.sysFlag,
        bornTimestamp: Date.now(),
        flag: out.flag,
        properties: out.properties,
        reconsumeTimes: 0,
        unitMode: false,
        batch: out.batch,
        bname: mq.brokerName,
      },
      code,
    );
    const request = RemotingCommand.request(code, header, out.body);
    if (options.oneway) {
      await instance.api.invokeOneway(addr, request);
      return undefined;
    }
    const response = await instance.api.invoke(addr, request, Math.max(1, options.timeoutMs));
    return sendResultFromResponse({
      response,
      addr,
      topic: out.topic,
      brokerName: mq.brokerName,
      msgIds: out.msgIds,
    });
  }
}

/**
 * Java's retry rule (`sendDefaultImpl`): transport failures and client-side failures (no broker address) move to
 * another queue; broker refusals only when their code is in `retryResponseCodes`.
 */
function isRetriableSendError(error: unknown): boolean {
  if (error instanceof MQBrokerError) return error.retriable;
  return (
    error instanceof RemotingTimeoutError ||
    error instanceof RemotingConnectError ||
    error instanceof ConnectionClosedError ||
    error instanceof RemotingTooManyRequestsError ||
    error instanceof RemotingAbortedError ||
    error instanceof MQClientError
  );
}

/**
 * Refuses a queue of another topic than the message's.
 * @throws MQClientError (MESSAGE_ILLEGAL) when they differ.
 */
export function checkQueueTopic(mq: MessageQueue, topic: string): void {
  if (mq.topic !== topic) {
    throw new MQClientError(
      `the queue's topic ${mq.topic} is not the message's topic ${topic}`,
      ResponseCode.MESSAGE_ILLEGAL,
    );
  }
}

function timeoutError(topic: string, timeoutMs: number, cause: unknown): MQClientError {
  return new MQClientError(
    `send to topic ${topic} ran out of its ${timeoutMs} ms budget (sendMsgTimeout)${cause === undefined ? '' : `: ${errorText(cause)}`}`,
    ResponseCode.SYSTEM_ERROR,
    { cause },
  );
}

/** An error's message, or the thrown value as text. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A two-way send always has a result; undefined means a bug. */
function twoWayResult(result: SendResult | undefined): SendResult {
  if (result === undefined) throw new MQClientError('a two-way send returned no result');
  return result;
}
