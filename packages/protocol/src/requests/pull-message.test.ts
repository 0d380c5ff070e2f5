import { describe, expect, it } from 'vitest';
import { HeaderFieldError } from '../errors.js';
import {
  PullSysFlag,
  buildPullSysFlag,
  clearPullSysFlag,
  decodePullMessageRequestHeader,
  decodePullMessageResponseHeader,
  encodePullMessageRequestHeader,
  hasPullSysFlag,
} from './pull-message.js';

describe('pull message request header', () => {
  it('decodes what ali-ons sends after string coercion', () => {
    const ext = {
      consumerGroup: 'CG',
      topic: 'T',
      queueId: '0',
      queueOffset: '0',
      maxMsgNums: '32',
      sysFlag: '6',
      commitOffset: '0',
      suspendTimeoutMillis: '15000',
      subscription: '*',
      subVersion: '1795545972421',
    };
    const h = decodePullMessageRequestHeader(ext);
    expect(h).toStrictEqual({
      consumerGroup: 'CG',
      topic: 'T',
      queueId: 0,
      queueOffset: 0,
      maxMsgNums: 32,
      sysFlag: 6,
      commitOffset: 0,
      suspendTimeoutMillis: 15000,
      subscription: '*',
      subVersion: 1795545972421,
    });
    expect(encodePullMessageRequestHeader(h)).toEqual(ext);
  });

  it('rejects a queue offset that is not a Java long', () => {
    const ext = {
      consumerGroup: 'CG',
      topic: 'T',
      queueId: '0',
      queueOffset: '1.5',
      maxMsgNums: '32',
      sysFlag: '6',
      commitOffset: '0',
      suspendTimeoutMillis: '15000',
      subVersion: '1',
    };
    expect(() => decodePullMessageRequestHeader(ext)).toThrow(HeaderFieldError);
    expect(() => decodePullMessageRequestHeader(ext)).toThrow(/queueOffset/);
  });
});

describe('pull message response header', () => {
  it('requires all four offsets', () => {
    const full = {
      suggestWhichBrokerId: '0',
      nextBeginOffset: '5',
      minOffset: '0',
      maxOffset: '5',
    };
    expect(decodePullMessageResponseHeader(full)).toStrictEqual({
      suggestWhichBrokerId: 0,
      nextBeginOffset: 5,
      minOffset: 0,
      maxOffset: 5,
    });
    for (const key of Object.keys(full)) {
      const without: Record<string, string> = { ...full };
      delete without[key];
      expect(() => decodePullMessageResponseHeader(without)).toThrow(
        `header field ${key}: is missing`,
      );
    }
  });
});

describe('PullSysFlag', () => {
  it('uses the Java bit values', () => {
    expect(PullSysFlag).toEqual({
      COMMIT_OFFSET: 0x1,
      SUSPEND: 0x2,
      SUBSCRIPTION: 0x4,
      CLASS_FILTER: 0x8,
      LITE_PULL: 0x10,
    });
  });

  it('builds the flags ali-ons sends: 6 without and 7 with a commit offset', () => {
    expect(buildPullSysFlag({ suspend: true, subscription: true })).toBe(6);
    expect(buildPullSysFlag({ commitOffset: true, suspend: true, subscription: true })).toBe(7);
    expect(buildPullSysFlag({})).toBe(0);
    expect(
      buildPullSysFlag({
        commitOffset: true,
        suspend: true,
        subscription: true,
        classFilter: true,
        litePull: true,
      }),
    ).toBe(0x1f);
  });

  it('tests and clears single bits', () => {
    expect(hasPullSysFlag(6, PullSysFlag.SUSPEND)).toBe(true);
    expect(hasPullSysFlag(6, PullSysFlag.COMMIT_OFFSET)).toBe(false);
    expect(clearPullSysFlag(7, PullSysFlag.COMMIT_OFFSET)).toBe(6);
    expect(clearPullSysFlag(6, PullSysFlag.COMMIT_OFFSET)).toBe(6);
    expect(
      hasPullSysFlag(clearPullSysFlag(0x1f, PullSysFlag.LITE_PULL), PullSysFlag.LITE_PULL),
    ).toBe(false);
  });
});
