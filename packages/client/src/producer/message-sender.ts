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

/** Where a send's attempts stand: the next attempt's number, the last queue tried, what came back so far. */
interface RetryState {
  readonly budget: SendBudget;
  readonly queues: PublishQueues;
  attempt: number;
  mq: MessageQueue | undefined;
  /** The brokers tried, comma-separated, for the error when every attempt fails. */
  brokersSent: string;
  attemptsSent: number;
  result: SendResult | undefined;
  lastError: unknown;
}

function firstAttemptState(budget: SendBudget, queues: PublishQueues): RetryState {
  return {
    budget,
    queues,
    attempt: 0,
    mq: undefined,
    brokersSent: '',
    attemptsSent: 0,
    result: undefined,
    lastError: undefined,
  };
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
    // The first attempt to a known route and master is chained by hand, not awaited: async frames for the retry
    // loop and the kernel were most of the producer's garbage per send. Anything else (route lookup, no master
    // address, a retry) continues in the loop with the same state.
    const { instance, out, timeoutMs, begin } = budget;
    const queues = this.publishQueuesOf(instance, out.topic);
    if (!(queues instanceof PublishQueues)) {
      return this.sendWithRetries(budget, false) as Promise<SendResult>;
    }
    const mq = this.faultStrategy.selectOneMessageQueue(queues, undefined);
    const addr = mq === undefined ? undefined : instance.masterAddr(mq.brokerName);
    const attemptBegin = performance.now();
    if (mq === undefined || addr === undefined || timeoutMs - (attemptBegin - begin) <= 0) {
      return this.retryLoop(firstAttemptState(budget, queues), false) as Promise<SendResult>;
    }
    const remaining = timeoutMs - (attemptBegin - begin);
    // The loop's state after this attempt, made only when the loop has to go on.
    const after = (result: SendResult | undefined): RetryState => ({
      budget,
      queues,
      attempt: 1,
      mq,
      brokersSent: mq.brokerName,
      attemptsSent: 1,
      result,
      lastError: undefined,
    });
    let reply: Promise<RemotingCommand>;
    try {
      reply = instance.api.invoke(addr, this.request(out, mq), Math.max(1, remaining));
    } catch (error) {
      // A request that cannot be encoded fails its attempt as it would inside the loop, as a rejection.
      return Promise.resolve().then(() =>
        this.afterFailedAttempt(after(undefined), error, attemptBegin),
      );
    }
    return reply.then(
      (response) => {
        let sent: SendResult;
        try {
          sent = sendResultFromResponse({
            response,
            addr,
            topic: out.topic,
            brokerName: mq.brokerName,
            msgIds: out.msgIds,
          });
        } catch (error) {
          return this.afterFailedAttempt(after(undefined), error, attemptBegin);
        }
        this.faultStrategy.updateFaultItem(mq.brokerName, performance.now() - attemptBegin, false);
        if (sent.sendStatus !== 'SEND_OK' && this.config.retryAnotherBrokerWhenNotStoreOK) {
          return this.retryLoop(after(sent), false) as Promise<SendResult>;
        }
        return sent;
      },
      (error: unknown) => this.afterFailedAttempt(after(undefined), error, attemptBegin),
    );
  }

  /** The first attempt of {@link sendSync} failed with `error`: record it, then retry or give up as the loop would. */
  private afterFailedAttempt(
    state: RetryState,
    error: unknown,
    attemptBegin: number,
  ): Promise<SendResult> {
    if (!this.recordFailure(state, error, attemptBegin)) throw error;
    return this.retryLoop(state, false) as Promise<SendResult>;
  }

  /**
   * Java `sendDefaultImpl`: select, send, retry on another broker within the budget (one attempt when oneway).
   * @returns the result, undefined for oneway.
   * @throws MQClientError when the topic has no route, every attempt failed or the budget ran out (`cause`: the
   *   last failure); MQBrokerError for a non-retriable broker refusal.
   */
  async sendWithRetries(budget: SendBudget, oneway: boolean): Promise<SendResult | undefined> {
    const known = this.publishQueuesOf(budget.instance, budget.out.topic);
    const queues = known instanceof PublishQueues ? known : await known;
    return this.retryLoop(firstAttemptState(budget, queues), oneway);
  }

  /** The attempts of {@link sendWithRetries} from `state` on (the first one, or those after a first by hand). */
  private async retryLoop(state: RetryState, oneway: boolean): Promise<SendResult | undefined> {
    const { budget, queues } = state;
    const { out, timeoutMs, begin } = budget;
    const attempts = oneway ? 1 : 1 + this.config.retryTimesWhenSendFailed;
    for (; state.attempt < attempts; state.attempt++) {
      const selected = this.faultStrategy.selectOneMessageQueue(queues, state.mq?.brokerName);
      if (selected === undefined) break;
      const mq = selected;
      state.mq = mq;
      const attemptBegin = performance.now();
      const remaining = timeoutMs - (attemptBegin - begin);
      if (remaining <= 0) {
        if (state.result !== undefined) return state.result;
        throw timeoutError(out.topic, timeoutMs, state.lastError);
      }
      // The brokers tried, for the error when every attempt fails: text, not an array, as most sends succeed first.
      state.brokersSent =
        state.attemptsSent === 0 ? mq.brokerName : `${state.brokersSent}, ${mq.brokerName}`;
      state.attemptsSent++;
      try {
        if (oneway) {
          await this.sendKernelOneway(budget.instance, out, mq);
          this.faultStrategy.updateFaultItem(
            mq.brokerName,
            performance.now() - attemptBegin,
            false,
          );
          return undefined;
        }
        const sent = await this.sendKernel(budget, mq, remaining);
        this.faultStrategy.updateFaultItem(mq.brokerName, performance.now() - attemptBegin, false);
        state.result = sent;
        if (sent.sendStatus !== 'SEND_OK' && this.config.retryAnotherBrokerWhenNotStoreOK) continue;
        return sent;
      } catch (error) {
        if (!this.recordFailure(state, error, attemptBegin)) {
          if (state.result !== undefined) return state.result;
          throw error;
        }
      }
    }
    if (state.result !== undefined) return state.result;
    const elapsedMs = Math.round(performance.now() - begin);
    const { lastError } = state;
    throw new MQClientError(
      `send to topic ${out.topic} failed after ${state.attemptsSent} attempt(s) in ${elapsedMs} ms (brokers: ${state.brokersSent || 'none'}): ${errorText(lastError)}`,
      lastError instanceof RocketMQError ? lastError.code : ResponseCode.SYSTEM_ERROR,
      { cause: lastError },
    );
  }

  /**
   * Records a failed attempt (last error, fault latency, and a warning when it will be retried).
   * @returns whether the error allows another attempt.
   */
  private recordFailure(state: RetryState, error: unknown, attemptBegin: number): boolean {
    const mq = state.mq!;
    state.lastError = error;
    const latencyMs = performance.now() - attemptBegin;
    this.faultStrategy.updateFaultItem(mq.brokerName, latencyMs, true);
    if (!isRetriableSendError(error)) return false;
    this.logger.warn('send attempt failed', {
      topic: state.budget.out.topic,
      brokerName: mq.brokerName,
      queueId: mq.queueId,
      attempt: state.attemptsSent,
      latencyMs: Math.round(latencyMs),
      error: errorText(error),
    });
    return true;
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
