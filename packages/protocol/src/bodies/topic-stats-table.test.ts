import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { decodeTopicStatsTable, encodeTopicStatsTable } from './topic-stats-table.js';
import type { TopicStatsTable } from './topic-stats-table.js';

const value: TopicStatsTable = {
  offsetTable: [
    [
      { topic: 'TopicTest', brokerName: 'broker-a', queueId: 0 },
      { minOffset: 0, maxOffset: 42, lastUpdateTimestamp: 1700000000000 },
    ],
    [
      { topic: 'TopicTest', brokerName: 'broker-a', queueId: 1 },
      { minOffset: 3, maxOffset: 40, lastUpdateTimestamp: 1700000000001 },
    ],
  ],
};

const FASTJSON_TEXT =
  '{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"TopicTest"}:{"lastUpdateTimestamp":1700000000000,"maxOffset":42,"minOffset":0},' +
  '{"brokerName":"broker-a","queueId":1,"topic":"TopicTest"}:{"lastUpdateTimestamp":1700000000001,"maxOffset":40,"minOffset":3}}}';

describe('TopicStatsTable', () => {
  it('encodes exactly the fastjson object-key text', () => {
    expect(encodeTopicStatsTable(value).toString()).toBe(FASTJSON_TEXT);
  });

  it('decodes the fastjson text, with whitespace, back to the entries', () => {
    expect(decodeTopicStatsTable(Buffer.from(FASTJSON_TEXT))).toEqual(value);
    expect(decodeTopicStatsTable(FASTJSON_TEXT.replace(/,\{"b/g, ',\n  {"b'))).toEqual(value);
  });

  it('decodes an empty table written as {}', () => {
    expect(decodeTopicStatsTable('{"offsetTable":{}}')).toEqual({ offsetTable: [] });
  });

  it('refuses a key that is not a message queue and a string-keyed table', () => {
    expect(() => decodeTopicStatsTable('{"offsetTable":{{"topic":"t"}:{}}}')).toThrow(
      /offsetTable\[0\]\.key\.queueId: missing/,
    );
    expect(() => decodeTopicStatsTable('{"offsetTable":{"t":{}}}')).toThrow(ProtocolError);
  });
});
