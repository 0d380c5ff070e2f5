import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { decodeHeartbeatData, encodeHeartbeatData } from './heartbeat-data.js';
import type { HeartbeatData } from './heartbeat-data.js';

const REFERENCE_EXAMPLE = `{"clientID":"10.0.0.5@12345",
 "consumerDataSet":[{"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","consumeType":"CONSUME_PASSIVELY","groupName":"cg",
   "messageModel":"CLUSTERING","subscriptionDataSet":[{"classFilterMode":false,"codeSet":[2598919],"expressionType":"TAG",
   "subString":"TagA","subVersion":1700000000000,"tagsSet":["TagA"],"topic":"TopicTest"}],"unitMode":false}],
 "producerDataSet":[{"groupName":"pg"},{"groupName":"CLIENT_INNER_PRODUCER"}]}`;

const expected: HeartbeatData = {
  clientID: '10.0.0.5@12345',
  consumerDataSet: [
    {
      consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
      consumeType: 'CONSUME_PASSIVELY',
      groupName: 'cg',
      messageModel: 'CLUSTERING',
      subscriptionDataSet: [
        {
          classFilterMode: false,
          codeSet: [2598919],
          expressionType: 'TAG',
          subString: 'TagA',
          subVersion: 1700000000000,
          tagsSet: ['TagA'],
          topic: 'TopicTest',
        },
      ],
      unitMode: false,
    },
  ],
  producerDataSet: [{ groupName: 'pg' }, { groupName: 'CLIENT_INNER_PRODUCER' }],
};

describe('HeartbeatData', () => {
  it('decodes the reference example', () => {
    expect(decodeHeartbeatData(Buffer.from(REFERENCE_EXAMPLE))).toEqual(expected);
  });

  it('encodes exactly the reference form and re-decodes equal', () => {
    const bytes = encodeHeartbeatData(expected);
    expect(bytes.toString()).toBe(REFERENCE_EXAMPLE.replace(/\n */g, ''));
    expect(decodeHeartbeatData(bytes)).toEqual(expected);
  });

  it('decodes the ali-ons heartbeat, defaulting the missing expressionType to TAG', () => {
    const aliOns =
      '{"clientID":"192.0.2.2@21219","consumerDataSet":[{"groupName":"CG","consumeType":"CONSUME_PASSIVELY",' +
      '"messageModel":"CLUSTERING","consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","subscriptionDataSet":[' +
      '{"topic":"%RETRY%CG","subString":"*","classFilterMode":false,"tagsSet":[],"codeSet":[],"subVersion":1795545972421}],' +
      '"unitMode":false}],"producerDataSet":[{"groupName":"PG"}]}';
    const v = decodeHeartbeatData(aliOns);
    expect(v.consumerDataSet[0]?.subscriptionDataSet[0]).toEqual({
      topic: '%RETRY%CG',
      subString: '*',
      classFilterMode: false,
      tagsSet: [],
      codeSet: [],
      subVersion: 1795545972421,
      expressionType: 'TAG',
    });
  });

  it('keeps the 5.x heartbeat v2 fields', () => {
    const v = { ...expected, heartbeatFingerprint: -12345, withoutSub: true };
    expect(decodeHeartbeatData(encodeHeartbeatData(v))).toEqual(v);
  });

  it('refuses an unknown consume type', () => {
    expect(() => decodeHeartbeatData('{"consumerDataSet":[{"consumeType":"SOMETIMES"}]}')).toThrow(
      ProtocolError,
    );
  });
});
