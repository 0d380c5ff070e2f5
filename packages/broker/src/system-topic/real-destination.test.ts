import { MessageConst, MessageSysFlag } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { openTestStore } from '../../test/broker-test-context.js';
import { keyedTestMessage } from '../../test/test-messages.js';
import { TRANS_HALF_TOPIC } from '../topic/topic-validator.js';
import {
  mayWaitInSystemTopic,
  propertiesMapOf,
  realDestinationOf,
  restoreRealMessage,
  toSystemTopic,
} from './real-destination.js';

const SYSTEM_TOPIC = 'SYS_T';
const STORE_HOST = { host: '127.0.0.2', port: 10911 };

describe('toSystemTopic / restoreRealMessage', () => {
  it('round-trips a message through a system topic record', async () => {
    const { store } = await openTestStore();
    const input = keyedTestMessage({
      topic: 'T',
      queueId: 3,
      key: 'k',
      flag: 5,
      reconsumeTimes: 2,
    });
    const properties = propertiesMapOf(input.properties);
    properties.set('X', 'y');
    const waiting = toSystemTopic(input, properties, { topic: SYSTEM_TOPIC, queueId: 1 });
    expect(waiting).toMatchObject({ topic: SYSTEM_TOPIC, queueId: 1, flag: 5 });
    const put = await store.putMessage(waiting);
    expect(put.status).toBe('PUT_OK');
    const options = {
      systemTopic: SYSTEM_TOPIC,
      phyOffset: put.phyOffsets[0]!,
      recordKind: 'test',
      storeHost: () => STORE_HOST,
      editProperties: (p: Map<string, string>) => {
        p.delete('X');
      },
    };
    const restored = restoreRealMessage({
      ...options,
      raw: await store.lookMessageByOffset(put.phyOffsets[0]!),
    });
    if (restored.kind !== 'put') throw new Error(restored.reason);
    expect(restored.input).toMatchObject({ topic: 'T', queueId: 3, flag: 5, reconsumeTimes: 2 });
    expect(restored.input.storeHost).toEqual(STORE_HOST);
    const restoredProperties = propertiesMapOf(restored.input.properties);
    expect(restoredProperties.get('KEYS')).toBe('k');
    expect(restoredProperties.get(MessageConst.PROPERTY_REAL_TOPIC)).toBe('T');
    expect(restoredProperties.has('X')).toBe(false);

    expect(restoreRealMessage({ ...options, raw: undefined })).toMatchObject({ kind: 'skip' });
    expect(
      restoreRealMessage({
        ...options,
        systemTopic: 'OTHER',
        raw: await store.lookMessageByOffset(put.phyOffsets[0]!),
      }),
    ).toEqual({ kind: 'skip', reason: `record of ${SYSTEM_TOPIC} is not a test record` });
  });

  it('skips a record whose real topic is the half topic', async () => {
    const { store } = await openTestStore();
    const input = keyedTestMessage({
      topic: TRANS_HALF_TOPIC,
      queueId: 0,
      key: 'h',
      flag: 0,
      reconsumeTimes: 0,
    });
    const put = await store.putMessage(
      toSystemTopic(input, propertiesMapOf(input.properties), { topic: SYSTEM_TOPIC, queueId: 0 }),
    );
    const restored = restoreRealMessage({
      raw: await store.lookMessageByOffset(put.phyOffsets[0]!),
      systemTopic: SYSTEM_TOPIC,
      phyOffset: put.phyOffsets[0]!,
      recordKind: 'test',
      storeHost: () => STORE_HOST,
      editProperties: () => undefined,
    });
    expect(restored).toEqual({ kind: 'skip', reason: `real topic is ${TRANS_HALF_TOPIC}` });
  });

  it('lets only plain and committed messages wait', () => {
    expect(mayWaitInSystemTopic()).toBe(true);
    expect(mayWaitInSystemTopic(MessageSysFlag.TRANSACTION_COMMIT_TYPE)).toBe(true);
    expect(mayWaitInSystemTopic(MessageSysFlag.TRANSACTION_PREPARED_TYPE)).toBe(false);
    expect(mayWaitInSystemTopic(MessageSysFlag.TRANSACTION_ROLLBACK_TYPE)).toBe(false);
  });
});

describe('realDestinationOf', () => {
  it('reads REAL_TOPIC / REAL_QID and refuses a missing or non-decimal queue id', () => {
    const of = (entries: [string, string][]) => realDestinationOf(new Map(entries));
    const topic: [string, string] = [MessageConst.PROPERTY_REAL_TOPIC, 'T'];
    expect(of([topic, [MessageConst.PROPERTY_REAL_QUEUE_ID, '7']])).toEqual({
      topic: 'T',
      queueId: 7,
    });
    expect(of([topic])).toBeUndefined();
    expect(of([topic, [MessageConst.PROPERTY_REAL_QUEUE_ID, '-1']])).toBeUndefined();
    expect(of([topic, [MessageConst.PROPERTY_REAL_QUEUE_ID, '1e3']])).toBeUndefined();
    expect(of([[MessageConst.PROPERTY_REAL_QUEUE_ID, '0']])).toBeUndefined();
  });
});
