import {
  ProtocolError,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  decodeLockBatchRequestBody,
  decodeUnlockBatchRequestBody,
  encodeLockBatchResponseBody,
} from '@rocketmq-ts/protocol';
import type { LockBatchRequestBody } from '@rocketmq-ts/protocol';
import type { RequestProcessor } from '@rocketmq-ts/remoting';
import type { RebalanceLockManager } from '../lock/rebalance-lock-manager.js';

/** Options of {@link LockProcessor}. */
export interface LockProcessorOptions {
  /** The broker's queue lock table. */
  locks: Pick<RebalanceLockManager, 'tryLockBatch' | 'unlockBatch'>;
}

/**
 * Handles LOCK_BATCH_MQ (41) and UNLOCK_BATCH_MQ (42) (Java `AdminBrokerProcessor.lockBatchMQ` / `unlockBatchMQ`,
 * remoting-protocol.md §4.9). Lock answers SUCCESS with body `{"lockOKMQSet":[…]}`: the requested queues now held by
 * the client. Unlock releases the client's locks and answers SUCCESS with no body. `onlyThisBroker` (5.x) is ignored:
 * like 4.9.8, only this broker's table is consulted.
 * A missing or malformed body, or one without `consumerGroup` or `clientId`, throws ProtocolError, which dispatch
 * answers with SYSTEM_ERROR and the error message as remark (Java answers SYSTEM_ERROR too, via its exception).
 */
export class LockProcessor implements RequestProcessor {
  private readonly locks: LockProcessorOptions['locks'];

  constructor(options: LockProcessorOptions) {
    this.locks = options.locks;
  }

  /** Answers one request of code 41 or 42; throws RocketMQError REQUEST_CODE_NOT_SUPPORTED for any other code. */
  process(request: RemotingCommand): Promise<RemotingCommand> {
    // The executor turns a decode error thrown by answer() into a rejection, as RequestProcessor promises.
    return new Promise((resolve) => resolve(this.answer(request)));
  }

  private answer(request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.LOCK_BATCH_MQ: {
        const body = readBody(request, decodeLockBatchRequestBody, 'lockBatchRequestBody');
        const lockOKMQSet = this.locks.tryLockBatch({
          group: body.consumerGroup,
          clientId: body.clientId,
          mqs: body.mqSet,
        });
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
          body: encodeLockBatchResponseBody({ lockOKMQSet }),
        });
      }
      case RequestCode.UNLOCK_BATCH_MQ: {
        const body = readBody(request, decodeUnlockBatchRequestBody, 'unlockBatchRequestBody');
        this.locks.unlockBatch({
          group: body.consumerGroup,
          clientId: body.clientId,
          mqs: body.mqSet,
        });
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
      }
      default:
        throw new RocketMQError(
          `request code ${request.code} is not handled by LockProcessor`,
          ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
        );
    }
  }
}

function readBody(
  request: RemotingCommand,
  decode: (body: Buffer) => LockBatchRequestBody,
  path: string,
): LockBatchRequestBody {
  if (request.body === undefined || request.body.length === 0) {
    throw new ProtocolError(`${path}: missing (request code ${request.code} needs a JSON body)`);
  }
  const body = decode(request.body);
  // Java would fail on a null group or client id further in (NullPointerException, SYSTEM_ERROR); say why up front.
  if (body.consumerGroup === '') throw new ProtocolError(`${path}.consumerGroup: missing`);
  if (body.clientId === '') throw new ProtocolError(`${path}.clientId: missing`);
  return body;
}
