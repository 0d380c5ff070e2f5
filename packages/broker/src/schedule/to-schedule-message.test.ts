import { MessageSysFlag, decodeMessageProperties } from '@rocketmq-ts/protocol';
import type { PutMessageInput } from '@rocketmq-ts/store';
import { describe, expect, it } from 'vitest';
import { SCHEDULE_TOPIC } from '../topic/topic-validator.js';
import { delayLevelOf, propertiesMapOf, toScheduleMessage } from './to-schedule-message.js';

function message(properties: PutMessageInput['properties'], sysFlag = 0): PutMessageInput {
  return {
    topic: 'TopicTest',
    queueId: 3,
    body: Buffer.from('hello'),
    properties,
    sysFlag,
    bornTimestamp: 1_700_000_000_000,
    bornHost: { host: '127.0.0.1', port: 50000 },
    storeHost: { host: '127.0.0.1', port: 10911 },
  };
}

describe('toScheduleMessage', () => {
  it('redirects a delayed message to the schedule queue of its level with its real destination', () => {
    const input = message('TAGS\u0001TagA\u0002DELAY\u00012\u0002');
    const out = toScheduleMessage(input, 18);
    expect(out).toMatchObject({ topic: SCHEDULE_TOPIC, queueId: 1, body: input.body });
    expect(decodeMessageProperties(out.properties as string)).toEqual(
      new Map([
        ['TAGS', 'TagA'],
        ['DELAY', '2'],
        ['REAL_TOPIC', 'TopicTest'],
        ['REAL_QID', '3'],
      ]),
    );
    expect(input.topic).toBe('TopicTest');
  });

  it('caps the level at the highest configured one', () => {
    const out = toScheduleMessage(message({ DELAY: '40' }), 18);
    expect(out.queueId).toBe(17);
    expect(propertiesMapOf(out.properties).get('DELAY')).toBe('18');
  });

  it('leaves messages without a positive delay, and prepared or rollback messages, alone', () => {
    for (const input of [
      message(undefined),
      message(new Map([['DELAY', '0']])),
      message({ DELAY: '-1' }),
      message({ DELAY: 'soon' }),
      message({ DELAY: '3' }, MessageSysFlag.TRANSACTION_PREPARED_TYPE),
      message({ DELAY: '3' }, MessageSysFlag.TRANSACTION_ROLLBACK_TYPE),
    ]) {
      expect(toScheduleMessage(input, 18)).toBe(input);
    }
    const committed = message({ DELAY: '3' }, MessageSysFlag.TRANSACTION_COMMIT_TYPE);
    expect(toScheduleMessage(committed, 18).topic).toBe(SCHEDULE_TOPIC);
  });

  it('reads the DELAY level as an integer', () => {
    expect(delayLevelOf(new Map([['DELAY', '+4']]))).toBe(4);
    expect(delayLevelOf(new Map([['DELAY', '1.5']]))).toBe(0);
    expect(delayLevelOf(new Map())).toBe(0);
  });
});
