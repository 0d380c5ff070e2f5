import fc from 'fast-check';
import { decodeMessageProperties } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { plainSendProperties } from './send-properties.js';

/** The full path's result: decode, drop WAIT, set CLUSTER. */
function viaMap(text: string, cluster: string): Map<string, string> {
  const map = decodeMessageProperties(text);
  map.delete('WAIT');
  map.set('CLUSTER', cluster);
  return map;
}

describe('plainSendProperties', () => {
  it('drops WAIT, sets CLUSTER and reads whether the sender waits', () => {
    const result = plainSendProperties(
      'TAGS\u0001A\u0002WAIT\u0001true\u0002KEYS\u0001k\u0002',
      'C1',
    );
    expect(result).toEqual({
      stored: 'TAGS\u0001A\u0002KEYS\u0001k\u0002CLUSTER\u0001C1\u0002',
      waitStoreMsgOk: true,
    });
    expect(plainSendProperties('WAIT\u0001FALSE\u0002', 'C1')).toEqual({
      stored: 'CLUSTER\u0001C1\u0002',
      waitStoreMsgOk: false,
    });
    expect(plainSendProperties('', 'C1')).toEqual({
      stored: 'CLUSTER\u0001C1\u0002',
      waitStoreMsgOk: true,
    });
    expect(plainSendProperties('CLUSTER\u0001old\u0002A\u0001b', 'C1')?.stored).toBe(
      'A\u0001b\u0002CLUSTER\u0001C1\u0002',
    );
  });

  it('leaves transactional, delayed and timer messages to the full path', () => {
    for (const name of [
      'TRAN_MSG',
      'DELAY',
      'TIMER_DELAY_SEC',
      'TIMER_DELAY_MS',
      'TIMER_DELIVER_MS',
      'TIMER_OUT_MS',
      '__STARTDELIVERTIME',
    ]) {
      expect(plainSendProperties(`A\u00011\u0002${name}\u00013\u0002`, 'C')).toBeUndefined();
    }
  });

  it('stores the same properties as the Map path for any string', () => {
    const alphabet = fc.constantFrom('W', 'A', 'I', 'T', 'C', 'x', '\u0001', '\u0002');
    const name = fc.oneof(
      fc.constantFrom('WAIT', 'CLUSTER', 'TAGS', 'KEYS', 'UNIQ_KEY', 'WAI', ''),
      fc.array(alphabet, { maxLength: 5 }).map((chars) => chars.join('')),
    );
    const value = fc.oneof(
      fc.constantFrom('true', 'false', 'TRUE', 'x', ''),
      fc.array(alphabet, { maxLength: 5 }).map((chars) => chars.join('')),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(name, value, fc.boolean(), fc.boolean()), { maxLength: 8 }),
        (pieces) => {
          const text = pieces
            .map(([n, v, sep, last]) => n + (sep ? '\u0001' : '') + v + (last ? '' : '\u0002'))
            .join('');
          const result = plainSendProperties(text, 'DefaultCluster');
          if (result === undefined) return;
          const expected = viaMap(text, 'DefaultCluster');
          const wait = decodeMessageProperties(text).get('WAIT');
          expect(decodeMessageProperties(result.stored)).toEqual(expected);
          expect(result.waitStoreMsgOk).toBe(wait === undefined || wait.toLowerCase() === 'true');
        },
      ),
      { numRuns: 1000 },
    );
  });
});
