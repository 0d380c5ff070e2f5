/**
 * Raw requests the client tests send with @rocketmq-ts/remoting where a test needs exact control: a message sent
 * with SEND_MESSAGE_V2 to one queue, a consumer or producer registered by a bare HEART_BEAT (no client library), an
 * offset committed with UPDATE_CONSUMER_OFFSET.
 */
import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  encodeHeartbeatData,
  encodeMessageProperties,
  encodeSendMessageRequestHeader,
  encodeUpdateConsumerOffsetRequestHeader,
  parseSubscriptionExpression,
} from '@rocketmq-ts/protocol';
import type { ConsumerData, HeartbeatData, SubscriptionData } from '@rocketmq-ts/protocol';
import type { RemotingClient } from '@rocketmq-ts/remoting';
import { UnexpectedResponseError } from './broker-admin.js';

const TIMEOUT_MS = 3000;

/** A message to send raw. */
export interface RawMessage {
  readonly topic: string;
  readonly queueId: number;
  readonly body: string;
  readonly tags?: string;
  /** Space-separated `KEYS`. */
  readonly keys?: string;
  /** `UNIQ_KEY`; omitted when undefined. */
  readonly uniqKey?: string;
}

/** What the broker answered for a sent message. */
export interface RawSendResult {
  /** The broker's offset message id. */
  readonly offsetMsgId: string;
  readonly queueOffset: number;
}

/**
 * SEND_MESSAGE_V2 (310) of one message to `queueId` of a topic on one broker.
 * @throws {@link UnexpectedResponseError} unless the broker answers SUCCESS.
 */
export async function sendRaw(
  client: RemotingClient,
  brokerAddr: string,
  message: RawMessage,
): Promise<RawSendResult> {
  const properties: Record<string, string> = {};
  if (message.tags !== undefined) properties.TAGS = message.tags;
  if (message.keys !== undefined) properties.KEYS = message.keys;
  if (message.uniqKey !== undefined) properties.UNIQ_KEY = message.uniqKey;
  const response = await client.invoke(
    brokerAddr,
    RemotingCommand.request(
      RequestCode.SEND_MESSAGE_V2,
      encodeSendMessageRequestHeader(
        {
          producerGroup: 'it-raw-producer',
          topic: message.topic,
          defaultTopic: 'TBW102',
          defaultTopicQueueNums: 4,
          queueId: message.queueId,
          sysFlag: 0,
          bornTimestamp: Date.now(),
          flag: 0,
          properties: encodeMessageProperties(properties),
          reconsumeTimes: 0,
        },
        RequestCode.SEND_MESSAGE_V2,
      ),
      Buffer.from(message.body),
    ),
    { timeoutMs: TIMEOUT_MS },
  );
  if (response.code !== ResponseCode.SUCCESS) {
    throw new UnexpectedResponseError(
      `SEND_MESSAGE_V2 to ${message.topic}`,
      response.code,
      response.remark,
    );
  }
  return {
    offsetMsgId: response.extFields?.msgId ?? '',
    queueOffset: Number(response.extFields?.queueOffset),
  };
}

/** A TAG subscription as a Java client writes it in its heartbeat. */
export function tagSubscription(topic: string, expression: string): SubscriptionData {
  const parsed = parseSubscriptionExpression(expression);
  return {
    topic,
    subString: parsed.subString,
    tagsSet: parsed.tagsSet,
    codeSet: parsed.codeSet,
    subVersion: Date.now(),
    expressionType: 'TAG',
    classFilterMode: false,
  };
}

/** A consumer group entry of a heartbeat: clustering, from the last offset, with these subscriptions. */
export function consumerEntry(
  groupName: string,
  consumeType: ConsumerData['consumeType'],
  subscriptions: SubscriptionData[],
): ConsumerData {
  return {
    groupName,
    consumeType,
    messageModel: 'CLUSTERING',
    consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
    subscriptionDataSet: subscriptions,
    unitMode: false,
  };
}

/**
 * HEART_BEAT (34) on the client's connection to one broker: the broker then lists the client in the groups it names
 * for as long as the connection stays open.
 * @throws {@link UnexpectedResponseError} unless the broker answers SUCCESS.
 */
export async function heartbeatRaw(
  client: RemotingClient,
  brokerAddr: string,
  data: HeartbeatData,
): Promise<void> {
  const response = await client.invoke(
    brokerAddr,
    RemotingCommand.request(RequestCode.HEART_BEAT, {}, encodeHeartbeatData(data)),
    { timeoutMs: TIMEOUT_MS },
  );
  if (response.code !== ResponseCode.SUCCESS) {
    throw new UnexpectedResponseError(
      `HEART_BEAT ${data.clientID}`,
      response.code,
      response.remark,
    );
  }
}

/**
 * UPDATE_CONSUMER_OFFSET (15), waiting for the answer.
 * @throws {@link UnexpectedResponseError} unless the broker answers SUCCESS.
 */
export async function commitOffsetRaw(
  client: RemotingClient,
  brokerAddr: string,
  ref: { group: string; topic: string; queueId: number; offset: number },
): Promise<void> {
  const response = await client.invoke(
    brokerAddr,
    RemotingCommand.request(
      RequestCode.UPDATE_CONSUMER_OFFSET,
      encodeUpdateConsumerOffsetRequestHeader({
        consumerGroup: ref.group,
        topic: ref.topic,
        queueId: ref.queueId,
        commitOffset: ref.offset,
      }),
    ),
    { timeoutMs: TIMEOUT_MS },
  );
  if (response.code !== ResponseCode.SUCCESS) {
    throw new UnexpectedResponseError(
      `UPDATE_CONSUMER_OFFSET ${ref.group}/${ref.topic}/${ref.queueId}`,
      response.code,
      response.remark,
    );
  }
}
