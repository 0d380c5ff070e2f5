import {
  MessageConst,
  MessageSysFlag,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  encodeMessageProperties,
  encodeSendMessageRequestHeader,
  parseOffsetMessageId,
} from '@rocketmq-ts/protocol';
import { expect } from 'vitest';

/** Options of {@link sendHalfRequest}. */
export interface SendHalfRequestOptions {
  group: string;
  topic: string;
  queueId: number;
  /** `defaultTopicQueueNums` of the send header. */
  defaultTopicQueueNums: number;
  /** Message body; the message's `UNIQ_KEY` is `uniq-<body>`. */
  body: string;
  /** `TAGS` property; default none. */
  tags?: string;
}

/** The SEND_MESSAGE_V2 of a transactional producer's half (prepared) message, as a Java client sends it. */
export function sendHalfRequest(options: SendHalfRequestOptions): RemotingCommand {
  const properties = new Map<string, string>();
  if (options.tags !== undefined) properties.set(MessageConst.PROPERTY_TAGS, options.tags);
  properties.set(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX, `uniq-${options.body}`);
  properties.set(MessageConst.PROPERTY_TRANSACTION_PREPARED, 'true');
  properties.set(MessageConst.PROPERTY_PRODUCER_GROUP, options.group);
  const header = encodeSendMessageRequestHeader(
    {
      producerGroup: options.group,
      topic: options.topic,
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: options.defaultTopicQueueNums,
      queueId: options.queueId,
      sysFlag: MessageSysFlag.TRANSACTION_PREPARED_TYPE,
      bornTimestamp: Date.now(),
      flag: 0,
      properties: encodeMessageProperties(properties),
    },
    RequestCode.SEND_MESSAGE_V2,
  );
  return RemotingCommand.request(RequestCode.SEND_MESSAGE_V2, header, Buffer.from(options.body));
}

/** Where the broker stored a half message, as END_TRANSACTION names it. */
export interface SentHalf {
  /** `UNIQ_KEY` of the message (`uniq-<body>`). */
  uniqKey: string;
  /** Its queue offset in the half topic. */
  queueOffset: number;
  /** Its commit-log offset (from the answer's offset msgId). */
  commitLogOffset: number;
}

/**
 * Reads the answer to a {@link sendHalfRequest}; expects SUCCESS.
 * @param body - the body that was sent (names the uniq key).
 */
export function sentHalfOf(response: RemotingCommand | null, body: string): SentHalf {
  expect(response?.code).toBe(ResponseCode.SUCCESS);
  const ext = response!.extFields!;
  return {
    uniqKey: `uniq-${body}`,
    queueOffset: Number(ext.queueOffset),
    commitLogOffset: parseOffsetMessageId(ext.msgId!).phyOffset,
  };
}
