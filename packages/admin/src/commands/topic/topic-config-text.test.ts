import { describe, expect, it } from 'vitest';
import { buildTopicSysFlag, formatTopicConfig } from './topic-config-text.js';

describe('TopicConfig text', () => {
  it('prints the 4.x TopicConfig.toString line', () => {
    expect(
      formatTopicConfig({
        topicName: 'TopicTest',
        readQueueNums: 8,
        writeQueueNums: 8,
        perm: 6,
        topicFilterType: 'SINGLE_TAG',
        topicSysFlag: 0,
        order: false,
      }),
    ).toBe(
      'TopicConfig [topicName=TopicTest, readQueueNums=8, writeQueueNums=8, perm=RW-, topicFilterType=SINGLE_TAG, topicSysFlag=0, order=false]',
    );
  });

  it('builds the sys flag from -u and -s as TopicSysFlag.buildSysFlag', () => {
    expect(buildTopicSysFlag(false, false)).toBe(0);
    expect(buildTopicSysFlag(true, false)).toBe(1);
    expect(buildTopicSysFlag(false, true)).toBe(2);
    expect(buildTopicSysFlag(true, true)).toBe(3);
  });
});
