import {
  MessageConst,
  ProtocolError,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  createOffsetMessageId,
  decodeConsumerSendMsgBackRequestHeader,
  decodeMessageRecord,
  encodeMessageProperties,
} from '@rocketmq-ts/protocol';
import type { MessageRecord } from '@rocketmq-ts/protocol';
import type { RequestProcessor } from '@rocketmq-ts/remoting';
import type { PutMessageInput } from '@rocketmq-ts/store';
import type { BrokerContext } from '../broker-context.js';
import { toScheduleMessage } from '../schedule/to-schedule-message.js';
import { PERM_WRITE, dlqTopicOf, retryTopicOf } from '../topic/topic-validator.js';

/** Request `version` from which the header's `maxReconsumeTimes` is honoured (Java `MQVersion.Version.V3_4_9`). */
const MAX_RECONSUME_TIMES_SINCE_VERSION = 121;

/** Options of {@link SendBackProcessor}. */
export interface SendBackProcessorOptions {
  /** The broker's shared state: config, runtime permission, store, topics, subscription groups, store host. */
  context: BrokerContext;
  /**
   * Number of configured delay levels (`parseMessageDelayLevel(messageDelayLevel).length`, 18 by default): a
   * retry's level is capped at it.
   */
  maxDelayLevel: number;
}

/**
 * Handles CONSUMER_SEND_MSG_BACK (36): a consumer gives back a message it failed to consume (Java
 * `SendMessageProcessor.asyncConsumerSendMsgBack`, 4.9.8; remoting-protocol.md §4.7). The record at the header's
 * commit-log `offset` is stored again, with `reconsumeTimes + 1`, in `%RETRY%<group>` through the schedule topic
 * (delay level `delayLevel`, or `3 + reconsumeTimes` when 0), or in `%DLQ%<group>` queue 0 without delay once
 * `reconsumeTimes` reaches the limit (header `maxReconsumeTimes` for request version ≥ 121, else the group's
 * `retryMaxTimes`) or when `delayLevel < 0`. It keeps body, flag, sysFlag, born time and host and the properties,
 * adding `RETRY_TOPIC` (the original topic, when not set yet) and `ORIGIN_MESSAGE_ID` (when not set yet: the
 * original's offset message id). Answers SUCCESS with no header, also when the group has `retryQueueNums ≤ 0` (then
 * nothing is stored).
 *
 * Errors (thrown as RocketMQError, answered by dispatch): SYSTEM_ERROR `SERVICE_NOT_AVAILABLE` on a slave (Java's
 * store refusal, checked first here); SUBSCRIPTION_GROUP_NOT_EXIST for a group without config
 * that cannot be created; NO_PERMISSION when the broker or the retry topic is not writable; SYSTEM_ERROR
 * `look message by offset failed, <offset>` when no record starts at `offset`, and SYSTEM_ERROR with the status
 * name when the put does not answer PUT_OK.
 *
 * Deviations from Java: `WAIT=false` is not added (on a SYNC_FLUSH broker the answer waits for the flush, so an
 * acknowledged retry survives a crash); the stored record's STOREHOST is this broker's current address; a DLQ
 * message carries no `DELAY` (Java leaves `DELAY=0`); `unitMode` is ignored.
 */
export class SendBackProcessor implements RequestProcessor {
  private readonly ctx: BrokerContext;
  private readonly maxDelayLevel: number;

  constructor(options: SendBackProcessorOptions) {
    this.ctx = options.context;
    this.maxDelayLevel = options.maxDelayLevel;
  }

