import { describe, expect, it } from 'vitest';
import {
  decodeConsumerConnection,
  decodeProducerConnection,
  encodeConsumerConnection,
  encodeProducerConnection,
} from './connection.js';
import type { ConsumerConnection } from './connection.js';

const connection = {
  clientAddr: '10.0.0.5:53122',
  clientId: '10.0.0.5@12345',
  language: 'JAVA',
  version: 409,
};

describe('ConsumerConnection', () => {
  it('decodes the reference example and re-decodes its own encoding', () => {
    const json =
      '{"connectionSet":[{"clientAddr":"10.0.0.5:53122","clientId":"10.0.0.5@12345","language":"JAVA","version":409}],' +
      '"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","consumeType":"CONSUME_PASSIVELY","messageModel":"CLUSTERING",' +
      '"subscriptionTable":{"TopicTest":{"classFilterMode":false,"codeSet":[],"expressionType":"TAG","subString":"*",' +
      '"subVersion":1,"tagsSet":[],"topic":"TopicTest"}}}';
    const expected: ConsumerConnection = {
      connectionSet: [connection],
      consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
      consumeType: 'CONSUME_PASSIVELY',
      messageModel: 'CLUSTERING',
      subscriptionTable: new Map([
        [
          'TopicTest',
          {
            classFilterMode: false,
            codeSet: [],
            expressionType: 'TAG',
            subString: '*',
            subVersion: 1,
            tagsSet: [],
            topic: 'TopicTest',
          },
        ],
      ]),
    };
    expect(decodeConsumerConnection(json)).toEqual(expected);
    expect(encodeConsumerConnection(expected).toString()).toBe(json);
  });
});

describe('ProducerConnection', () => {
  it('round-trips its connection set', () => {
    const v = { connectionSet: [connection] };
    expect(encodeProducerConnection(v).toString()).toBe(
      '{"connectionSet":[{"clientAddr":"10.0.0.5:53122","clientId":"10.0.0.5@12345","language":"JAVA","version":409}]}',
    );
    expect(decodeProducerConnection(encodeProducerConnection(v))).toEqual(v);
    expect(decodeProducerConnection('{}')).toEqual({ connectionSet: [] });
  });
});
