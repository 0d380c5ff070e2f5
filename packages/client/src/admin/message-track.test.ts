import { ResponseCode, RocketMQError } from '@rocketmq-ts/protocol';
import type { ClusterInfo, SubscriptionData } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { MQBrokerError, MQClientError } from '../errors.js';
import { failedTrack, hostAddressToAddr, isConsumed, passiveTrackType } from './message-track.js';
import type { QueueConsumeProgress } from './admin-types.js';

const info: ClusterInfo = {
  brokerAddrTable: new Map([
    [
      'broker-a',
      { cluster: 'C', brokerName: 'broker-a', brokerAddrs: new Map([[0, '10.0.0.1:10911']]) },
    ],
    [
      'broker-b',
      { cluster: 'C', brokerName: 'broker-b', brokerAddrs: new Map([[0, '10.0.0.2:10911']]) },
    ],
  ]),
  clusterAddrTable: new Map([['C', ['broker-a', 'broker-b']]]),
};

const msg = {
  topic: 'T',
  queueId: 1,
  queueOffset: 5,
  storeHost: { host: '10.0.0.2', port: 10911 },
};

function progress(
  brokerName: string,
  queueId: number,
  consumerOffset: number,
): QueueConsumeProgress {
  return {
    mq: { topic: 'T', brokerName, queueId },
    brokerOffset: 10,
    consumerOffset,
    lag: 10 - consumerOffset,
    lastTimestamp: 0,
  };
}

function subscription(tagsSet: string[]): SubscriptionData {
  return {
    topic: 'T',
    subString: tagsSet.join(' || ') || '*',
    tagsSet,
    codeSet: [],
    subVersion: 0,
    expressionType: 'TAG',
    classFilterMode: false,
  };
}

describe('isConsumed', () => {
  it('is true once the committed offset on the storing broker queue is past the message', () => {
    expect(isConsumed(msg, [progress('broker-b', 1, 6)], info)).toBe(true);
    expect(isConsumed(msg, [progress('broker-b', 1, 5)], info)).toBe(false);
  });

  it('ignores the same queue id on another broker and other queues', () => {
    expect(isConsumed(msg, [progress('broker-a', 1, 9), progress('broker-b', 0, 9)], info)).toBe(
      false,
    );
  });
});

describe('passiveTrackType', () => {
  const withTags = (tags: string[]) => ({
    subscriptionTable: new Map([['T', subscription(tags)]]),
  });

  it('is NOT_CONSUME_YET before the offset passes the message', () => {
    expect(passiveTrackType({ topic: 'T', tags: 'A' }, withTags([]), false)).toBe(
      'NOT_CONSUME_YET',
    );
  });

  it('is CONSUMED for a matching, wildcard or absent subscription', () => {
    expect(passiveTrackType({ topic: 'T', tags: 'A' }, withTags(['A', 'B']), true)).toBe(
      'CONSUMED',
    );
    expect(passiveTrackType({ topic: 'T', tags: 'A' }, withTags(['*']), true)).toBe('CONSUMED');
    expect(passiveTrackType({ topic: 'T', tags: 'A' }, withTags([]), true)).toBe('CONSUMED');
    expect(
      passiveTrackType({ topic: 'T', tags: 'A' }, { subscriptionTable: new Map() }, true),
    ).toBe('CONSUMED');
  });

  it('is CONSUMED_BUT_FILTERED when the tags exclude the message, untagged messages included', () => {
    expect(passiveTrackType({ topic: 'T', tags: 'C' }, withTags(['A']), true)).toBe(
      'CONSUMED_BUT_FILTERED',
    );
    expect(passiveTrackType({ topic: 'T', tags: undefined }, withTags(['A']), true)).toBe(
      'CONSUMED_BUT_FILTERED',
    );
  });
});

describe('failedTrack', () => {
  it('is NOT_ONLINE for CONSUMER_NOT_ONLINE, with Java CODE/DESC text', () => {
    const error = new MQBrokerError({
      code: ResponseCode.CONSUMER_NOT_ONLINE,
      remark: 'the consumer group[g] not online',
      addr: '10.0.0.1:10911',
    });
    expect(failedTrack('g', error)).toEqual({
      consumerGroup: 'g',
      trackType: 'NOT_ONLINE',
      exceptionDesc: `CODE:206 DESC:${error.message}`,
    });
    expect(
      failedTrack('g', new MQClientError('offline', ResponseCode.CONSUMER_NOT_ONLINE)).trackType,
    ).toBe('NOT_ONLINE');
  });

  it('is UNKNOWN for other failures', () => {
    expect(failedTrack('g', new RocketMQError('boom', ResponseCode.SYSTEM_ERROR))).toEqual({
      consumerGroup: 'g',
      trackType: 'UNKNOWN',
      exceptionDesc: 'CODE:1 DESC:boom',
    });
    expect(failedTrack('g', new TypeError('bad')).exceptionDesc).toBe('TypeError: bad');
  });
});

describe('hostAddressToAddr', () => {
  it('writes IPv4 as host:port and IPv6 in brackets', () => {
    expect(hostAddressToAddr({ host: '10.0.0.1', port: 10911 })).toBe('10.0.0.1:10911');
    expect(hostAddressToAddr({ host: '::1', port: 10911 })).toBe('[::1]:10911');
  });
});
