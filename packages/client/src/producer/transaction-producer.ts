import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  TransactionCommitType,
  decodeCheckTransactionStateRequestHeader,
  decodeMessageRecord,
  encodeEndTransactionRequestHeader,
  parseOffsetMessageId,
} from '@rocketmq-ts/protocol';
import type { Logger } from '@rocketmq-ts/protocol';
import type { RequestContext } from '@rocketmq-ts/remoting';
import { MQClientInstance } from '../client-instance.js';
import { MQClientError } from '../errors.js';
import type { Message } from '../message/message.js';
import { messageExtFromRecord } from '../message/message.js';
import { HalfMessageProducer } from '../transaction/half-message.js';
import { isLocalTransactionState } from '../transaction/transaction-types.js';
import type {
  LocalTransactionState,
  TransactionListener,
  TransactionSendResult,
} from '../transaction/transaction-types.js';
import type { Producer } from './producer.js';
import type { ProducerConfig, ProducerConfigInput } from './producer-config.js';
import type { SendResult } from './send-result.js';

/** Options of {@link TransactionProducer}: a producer's, plus the listener (Java `TransactionMQProducer`). */
export type TransactionProducerOptions<TArg = unknown> = ProducerConfigInput & {
  /** Runs local transactions and answers the broker's checks. Required. */
  transactionListener: TransactionListener<TArg>;
  /** Accepted for Java parity and ignored: checks run on the event loop. */
  checkThreadPoolMinSize?: number;
  /** Accepted for Java parity and ignored. */
  checkThreadPoolMaxSize?: number;
  /** Accepted for Java parity and ignored. */
  checkRequestHoldMax?: number;
};

const COMMIT_OR_ROLLBACK: Readonly<Record<LocalTransactionState, number>> = {
  COMMIT_MESSAGE: TransactionCommitType.TRANSACTION_COMMIT_TYPE,
  ROLLBACK_MESSAGE: TransactionCommitType.TRANSACTION_ROLLBACK_TYPE,
  UNKNOW: TransactionCommitType.TRANSACTION_NOT_TYPE,
};

/**
 * A transactional producer (Java `TransactionMQProducer`): {@link sendMessageInTransaction} stores a half message
 * (invisible to consumers), runs the listener's `executeLocalTransaction`, and tells the broker that stored the half
 * to commit or roll it back (END_TRANSACTION, oneway). A half left `UNKNOW` — or whose producer died before
 * answering — is checked back by the broker after its `transactionTimeOut`: any running TransactionProducer of the
 * same group answers with `checkLocalTransaction`.
 *
 * ```ts
 * const producer = new TransactionProducer({ producerGroup: 'pg', namesrvAddr, transactionListener: {
 *   executeLocalTransaction: async (msg) => ((await saveOrder(msg)) ? 'COMMIT_MESSAGE' : 'ROLLBACK_MESSAGE'),
 *   checkLocalTransaction: async (msg) => ((await orderExists(msg)) ? 'COMMIT_MESSAGE' : 'UNKNOW'),
 * } });
 * await producer.start();
 * const result = await producer.sendMessageInTransaction({ topic: 'T', body: 'order-1' }, undefined);
 * ```
 *
 * It also has every {@link Producer} method through {@link TransactionProducer.producer} for plain sends.
 */
export class TransactionProducer<TArg = unknown> {
  /** The plain producer underneath (its group, connections and routes). */
  readonly producer: Producer;
  /** {@link producer}, seen as the subclass that sends half messages. */
  private readonly halfProducer: HalfMessageProducer;
  private readonly listener: TransactionListener<TArg>;
  private readonly logger: Logger;
  private instance: MQClientInstance | undefined;
  private removeHandler: (() => void) | undefined;

  /**
   * @throws ConfigError naming the option when an option is invalid; MQClientError when `transactionListener`
   *   lacks one of its two functions.
   */
  constructor(options: TransactionProducerOptions<TArg>) {
    const {
      transactionListener,
      checkThreadPoolMinSize: _min,
      checkThreadPoolMaxSize: _max,
      checkRequestHoldMax: _hold,
      ...producerOptions
    } = options;
    if (
      typeof transactionListener?.executeLocalTransaction !== 'function' ||
      typeof transactionListener.checkLocalTransaction !== 'function'
    ) {
      throw new MQClientError(
        'transactionListener with executeLocalTransaction and checkLocalTransaction is required',
      );
    }
    this.listener = transactionListener;
    this.halfProducer = new HalfMessageProducer(producerOptions);
    this.producer = this.halfProducer;
    this.logger = this.producer.config.logger.child({
      producerGroup: this.producer.config.producerGroup,
    });
  }

  /** The resolved producer options. */
  get config(): Readonly<ProducerConfig> {
    return this.producer.config;
  }

  /**
   * Starts the producer and begins answering the broker's transaction checks for its group.
   * @throws MQClientError as {@link Producer.start}.
   */
  async start(): Promise<void> {
    await this.producer.start();
    const instance = MQClientInstance.acquire(this.producer.config);
    this.instance = instance;
    this.removeHandler = instance.registerTransactionCheckHandler(
      this.producer.config.producerGroup,
      (request, ctx) => this.onCheck(request, ctx),
    );
    // A producer that has not sent yet knows no broker, so it would heartbeat nowhere and never be asked to check
    // the halves of a predecessor. Java publishes to the template topic from start for this; do the same.
    try {
      await this.producer.fetchPublishMessageQueues(this.producer.config.createTopicKey);
      await instance.sendHeartbeatToAllBrokers();
    } catch (error) {
      this.logger.info(
        'no route for the template topic; brokers learn this producer on its first send',
        {
          createTopicKey: this.producer.config.createTopicKey,
          error: String(error),
        },
      );
    }
  }

