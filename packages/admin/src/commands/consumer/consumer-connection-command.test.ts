import type { ConsumerConnectionInfo } from '@rocketmq-ts/client';
import { describe, expect, it } from 'vitest';
import {
  consumerConnectionLines,
  subscriptionMismatchWarning,
} from './consumer-connection-command.js';

function sub(topic: string, subString: string) {
  return {
    topic,
    subString,
    tagsSet: [],
    codeSet: [],
    subVersion: 1,
    expressionType: 'TAG',
    classFilterMode: false,
  };
}

const CC: ConsumerConnectionInfo = {
  connectionSet: [
    { clientId: '10.0.0.5@c1', clientAddr: '10.0.0.5:50001', language: 'JAVA', version: 409 },
    { clientId: '10.0.0.6@c2', clientAddr: '10.0.0.6:50002', language: 'NODE_JS', version: 409 },
  ],
  subscriptionTable: new Map([['TopicTest', sub('TopicTest', 'TagA')]]),
  consumeType: 'CONSUME_PASSIVELY',
  messageModel: 'CLUSTERING',
  consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
  subscriptionMismatches: [],
  brokerAddr: '127.0.0.1:10911',
};

describe('consumerConnectionLines', () => {
  it('prints the connections, the subscription table and the group settings as 4.9.8 does', () => {
    expect(consumerConnectionLines('G', CC)).toEqual([
      `${'#ClientId'.padEnd(36)} ${'#ClientAddr'.padEnd(22)} ${'#Language'.padEnd(10)} #Version`,
      `${'10.0.0.5@c1'.padEnd(36)} ${'10.0.0.5:50001'.padEnd(22)} ${'JAVA'.padEnd(10)} V4_9_8`,
      `${'10.0.0.6@c2'.padEnd(36)} ${'10.0.0.6:50002'.padEnd(22)} ${'NODE_JS'.padEnd(10)} V4_9_8`,
      '',
      'Below is subscription:',
      `${'#Topic'.padEnd(20)} #SubExpression`,
      `${'TopicTest'.padEnd(20)} TagA`,
      '',
      'ConsumeType: CONSUME_PASSIVELY',
      'MessageModel: CLUSTERING',
      'ConsumeFromWhere: CONSUME_FROM_LAST_OFFSET',
    ]);
  });

  it('adds one WARN line per mismatched topic right after the subscription table', () => {
    const mismatch = {
      topic: 'TopicTest',
      clientIdsByExpression: new Map([
        ['TagA', ['10.0.0.5@c1']],
        ['TagB', ['10.0.0.6@c2', '10.0.0.7@c3']],
      ]),
    };
    const warning = subscriptionMismatchWarning('G', mismatch);
    expect(warning).toBe(
      'WARN: members of group G subscribe differently to topic TopicTest: TagA [10.0.0.5@c1], ' +
        'TagB [10.0.0.6@c2, 10.0.0.7@c3] — messages filtered out by one member are not delivered to the ' +
        'others; use one subscription per group',
    );
    const lines = consumerConnectionLines('G', { ...CC, subscriptionMismatches: [mismatch] });
    expect(lines.indexOf(warning)).toBe(lines.indexOf(`${'TopicTest'.padEnd(20)} TagA`) + 1);
  });
});
