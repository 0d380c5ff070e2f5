import { ResponseCode, compareMessageQueue } from '@rocketmq-ts/protocol';
import type { ClusterInfo, ProducerConnection } from '@rocketmq-ts/protocol';
import { MQBrokerError, MQClientError } from '../errors.js';
import type { MessageExt } from '../message/message.js';
import { retryTopicOf } from '../retry-topic.js';
import type { ConsumerRunningInfo } from '../running-info/consumer-running-info.js';
import type { AdminContext } from './admin-context.js';
import type {
  CloneGroupOffsetOptions,
  ConsumerConnectionInfo,
  GroupConsumeStats,
  MessageTrack,
  QueueOffset,
  ResetOffsetByTimeOptions,
} from './admin-types.js';
import { failedTrack, isConsumed, passiveTrackType } from './message-track.js';
import { allMasterAddrs, routeBrokerAddrs } from './route-lookup.js';
import { mergeConsumeStats } from './stats-merge.js';

/**
 * The consumer-side admin operations of MQAdmin (Java `DefaultMQAdminExtImpl`): a group's brokers are found
 * through the route of its retry topic `%RETRY%<group>` (brokers create it at the group's first heartbeat), plus the
 * route of the topic when one is named.
 */
export class ConsumerAdmin {
  constructor(private readonly ctx: AdminContext) {}

  /** See {@link MQAdmin.consumeStats}. */
  async consumeStats(group: string, topic?: string): Promise<GroupConsumeStats> {
    const stats = await this.collectConsumeStats(group, topic);
    if (stats.queues.length === 0) {
      throw new MQClientError(
        `consumer group ${group} has no consume progress${topic === undefined ? '' : ` on topic ${topic}`}: it has committed no offset on any broker yet`,
        ResponseCode.CONSUMER_NOT_ONLINE,
      );
    }
    return stats;
  }

  /** See {@link MQAdmin.consumerConnection}. */
  async consumerConnection(group: string): Promise<ConsumerConnectionInfo> {
    const addrs = routeBrokerAddrs(await this.ctx.optionalRoute(retryTopicOf(group)));
    if (addrs.length === 0) {
      throw new MQClientError(
        `consumer group ${group} is not online: the NameServer has no route for ${retryTopicOf(group)}, which brokers create at the group's first heartbeat`,
        ResponseCode.CONSUMER_NOT_ONLINE,
      );
    }
    const connection = await firstSuccess(addrs, (addr) =>
      this.ctx.broker.consumerConnection(addr, group),
    );
    if (connection.connectionSet.length === 0) {
      throw new MQClientError(
        `consumer group ${group} is not online on ${connection.brokerAddr}`,
        ResponseCode.CONSUMER_NOT_ONLINE,
      );
    }
    return connection;
  }

  /** See {@link MQAdmin.producerConnection}. */
  async producerConnection(group: string, topic: string): Promise<ProducerConnection> {
    const addrs = routeBrokerAddrs(await this.ctx.route(topic));
    return firstSuccess(addrs, (addr) => this.ctx.broker.producerConnection(addr, group));
  }

  /** See {@link MQAdmin.consumerRunningInfo}. */
  async consumerRunningInfo(
    group: string,
    clientId: string,
    jstack = false,
  ): Promise<ConsumerRunningInfo> {
    const addrs = routeBrokerAddrs(await this.ctx.optionalRoute(retryTopicOf(group)));
    if (addrs.length === 0) {
      throw new MQClientError(
        `consumer group ${group} is not online: the NameServer has no route for ${retryTopicOf(group)}`,
        ResponseCode.CONSUMER_NOT_ONLINE,
      );
    }
    return firstSuccess(addrs, (addr) =>
      this.ctx.broker.consumerRunningInfo(addr, { group, clientId, jstack }),
    );
  }

  /** See {@link MQAdmin.queryTopicConsumeByWho}. */
  async queryTopicConsumeByWho(topic: string): Promise<string[]> {
    const addrs = routeBrokerAddrs(await this.ctx.route(topic));
    const lists = await Promise.all(
      addrs.map((addr) => this.ctx.broker.topicConsumeByWho(addr, topic)),
    );
    return [...new Set(lists.flat())].sort();
  }

  /** See {@link MQAdmin.resetOffsetByTime}. */
  async resetOffsetByTime(options: ResetOffsetByTimeOptions): Promise<QueueOffset[]> {
    const { consumerGroup: group, topic, timestamp } = options;
    const isForce = options.force ?? true;
    const out: QueueOffset[] = [];
    for (const addr of routeBrokerAddrs(await this.ctx.route(topic))) {
      try {
        const table = await this.ctx.broker.resetOffset(addr, { topic, group, timestamp, isForce });
        for (const [mq, offset] of table) out.push({ mq, offset });
      } catch (error) {
        // Java 4.9.8 brokers refuse when no client of the group is online; mqadmin then rewrites the offsets itself.
        if (!(error instanceof MQBrokerError) || error.code !== ResponseCode.CONSUMER_NOT_ONLINE) {
          throw error;
        }
        out.push(...(await this.resetOffsetOffline(addr, options)));
      }
    }
    return out.sort((a, b) => compareMessageQueue(a.mq, b.mq));
  }