  /** Stops answering checks and shuts the producer down. Idempotent. */
  async shutdown(): Promise<void> {
    this.removeHandler?.();
    this.removeHandler = undefined;
    this.instance = undefined;
    await this.producer.shutdown();
  }

  /**
   * Sends `message` as a half message, runs `executeLocalTransaction(message, arg)` once the broker stored it, and
   * ends the transaction on that broker with the listener's answer (a send the broker stored without SEND_OK is
   * rolled back, as Java does). A `delayTimeLevel` is ignored: transactional messages cannot be delayed.
   * @returns the send result with the state sent to the broker.
   * @throws MQClientError when not started, for an invalid message, or when the half message could not be sent
   *   (the local transaction is not run then); MQBrokerError for a broker's refusal.
   */
  async sendMessageInTransaction(message: Message, arg: TArg): Promise<TransactionSendResult> {
    const instance = this.instance;
    if (instance === undefined) {
      throw new MQClientError(
        `transaction producer ${this.producer.config.producerGroup} is not running; call start() first`,
      );
    }
    const sent = await this.halfProducer.sendHalf(message);
    const transactionId = sent.msgId;
    let state: LocalTransactionState = 'ROLLBACK_MESSAGE';
    let localError: unknown;
    if (sent.sendStatus === 'SEND_OK') {
      try {
        const answer = await this.listener.executeLocalTransaction(
          { ...message, transactionId },
          arg,
        );
        state = isLocalTransactionState(answer) ? answer : 'UNKNOW';
      } catch (error) {
        localError = error;
        state = 'UNKNOW';
        this.logger.warn('executeLocalTransaction threw; the broker will check back', {
          msgId: transactionId,
          error: String(error),
        });
      }
    }
    await this.endTransaction(instance, { sent, state, localError });
    return { ...sent, transactionId, localTransactionState: state };
  }

  /** Sends END_TRANSACTION oneway; a failure is logged only (the broker's check-back resolves the half). */
  private async endTransaction(
    instance: MQClientInstance,
    end: { sent: SendResult; state: LocalTransactionState; localError: unknown },
  ): Promise<void> {
    const { sent, state, localError } = end;
    const addr = instance.masterAddr(sent.messageQueue.brokerName);
    try {
      if (addr === undefined) {
        throw new MQClientError(
          `broker ${sent.messageQueue.brokerName} has no master in the route`,
        );
      }
      const header = encodeEndTransactionRequestHeader({
        producerGroup: this.producer.config.producerGroup,
        tranStateTableOffset: sent.queueOffset,
        commitLogOffset: parseOffsetMessageId(sent.offsetMsgId).phyOffset,
        commitOrRollback: COMMIT_OR_ROLLBACK[state],
        fromTransactionCheck: false,
        msgId: sent.msgId,
        transactionId: sent.msgId,
      });
      const request = RemotingCommand.request(RequestCode.END_TRANSACTION, header);
      if (localError !== undefined) {
        request.remark = `executeLocalTransactionBranch exception: ${localError instanceof Error ? localError.message : 'non-Error thrown'}`;
      }
      await instance.api.invokeOneway(addr, request);
    } catch (error) {
      this.logger.warn('END_TRANSACTION could not be sent; the broker will check back', {
        msgId: sent.msgId,
        state,
        error: String(error),
      });
    }
  }

  /**
   * Answers CHECK_TRANSACTION_STATE (Java `DefaultMQProducerImpl.checkTransactionState`): asks the listener and sends
   * END_TRANSACTION with `fromTransactionCheck=true` back on the connection the check came on.
   */
  private async onCheck(request: RemotingCommand, ctx: RequestContext): Promise<null> {
    try {
      const header = decodeCheckTransactionStateRequestHeader(request.extFields ?? {});
      const decoded = decodeMessageRecord(request.body ?? Buffer.alloc(0));
      if (decoded.kind !== 'message') throw new Error('the check carries no message record');
      const message = messageExtFromRecord(decoded.record, '');
      let state: LocalTransactionState = 'UNKNOW';
      try {
        const answer = await this.listener.checkLocalTransaction(message);
        state = isLocalTransactionState(answer) ? answer : 'UNKNOW';
      } catch (error) {
        this.logger.warn('checkLocalTransaction threw; answering UNKNOW', {
          msgId: message.msgId,
          error: String(error),
        });
      }
      const end = encodeEndTransactionRequestHeader({
        producerGroup: this.producer.config.producerGroup,
        tranStateTableOffset: header.tranStateTableOffset,
        commitLogOffset: header.commitLogOffset,
        commitOrRollback: COMMIT_OR_ROLLBACK[state],
        fromTransactionCheck: true,
        msgId: message.msgId || (header.msgId ?? ''),
        transactionId: header.transactionId,
      });
      if (!ctx.channel.isClosed) {
        ctx.channel.invokeOneway(RemotingCommand.request(RequestCode.END_TRANSACTION, end));
      }
    } catch (error) {
      this.logger.warn('answering a transaction check failed', {
        remoteAddr: ctx.remoteAddr,
        code: ResponseCode.SYSTEM_ERROR,
        error: String(error),
      });
    }
    return null;
  }
}
