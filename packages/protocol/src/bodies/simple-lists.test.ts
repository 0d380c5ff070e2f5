import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import {
  decodeGetConsumerListByGroupResponseBody,
  encodeGetConsumerListByGroupResponseBody,
} from './consumer-list-by-group.js';
import { decodeGroupList, encodeGroupList } from './group-list.js';
import { decodeKVTable, encodeKVTable } from './kv-table.js';
import { decodeTopicList, encodeTopicList } from './topic-list.js';

describe('TopicList', () => {
  it('decodes the reference example and round-trips without brokerAddr', () => {
    expect(decodeTopicList('{"topicList":["a","b"],"brokerAddr":"10.0.0.1:10911"}')).toEqual({
      topicList: ['a', 'b'],
      brokerAddr: '10.0.0.1:10911',
    });
    const v = { topicList: ['x'] };
    expect(encodeTopicList(v).toString()).toBe('{"topicList":["x"]}');
    expect(decodeTopicList(encodeTopicList(v))).toEqual(v);
  });

  it('refuses a list with a non-string item', () => {
    expect(() => decodeTopicList('{"topicList":["a",1]}')).toThrow(/topicList\.topicList\[1\]/);
  });
});

describe('KVTable', () => {
  it('decodes the reference example and round-trips', () => {
    const v = decodeKVTable('{"table":{"k":"v","putTps":12.5}}');
    expect(v.table).toEqual(
      new Map([
        ['k', 'v'],
        ['putTps', '12.5'],
      ]),
    );
    expect(decodeKVTable(encodeKVTable(v))).toEqual(v);
  });

  it('refuses a table that is an array', () => {
    expect(() => decodeKVTable('{"table":[]}')).toThrow(ProtocolError);
  });
});

describe('GroupList', () => {
  it('decodes the reference example and round-trips', () => {
    const v = decodeGroupList('{"groupList":["g1"]}');
    expect(v).toEqual({ groupList: ['g1'] });
    expect(encodeGroupList(v).toString()).toBe('{"groupList":["g1"]}');
  });
});

describe('GetConsumerListByGroupResponseBody', () => {
  it('decodes the reference example and round-trips', () => {
    const text = '{"consumerIdList":["10.0.0.5@12345"]}';
    const v = decodeGetConsumerListByGroupResponseBody(text);
    expect(v).toEqual({ consumerIdList: ['10.0.0.5@12345'] });
    expect(encodeGetConsumerListByGroupResponseBody(v).toString()).toBe(text);
  });
});
