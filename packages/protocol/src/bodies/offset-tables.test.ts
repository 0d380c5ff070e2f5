import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import {
  decodeConsumerOffsetTable,
  decodeDelayOffsetTable,
  encodeConsumerOffsetTable,
  encodeDelayOffsetTable,
} from './offset-tables.js';

describe('consumerOffset.json table', () => {
  it('decodes the Java form with unquoted queue ids', () => {
    expect(decodeConsumerOffsetTable('{"offsetTable":{"topic@group":{0:12,1:7}}}')).toEqual({
      offsetTable: new Map([
        [
          'topic@group',
          new Map([
            [0, 12],
            [1, 7],
          ]),
        ],
      ]),
    });
  });

  it('encodes quoted keys and re-decodes equal', () => {
    const v = { offsetTable: new Map([['t@g', new Map([[3, 9]])]]) };
    expect(encodeConsumerOffsetTable(v).toString()).toBe('{"offsetTable":{"t@g":{"3":9}}}');
    expect(decodeConsumerOffsetTable(encodeConsumerOffsetTable(v))).toEqual(v);
  });
});

describe('delayOffset.json table', () => {
  it('decodes unquoted levels and re-decodes its own encoding', () => {
    const v = decodeDelayOffsetTable(Buffer.from('{"offsetTable":{1:100,2:0}}'));
    expect(v).toEqual({
      offsetTable: new Map([
        [1, 100],
        [2, 0],
      ]),
    });
    expect(encodeDelayOffsetTable(v).toString()).toBe('{"offsetTable":{"1":100,"2":0}}');
    expect(decodeDelayOffsetTable(encodeDelayOffsetTable(v))).toEqual(v);
  });

  it('refuses a level that is not an integer', () => {
    expect(() => decodeDelayOffsetTable('{"offsetTable":{"one":1}}')).toThrow(ProtocolError);
  });
});
