import {
  ConfigError,
  MESSAGE_MAGIC_CODE_V1,
  MESSAGE_MAGIC_CODE_V2,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  decodeQueryMessageRequestHeader,
  decodeViewMessageRequestHeader,
  encodeQueryMessageResponseHeader,
  readRecordMagicCode,
  readRecordPhyOffset,
} from '@rocketmq-ts/protocol';
import type { RequestProcessor } from '@rocketmq-ts/remoting';
import type { MessageStore } from '@rocketmq-ts/store';

/** Remark of QUERY_NOT_FOUND for QUERY_MESSAGE, word for word as RocketMQ 4.9.8 writes it. */
export const QUERY_MESSAGE_NOT_FOUND_REMARK = 'can not find message, maybe time range not correct';

/** Java `MessageStoreConfig.defaultQueryMaxNum`: `maxNum` of a unique-key (`_UNIQUE_KEY_QUERY`) query. */
export const DEFAULT_QUERY_MAX_NUM = 32;

/** Java `MessageStoreConfig.maxMsgsNumBatch`: the most records one QUERY_MESSAGE returns, whatever `maxNum` asks. */
export const MAX_MSGS_NUM_BATCH = 64;

/** The parts of a {@link MessageStore} that {@link QueryMessageProcessor} reads. */
export type QueryMessageStore = Pick<MessageStore, 'queryMessage' | 'lookMessageByOffset'>;

/** Options of {@link QueryMessageProcessor}. */
export interface QueryMessageProcessorOptions {
  /** Where messages and the key index live. */
  store: QueryMessageStore;
  /** `maxNum` used for a unique-key query; default {@link DEFAULT_QUERY_MAX_NUM}. */
  defaultQueryMaxNum?: number;
  /** Upper bound on `maxNum`; default {@link MAX_MSGS_NUM_BATCH}. */
  maxMsgsNumBatch?: number;
}

/**
 * Handles QUERY_MESSAGE (12) and VIEW_MESSAGE_BY_ID (33) (Java `QueryMessageProcessor`, remoting-protocol.md §4.10).
 *
 * QUERY_MESSAGE looks `topic#key` up in the store's index within [beginTimestamp, endTimestamp]. With extField
 * `_UNIQUE_KEY_QUERY="true"` the key is a UNIQ_KEY and `maxNum` becomes `defaultQueryMaxNum`; `maxNum` is capped at
 * `maxMsgsNumBatch` (Java caps in `IndexService.queryOffset`). SUCCESS carries the matching records back to back in
 * ascending commit-log order (Java sorts the offsets); none → QUERY_NOT_FOUND with
 * {@link QUERY_MESSAGE_NOT_FOUND_REMARK}. Both carry header `indexLastUpdateTimestamp` / `indexLastUpdatePhyoffset`
 * from the store (store time of the newest dispatched message, commit-log end covered by the index).
 *
 * VIEW_MESSAGE_BY_ID answers SUCCESS with the one record at commit-log `offset`, or SYSTEM_ERROR
 * "can not find message by the offset, <offset>". Stricter than Java: an offset that does not start a message record
 * (a blank filler, the middle of a record) is not found instead of returning whatever bytes lie there.
 *
 * A bad header is answered SYSTEM_ERROR by dispatch (HeaderFieldError).
 */
export class QueryMessageProcessor implements RequestProcessor {
  private readonly store: QueryMessageStore;
  private readonly defaultQueryMaxNum: number;
  private readonly maxMsgsNumBatch: number;

  /** @throws ConfigError when `defaultQueryMaxNum` or `maxMsgsNumBatch` is not a positive integer. */
  constructor(options: QueryMessageProcessorOptions) {
    this.store = options.store;
    this.defaultQueryMaxNum = positiveInt(
      'defaultQueryMaxNum',
      options.defaultQueryMaxNum ?? DEFAULT_QUERY_MAX_NUM,
    );
    this.maxMsgsNumBatch = positiveInt(
      'maxMsgsNumBatch',
      options.maxMsgsNumBatch ?? MAX_MSGS_NUM_BATCH,
    );
  }

  /** Answers one request of code 12 or 33; throws RocketMQError REQUEST_CODE_NOT_SUPPORTED for any other code. */
  async process(request: RemotingCommand): Promise<RemotingCommand> {
    switch (request.code) {
      case RequestCode.QUERY_MESSAGE:
        return this.query(request);
      case RequestCode.VIEW_MESSAGE_BY_ID:
        return this.view(request);
      default:
        throw new RocketMQError(
          `request code ${request.code} is not handled by QueryMessageProcessor`,
          ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
        );
    }
  }

  private async query(request: RemotingCommand): Promise<RemotingCommand> {
    const header = decodeQueryMessageRequestHeader(request.extFields ?? {});
    const maxNum = header._UNIQUE_KEY_QUERY === true ? this.defaultQueryMaxNum : header.maxNum;
    const result = await this.store.queryMessage({
      topic: header.topic,
      key: header.key,
      maxNum: Math.min(maxNum, this.maxMsgsNumBatch),
      begin: header.beginTimestamp,
      end: header.endTimestamp,
    });
    const extFields = encodeQueryMessageResponseHeader({
      indexLastUpdateTimestamp: result.indexLastUpdateTimestamp,
      indexLastUpdatePhyoffset: result.indexLastUpdatePhyoffset,
    });
    if (result.messages.length === 0) {
      return RemotingCommand.responseTo(request, ResponseCode.QUERY_NOT_FOUND, {
        remark: QUERY_MESSAGE_NOT_FOUND_REMARK,
        extFields,
      });
    }
    const records = [...result.messages].sort(
      (a, b) => readRecordPhyOffset(a) - readRecordPhyOffset(b),
    );
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
      extFields,
      body: Buffer.concat(records),
    });
  }

  private async view(request: RemotingCommand): Promise<RemotingCommand> {
    const { offset } = decodeViewMessageRequestHeader(request.extFields ?? {});
    const record = offset >= 0 ? await this.store.lookMessageByOffset(offset) : undefined;
    if (record === undefined || !isMessageRecord(record)) {
      return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, {
        remark: `can not find message by the offset, ${offset}`,
      });
    }
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, { body: record });
  }
}

function isMessageRecord(record: Buffer): boolean {
  if (record.length < 8) return false;
  const magic = readRecordMagicCode(record);
  return magic === MESSAGE_MAGIC_CODE_V1 || magic === MESSAGE_MAGIC_CODE_V2;
}

function positiveInt(key: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError(key, value, 'must be a positive integer');
  }
  return value;
}
