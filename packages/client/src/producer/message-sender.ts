import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  encodeSendMessageRequestHeader,
} from '@rocketmq-ts/protocol';
import type { Logger, MessageQueue, SendMessageRequestHeader } from '@rocketmq-ts/protocol';
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
import { PublishQueues } from './publish-queues.js';
import { sendResultFromResponse } from './send-result.js';
import type { SendResult } from './send-result.js';

/** One send's message, client instance and time budget (`timeoutMs` from `begin`, a performance.now() ms). */
export interface SendBudget {
  readonly instance: MQClientInstance;
  readonly out: OutgoingMessage;
  readonly timeoutMs: number;
  readonly begin: number;
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
   * The producer's publish queues of a topic (its route table): the queues themselves when known, so that a send
   * to a known topic does not wait a microtask for them; a promise while they are being looked up.
   * @throws MQClientError (rejects) when the topic has no route.
   */
  publishQueuesOf: (
    instance: MQClientInstance,
    topic: string,
  ) => PublishQueues | Promise<PublishQueues>;
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
  /** Scratch send header, refilled by each {@link request}. */
  private readonly header: SendMessageRequestHeader;

  constructor(options: MessageSenderOptions) {
    this.config = options.config;
    this.logger = options.logger;
    this.faultStrategy = options.faultStrategy;
    this.publishQueuesOf = options.publishQueuesOf;
    this.header = {
      producerGroup: this.config.producerGroup,
      topic: '',
      defaultTopic: this.config.createTopicKey,
      defaultTopicQueueNums: this.config.defaultTopicQueueNums,
      queueId: 0,
      sysFlag: 0,
      bornTimestamp: 0,
      flag: 0,
      properties: '',
      reconsumeTimes: 0,
      unitMode: false,
      batch: false,
      bname: '',
    };
  }

  /**
   * One attempt to a given queue (Java `send(msg, mq)` and the selector path): no retry.
   * @throws MQClientError (MESSAGE_ILLEGAL) when the queue is of another topic, or when the budget is used up;
   *   otherwise the broker's or the transport's error.
   */
  async sendToQueue(budget: SendBudget, mq: MessageQueue): Promise<SendResult> {
    const { out } = budget;
    checkQueueTopic(mq, out.topic);
    const remaining = budget.timeoutMs - (performance.now() - budget.begin);
    if (remaining <= 0) throw timeoutError(out.topic, budget.timeoutMs, undefined);
    return this.sendKernel(budget, mq, remaining);
  }

  /**
   * {@link sendWithRetries} for a two-way send, which always has a result.
   * @throws (rejects) as {@link sendWithRetries}.
   */
  sendSync(budget: SendBudget): Promise<SendResult> {
    // Not async, and no check of the result: every two-way attempt resolves to a result or throws, and an extra
    // async frame per send was measurable.
    return this.sendWithRetries(budget, false) as Promise<SendResult>;
  }

  /**
   * Java `sendDefaultImpl`: select, send, retry on another broker within the budget (one attempt when oneway).
   * @returns the result, undefined for oneway.
   * @throws MQClientError when the topic has no route, every attempt failed or the budget ran out (`cause`: the
   *   last failure); MQBrokerError for a non-retriable broker refusal.
   */
  async sendWithRetries(budget: SendBudget, oneway: boolean): Promise<SendResult | undefined> {
    const { instance, out, timeoutMs, begin } = budget;
    const known = this.publishQueuesOf(instance, out.topic);
    const queues = known instanceof PublishQueues ? known : await known;
    const attempts = oneway ? 1 : 1 + this.config.retryTimesWhenSendFailed;
    // The brokers tried, for the error when every attempt fails: text, not an array, as most sends succeed first.
    let brokersSent = '';
    let attemptsSent = 0;
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
      brokersSent = attemptsSent === 0 ? mq.brokerName : `${brokersSent}, ${mq.brokerName}`;
      attemptsSent++;
      try {
        if (oneway) {
          await this.sendKernelOneway(instance, out, mq);
          this.faultStrategy.updateFaultItem(
            mq.brokerName,
            performance.now() - attemptBegin,
            false,
          );
          return undefined;
        }
        const sent = await this.sendKernel(budget, mq, remaining);
        this.faultStrategy.updateFaultItem(mq.brokerName, performance.now() - attemptBegin, false);
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
      `send to topic ${out.topic} failed after ${attemptsSent} attempt(s) in ${elapsedMs} ms (brokers: ${brokersSent || 'none'}): ${errorText(lastError)}`,
      lastError instanceof RocketMQError ? lastError.code : ResponseCode.SYSTEM_ERROR,
      { cause: lastError },
    );
  }

  /**
   * One two-way request to the master of `mq`'s broker (Java `sendKernelImpl`), answered within `timeoutMs`.
   * @throws MQClientError when the broker has no master; the broker's or the transport's error.
   */
  async sendKernel(budget: SendBudget, mq: MessageQueue, timeoutMs: number): Promise<SendResult> {
    const { instance, out } = budget;
    // Java `findBrokerAddressInPublish`: the known master without a detour through a promise, else fetch the route.
    const addr = instance.masterAddr(mq.brokerName) ?? (await findMasterAddr(instance, mq));
    const response = await instance.api.invoke(addr, this.request(out, mq), Math.max(1, timeoutMs));
    return sendResultFromResponse({
      response,
      addr,
      topic: out.topic,
      brokerName: mq.brokerName,
      msgIds: out.msgIds,
    });
  }

  /**
   * {@link sendKernel} oneway: resolves once the request is written.
   * @throws MQClientError when the broker has no master; the transport's error.
   */
  async sendKernelOneway(
    instance: MQClientInstance,
    out: OutgoingMessage,
    mq: MessageQueue,
  ): Promise<void> {
    const addr = instance.masterAddr(mq.brokerName) ?? (await findMasterAddr(instance, mq));
    await instance.api.invokeOneway(addr, this.request(out, mq));
  }

  /** The SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE request of `out` to `mq`. */
  private request(out: OutgoingMessage, mq: MessageQueue): RemotingCommand {
    const code = out.batch ? RequestCode.SEND_BATCH_MESSAGE : RequestCode.SEND_MESSAGE_V2;
    // The encoder copies the fields synchronously, so one header object serves every send of this producer.
    const h = this.header;
    h.topic = out.topic;
    h.queueId = mq.queueId;
    h.sysFlag = out.sysFlag;
    h.bornTimestamp = Date.now();
    h.flag = out.flag;
    h.properties = out.properties;
    h.batch = out.batch;
    h.bname = mq.brokerName;
    return RemotingCommand.request(code, encodeSendMessageRequestHeader(h, code), out.body);
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
