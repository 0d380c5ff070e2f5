import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { decodeTopicRouteData, encodeTopicRouteData } from './topic-route-data.js';
import type { TopicRouteData } from './topic-route-data.js';

const REFERENCE_EXAMPLE = `{"brokerDatas":[{"brokerAddrs":{"0":"10.0.0.1:10911","1":"10.0.0.2:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}],
 "filterServerTable":{},
 "queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4}]}`;

const expected: TopicRouteData = {
  brokerDatas: [
    {
      brokerAddrs: new Map([
        [0, '10.0.0.1:10911'],
        [1, '10.0.0.2:10911'],
      ]),
      brokerName: 'broker-a',
      cluster: 'DefaultCluster',
    },
  ],
  filterServerTable: new Map(),
  queueDatas: [
    { brokerName: 'broker-a', perm: 6, readQueueNums: 4, topicSysFlag: 0, writeQueueNums: 4 },
  ],
};

describe('TopicRouteData', () => {
  it('decodes the reference example with broker ids as numbers', () => {
    expect(decodeTopicRouteData(Buffer.from(REFERENCE_EXAMPLE))).toEqual(expected);
  });

  it('decodes the Java default form with unquoted broker id keys', () => {
    const java = REFERENCE_EXAMPLE.replace('"0":', '0:').replace('"1":', '1:');
    expect(decodeTopicRouteData(java)).toEqual(expected);
  });

  it('encodes with quoted keys and alphabetical properties', () => {
    expect(encodeTopicRouteData(expected).toString()).toBe(REFERENCE_EXAMPLE.replace(/\n /g, ''));
  });

  it('re-decodes its own encoding with every optional property', () => {
    const full: TopicRouteData = {
      ...expected,
      orderTopicConf: 'broker-a:4',
      brokerDatas: [{ ...expected.brokerDatas[0]!, zoneName: 'z1', enableActingMaster: false }],
      filterServerTable: new Map([['10.0.0.1:10911', ['10.0.0.1:30000']]]),
      topicQueueMappingByBroker: new Map([['broker-a', { bname: 'broker-a', epoch: 1 }]]),
    };
    expect(decodeTopicRouteData(encodeTopicRouteData(full))).toEqual(full);
  });

  it('reads the old topicSynFlag spelling and ignores unknown properties', () => {
    const v = decodeTopicRouteData(
      '{"queueDatas":[{"brokerName":"b","perm":6,"readQueueNums":1,"writeQueueNums":1,"topicSynFlag":3}],"extra":[1]}',
    );
    expect(v.queueDatas[0]?.topicSysFlag).toBe(3);
    expect(v.brokerDatas).toEqual([]);
  });

  it('refuses a broker id that is not an integer and a perm of the wrong type', () => {
    expect(() => decodeTopicRouteData('{"brokerDatas":[{"brokerAddrs":{"x":"a"}}]}')).toThrow(
      ProtocolError,
    );
    expect(() => decodeTopicRouteData('{"queueDatas":[{"perm":"rw"}]}')).toThrow(
      /topicRouteData\.queueDatas\[0\]\.perm: expected a number/,
    );
    expect(() => decodeTopicRouteData('[]')).toThrow(ProtocolError);
  });
});
