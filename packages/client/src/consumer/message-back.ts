import {
  MessageConst,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  encodeMessageProperties,
  encodeSendMessageRequestHeader,
} from '@rocketmq-ts/protocol';
import type { Logger } from '@rocketmq-ts/protocol';
import { expectCode } from '../api/mq-client-api.js';
import type { MQClientInstance } from '../client-instance.js';
import { MQClientError } from '../errors.js';
import type { MessageExt } from '../message/message.js';
import { retryTopicOf } from '../retry-topic.js';
import { findMasterAddr } from './find-broker.js';

/** Java `MixAll.CLIENT_INNER_PRODUCER_GROUP`: the producer group of a consumer's own re-sends. */
export const CLIENT_INNER_PRODUCER_GROUP = 'CLIENT_INNER_PRODUCER';

/** Timeout of CONSUMER_SEND_MSG_BACK, ms (Java passes 5000). */
const SEND_BACK_TIMEOUT_MS = 5000;

/** Client-side properties a re-sent message must not carry. */
const CLIENT_ONLY_PROPERTIES = [
  MessageConst.PROPERTY_MIN_OFFSET,
  MessageConst.PROPERTY_MAX_OFFSET,
  MessageConst.PROPERTY_CONSUME_START_TIMESTAMP,
  MessageConst.PROPERTY_TRANSACTION_PREPARED,
];

/** Options of {@link MessageBackSender}. */
export interface MessageBackSenderOptions {
  instance: MQClientInstance;
  group: string;
  /** The resolved limit sent with every request (16 concurrent / 2^31−1 orderly when the option is −1). */
  maxReconsumeTimes: number;
  logger: Logger;
}

/**
 * Gives failed messages back to the brokers (Java `DefaultMQPushConsumerImpl.sendMessageBack` and
 * `ConsumeMessageOrderlyService.sendMessageBack`): CONSUMER_SEND_MSG_BACK to the master of the broker set the
 * message was pulled from; when that fails, the message is sent again to `%RETRY%<group>` with SEND_MESSAGE_V2 as
 * Java's inner producer does (`RETRY_TOPIC`, `ORIGIN_MESSAGE_ID`, reconsume counts in header fields `j`/`l`, delay
 * level 3 + reconsumeTimes); the broker moves it to `%DLQ%<group>` once the count reaches the limit.
 */
export class MessageBackSender {
  constructor(private readonly options: MessageBackSenderOptions) {}

  /**
   * Sends a message back for a later retry.
   * @param msg - as the listener saw it (topic already reset from `%RETRY%` to the original one).
   * @param delayLevel - 0: the broker picks 3 + reconsumeTimes; −1: straight to the dead letter queue.
   * @throws when neither the send-back nor the re-send to the retry topic succeeded.
   */
  async sendMessageBack(msg: MessageExt, delayLevel: number): Promise<void> {
    const { instance, group, maxReconsumeTimes } = this.options;
    try {
      const addr = await findMasterAddr(instance, { topic: msg.topic, brokerName: msg.brokerName });
      await instance.api.consumerSendMessageBack(
        addr,
        {
          offset: msg.commitLogOffset,
          group,
          delayLevel,
          originMsgId: msg.msgId,
          originTopic: msg.topic,
          unitMode: false,
          maxReconsumeTimes,
        },
        SEND_BACK_TIMEOUT_MS,
      );
      return;
    } catch (error) {
      this.options.logger.warn('send back failed; re-sending to the retry topic', {
        group,
        msgId: msg.msgId,
        error: String(error),
      });
    }
    // Java's fallback (and its orderly path) count the failed delivery in RECONSUME_TIME: +1 for a retry, as is for
    // the dead letter queue (the broker redirects when reconsumeTimes >= maxReconsumeTimes).
    await this.resendToRetryTopic(msg, {
      reconsumeTimes:
        delayLevel < 0 ? Math.max(msg.reconsumeTimes, maxReconsumeTimes) : msg.reconsumeTimes + 1,
      delayLevel: 3 + msg.reconsumeTimes,
    });
  }

  /**
   * SEND_MESSAGE_V2 of a copy of `msg` to `%RETRY%<group>` on a master of that topic (the broker that stored the
   * message first), queue chosen by the broker.
   * @throws MQClientError when no master accepted it.
   */
  async resendToRetryTopic(
    msg: MessageExt,
    retry: { reconsumeTimes: number; delayLevel: number },
  ): Promise<void> {
    const { instance, group, maxReconsumeTimes } = this.options;
    const retryTopic = retryTopicOf(group);
    const properties = new Map(msg.properties);
    for (const key of CLIENT_ONLY_PROPERTIES) properties.delete(key);
    const originMsgId = properties.get(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID);
    if (originMsgId === undefined || originMsgId.trim() === '') {
      properties.set(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID, msg.msgId);
    }
    properties.set(MessageConst.PROPERTY_RETRY_TOPIC, msg.topic);
    properties.set(MessageConst.PROPERTY_DELAY_TIME_LEVEL, String(retry.delayLevel));
    properties.delete(MessageConst.PROPERTY_RECONSUME_TIME);
    properties.delete(MessageConst.PROPERTY_MAX_RECONSUME_TIMES);
    const extFields = encodeSendMessageRequestHeader(
      {
        producerGroup: CLIENT_INNER_PRODUCER_GROUP,
        topic: retryTopic,
        defaultTopic: 'TBW102',
        defaultTopicQueueNums: 4,
        queueId: -1,
        sysFlag: 0,
        bornTimestamp: Date.now(),
        flag: msg.flag,
        properties: encodeMessageProperties(properties),
        reconsumeTimes: retry.reconsumeTimes,
        unitMode: false,
        maxReconsumeTimes,
        batch: false,
      },
      RequestCode.SEND_MESSAGE_V2,
    );
    const targets = new Set<string>();
    const own = instance.masterAddr(msg.brokerName);
    if (own !== undefined) targets.add(own);
    const route = await instance.routeOf(retryTopic).catch(() => undefined);
    for (const bd of route?.brokerDatas ?? []) {
      const master = bd.brokerAddrs.get(0);
      if (master !== undefined) targets.add(master);
    }
    if (targets.size === 0) {
      targets.add(await findMasterAddr(instance, { topic: msg.topic, brokerName: msg.brokerName }));
    }
    let lastError: unknown;
    for (const addr of targets) {
      try {
        const response = await instance.api.invoke(
          addr,
          RemotingCommand.request(RequestCode.SEND_MESSAGE_V2, extFields, msg.body),
        );
        expectCode(response, addr, [
          ResponseCode.SUCCESS,
          ResponseCode.FLUSH_DISK_TIMEOUT,
          ResponseCode.FLUSH_SLAVE_TIMEOUT,
          ResponseCode.SLAVE_NOT_AVAILABLE,
        ]);
        return;
      } catch (error) {
        lastError = error;
      }
    }
    throw new MQClientError(
      `cannot re-send message ${msg.msgId} to ${retryTopic}: ${String(lastError)}`,
      undefined,
      { cause: lastError },
    );
  }
}
