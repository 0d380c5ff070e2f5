import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  decodeQueryConsumerOffsetRequestHeader,
  decodeUpdateConsumerOffsetRequestHeader,
  encodeQueryConsumerOffsetResponseHeader,
} from '@rocketmq-ts/protocol';
import type { RequestProcessor } from '@rocketmq-ts/remoting';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager.js';

/** Remark of QUERY_NOT_FOUND, word for word as RocketMQ 4.9.8 writes it (clients log it). */
export const QUERY_OFFSET_NOT_FOUND_REMARK =
  'Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first';

/**
 * Handles QUERY_CONSUMER_OFFSET (14) and UPDATE_CONSUMER_OFFSET (15) (Java `ConsumerManageProcessor`).
 * Query answers SUCCESS with header `offset`, or QUERY_NOT_FOUND (22) with {@link QUERY_OFFSET_NOT_FOUND_REMARK}.
 * Update stores `commitOffset` as given and answers SUCCESS with no header: Java clients send it oneway (the transport
 * then drops the answer), ali-ons sends it without the oneway bit and ignores the answer. Both are served on slaves
 * too (consumers commit there while the master is down); a slave's metadata sync hands such commits to the master.
 * A bad header is answered SYSTEM_ERROR by dispatch (HeaderFieldError).
 */
export class ConsumerManageProcessor implements RequestProcessor {
  constructor(private readonly offsets: ConsumerOffsetManager) {}

  /** Answers one request of code 14 or 15; throws RocketMQError REQUEST_CODE_NOT_SUPPORTED for any other code. */
  async process(request: RemotingCommand): Promise<RemotingCommand> {
    switch (request.code) {
      case RequestCode.QUERY_CONSUMER_OFFSET:
        return this.query(request);
      case RequestCode.UPDATE_CONSUMER_OFFSET:
        return this.update(request);
      default:
        throw new RocketMQError(
          `request code ${request.code} is not handled by ConsumerManageProcessor`,
          ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
        );
    }
  }

  private query(request: RemotingCommand): RemotingCommand {
    const header = decodeQueryConsumerOffsetRequestHeader(request.extFields ?? {});
    const offset = this.offsets.queryForClient({
      group: header.consumerGroup,
      topic: header.topic,
      queueId: header.queueId,
      setZeroIfNotFound: header.setZeroIfNotFound,
    });
    if (offset === undefined) {
      return RemotingCommand.responseTo(request, ResponseCode.QUERY_NOT_FOUND, {
        remark: QUERY_OFFSET_NOT_FOUND_REMARK,
      });
    }
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
      extFields: encodeQueryConsumerOffsetResponseHeader({ offset }),
    });
  }

  private async update(request: RemotingCommand): Promise<RemotingCommand> {
    const header = decodeUpdateConsumerOffsetRequestHeader(request.extFields ?? {});
    await this.offsets.commitClientOffset({
      group: header.consumerGroup,
      topic: header.topic,
      queueId: header.queueId,
      offset: header.commitOffset,
    });
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
  }
}
