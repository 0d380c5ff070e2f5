import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import {
  decodeTopicConfig,
  decodeTopicConfigLine,
  decodeTopicConfigSerializeWrapper,
  encodeTopicConfig,
  encodeTopicConfigLine,
  encodeTopicConfigSerializeWrapper,
} from './topic-config.js';
import type { TopicConfig, TopicConfigSerializeWrapper } from './topic-config.js';

const REFERENCE_EXAMPLE =
  '{"dataVersion":{"counter":3,"timestamp":1700000000000},' +
  '"topicConfigTable":{"TopicTest":{"order":false,"perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG",' +
  '"topicName":"TopicTest","topicSysFlag":0,"writeQueueNums":4}}}';

const topicTest: TopicConfig = {
  topicName: 'TopicTest',
  readQueueNums: 4,
  writeQueueNums: 4,
  perm: 6,
  topicFilterType: 'SINGLE_TAG',
  topicSysFlag: 0,
  order: false,
};

describe('TopicConfigSerializeWrapper', () => {
  it('decodes the reference example', () => {
    expect(decodeTopicConfigSerializeWrapper(Buffer.from(REFERENCE_EXAMPLE))).toEqual({
      dataVersion: { counter: 3, timestamp: 1700000000000 },
      topicConfigTable: new Map([['TopicTest', topicTest]]),
    });
  });

  it('encodes exactly the reference form', () => {
    const w: TopicConfigSerializeWrapper = {
      dataVersion: { counter: 3, timestamp: 1700000000000 },
      topicConfigTable: new Map([['TopicTest', topicTest]]),
    };
    expect(encodeTopicConfigSerializeWrapper(w).toString()).toBe(REFERENCE_EXAMPLE);
  });

  it('re-decodes its own encoding including 5.x sections', () => {
    const w: TopicConfigSerializeWrapper = {
      dataVersion: { counter: 1, timestamp: 2, stateVersion: 0 },
      topicConfigTable: new Map([
        ['a', { ...topicTest, topicName: 'a', attributes: new Map([['+message.type', 'FIFO']]) }],
      ]),
      topicQueueMappingInfoMap: new Map([['a', { topic: 'a', bname: 'b', currIdMap: { '0': 0 } }]]),
      topicQueueMappingDetailMap: new Map([['a', { topic: 'a', hostedQueues: { '0': [] } }]]),
      mappingDataVersion: { counter: 4, timestamp: 5 },
    };
    expect(decodeTopicConfigSerializeWrapper(encodeTopicConfigSerializeWrapper(w))).toEqual(w);
  });

  it('fills Java defaults for missing properties and the name from the table key', () => {
    expect(
      decodeTopicConfigSerializeWrapper('{"topicConfigTable":{"t":{}}}').topicConfigTable.get('t'),
    ).toEqual({
      topicName: 't',
      readQueueNums: 16,
      writeQueueNums: 16,
      perm: 6,
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: 0,
      order: false,
    });
  });
});

describe('TopicConfig', () => {
  it('round-trips a single config and refuses an unknown filter type', () => {
    expect(decodeTopicConfig(encodeTopicConfig(topicTest))).toEqual(topicTest);
    expect(() => decodeTopicConfig('{"topicFilterType":"ANY"}')).toThrow(ProtocolError);
  });
});

describe('TopicConfig line format', () => {
  it('writes five fields without attributes so 4.x readers accept it', () => {
    expect(encodeTopicConfigLine(topicTest)).toBe('TopicTest 4 4 6 SINGLE_TAG');
  });

  it('writes attributes as a sixth JSON field and reads them back', () => {
    const c = { ...topicTest, attributes: new Map([['+message.type', 'DELAY']]) };
    const line = encodeTopicConfigLine(c);
    expect(line).toBe('TopicTest 4 4 6 SINGLE_TAG {"+message.type":"DELAY"}');
    expect(decodeTopicConfigLine(line)).toEqual(c);
  });

  it('reads the 5.x form with empty attributes and drops sysFlag/order to their defaults', () => {
    expect(decodeTopicConfigLine('t 8 8 7 MULTI_TAG {}')).toEqual({
      topicName: 't',
      readQueueNums: 8,
      writeQueueNums: 8,
      perm: 7,
      topicFilterType: 'MULTI_TAG',
      topicSysFlag: 0,
      order: false,
      attributes: new Map(),
    });
  });

  it('ignores attributes that do not parse, as Java does', () => {
    expect(decodeTopicConfigLine('t 1 1 6 SINGLE_TAG {oops').attributes).toBeUndefined();
  });

  it('refuses short lines, non-int numbers and unknown filter types', () => {
    expect(() => decodeTopicConfigLine('t 1 1 6')).toThrow(ProtocolError);
    expect(() => decodeTopicConfigLine('t 1 x 6 SINGLE_TAG')).toThrow(/writeQueueNums/);
    expect(() => decodeTopicConfigLine('t 1 99999999999 6 SINGLE_TAG')).toThrow(ProtocolError);
    expect(() => decodeTopicConfigLine('t 1 1 6 NONE')).toThrow(/filter type/);
  });
});
