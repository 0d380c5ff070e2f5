import { describe, expect, it } from 'vitest';
import {
  decodeConsumeMessageDirectlyResult,
  decodeConsumerRunningInfo,
  encodeConsumeMessageDirectlyResult,
  encodeConsumerRunningInfo,
} from './consumer-running-info.js';
import type { ConsumerRunningInfo } from './consumer-running-info.js';

// As fastjson writes a Java push consumer's answer: object keys in mqTable, a Properties object, doubles.
const JAVA_RUNNING_INFO =
  '{"mqTable":{{"brokerName":"broker-a","queueId":0,"topic":"TopicTest"}:{"cachedMsgCount":2,"cachedMsgMaxOffset":41,' +
  '"cachedMsgMinOffset":40,"cachedMsgSizeInMiB":0,"commitOffset":40,"droped":false,"lastConsumeTimestamp":1700000000500,' +
  '"lastLockTimestamp":1700000000000,"lastPullTimestamp":1700000000400,"locked":false,"transactionMsgCount":0,' +
  '"transactionMsgMaxOffset":0,"transactionMsgMinOffset":0,"tryUnlockTimes":0}},' +
  '"properties":{"PROP_CONSUME_TYPE":"CONSUME_PASSIVELY","consumeThreadMin":"20","PROP_CONSUMER_START_TIMESTAMP":"1700000000000"},' +
  '"statusTable":{"TopicTest":{"consumeFailedMsgs":0,"consumeFailedTPS":0.0,"consumeOKTPS":12.5,"consumeRT":3.2,' +
  '"pullRT":1.0,"pullTPS":13.0}},' +
  '"subscriptionSet":[{"classFilterMode":false,"codeSet":[],"expressionType":"TAG","subString":"*","subVersion":1700000000000,' +
  '"tagsSet":[],"topic":"TopicTest"}]}';

describe('ConsumerRunningInfo', () => {
  it('decodes what a Java consumer answers, object-keyed queue table included', () => {
    const info = decodeConsumerRunningInfo(JAVA_RUNNING_INFO);
    expect(info.properties.get('PROP_CONSUME_TYPE')).toBe('CONSUME_PASSIVELY');
    expect(info.subscriptionSet.map((s) => [s.topic, s.subString])).toEqual([['TopicTest', '*']]);
    expect(info.mqTable).toHaveLength(1);
    const [mq, pq] = info.mqTable[0]!;
    expect(mq).toEqual({ topic: 'TopicTest', brokerName: 'broker-a', queueId: 0 });
    expect(pq).toMatchObject({
      commitOffset: 40,
      cachedMsgCount: 2,
      cachedMsgMaxOffset: 41,
      droped: false,
    });
    expect(info.statusTable.get('TopicTest')).toMatchObject({ consumeOKTPS: 12.5, pullTPS: 13 });
    expect(info.jstack).toBeUndefined();
  });

  it('encodes what it decodes, with Java doubles and object keys', () => {
    const info: ConsumerRunningInfo = decodeConsumerRunningInfo(JAVA_RUNNING_INFO);
    const text = encodeConsumerRunningInfo({ ...info, jstack: 'thread dump' }).toString();
    expect(text).toContain('{{"brokerName":"broker-a","queueId":0,"topic":"TopicTest"}:{');
    expect(text).toContain('"consumeFailedTPS":0.0');
    const back = decodeConsumerRunningInfo(text);
    expect(back).toEqual({ ...info, jstack: 'thread dump' });
  });

  it('reads an empty body as an empty report', () => {
    expect(decodeConsumerRunningInfo('{}')).toEqual({
      properties: new Map(),
      subscriptionSet: [],
      mqTable: [],
      statusTable: new Map(),
    });
  });
});

describe('ConsumeMessageDirectlyResult', () => {
  it('round-trips and keeps optional fields out when absent', () => {
    const body = encodeConsumeMessageDirectlyResult({
      order: false,
      autoCommit: true,
      consumeResult: 'CR_LATER',
      remark: 'try later',
      spentTimeMills: 7,
    });
    expect(body.toString()).toBe(
      '{"autoCommit":true,"consumeResult":"CR_LATER","order":false,"remark":"try later","spentTimeMills":7}',
    );
    expect(decodeConsumeMessageDirectlyResult(body)).toEqual({
      order: false,
      autoCommit: true,
      consumeResult: 'CR_LATER',
      remark: 'try later',
      spentTimeMills: 7,
    });
    expect(decodeConsumeMessageDirectlyResult('{"order":true}')).toEqual({
      order: true,
      autoCommit: true,
      spentTimeMills: 0,
    });
  });

  it('refuses an unknown consume result', () => {
    expect(() => decodeConsumeMessageDirectlyResult('{"consumeResult":"CR_MAYBE"}')).toThrow(
      /unknown value "CR_MAYBE"/,
    );
  });
});
