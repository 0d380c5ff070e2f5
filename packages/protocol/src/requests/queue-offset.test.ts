import { describe, expect, it } from 'vitest';
import type { BoundaryType } from './queue-offset.js';
import {
  decodeGetMaxOffsetRequestHeader,
  decodeSearchOffsetRequestHeader,
  encodeSearchOffsetRequestHeader,
} from './queue-offset.js';

const SEARCH = { topic: 'T', queueId: '0', timestamp: '1700000000000' };

describe('search offset request header', () => {
  it('reads boundaryType as BoundaryType.getType does: "upper" in any case is UPPER, anything else LOWER', () => {
    expect(decodeSearchOffsetRequestHeader({ ...SEARCH, boundaryType: 'UPPER' }).boundaryType).toBe(
      'UPPER',
    );
    expect(decodeSearchOffsetRequestHeader({ ...SEARCH, boundaryType: 'upper' }).boundaryType).toBe(
      'UPPER',
    );
    expect(
      decodeSearchOffsetRequestHeader({ ...SEARCH, boundaryType: 'middle' }).boundaryType,
    ).toBe('LOWER');
    expect(decodeSearchOffsetRequestHeader(SEARCH).boundaryType).toBeUndefined();
  });

  it('refuses to write a boundary type that is not LOWER or UPPER', () => {
    const bad = 'SIDEWAYS' as BoundaryType;
    expect(() =>
      encodeSearchOffsetRequestHeader({ topic: 'T', queueId: 0, timestamp: 1, boundaryType: bad }),
    ).toThrow(/boundaryType/);
  });
});

describe('get max offset request header', () => {
  it('decodes what ali-ons sends', () => {
    expect(decodeGetMaxOffsetRequestHeader({ topic: 'T', queueId: '3' })).toStrictEqual({
      topic: 'T',
      queueId: 3,
    });
  });

  it('rejects a queue id with surrounding spaces, as Integer.parseInt does', () => {
    expect(() => decodeGetMaxOffsetRequestHeader({ topic: 'T', queueId: ' 3' })).toThrow(
      'header field queueId: " 3" is not an int',
    );
  });
});
