import { parseSubscriptionExpression } from '@rocketmq-ts/protocol';
import type { SubscriptionData } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { testMessage } from '../../test/test-message.js';
import type { MessageExt } from '../message/message.js';
import { filterByTags } from './pull-api.js';
import { resetRetryTopic } from './consumer-runtime.js';

function sub(expression: string): SubscriptionData {
  const p = parseSubscriptionExpression(expression);
  return {
    topic: 't',
    subString: p.subString,
    tagsSet: p.tagsSet,
    codeSet: p.codeSet,
    subVersion: 1,
    expressionType: 'TAG',
    classFilterMode: false,
  };
}

function msg(tags: string | undefined, properties: [string, string][] = []): MessageExt {
  return testMessage({ tags, properties: new Map(properties) });
}

describe('filterByTags', () => {
  it('keeps messages whose tag is subscribed and drops untagged ones, as Java does', () => {
    const msgs = [msg('TagA'), msg('TagB'), msg('TagC'), msg(undefined)];
    expect(filterByTags(msgs, sub('TagA || TagC')).map((m) => m.tags)).toEqual(['TagA', 'TagC']);
  });

  it('keeps everything for *', () => {
    const msgs = [msg('TagA'), msg(undefined)];
    expect(filterByTags(msgs, sub('*'))).toHaveLength(2);
  });
});

describe('resetRetryTopic', () => {
  it('shows a message pulled from %RETRY%<group> with its original topic', () => {
    const retried = msg('TagA', [['RETRY_TOPIC', 'TopicTest']]);
    retried.topic = '%RETRY%cg';
    const plain = msg('TagA', [['RETRY_TOPIC', 'Other']]);
    plain.topic = 'TopicTest';
    resetRetryTopic([retried, plain], 'cg');
    expect(retried.topic).toBe('TopicTest');
    expect(plain.topic).toBe('TopicTest');
  });
});
