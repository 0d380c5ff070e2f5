import { describe, expect, it } from 'vitest';
import { subGroupConfigFromOptions, subGroupConfigString } from './update-sub-group-command.js';
import { resetOffsetLines } from './reset-offset-by-time-command.js';

describe('subGroupConfigFromOptions', () => {
  it("uses Java's defaults, with consumeFromMinEnable and consumeBroadcastEnable false as the tool sets them", () => {
    const config = subGroupConfigFromOptions(new Map([['groupName', ' G ']]));
    expect(subGroupConfigString(config)).toBe(
      'SubscriptionGroupConfig [groupName=G, consumeEnable=true, consumeFromMinEnable=false, ' +
        'consumeBroadcastEnable=false, retryQueueNums=1, retryMaxTimes=16, brokerId=0, ' +
        'whichBrokerWhenConsumeSlowly=1, notifyConsumerIdsChangedEnable=true]',
    );
  });

  it('takes every option as a value', () => {
    const config = subGroupConfigFromOptions(
      new Map([
        ['groupName', 'G'],
        ['consumeEnable', 'false'],
        ['consumeFromMinEnable', 'true'],
        ['consumeBroadcastEnable', 'true'],
        ['retryQueueNums', '2'],
        ['retryMaxTimes', '5'],
        ['brokerId', '1'],
        ['whichBrokerWhenConsumeSlowly', '0'],
        ['notifyConsumerIdsChanged', 'false'],
      ]),
    );
    expect(config).toEqual({
      groupName: 'G',
      consumeEnable: false,
      consumeFromMinEnable: true,
      consumeBroadcastEnable: true,
      retryQueueNums: 2,
      retryMaxTimes: 5,
      brokerId: 1,
      whichBrokerWhenConsumeSlowly: 0,
      notifyConsumerIdsChangedEnable: false,
    });
  });

  it('names the option of a bad value', () => {
    expect(() =>
      subGroupConfigFromOptions(
        new Map([
          ['groupName', 'G'],
          ['retryMaxTimes', 'many'],
        ]),
      ),
    ).toThrow('option --retryMaxTimes must be an integer, got "many"');
  });
});

describe('resetOffsetLines', () => {
  it('prints #brokerName #queueId #offset, each left-aligned in 40', () => {
    expect(
      resetOffsetLines([{ mq: { topic: 'T', brokerName: 'broker-a', queueId: 0 }, offset: 12 }]),
    ).toEqual([
      `${'#brokerName'.padEnd(40)}  ${'#queueId'.padEnd(40)}  ${'#offset'.padEnd(40)}`,
      `${'broker-a'.padEnd(40)}  ${'0'.padEnd(40)}  ${'12'.padEnd(40)}`,
    ]);
  });
});
