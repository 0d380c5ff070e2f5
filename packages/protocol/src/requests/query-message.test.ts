import { describe, expect, it } from 'vitest';
import {
  decodeQueryMessageRequestHeader,
  encodeQueryMessageRequestHeader,
} from './query-message.js';

const BASE = { topic: 'T', key: 'K', maxNum: '32', beginTimestamp: '0', endTimestamp: '9' };

describe('query message request header', () => {
  it('treats only the exact string "true" as a unique-key query, as the Java broker does', () => {
    expect(
      decodeQueryMessageRequestHeader({ ...BASE, _UNIQUE_KEY_QUERY: 'true' })._UNIQUE_KEY_QUERY,
    ).toBe(true);
    expect(
      decodeQueryMessageRequestHeader({ ...BASE, _UNIQUE_KEY_QUERY: 'TRUE' })._UNIQUE_KEY_QUERY,
    ).toBe(false);
    expect(decodeQueryMessageRequestHeader(BASE)._UNIQUE_KEY_QUERY).toBeUndefined();
  });

  it('writes the flag as the _UNIQUE_KEY_QUERY extField', () => {
    const ext = encodeQueryMessageRequestHeader({
      topic: 'T',
      key: 'UNIQ',
      maxNum: 1,
      beginTimestamp: 0,
      endTimestamp: Number.MAX_SAFE_INTEGER,
      _UNIQUE_KEY_QUERY: true,
    });
    expect(ext._UNIQUE_KEY_QUERY).toBe('true');
    expect(ext.endTimestamp).toBe('9007199254740991');
  });
});
