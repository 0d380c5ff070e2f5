import { ResponseCode, RocketMQError } from '@rocketmq-ts/protocol';
import type { ClusterInfo, ConsumerConnection, HostAddress } from '@rocketmq-ts/protocol';
import type { MessageExt } from '../message/message.js';
import type { MessageTrack, QueueConsumeProgress, TrackType } from './admin-types.js';

/*
 * The pure parts of Java `DefaultMQAdminExtImpl.messageTrackDetail` / `consumed`: whether a group's committed offset
 * has passed a message, and the track type that follows from the group's connection.
 */

/** `host:port` of a record's host (IPv6 in brackets), as broker addresses are written. */
export function hostAddressToAddr(host: HostAddress): string {
  return host.host.includes(':') ? `[${host.host}]:${host.port}` : `${host.host}:${host.port}`;
}

/**
 * True when the group's committed offset on the message's queue is past the message (Java `consumed`): the queue
 * is the stats entry with the message's topic and queue id whose broker set's master is the message's store host.
 */
export function isConsumed(
  msg: Pick<MessageExt, 'topic' | 'queueId' | 'queueOffset' | 'storeHost'>,
  queues: readonly QueueConsumeProgress[],
  info: ClusterInfo,
): boolean {
  const storeAddr = hostAddressToAddr(msg.storeHost);
  return queues.some(
    (q) =>
      q.mq.topic === msg.topic &&
      q.mq.queueId === msg.queueId &&
      info.brokerAddrTable.get(q.mq.brokerName)?.brokerAddrs.get(0) === storeAddr &&
      q.consumerOffset > msg.queueOffset,
  );
}

/**
 * The track type of a push (CONSUME_PASSIVELY) group: NOT_CONSUME_YET unless consumed; consumed messages whose tag
 * the group's subscription to the topic excludes are CONSUMED_BUT_FILTERED (Java: the tag set lacks the tag and
 * holds neither `*` nor nothing).
 */
export function passiveTrackType(
  msg: Pick<MessageExt, 'topic' | 'tags'>,
  connection: Pick<ConsumerConnection, 'subscriptionTable'>,
  consumed: boolean,
): TrackType {
  if (!consumed) return 'NOT_CONSUME_YET';
  const tagsSet = connection.subscriptionTable.get(msg.topic)?.tagsSet;
  if (tagsSet === undefined || tagsSet.length === 0 || tagsSet.includes('*')) return 'CONSUMED';
  return msg.tags !== undefined && tagsSet.includes(msg.tags)
    ? 'CONSUMED'
    : 'CONSUMED_BUT_FILTERED';
}

/**
 * The track of a group whose lookup failed: NOT_ONLINE for CONSUMER_NOT_ONLINE, else UNKNOWN; the description is
 * Java's `CODE:<code> DESC:<message>` for errors with a response code.
 */
export function failedTrack(consumerGroup: string, error: unknown): MessageTrack {
  if (error instanceof RocketMQError) {
    return {
      consumerGroup,
      trackType: error.code === ResponseCode.CONSUMER_NOT_ONLINE ? 'NOT_ONLINE' : 'UNKNOWN',
      exceptionDesc: `CODE:${error.code} DESC:${error.message}`,
    };
  }
  return {
    consumerGroup,
    trackType: 'UNKNOWN',
    exceptionDesc: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  };
}
