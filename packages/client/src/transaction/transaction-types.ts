import type { Message, MessageExt } from '../message/message.js';
import type { SendResult } from '../producer/send-result.js';

/**
 * A local transaction's outcome (Java `LocalTransactionState`, spelling kept): commit or roll back the half message,
 * or leave it unknown so the broker asks again later (CHECK_TRANSACTION_STATE).
 */
export type LocalTransactionState = 'COMMIT_MESSAGE' | 'ROLLBACK_MESSAGE' | 'UNKNOW';

/** A message passed to {@link TransactionListener.executeLocalTransaction}: the sent message plus its ids. */
export interface TransactionMessage extends Message {
  /** The message's UNIQ_KEY, also its transaction id (Java `Message.getTransactionId`). */
  transactionId: string;
}

/** The application's side of a transaction (Java `TransactionListener`). */
export interface TransactionListener<TArg = unknown> {
  /**
   * Runs the local transaction once the half message is stored. A thrown error or a returned value that is not a
   * {@link LocalTransactionState} counts as `UNKNOW` (the broker checks back later).
   */
  executeLocalTransaction(
    message: TransactionMessage,
    arg: TArg,
  ): LocalTransactionState | Promise<LocalTransactionState>;
  /**
   * Answers the broker's check of a half message still unresolved after `transactionTimeOut`: `message` is the
   * half message with its real topic and queue. A thrown error counts as `UNKNOW`.
   */
  checkLocalTransaction(
    message: MessageExt,
  ): LocalTransactionState | Promise<LocalTransactionState>;
}

/** The outcome of {@link TransactionProducer.sendMessageInTransaction} (Java `TransactionSendResult`). */
export interface TransactionSendResult extends SendResult {
  /** The state sent to the broker with END_TRANSACTION. */
  localTransactionState: LocalTransactionState;
  /** The message's transaction id (its UNIQ_KEY). */
  transactionId: string;
}

/** True for the three {@link LocalTransactionState} values. */
export function isLocalTransactionState(value: unknown): value is LocalTransactionState {
  return value === 'COMMIT_MESSAGE' || value === 'ROLLBACK_MESSAGE' || value === 'UNKNOW';
}