  /** See {@link MQAdmin.cloneGroupOffset}. */
  async cloneGroupOffset(options: CloneGroupOffsetOptions): Promise<void> {
    const addrs = await this.groupBrokerAddrs(options.srcGroup, options.topic);
    for (const addr of addrs) {
      await this.ctx.broker.cloneGroupOffset(addr, {
        srcGroup: options.srcGroup,
        destGroup: options.destGroup,
        topic: options.topic,
        offline: options.offline ?? false,
      });
    }
  }

  /** See {@link MQAdmin.consumeStatusOfMessage}. */
  async consumeStatusOfMessage(msg: MessageExt): Promise<MessageTrack[]> {
    const tracks: MessageTrack[] = [];
    let clusterInfo: ClusterInfo | undefined;
    for (const group of await this.queryTopicConsumeByWho(msg.topic)) {
      try {
        const connection = await this.consumerConnection(group);
        if (connection.consumeType === 'CONSUME_ACTIVELY') {
          tracks.push({ consumerGroup: group, trackType: 'PULL' });
        } else if (connection.consumeType !== 'CONSUME_PASSIVELY') {
          tracks.push({ consumerGroup: group, trackType: 'UNKNOWN' });
        } else if (connection.messageModel === 'BROADCASTING') {
          tracks.push({ consumerGroup: group, trackType: 'CONSUME_BROADCASTING' });
        } else {
          const stats = await this.collectConsumeStats(group, msg.topic);
          clusterInfo ??= await this.ctx.clusterInfo();
          const consumed = isConsumed(msg, stats.queues, clusterInfo);
          tracks.push({
            consumerGroup: group,
            trackType: passiveTrackType(msg, connection, consumed),
          });
        }
      } catch (error) {
        tracks.push(failedTrack(group, error));
      }
    }
    return tracks;
  }

  /** GET_CONSUME_STATS on every broker of the group (and topic), merged; may be empty. */
  private async collectConsumeStats(group: string, topic?: string): Promise<GroupConsumeStats> {
    const addrs = await this.groupBrokerAddrs(group, topic);
    const answers = await Promise.all(
      addrs.map((addr) => this.ctx.broker.consumeStats(addr, { group, topic })),
    );
    return mergeConsumeStats(answers);
  }

  /**
   * The brokers of a group: those of `%RETRY%<group>`'s route and of `topic`'s route; every master when neither
   * route exists (a group that only committed offsets, e.g. with UPDATE_CONSUMER_OFFSET).
   */
  private async groupBrokerAddrs(group: string, topic?: string): Promise<string[]> {
    const addrs = new Set(routeBrokerAddrs(await this.ctx.optionalRoute(retryTopicOf(group))));
    if (topic !== undefined) {
      for (const addr of routeBrokerAddrs(await this.ctx.optionalRoute(topic))) addrs.add(addr);
    }
    if (addrs.size === 0) {
      for (const addr of allMasterAddrs(await this.ctx.clusterInfo())) addrs.add(addr);
    }
    return [...addrs];
  }

  /**
   * Java `resetOffsetByTimestampOld` on one broker: for each queue of the topic the group has progress on, the
   * offset by time (−1: the max offset) is committed with UPDATE_CONSUMER_OFFSET when forced or not ahead of the
   * committed one.
   */
  private async resetOffsetOffline(
    addr: string,
    options: ResetOffsetByTimeOptions,
  ): Promise<QueueOffset[]> {
    const { consumerGroup: group, topic, timestamp } = options;
    const force = options.force ?? true;
    const stats = await this.ctx.broker.consumeStats(addr, { group, topic });
    const out: QueueOffset[] = [];
    for (const [mq, progress] of stats.offsetTable) {
      if (mq.topic !== topic) continue;
      const target =
        timestamp === -1
          ? await this.ctx.api.getMaxOffset(addr, mq)
          : await this.ctx.api.searchOffset(addr, { ...mq, timestamp });
      if (force || target <= progress.consumerOffset) {
        await this.ctx.api.updateConsumerOffset(addr, {
          group,
          topic,
          queueId: mq.queueId,
          offset: target,
        });
        out.push({ mq, offset: target });
      } else {
        out.push({ mq, offset: progress.consumerOffset });
      }
    }
    return out;
  }
}

/** Tries `call` on each address in turn; resolves with the first success, else rejects with the last error. */
async function firstSuccess<T>(
  addrs: readonly string[],
  call: (addr: string) => Promise<T>,
): Promise<T> {
  let lastError: unknown = new MQClientError('no broker address to ask');
  for (const addr of addrs) {
    try {
      return await call(addr);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
