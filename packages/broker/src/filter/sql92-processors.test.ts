import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeMessageRecords,
  decodePullMessageResponseHeader,
  encodeFastjson,
  encodeHeartbeatData,
} from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import type { TestBrokerContext } from '../../test/broker-test-context.js';
import { clusteringConsumerData } from '../../test/heartbeat-data.js';
import {
  openProcessorTestBroker,
  pullRequest,
  putTestMessages,
} from '../../test/processor-test-broker.js';

const TOPIC = 'SQL_T';
const GROUP = 'SQL_G';

function broker(enablePropertyFilter: boolean) {
  return openProcessorTestBroker({
    config: { enablePropertyFilter },
    topics: [{ topicName: TOPIC }],
  });
}

/** Puts messages with `a` = 0..count-1 and TAGS alternating TagA / TagB. */
function putMessages(t: TestBrokerContext, count: number): Promise<void> {
  return putTestMessages(t, {
    topic: TOPIC,
    count,
    properties: (i) => ({ TAGS: i % 2 === 0 ? 'TagA' : 'TagB', a: String(i) }),
  });
}

function pull(o: {
  expression?: string;
  expressionType?: string;
  queueOffset?: number;
  maxMsgNums?: number;
  carrySubscription?: boolean;
}) {
  return pullRequest({
    group: GROUP,
    topic: TOPIC,
    queueOffset: o.queueOffset,
    maxMsgNums: o.maxMsgNums,
    subscription: o.expression,
    expressionType: o.expressionType ?? 'SQL92',
    carrySubscription: o.carrySubscription,
  });
}

function bodies(response: RemotingCommand): string[] {
  if (response.body === undefined) return [];
  return decodeMessageRecords(response.body).map((r) => Buffer.from(r.body).toString());
}

function nextBeginOffset(response: RemotingCommand): number {
  return decodePullMessageResponseHeader(response.extFields ?? {}).nextBeginOffset;
}

function checkClientConfig(expression: string, expressionType = 'SQL92'): RemotingCommand {
  return RemotingCommand.request(
    RequestCode.CHECK_CLIENT_CONFIG,
    {},
    encodeFastjson({
      clientId: 'c1',
      group: GROUP,
      subscriptionData: {
        topic: TOPIC,
        subString: expression,
        expressionType,
        subVersion: 1,
        tagsSet: [],
        codeSet: [],
        classFilterMode: false,
      },
    }),
  );
}

describe('PULL_MESSAGE with an SQL92 subscription', () => {
  it('without enablePropertyFilter answers SYSTEM_ERROR as Java 4.9.8', async () => {
    const t = await broker(false);
    await putMessages(t, 2);
    const response = await t.call(pull({ expression: 'a > 0' }));
    expect(response.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(response.remark).toBe('The broker does not support consumer to filter message by SQL92');
  });

  it('returns exactly the matching messages and moves past the others', async () => {
    const t = await broker(true);
    await putMessages(t, 10);
    const response = await t.call(
      pull({ expression: "a BETWEEN 3 AND 6 AND TAGS IN ('TagA', 'TagC')" }),
    );
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(bodies(response)).toEqual(['m4', 'm6']);
    expect(nextBeginOffset(response)).toBe(10);
  });

  it('keeps looking past windows where nothing matches', async () => {
    const t = await broker(true);
    await putMessages(t, 10);
    const response = await t.call(pull({ expression: 'a >= 8', maxMsgNums: 2 }));
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(bodies(response)).toEqual(['m8', 'm9']);
    expect(nextBeginOffset(response)).toBe(10);
  });

  it('answers PULL_RETRY_IMMEDIATELY with an advanced offset when nothing read matches', async () => {
    const t = await broker(true);
    await putMessages(t, 20);
    const response = await t.call(pull({ expression: 'a > 100', maxMsgNums: 1 }));
    expect(response.code).toBe(ResponseCode.PULL_RETRY_IMMEDIATELY);
    expect(response.remark).toBe('NO_MATCHED_MESSAGE');
    expect(response.body).toBeUndefined();
    const next = nextBeginOffset(response);
    expect(next).toBeGreaterThan(0);
    expect(next).toBeLessThanOrEqual(20);
    const again = await t.call(pull({ expression: 'a > 100', queueOffset: 20 }));
    expect(again.code).toBe(ResponseCode.PULL_NOT_FOUND);
  });

  it('answers SUBSCRIPTION_PARSE_FAILED for a malformed expression carried by the pull', async () => {
    const t = await broker(true);
    await putMessages(t, 1);
    const response = await t.call(pull({ expression: 'a >' }));
    expect(response.code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
    expect(response.remark).toContain("parse the consumer's subscription failed");
  });

  it("filters with the member's heartbeat subscription when the pull carries none", async () => {
    const t = await broker(true);
    await putMessages(t, 6);
    const heartbeat = RemotingCommand.request(
      RequestCode.HEART_BEAT,
      {},
      encodeHeartbeatData({
        clientID: 'c1',
        producerDataSet: [],
        consumerDataSet: [
          clusteringConsumerData({
            group: GROUP,
            topic: TOPIC,
            subString: "TAGS = 'TagB' AND a < 4",
            expressionType: 'SQL92',
          }),
        ],
      }),
    );
    expect((await t.call(heartbeat)).code).toBe(ResponseCode.SUCCESS);
    const response = await t.call(pull({ carrySubscription: false }));
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(bodies(response)).toEqual(['m1', 'm3']);
  });

  it('leaves tag subscriptions as they were', async () => {
    const t = await broker(true);
    await putMessages(t, 4);
    const response = await t.call(pull({ expression: 'TagB', expressionType: 'TAG' }));
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(bodies(response)).toEqual(['m1', 'm3']);
  });
});

describe('CHECK_CLIENT_CONFIG', () => {
  it('passes TAG subscriptions whatever enablePropertyFilter says', async () => {
    const t = await broker(false);
    const response = await t.call(checkClientConfig('TagA || TagB', 'TAG'));
    expect(response.code).toBe(ResponseCode.SUCCESS);
  });

  it('refuses SQL92 without enablePropertyFilter as Java does', async () => {
    const t = await broker(false);
    const response = await t.call(checkClientConfig('a > 1'));
    expect(response.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(response.remark).toBe('The broker does not support consumer to filter message by SQL92');
  });

  it('passes a valid SQL92 expression and refuses a malformed one with its position', async () => {
    const t = await broker(true);
    expect((await t.call(checkClientConfig("a BETWEEN 1 AND 2 AND TAGS IN ('x')"))).code).toBe(
      ResponseCode.SUCCESS,
    );
    const bad = await t.call(checkClientConfig('a BETWEEN 1'));
    expect(bad.code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
    expect(bad.remark).toContain('"a BETWEEN 1"');
    expect(bad.remark).toContain('position 11');
  });

  it('passes a request without subscription data', async () => {
    const t = await broker(true);
    const response = await t.call(RemotingCommand.request(RequestCode.CHECK_CLIENT_CONFIG, {}));
    expect(response.code).toBe(ResponseCode.SUCCESS);
  });
});
