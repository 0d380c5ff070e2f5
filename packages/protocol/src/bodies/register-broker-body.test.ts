import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { decodeRegisterBrokerBody, encodeRegisterBrokerBody } from './register-broker-body.js';
import type { RegisterBrokerBody } from './register-broker-body.js';
import type { TopicConfig } from './topic-config.js';

function topic(name: string, extra: Partial<TopicConfig> = {}): TopicConfig {
  return {
    topicName: name,
    readQueueNums: 4,
    writeQueueNums: 4,
    perm: 6,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
    ...extra,
  };
}

const body: RegisterBrokerBody = {
  topicConfigSerializeWrapper: {
    dataVersion: { counter: 7, timestamp: 1700000000000 },
    topicConfigTable: new Map([
      ['TopicTest', topic('TopicTest')],
      ['%RETRY%cg', topic('%RETRY%cg', { readQueueNums: 1, writeQueueNums: 1 })],
    ]),
  },
  filterServerList: [],
};

/** Builds the compressed layout by hand, as a 4.x Java broker writes it (no mapping section). */
function javaCompressed4x(parts: { dataVersion: string; lines: string[]; filter: string }): Buffer {
  const chunks: Buffer[] = [];
  const block = (s: string): void => {
    const b = Buffer.from(s);
    const len = Buffer.alloc(4);
    len.writeInt32BE(b.length);
    chunks.push(len, b);
  };
  block(parts.dataVersion);
  const n = Buffer.alloc(4);
  n.writeInt32BE(parts.lines.length);
  chunks.push(n);
  parts.lines.forEach(block);
  block(parts.filter);
  return deflateSync(Buffer.concat(chunks));
}

describe('RegisterBrokerBody', () => {
  it('decodes the uncompressed JSON form of the reference', () => {
    const json =
      '{"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":{"counter":7,"timestamp":1700000000000},' +
      '"topicConfigTable":{"TopicTest":{"order":false,"perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG",' +
      '"topicName":"TopicTest","topicSysFlag":0,"writeQueueNums":4}}}}';
    const decoded = decodeRegisterBrokerBody(Buffer.from(json));
    expect(decoded.topicConfigSerializeWrapper.topicConfigTable.get('TopicTest')).toEqual(
      topic('TopicTest'),
    );
    expect(encodeRegisterBrokerBody(decoded).toString()).toBe(json);
  });

  it('round-trips the uncompressed form', () => {
    expect(decodeRegisterBrokerBody(encodeRegisterBrokerBody(body))).toEqual(body);
  });

  it('round-trips the compressed form', () => {
    const bytes = encodeRegisterBrokerBody(body, { compressed: true });
    expect(bytes[0]).toBe(0x78); // zlib header
    expect(decodeRegisterBrokerBody(bytes, { compressed: true })).toEqual({
      ...body,
      topicConfigSerializeWrapper: {
        ...body.topicConfigSerializeWrapper,
        topicQueueMappingInfoMap: new Map(),
      },
    });
  });

  it('round-trips the compressed 5.x mapping section and topic attributes', () => {
    const v5: RegisterBrokerBody = {
      topicConfigSerializeWrapper: {
        dataVersion: { counter: 1, timestamp: 2, stateVersion: 0 },
        topicConfigTable: new Map([
          ['s', topic('s', { attributes: new Map([['+message.type', 'NORMAL']]) })],
        ]),
        topicQueueMappingInfoMap: new Map([
          ['s', { bname: 'b', epoch: 3, topic: 's', totalQueues: 8 }],
        ]),
      },
      filterServerList: ['10.0.0.1:30000'],
    };
    const bytes = encodeRegisterBrokerBody(v5, { compressed: true });
    expect(decodeRegisterBrokerBody(bytes, { compressed: true })).toEqual(v5);
  });

  it('decodes a 4.x Java compressed body that ends after the filter server list', () => {
    const bytes = javaCompressed4x({
      dataVersion: '{"counter":2,"timestamp":5}',
      lines: ['TopicTest 4 4 6 SINGLE_TAG'],
      filter: '[]',
    });
    expect(decodeRegisterBrokerBody(bytes, { compressed: true })).toEqual({
      topicConfigSerializeWrapper: {
        dataVersion: { counter: 2, timestamp: 5 },
        topicConfigTable: new Map([['TopicTest', topic('TopicTest')]]),
      },
      filterServerList: [],
    });
  });

  it('keeps an empty filter server list when its JSON does not parse, as Java does', () => {
    const bytes = javaCompressed4x({ dataVersion: '{}', lines: [], filter: '[oops' });
    expect(decodeRegisterBrokerBody(bytes, { compressed: true }).filterServerList).toEqual([]);
  });

  it('refuses lengths beyond the inflated data, impossible counts and bad zlib', () => {
    const truncated = deflateSync(Buffer.from([0, 0, 0, 100, 0x7b]));
    expect(() => decodeRegisterBrokerBody(truncated, { compressed: true })).toThrow(
      /length 100 exceeds/,
    );
    const dv = Buffer.from('{}');
    const badCount = Buffer.concat([
      Buffer.from([0, 0, 0, 2]),
      dv,
      Buffer.from([0x7f, 0xff, 0xff, 0xff]),
    ]);
    expect(() => decodeRegisterBrokerBody(deflateSync(badCount), { compressed: true })).toThrow(
      /impossible topic count/,
    );
    expect(() => decodeRegisterBrokerBody(Buffer.from('not zlib'), { compressed: true })).toThrow(
      ProtocolError,
    );
  });

  it('refuses a zlib stream that inflates beyond maxInflatedBytes', () => {
    const bomb = deflateSync(Buffer.alloc(1 << 20));
    expect(() =>
      decodeRegisterBrokerBody(bomb, { compressed: true, maxInflatedBytes: 1024 }),
    ).toThrow(ProtocolError);
  });
});
