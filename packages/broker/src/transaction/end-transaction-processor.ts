import {
  MessageConst,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  TransactionCommitType,
  decodeEndTransactionRequestHeader,
} from '@rocketmq-ts/protocol';
import type { EndTransactionRequestHeader, MessageRecord } from '@rocketmq-ts/protocol';
import type { RequestContext, RequestProcessor } from '@rocketmq-ts/remoting';
import type { PutMessageResult } from '@rocketmq-ts/store';
import type { BrokerContext } from '../broker-context.js';
import { putStatusToResponse } from '../processors/put-status.js';
import { TRANS_HALF_TOPIC } from '../topic/topic-validator.js';
import { STORED_STATUSES } from '../system-topic/put-delivery.js';
import { propertiesMapOf } from '../system-topic/real-destination.js';
import { timerRewriterOf } from '../timer/to-timer-message.js';
import type { TimerRewriter } from '../timer/to-timer-message.js';
import { readRecordAt, realDestination, toCommittedMessage, toOpMessage } from './half-message.js';

/** Options of {@link EndTransactionProcessor}. */
export interface EndTransactionProcessorOptions {
  /** The broker's shared state (store, store host, logger). */
  context: BrokerContext;
}

/**
 * Handles END_TRANSACTION (37) on a master as RocketMQ 4.9.8's `EndTransactionProcessor` does
 * (remoting-protocol.md §4.8): state 0 (unknown) or any other value → nothing, no response; commit (8) → the half
 * message at `commitLogOffset` is checked (it must be a half message of `producerGroup` at `tranStateTableOffset`),
 * its real message stored (through the timer rewrite and the SYNC_MASTER slave wait, as a send), then an op record
 * written; rollback (12) → the same checks, then only the op record.
 * A half that cannot be found or does not match is answered with SYSTEM_ERROR and a remark; nothing is written.
 * Producers send END_TRANSACTION oneway, so the responses only reach callers that wait for them.
 */
export class EndTransactionProcessor implements RequestProcessor {
  private readonly ctx: BrokerContext;
  /** The send path's timer step; undefined when the timer wheel is off (as SendMessageProcessor is wired). */
  private readonly timerRewriter: TimerRewriter | undefined;

  constructor(options: EndTransactionProcessorOptions) {
    this.ctx = options.context;
    this.timerRewriter = this.ctx.config.timerWheelEnable
      ? timerRewriterOf(this.ctx.config)
      : undefined;
  }

  /** Commits or rolls back one half message; throws RocketMQError for requests it refuses. */
  async process(request: RemotingCommand, rc: RequestContext): Promise<RemotingCommand | null> {
    if (request.code !== RequestCode.END_TRANSACTION) {
      throw new RocketMQError(
        `request code ${request.code} is not handled by EndTransactionProcessor`,
        ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
      );
    }
    let header: EndTransactionRequestHeader;
    try {
      header = decodeEndTransactionRequestHeader(request.extFields ?? {});
    } catch (error) {
      throw new RocketMQError(
        `bad END_TRANSACTION header: ${error instanceof Error ? error.message : String(error)}`,
        ResponseCode.SYSTEM_ERROR,
      );
    }
    const state = header.commitOrRollback;
    if (
      state !== TransactionCommitType.TRANSACTION_COMMIT_TYPE &&
      state !== TransactionCommitType.TRANSACTION_ROLLBACK_TYPE
    ) {
      // Java logs and answers nothing: the check-back will ask again.
      return null;
    }
    const half = await this.findHalf(header);
    if (state === TransactionCommitType.TRANSACTION_COMMIT_TYPE) {
      const committed = await this.putCommitted(half);
      if (!STORED_STATUSES.has(committed.status)) {
        const { code, remark } = putStatusToResponse(committed, this.ctx.config.brokerIP1);
        return RemotingCommand.responseTo(request, code, { remark });
      }
    }
    await this.writeOp(half);
    this.ctx.logger.debug('transaction ended', {
      producerGroup: header.producerGroup,
      commit: state === TransactionCommitType.TRANSACTION_COMMIT_TYPE,
      fromTransactionCheck: header.fromTransactionCheck === true,
      msgId: header.msgId,
      remoteAddr: rc.remoteAddr,
    });
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
  }

  /**
   * Stores the real message of a committed half as the send path stores a message: a timer message goes to the
   * timer topic (a half is never rewritten when sent), and on a SYNC_MASTER the answer waits for a slave.
   * @throws RocketMQError (MESSAGE_ILLEGAL) for a refused timer message; the half stays and is checked again.
   */
  private async putCommitted(half: MessageRecord): Promise<PutMessageResult> {
    let input = toCommittedMessage(half, this.ctx.storeHost());
    if (this.timerRewriter !== undefined) {
      input = this.timerRewriter(input, propertiesMapOf(input.properties));
    }
    const result = await this.ctx.store.putMessage(input);
    // Outside the store call, as on the send path: a slow slave must not read as a stalled store.
    return this.ctx.awaitSlaves === undefined ? result : await this.ctx.awaitSlaves(result, true);
  }

  /** The half message the header names, checked as Java `checkPrepareMessage` does. */
  private async findHalf(header: EndTransactionRequestHeader): Promise<MessageRecord> {
    const half = await readRecordAt(this.ctx.store, header.commitLogOffset);
    if (half === undefined) {
      throw new RocketMQError(
        `Find prepared transaction message failed: no message at commitLogOffset ${header.commitLogOffset}`,
        ResponseCode.SYSTEM_ERROR,
      );
    }
    if (half.topic !== TRANS_HALF_TOPIC || realDestination(half) === undefined) {
      throw new RocketMQError(
        `the message at commitLogOffset ${header.commitLogOffset} is not a half message (topic ${half.topic})`,
        ResponseCode.SYSTEM_ERROR,
      );
    }
    if (half.properties.get(MessageConst.PROPERTY_PRODUCER_GROUP) !== header.producerGroup) {
      throw new RocketMQError('The producer group wrong', ResponseCode.SYSTEM_ERROR);
    }
    if (half.queueOffset !== header.tranStateTableOffset) {
      throw new RocketMQError(
        'The transaction state table offset wrong',
        ResponseCode.SYSTEM_ERROR,
      );
    }
    return half;
  }

  /** Marks the half done; a failed op put is reported (the check-back would otherwise resolve it again). */
  private async writeOp(half: MessageRecord): Promise<void> {
    const op = await this.ctx.store.putMessage(toOpMessage(half.queueOffset, this.ctx.storeHost()));
    if (!STORED_STATUSES.has(op.status)) {
      throw new RocketMQError(
        `writing the transaction op record failed: ${op.status}`,
        ResponseCode.SYSTEM_ERROR,
      );
    }
  }
}
