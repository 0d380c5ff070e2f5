import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  decodeGetConsumeStatsRequestHeader,
  decodeGetTopicStatsInfoRequestHeader,
  decodeQueryConsumeTimeSpanRequestHeader,
  decodeQueryTopicConsumeByWhoRequestHeader,
  encodeConsumeStats,
  encodeGroupList,
  encodeTopicStatsTable,
} from '@rocketmq-ts/protocol';
import type {
  MessageQueueEntries,
  OffsetWrapper,
  TopicConfig,
  TopicOffset,
} from '@rocketmq-ts/protocol';
import type { RequestProcessor } from '@rocketmq-ts/remoting';
import type { BrokerContext } from '../../broker-context.js';
import { brokerQueue, notHandledBy } from './admin-request-guards.js';
import { encodeQueryConsumeTimeSpanBody } from './consume-time-span-body.js';
import type { QueueTimeSpan } from './consume-time-span-body.js';

/** The codes {@link StatsAdminProcessor} answers. */
export const STATS_ADMIN_CODES: readonly number[] = [
  RequestCode.GET_TOPIC_STATS_INFO,
  RequestCode.GET_CONSUME_STATS,
  RequestCode.QUERY_TOPIC_CONSUME_BY_WHO,
  RequestCode.QUERY_CONSUME_TIME_SPAN,
];

/**
 * Offset statistics for mqadmin (Java `AdminBrokerProcessor`, remoting-protocol.md §4.14, §5.8):
 * - GET_TOPIC_STATS_INFO (202): per write queue min/max offset and the store time of the last message (0 when
 *   empty); TOPIC_NOT_EXIST `topic[<t>] not exist` for an unknown topic.
 * - GET_CONSUME_STATS (208): per read queue of each topic the group has offsets for (or the `topic` / 5.x
 *   `topicList` asked): brokerOffset = max offset, consumerOffset = committed (negative → 0), lastTimestamp = store
 *   time of message consumerOffset − 1. Topics without a config are skipped, and so are topics the group does not
 *   subscribe to while it has live subscriptions. consumeTps is 0: this broker keeps no per-group pull rates yet.
 * - QUERY_TOPIC_CONSUME_BY_WHO (300): GroupList of groups with committed offsets on the topic plus live groups
 *   subscribing to it.
 * - QUERY_CONSUME_TIME_SPAN (303): QueryConsumeTimeSpanBody per write queue; TOPIC_NOT_EXIST as 202.
 */
export class StatsAdminProcessor implements RequestProcessor {
  /** Codes to register this processor for. */
  static readonly CODES = STATS_ADMIN_CODES;

  constructor(private readonly ctx: BrokerContext) {}

  /** Answers one request; throws RocketMQError TOPIC_NOT_EXIST as described in the class comment. */
  async process(request: RemotingCommand): Promise<RemotingCommand> {
    switch (request.code) {
      case RequestCode.GET_TOPIC_STATS_INFO:
        return this.topicStats(request);
      case RequestCode.GET_CONSUME_STATS:
        return this.consumeStats(request);
      case RequestCode.QUERY_TOPIC_CONSUME_BY_WHO:
        return this.consumeByWho(request);
      case RequestCode.QUERY_CONSUME_TIME_SPAN:
        return this.consumeTimeSpan(request);
      default:
        throw notHandledBy(request, 'StatsAdminProcessor');
    }
  }

