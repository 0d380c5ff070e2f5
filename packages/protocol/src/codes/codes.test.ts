import { describe, expect, it } from 'vitest';
import { RequestCode, requestCodeName } from './request-code.js';
import { ResponseCode, isRetriableCode, responseCodeName } from './response-code.js';

describe('request and response code tables', () => {
  it('carries the numbers clients and servers agree on', () => {
    expect(RequestCode.SEND_MESSAGE).toBe(10);
    expect(RequestCode.SEND_MESSAGE_V2).toBe(310);
    expect(RequestCode.SEND_BATCH_MESSAGE).toBe(320);
    expect(RequestCode.PULL_MESSAGE).toBe(11);
    expect(RequestCode.HEART_BEAT).toBe(34);
    expect(RequestCode.REGISTER_BROKER).toBe(103);
    expect(RequestCode.GET_ROUTEINFO_BY_TOPIC).toBe(105);
    expect(ResponseCode.TOPIC_NOT_EXIST).toBe(17);
    expect(ResponseCode.PULL_OFFSET_MOVED).toBe(21);
  });

  it('gives every request number exactly one name', () => {
    const numbers = Object.values(RequestCode);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const [name, code] of Object.entries(RequestCode))
      expect(requestCodeName(code)).toBe(name);
  });

  it('names reused response numbers by their 4.9 meaning', () => {
    expect(ResponseCode.POLLING_FULL).toBe(ResponseCode.UPDATE_AND_CREATE_ACL_CONFIG_FAILED);
    expect(responseCodeName(209)).toBe('UPDATE_AND_CREATE_ACL_CONFIG_FAILED');
    expect(responseCodeName(12345)).toBeUndefined();
  });

  it('marks the codes the Java producer retries on as retriable', () => {
    const retriable = Object.values(ResponseCode)
      .filter(isRetriableCode)
      .sort((a, b) => a - b);
    expect(retriable).toEqual([1, 14, 16, 17, 204, 205]);
  });
});