  /** Answers one CONSUMER_SEND_MSG_BACK; throws RocketMQError REQUEST_CODE_NOT_SUPPORTED for any other code. */
  async process(request: RemotingCommand): Promise<RemotingCommand> {
    if (request.code !== RequestCode.CONSUMER_SEND_MSG_BACK) {
      throw new RocketMQError(
        `request code ${request.code} is not handled by SendBackProcessor`,
        ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
      );
    }
    const header = decodeConsumerSendMsgBackRequestHeader(request.extFields ?? {});
    const { config, runtimeConfig, topics, subscriptionGroups, store } = this.ctx;
    if (config.brokerRole === 'SLAVE') {
      // Java: the store refuses writes on a slave and the answer is SYSTEM_ERROR with the status name; the client
      // then sends the message to the retry topic through its producer. A slave's commit log holds the master's
      // bytes only, so nothing may be appended here.
      throw new RocketMQError('SERVICE_NOT_AVAILABLE', ResponseCode.SYSTEM_ERROR);
    }
    const group = await subscriptionGroups.findOrCreate(header.group);
    if (group === undefined) {
      throw new RocketMQError(
        `subscription group not exist, ${header.group} — create it with mqadmin updateSubGroup or enable autoCreateSubscriptionGroup`,
        ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
      );
    }
    if ((runtimeConfig.brokerPermission & PERM_WRITE) === 0) {
      throw new RocketMQError(
        `the broker[${config.brokerIP1}] sending message is forbidden`,
        ResponseCode.NO_PERMISSION,
      );
    }
    if (group.retryQueueNums <= 0) return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);

    const retryTopic = await topics.createRetryTopicIfAbsent(header.group, group.retryQueueNums);
    if ((retryTopic.perm & PERM_WRITE) === 0) {
      throw new RocketMQError(
        `the topic[${retryTopic.topicName}] sending message is forbidden`,
        ResponseCode.NO_PERMISSION,
      );
    }
    const original = await this.lookMessage(header.offset);

    const properties = new Map(original.properties);
    if (!properties.has(MessageConst.PROPERTY_RETRY_TOPIC)) {
      properties.set(MessageConst.PROPERTY_RETRY_TOPIC, original.topic);
    }
    const maxReconsumeTimes =
      request.version >= MAX_RECONSUME_TIMES_SINCE_VERSION && header.maxReconsumeTimes !== undefined
        ? header.maxReconsumeTimes
        : group.retryMaxTimes;
    let topic: string;
    let queueId: number;
    if (original.reconsumeTimes >= maxReconsumeTimes || header.delayLevel < 0) {
      await topics.createDLQTopicIfAbsent(header.group);
      topic = dlqTopicOf(header.group);
      queueId = 0;
      properties.delete(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
    } else {
      topic = retryTopicOf(header.group);
      queueId = Math.floor(Math.random() * group.retryQueueNums);
      const delayLevel = header.delayLevel === 0 ? 3 + original.reconsumeTimes : header.delayLevel;
      properties.set(MessageConst.PROPERTY_DELAY_TIME_LEVEL, String(delayLevel));
    }
    const originMsgId = properties.get(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID);
    if (originMsgId === undefined || originMsgId.trim() === '') {
      properties.set(
        MessageConst.PROPERTY_ORIGIN_MESSAGE_ID,
        createOffsetMessageId(original.storeHost, original.phyOffset),
      );
    }
    const input: PutMessageInput = {
      topic,
      queueId,
      body: original.body,
      flag: original.flag,
      properties: encodeMessageProperties(properties),
      sysFlag: original.sysFlag,
      bornTimestamp: original.bornTimestamp,
      bornHost: original.bornHost,
      storeHost: this.ctx.storeHost(),
      reconsumeTimes: original.reconsumeTimes + 1,
    };
    const result = await store.putMessage(toScheduleMessage(input, this.maxDelayLevel));
    if (result.status !== 'PUT_OK') {
      throw new RocketMQError(result.status, ResponseCode.SYSTEM_ERROR);
    }
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
  }

  /** The record starting at commit-log `offset` (Java `lookMessageByOffset`). */
  private async lookMessage(offset: number): Promise<MessageRecord> {
    const failed = () =>
      new RocketMQError(`look message by offset failed, ${offset}`, ResponseCode.SYSTEM_ERROR);
    const raw = offset >= 0 ? await this.ctx.store.lookMessageByOffset(offset) : undefined;
    if (raw === undefined) throw failed();
    try {
      const decoded = decodeMessageRecord(raw);
      if (decoded.kind !== 'message' || decoded.record.phyOffset !== offset) throw failed();
      return decoded.record;
    } catch (error) {
      if (error instanceof ProtocolError) throw failed();
      throw error;
    }
  }
}
