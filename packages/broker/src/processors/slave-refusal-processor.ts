import { RemotingCommand, RequestCode, ResponseCode } from '@rocketmq-ts/protocol';
import type { RequestProcessor } from '@rocketmq-ts/remoting';
import { notHandledBy } from './admin/admin-request-guards.js';

/** The codes {@link SlaveRefusalProcessor} answers on a slave. */
export const SLAVE_REFUSED_CODES: readonly number[] = [RequestCode.END_TRANSACTION];

/**
 * Refuses, on a slave, requests that would write and that no other processor refuses for it (store-format.md §8.7):
 * END_TRANSACTION (37) → SLAVE_NOT_AVAILABLE (11) without a remark, as Java's `EndTransactionProcessor` answers in
 * the slave role. Registered only when `brokerRole` is SLAVE; a master answers END_TRANSACTION with its EndTransactionProcessor.
 */
export class SlaveRefusalProcessor implements RequestProcessor {
  /** Codes to register this processor for. */
  static readonly CODES = SLAVE_REFUSED_CODES;

  /** Answers SLAVE_NOT_AVAILABLE (dropped by the transport when the request was oneway, as clients send it). */
  process(request: RemotingCommand): Promise<RemotingCommand> {
    if (request.code !== RequestCode.END_TRANSACTION) {
      return Promise.reject(notHandledBy(request, 'SlaveRefusalProcessor'));
    }
    return Promise.resolve(RemotingCommand.responseTo(request, ResponseCode.SLAVE_NOT_AVAILABLE));
  }
}