  private async topicStats(request: RemotingCommand): Promise<RemotingCommand> {
    const { topic } = decodeGetTopicStatsInfoRequestHeader(request.extFields ?? {});
    const config = this.existingTopic(topic);
    const { store } = this.ctx;
    const offsetTable: MessageQueueEntries<TopicOffset> = [];
    for (let queueId = 0; queueId < config.writeQueueNums; queueId++) {
      const minOffset = Math.max(0, store.getMinOffsetInQueue(topic, queueId));
      const maxOffset = Math.max(0, store.getMaxOffsetInQueue(topic, queueId));
      const lastUpdateTimestamp =
        maxOffset > 0 ? await store.getMessageStoreTimeStamp(topic, queueId, maxOffset - 1) : 0;
      offsetTable.push([
        brokerQueue(this.ctx, topic, queueId),
        { minOffset, maxOffset, lastUpdateTimestamp },
      ]);
    }
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
      body: encodeTopicStatsTable({ offsetTable }),
    });
  }

  private async consumeStats(request: RemotingCommand): Promise<RemotingCommand> {
    const header = decodeGetConsumeStatsRequestHeader(request.extFields ?? {});
    const group = header.consumerGroup;
    const { store, offsets, consumers } = this.ctx;
    let topics: string[];
    if (header.topic !== undefined && header.topic.trim() !== '') topics = [header.topic];
    else if (header.topicList !== undefined && header.topicList.trim() !== '') {
      topics = header.topicList.split(';').filter((t) => t.trim() !== '');
    } else topics = store.metadata.listTopicsOfConsumerGroup(group);
    const subscriptions = consumers.groupSubscriptions(group);
    const offsetTable: MessageQueueEntries<OffsetWrapper> = [];
    for (const topic of topics) {
      const config = this.ctx.topics.get(topic);
      if (config === undefined) continue;
      if (subscriptions.size > 0 && !subscriptions.has(topic)) continue;
      for (let queueId = 0; queueId < config.readQueueNums; queueId++) {
        const brokerOffset = Math.max(0, store.getMaxOffsetInQueue(topic, queueId));
        const consumerOffset = Math.max(0, offsets.queryOffset({ group, topic, queueId }));
        let lastTimestamp = 0;
        if (consumerOffset > 0) {
          const storeTime = await store.getMessageStoreTimeStamp(
            topic,
            queueId,
            consumerOffset - 1,
          );
          if (storeTime > 0) lastTimestamp = storeTime;
        }
        offsetTable.push([
          brokerQueue(this.ctx, topic, queueId),
          { brokerOffset, consumerOffset, lastTimestamp },
        ]);
      }
    }
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
      body: encodeConsumeStats({ offsetTable, consumeTps: 0 }),
    });
  }

  private consumeByWho(request: RemotingCommand): RemotingCommand {
    const { topic } = decodeQueryTopicConsumeByWhoRequestHeader(request.extFields ?? {});
    const groups = new Set(this.ctx.consumers.groupsSubscribing(topic));
    for (const group of this.ctx.store.metadata.listConsumerGroupsOfTopic(topic)) groups.add(group);
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
      body: encodeGroupList({ groupList: [...groups] }),
    });
  }

  private async consumeTimeSpan(request: RemotingCommand): Promise<RemotingCommand> {
    const { topic, group } = decodeQueryConsumeTimeSpanRequestHeader(request.extFields ?? {});
    const config = this.existingTopic(topic);
    const { store, offsets } = this.ctx;
    const spans: QueueTimeSpan[] = [];
    for (let queueId = 0; queueId < config.writeQueueNums; queueId++) {
      const minTimeStamp = await store.getEarliestMessageTime(topic, queueId);
      const maxOffset = store.getMaxOffsetInQueue(topic, queueId);
      const maxTimeStamp = await store.getMessageStoreTimeStamp(topic, queueId, maxOffset - 1);
      const consumerOffset = offsets.queryOffset({ group, topic, queueId });
      const consumeTimeStamp =
        consumerOffset > 0
          ? await store.getMessageStoreTimeStamp(topic, queueId, consumerOffset - 1)
          : minTimeStamp;
      let delayTime = 0;
      if (consumerOffset < maxOffset) {
        // Java reads the next message's time at the committed offset; -1 (no offset) reads as the queue start.
        const next = Math.max(consumerOffset, store.getMinOffsetInQueue(topic, queueId));
        const nextTime = await store.getMessageStoreTimeStamp(topic, queueId, next);
        if (nextTime > 0) delayTime = Date.now() - nextTime;
      }
      spans.push({
        messageQueue: brokerQueue(this.ctx, topic, queueId),
        minTimeStamp,
        maxTimeStamp,
        consumeTimeStamp,
        delayTime,
      });
    }
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
      body: encodeQueryConsumeTimeSpanBody(spans),
    });
  }

  private existingTopic(topic: string): TopicConfig {
    const config = this.ctx.topics.get(topic);
    if (config === undefined) {
      throw new RocketMQError(`topic[${topic}] not exist`, ResponseCode.TOPIC_NOT_EXIST);
    }
    return config;
  }
}
