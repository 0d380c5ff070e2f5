import type { HostAddress } from '@rocketmq-ts/protocol';

/** A message to store. Field names follow RocketMQ's MessageExtBrokerInner. */
export interface PutMessageInput {
  topic: string;
  /** Target queue; must be ≥ 0 (the broker picks a queue for negative ids before calling the store). */
  queueId: number;
  /** Body as it will be stored (compressed by the producer when sysFlag says so). */
  body: Uint8Array;
  /** User flag. Default 0. */
  flag?: number;
  /** Properties string exactly as sent (`name\u0001value\u0002…`), or a map to encode. Default none. */
  properties?: string | ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** Default 0. Transaction type bits decide whether the message gets a queue slot (prepared/rollback do not). */
  sysFlag?: number;
  /** ms since the epoch. */
  bornTimestamp: number;
  bornHost: HostAddress;
  storeHost: HostAddress;
  /** Default 0. */
  reconsumeTimes?: number;
  /** Default 0. */
  preparedTransactionOffset?: number;
  /**
   * Whether a SYNC_FLUSH put resolves only once flushed (RocketMQ `isWaitStoreMsgOK`). Default: the `WAIT`
   * property, true unless it is `false`; a caller that strips `WAIT` from the stored properties passes it here.
   */
  waitStoreMsgOk?: boolean;
}

/** Outcome of a put. Expected outcomes are statuses; exceptions are faults only. */
export type PutMessageStatus =
  | 'PUT_OK'
  | 'FLUSH_DISK_TIMEOUT'
  | 'FLUSH_SLAVE_TIMEOUT'
  | 'SLAVE_NOT_AVAILABLE'
  | 'SERVICE_NOT_AVAILABLE'
  | 'CREATE_MAPEDFILE_FAILED'
  | 'MESSAGE_ILLEGAL'
  | 'PROPERTIES_SIZE_EXCEEDED'
  | 'OS_PAGECACHE_BUSY'
  | 'UNKNOWN_ERROR';

/** What a put did. For a batch, offsets and ids are per message in order. */
export interface PutMessageResult {
  status: PutMessageStatus;
  /** Why, for a refused put. */
  remark?: string;
  /** Commit-log offset of each record. */
  phyOffsets: number[];
  /** Consume-queue slot of each record (0 for prepared/rollback transaction records). */
  queueOffsets: number[];
  /** Offset message id of each record (store host + phyOffset). */
  msgIds: string[];
  /** Store timestamp, ms. */
  storeTimestamp: number;
  /** Bytes appended to the commit log. */
  wroteBytes: number;
  /**
   * Commit-log offset just past the last record of this put (0 when refused): what a slave must have acknowledged
   * before a SYNC_MASTER answers.
   */
  endPhyOffset: number;
}

/** getMessage outcomes (RocketMQ GetMessageStatus). */
export type GetMessageStatus =
  | 'FOUND'
  | 'NO_MATCHED_MESSAGE'
  | 'MESSAGE_WAS_REMOVING'
  | 'OFFSET_FOUND_NULL'
  | 'OFFSET_OVERFLOW_BADLY'
  | 'OFFSET_OVERFLOW_ONE'
  | 'OFFSET_TOO_SMALL'
  | 'NO_MATCHED_LOGIC_QUEUE'
  | 'NO_MESSAGE_IN_QUEUE';

/** A getMessage request. */
export interface GetMessageRequest {
  /** Consumer group (statistics only). */
  group?: string;
  topic: string;
  queueId: number;
  /** First consume-queue slot wanted. */
  queueOffset: number;
  /** Most messages to return; default 32. */
  maxMsgNums?: number;
  /** Most bytes to return; default `maxTransferBytesOnMessageInMemory` (256 KiB). At least one message is returned. */
  maxBytes?: number;
  /** Tag filter on the consume queue's tags code; absent = everything. */
  filter?: (tagsCode: number) => boolean;
}

/** getMessage result: raw records exactly as stored, plus where to continue. */
export interface GetMessageResult {
  status: GetMessageStatus;
  /** Raw records, back to back in a pull response body. */
  messages: Buffer[];
  /** Total bytes of `messages`. */
  bufferTotalSize: number;
  /**
   * The records of `messages` back to back as one view (what a pull response's body holds); undefined when there are
   * none. Store memory like `messages`: valid until {@link GetMessageResult.release}.
   */
  recordBytes: Buffer | undefined;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  /** Commit-log offset right after the last entry examined (for suggestWhichBrokerId decisions). */
  maxPhyOffsetPulled: number;
  /**
   * Gives the memory of `messages` back to the store, to hold the records of a later read (Java
   * `GetMessageResult.release`): call it once the messages are sent or copied; they must not be read afterwards.
   * Calling it is optional (an unreleased result is garbage-collected) and calling it again does nothing.
   */
  release: () => void;
}

/** A key lookup. */
export interface QueryMessageRequest {
  topic: string;
  key: string;
  maxNum: number;
  /** Store-time window, ms, inclusive. */
  begin: number;
  end: number;
}

/** Runtime counters for stats and mqadmin brokerStatus. */
export interface StoreStats {
  putMessageTimesTotal: number;
  putMessageSizeTotal: number;
  putMessageFailedTimes: number;
  getMessageTimesTotalFound: number;
  getMessageTimesTotalMiss: number;
  getMessageTransferedMsgCount: number;
  commitLogMinOffset: number;
  commitLogMaxOffset: number;
  dispatchBehindBytes: number;
  bootTimestamp: number;
}
