import { describe, expect, it } from 'vitest';
import { decodeConsumeStats, encodeConsumeStats } from './consume-stats.js';
import type { ConsumeStats } from './consume-stats.js';

const FASTJSON_TEXT =
  '{"consumeTps":0.0,"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"TopicTest"}:' +
  '{"brokerOffset":42,"consumerOffset":40,"lastTimestamp":1700000000000}}}';

const value: ConsumeStats = {
  consumeTps: 0,
  offsetTable: [
    [
      { topic: 'TopicTest', brokerName: 'broker-a', queueId: 0 },
      { brokerOffset: 42, consumerOffset: 40, lastTimestamp: 1700000000000 },
    ],
  ],
};

describe('ConsumeStats', () => {
  it('encodes exactly the fastjson text, with consumeTps as a Java double', () => {
    expect(encodeConsumeStats(value).toString()).toBe(FASTJSON_TEXT);
  });

  it('decodes the fastjson text', () => {
    expect(decodeConsumeStats(Buffer.from(FASTJSON_TEXT))).toEqual(value);
  });

  it('re-decodes a fractional tps and the 5.x pullOffset', () => {
    const v: ConsumeStats = {
      consumeTps: 12.75,
      offsetTable: [
        [
          { topic: 't', brokerName: 'b', queueId: 3 },
          { brokerOffset: 1, consumerOffset: 1, lastTimestamp: 0, pullOffset: 1 },
        ],
      ],
    };
    expect(encodeConsumeStats(v).toString()).toContain('"consumeTps":12.75');
    expect(decodeConsumeStats(encodeConsumeStats(v))).toEqual(v);
  });
});
