import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { decodeDataVersion, encodeDataVersion } from './data-version.js';

describe('DataVersion', () => {
  it('decodes the reference example', () => {
    expect(decodeDataVersion('{"counter":5,"timestamp":1700000000000}')).toEqual({
      counter: 5,
      timestamp: 1700000000000,
    });
  });

  it('keeps the 5.x stateVersion and re-decodes its own encoding', () => {
    const v = { counter: 1, timestamp: 2, stateVersion: 0 };
    expect(encodeDataVersion(v).toString()).toBe('{"counter":1,"stateVersion":0,"timestamp":2}');
    expect(decodeDataVersion(encodeDataVersion(v))).toEqual(v);
  });

  it('defaults missing numbers to 0 and refuses a non-integer counter', () => {
    expect(decodeDataVersion('{}')).toEqual({ counter: 0, timestamp: 0 });
    expect(() => decodeDataVersion('{"counter":1.5}')).toThrow(ProtocolError);
  });
});
