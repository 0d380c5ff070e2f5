import { NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type {
  ConsumeFromWhere,
  ConsumeType,
  ConsumerData,
  Logger,
  MessageModel,
  SubscriptionData,
} from '@rocketmq-ts/protocol';
import type { RemotingChannel } from '@rocketmq-ts/remoting';
import { CLIENT_CHANNEL_EXPIRED_MS } from './client-channel.js';
import type { ClientChannelInfo } from './client-channel.js';

/** A member of a consumer group: its connection and its own subscriptions. */
export interface ConsumerMember extends ClientChannelInfo {
  /** Topic → this member's subscription, as its last heartbeat sent it. */
  subscriptions: Map<string, SubscriptionData>;
}

/** The live members of one consumer group and the settings they heartbeat (Java `ConsumerGroupInfo`). */
export interface ConsumerGroupInfo {
  groupName: string;
  consumeType: ConsumeType;
  messageModel: MessageModel;
  consumeFromWhere: ConsumeFromWhere;
  /** Channel id → member. */
  members: Map<number, ConsumerMember>;
  /** Time of the last change, ms. */
  lastUpdateMs: number;
}

/**
 * Members of one group that subscribe to one topic with different expressions — RocketMQ's "tag pitfall": Java
 * keeps one subscription per group, so the last heartbeat wins and the other members' pulls get the wrong filter.
 * This broker filters each member's pulls with its own subscription and reports the mismatch.
 */
export interface SubscriptionMismatch {
  group: string;
  topic: string;
  /** Expression (`subString`, with its type when not TAG) → client ids using it. */
  clientIdsByExpression: Map<string, string[]>;
}

/** What a heartbeat changed, deciding whether the group is notified. */
export interface ConsumerRegistration {
  /** A member joined. */
  memberAdded: boolean;
  /** This member's subscriptions differ from what it sent before. */
  subscriptionsChanged: boolean;
}

/** Called when a group's membership changes (member left, expired); the broker notifies the remaining members. */
export type ConsumerGroupChangeListener = (
  group: string,
  info: ConsumerGroupInfo | undefined,
) => void;

/** The live consumers of a broker by group (Java `ConsumerManager`), with per-member subscriptions. */
export class ConsumerManager {
  private readonly groups = new Map<string, ConsumerGroupInfo>();
  private readonly logger: Logger;
  private readonly listeners = new Set<ConsumerGroupChangeListener>();
  /** `group\u0000topic` of mismatches already logged, so a steady mismatch is logged once, not every heartbeat. */
  private readonly reportedMismatches = new Set<string>();

  constructor(logger: Logger = NOOP_LOGGER) {
    this.logger = logger;
  }

  /** Listens for members leaving (connection closed, expired, unregistered). */
  onMembersLeft(listener: ConsumerGroupChangeListener): void {
    this.listeners.add(listener);
  }

  /** Records a consumer heartbeat for one group. */
  register(info: ClientChannelInfo, data: ConsumerData): ConsumerRegistration {
    const nowMs = info.lastUpdateMs;
    let group = this.groups.get(data.groupName);
    if (group === undefined) {
      group = {
        groupName: data.groupName,
        consumeType: data.consumeType,
        messageModel: data.messageModel,
        consumeFromWhere: data.consumeFromWhere,
        members: new Map(),
        lastUpdateMs: nowMs,
      };
      this.groups.set(data.groupName, group);
    }
    group.consumeType = data.consumeType;
    group.messageModel = data.messageModel;
    group.consumeFromWhere = data.consumeFromWhere;
    const subscriptions = new Map(data.subscriptionDataSet.map((s) => [s.topic, s]));
    const previous = group.members.get(info.channel.id);
    const memberAdded = previous === undefined;
    const subscriptionsChanged =
      previous !== undefined && !sameSubscriptions(previous.subscriptions, subscriptions);
    group.members.set(info.channel.id, { ...info, subscriptions });
    if (memberAdded || subscriptionsChanged) {
      group.lastUpdateMs = nowMs;
      if (memberAdded) {
        this.logger.info('new consumer connected', {
          group: data.groupName,
          clientId: info.clientId,
          remoteAddr: info.channel.remoteAddr,
        });
      }
      this.reportMismatches(group);
    }
    return { memberAdded, subscriptionsChanged };
  }

  /** Removes one member of a group (UNREGISTER_CLIENT). @returns whether it was a member. */
  unregister(groupName: string, channel: RemotingChannel): boolean {
    const group = this.groups.get(groupName);
    if (group?.members.delete(channel.id) !== true) return false;
    this.afterLeave(group);
    return true;
  }

  /** Removes a closed connection from every group. */
  channelClosed(channel: RemotingChannel): void {
    for (const group of [...this.groups.values()]) {
      if (group.members.delete(channel.id)) {
        this.logger.info('consumer connection closed', {
          group: group.groupName,
          remoteAddr: channel.remoteAddr,
        });
        this.afterLeave(group);
      }
    }
  }

  /** Drops members silent for {@link CLIENT_CHANNEL_EXPIRED_MS}. @returns how many were dropped. */
  scanExpired(nowMs: number): number {
    let dropped = 0;
    for (const group of [...this.groups.values()]) {
      let left = false;
      for (const [id, member] of group.members) {
        if (nowMs - member.lastUpdateMs <= CLIENT_CHANNEL_EXPIRED_MS) continue;
        group.members.delete(id);
        left = true;
        dropped++;
        this.logger.warn('consumer channel expired', {
          group: group.groupName,
          clientId: member.clientId,
        });
      }
      if (left) this.afterLeave(group);
    }
    return dropped;
  }

  /** A group's live info, if it has members. */
  group(groupName: string): ConsumerGroupInfo | undefined {
    return this.groups.get(groupName);
  }

  /** Names of groups with live members. */
  groupNames(): string[] {
    return [...this.groups.keys()];
  }

  /** Client ids of a group's live members (GET_CONSUMER_LIST_BY_GROUP), in join order. */
  clientIds(groupName: string): string[] {
    return [...(this.groups.get(groupName)?.members.values() ?? [])].map((m) => m.clientId);
  }

  /**
   * The subscription a pull on `channel` is filtered with when the pull carries none (Java clients by default):
   * that member's own subscription; undefined when it has none for the topic.
   */
  subscriptionOf(
    groupName: string,
    topic: string,
    channel: RemotingChannel,
  ): SubscriptionData | undefined {
    return this.groups.get(groupName)?.members.get(channel.id)?.subscriptions.get(topic);
  }

  /**
   * The group's subscription table as RocketMQ reports it (one entry per topic; where members differ, the most
   * recent heartbeat's, as Java's single table would hold).
   */
  groupSubscriptions(groupName: string): Map<string, SubscriptionData> {
    const table = new Map<string, SubscriptionData>();
    const members = [...(this.groups.get(groupName)?.members.values() ?? [])];
    members.sort((a, b) => a.lastUpdateMs - b.lastUpdateMs);
    for (const member of members) {
      for (const [topic, sub] of member.subscriptions) table.set(topic, sub);
    }
    return table;
  }

  /** The topics a group's members subscribe to. */
  subscribedTopics(groupName: string): string[] {
    return [...this.groupSubscriptions(groupName).keys()];
  }

  /** Groups whose live members subscribe to `topic`. */
  groupsSubscribing(topic: string): string[] {
    return [...this.groups.values()]
      .filter((g) => [...g.members.values()].some((m) => m.subscriptions.has(topic)))
      .map((g) => g.groupName);
  }

  /** Topics where members of `groupName` subscribe differently (the tag pitfall), for connection queries. */
  subscriptionMismatches(groupName: string): SubscriptionMismatch[] {
    const group = this.groups.get(groupName);
    if (group === undefined) return [];
    const byTopic = new Map<string, Map<string, string[]>>();
    for (const member of group.members.values()) {
      for (const [topic, sub] of member.subscriptions) {
        let byExpression = byTopic.get(topic);
        if (byExpression === undefined) {
          byExpression = new Map();
          byTopic.set(topic, byExpression);
        }
        const key = expressionKey(sub);
        byExpression.set(key, [...(byExpression.get(key) ?? []), member.clientId]);
      }
    }
    const mismatches: SubscriptionMismatch[] = [];
    for (const [topic, clientIdsByExpression] of byTopic) {
      if (clientIdsByExpression.size > 1) {
        mismatches.push({ group: groupName, topic, clientIdsByExpression });
      }
    }
    return mismatches;
  }

  private afterLeave(group: ConsumerGroupInfo): void {
    group.lastUpdateMs = Date.now();
    const remaining = group.members.size === 0 ? undefined : group;
    if (remaining === undefined) this.groups.delete(group.groupName);
    for (const listener of this.listeners) {
      try {
        listener(group.groupName, remaining);
      } catch (error) {
        this.logger.error('consumer group listener failed', { error: String(error) });
      }
    }
  }

  private reportMismatches(group: ConsumerGroupInfo): void {
    for (const mismatch of this.subscriptionMismatches(group.groupName)) {
      const key = `${mismatch.group}\u0000${mismatch.topic}\u0000${[...mismatch.clientIdsByExpression.keys()].join('\u0000')}`;
      if (this.reportedMismatches.has(key)) continue;
      this.reportedMismatches.add(key);
      this.logger.warn(
        'members of one consumer group subscribe differently to a topic; each is filtered with its own subscription, but the group shares queues, so messages a member filters out are not delivered to the others',
        {
          group: mismatch.group,
          topic: mismatch.topic,
          subscriptions: Object.fromEntries(mismatch.clientIdsByExpression),
        },
      );
    }
  }
}

function expressionKey(sub: SubscriptionData): string {
  return sub.expressionType === 'TAG' || sub.expressionType === ''
    ? sub.subString
    : `${sub.expressionType}:${sub.subString}`;
}

function sameSubscriptions(
  a: ReadonlyMap<string, SubscriptionData>,
  b: ReadonlyMap<string, SubscriptionData>,
): boolean {
  if (a.size !== b.size) return false;
  for (const [topic, sub] of a) {
    const other = b.get(topic);
    if (other === undefined || expressionKey(other) !== expressionKey(sub)) return false;
  }
  return true;
}
