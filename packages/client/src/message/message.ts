import { MessageConst, createOffsetMessageId, decompressBody } from '@rocketmq-ts/protocol';
import type { HostAddress, MessageRecord } from '@rocketmq-ts/protocol';

/** A message to send. Property names and semantics are RocketMQ's `Message`. */
export interface Message {
  topic: string;
  /** Strings are sent as UTF-8. */
  body: Buffer | Uint8Array | string;
  /** One tag (`TAGS`); consumers filter on it. */
  tags?: string;
  /** Index keys (`KEYS`, joined with spaces): find the message with mqadmin queryMsgByKey. */
  keys?: string | readonly string[];
  /** User flag stored with the record. Default 0. */
  flag?: number;
  /** Delay level 1..18 (`DELAY`): delivered after the broker's `messageDelayLevel` delay. Default none. */
  delayTimeLevel?: number;
  /** User properties; names must not contain U+0001 or U+0002 and must not be RocketMQ's reserved ones. */
  properties?: Readonly<Record<string, string>>;
  /** `WAIT`: wait for the broker's flush (SYNC_FLUSH) before the answer. Default true. */
  waitStoreMsgOK?: boolean;
}

/** A received message: the stored record plus where it came from (Java `MessageExt`). */
export interface MessageExt {
  topic: string;
  /** Decompressed when the record was compressed. */
  body: Buffer;
  tags: string | undefined;
  keys: string | undefined;
  /** Every property as stored (system ones included). */
  properties: Map<string, string>;
  /** The producer's unique id (`UNIQ_KEY`), else the offset id — what Java's `getMsgId()` returns. */
  msgId: string;
  /** Store host + commit-log offset, hex (the broker's id of the record). */
  offsetMsgId: string;
  brokerName: string;
  queueId: number;
  queueOffset: number;
  commitLogOffset: number;
  bornTimestamp: number;
  storeTimestamp: number;
  bornHost: HostAddress;
  storeHost: HostAddress;
  /** Times the message was consumed and failed before this delivery. */
  reconsumeTimes: number;
  sysFlag: number;
  flag: number;
  bodyCRC: number;
}

/** Builds a {@link MessageExt} from a decoded record; a compressed body is inflated. */
export function messageExtFromRecord(record: MessageRecord, brokerName: string): MessageExt {
  const offsetMsgId = createOffsetMessageId(record.storeHost, record.phyOffset);
  const properties = record.properties;
  return {
    topic: record.topic,
    body: decompressBody(record.body, record.sysFlag),
    tags: properties.get(MessageConst.PROPERTY_TAGS),
    keys: properties.get(MessageConst.PROPERTY_KEYS),
    properties,
    msgId: properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) ?? offsetMsgId,
    offsetMsgId,
    brokerName,
    queueId: record.queueId,
    queueOffset: record.queueOffset,
    commitLogOffset: record.phyOffset,
    bornTimestamp: record.bornTimestamp,
    storeTimestamp: record.storeTimestamp,
    bornHost: record.bornHost,
    storeHost: record.storeHost,
    reconsumeTimes: record.reconsumeTimes,
    sysFlag: record.sysFlag,
    flag: record.flag,
    bodyCRC: record.bodyCrc,
  };
}
