import { describe, expect, it } from 'vitest';
import {
  SUBSCRIPTION_GROUP_CONFIG_DEFAULTS,
  decodeSubscriptionGroupConfig,
  decodeSubscriptionGroupWrapper,
  encodeSubscriptionGroupConfig,
  encodeSubscriptionGroupWrapper,
} from './subscription-group-config.js';
import type {
  SubscriptionGroupConfig,
  SubscriptionGroupWrapper,
} from './subscription-group-config.js';

describe('SubscriptionGroupConfig', () => {
  it('applies the RocketMQ defaults to missing properties', () => {
    expect(decodeSubscriptionGroupConfig('{"groupName":"cg"}')).toEqual({
      groupName: 'cg',
      consumeEnable: true,
      consumeFromMinEnable: true,
      consumeBroadcastEnable: true,
      retryQueueNums: 1,
      retryMaxTimes: 16,
      brokerId: 0,
      whichBrokerWhenConsumeSlowly: 1,
      notifyConsumerIdsChangedEnable: true,
    });
  });

  it('writes a 4.x-shaped config when no 5.x property is set', () => {
    const c: SubscriptionGroupConfig = { groupName: 'cg', ...SUBSCRIPTION_GROUP_CONFIG_DEFAULTS };
    expect(encodeSubscriptionGroupConfig(c).toString()).toBe(
      '{"brokerId":0,"consumeBroadcastEnable":true,"consumeEnable":true,"consumeFromMinEnable":true,' +
        '"groupName":"cg","notifyConsumerIdsChangedEnable":true,"retryMaxTimes":16,"retryQueueNums":1,' +
        '"whichBrokerWhenConsumeSlowly":1}',
    );
  });

  it('re-decodes 5.x properties it encodes', () => {
    const c: SubscriptionGroupConfig = {
      groupName: 'cg',
      ...SUBSCRIPTION_GROUP_CONFIG_DEFAULTS,
      consumeEnable: false,
      consumeMessageOrderly: true,
      groupRetryPolicy: { type: 'CUSTOMIZED' },
      groupSysFlag: 0,
      consumeTimeoutMinute: 15,
      subscriptionDataSet: [{ topic: 't', expressionType: 'TAG', expression: '*' }],
      attributes: new Map([['k', 'v']]),
    };
    expect(decodeSubscriptionGroupConfig(encodeSubscriptionGroupConfig(c))).toEqual(c);
  });
});

describe('SubscriptionGroupWrapper', () => {
  it('round-trips the subscriptionGroup.json shape and names configs after their key', () => {
    const w: SubscriptionGroupWrapper = {
      dataVersion: { counter: 2, timestamp: 3 },
      subscriptionGroupTable: new Map([
        ['cg', { groupName: 'cg', ...SUBSCRIPTION_GROUP_CONFIG_DEFAULTS }],
      ]),
      forbiddenTable: { cg: { t: 1 } },
    };
    expect(decodeSubscriptionGroupWrapper(encodeSubscriptionGroupWrapper(w))).toEqual(w);
    const unnamed = decodeSubscriptionGroupWrapper(
      '{"subscriptionGroupTable":{"g2":{"retryMaxTimes":3}}}',
    );
    expect(unnamed.subscriptionGroupTable.get('g2')?.groupName).toBe('g2');
    expect(unnamed.subscriptionGroupTable.get('g2')?.retryMaxTimes).toBe(3);
  });
});
