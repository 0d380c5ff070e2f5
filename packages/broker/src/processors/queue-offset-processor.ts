import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  decodeGetEarliestMsgStoretimeRequestHeader,
  decodeGetMaxOffsetRequestHeader,
  decodeGetMinOffsetRequestHeader,
  decodeSearchOffsetRequestHeader,
  encodeGetEarliestMsgStoretimeResponseHeader,
  encodeGetMaxOffsetResponseHeader,
  encodeGetMinOffsetResponseHeader,
  encodeSearchOffsetResponseHeader,
} from '@rocketmq-ts/protocol';
import type { ExtFields } from '@rocketmq-ts/protocol';
import type { RequestProcessor } from '@rocketmq-ts/remoting';
import type { MessageStore } from '@rocketmq-ts/store';

/** The parts of a {@link MessageStore} that {@link QueueOffsetProcessor} reads. */
export type QueueOffsetStore = Pick<
  MessageStore,
  | 'getMinOffsetInQueue'
  | 'getMaxOffsetInQueue'
  | 'getOffsetInQueueByTime'
  | 'getEarliestMessageTime'
>;

/**
 * Handles the queue offset and time lookups of remoting-protocol.md §4.5 (Java `AdminBrokerProcessor`):
 * SEARCH_OFFSET_BY_TIMESTAMP (29, header `offset`: nearest store time, 4.9.8 semantics; 5.x `boundaryType` is
 * ignored), GET_MAX_OFFSET (30, `offset`: one past the last message, 0 for an empty or unknown queue; 5.x
 * `committed` is ignored, every stored entry is committed), GET_MIN_OFFSET (31, `offset`) and
 * GET_EARLIEST_MSG_STORETIME (32, `timestamp` in ms, -1 for an empty queue). All answer SUCCESS.
 * A bad header is answered SYSTEM_ERROR by dispatch (HeaderFieldError).
 */
export class QueueOffsetProcessor implements RequestProcessor {
  constructor(private readonly store: QueueOffsetStore) {}

  /** Answers one request of code 29–32; throws RocketMQError REQUEST_CODE_NOT_SUPPORTED for any other code. */
  async process(request: RemotingCommand): Promise<RemotingCommand> {
    const ext = request.extFields ?? {};
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
      extFields: await this.answer(request.code, ext),
    });
  }

  private async answer(code: number, ext: ExtFields): Promise<ExtFields> {
    switch (code) {
      case RequestCode.GET_MAX_OFFSET: {
        const h = decodeGetMaxOffsetRequestHeader(ext);
        return encodeGetMaxOffsetResponseHeader({
          offset: this.store.getMaxOffsetInQueue(h.topic, h.queueId),
        });
      }
      case RequestCode.GET_MIN_OFFSET: {
        const h = decodeGetMinOffsetRequestHeader(ext);
        return encodeGetMinOffsetResponseHeader({
          offset: this.store.getMinOffsetInQueue(h.topic, h.queueId),
        });
      }
      case RequestCode.GET_EARLIEST_MSG_STORETIME: {
        const h = decodeGetEarliestMsgStoretimeRequestHeader(ext);
        return encodeGetEarliestMsgStoretimeResponseHeader({
          timestamp: await this.store.getEarliestMessageTime(h.topic, h.queueId),
        });
      }
      case RequestCode.SEARCH_OFFSET_BY_TIMESTAMP: {
        const h = decodeSearchOffsetRequestHeader(ext);
        return encodeSearchOffsetResponseHeader({
          offset: await this.store.getOffsetInQueueByTime(h.topic, h.queueId, h.timestamp),
        });
      }
      default:
        throw new RocketMQError(
          `request code ${code} is not handled by QueueOffsetProcessor`,
          ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
        );
    }
  }
}
