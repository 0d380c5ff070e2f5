import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RocketMQError } from '../errors.js';
import {
  MAX_PROPERTIES_BYTES,
  decodeMessageProperties,
  encodeMessageProperties,
  messagePropertiesByteLength,
  pickMessageProperties,
  propertiesToWire,
} from './properties.js';

const hasNoSeparator = (s: string): boolean => !s.includes('\u0001') && !s.includes('\u0002');

describe('message properties', () => {
  it('encodes every entry as name U+0001 value U+0002, ending with the separator', () => {
    const text = encodeMessageProperties(
      new Map([
        ['TAGS', 'TagA'],
        ['KEYS', 'k1 k2'],
      ]),
    );
    expect(text).toBe('TAGS\u0001TagA\u0002KEYS\u0001k1 k2\u0002');
  });

  it('encodes a plain record and skips null and undefined values', () => {
    expect(encodeMessageProperties({ A: '1', B: null, C: undefined, D: '' })).toBe(
      'A\u00011\u0002D\u0001\u0002',
    );
    expect(encodeMessageProperties({})).toBe('');
  });

  it('refuses names and values that contain a separator', () => {
    expect(() => encodeMessageProperties({ 'A\u0001': 'x' })).toThrow(RocketMQError);
    expect(() => encodeMessageProperties(new Map([['A', 'x\u0002y']]))).toThrow(/separator/);
  });

  it('decodes a string with a trailing separator', () => {
    const map = decodeMessageProperties('TAGS\u0001TagA\u0002UNIQ_KEY\u0001ABC\u0002');
    expect([...map]).toEqual([
      ['TAGS', 'TagA'],
      ['UNIQ_KEY', 'ABC'],
    ]);
  });

  it('decodes a string without the trailing separator', () => {
    expect(decodeMessageProperties('A\u00011\u0002B\u00012')).toEqual(
      new Map([
        ['A', '1'],
        ['B', '2'],
      ]),
    );
  });

  it('drops pieces without a name, without a value, or without a name-value separator like Java 4.9.8', () => {
    const map = decodeMessageProperties(
      '\u0001x\u0002A\u0001\u0002noSeparator\u0002B\u00012\u0002\u0002',
    );
    expect(map).toEqual(new Map([['B', '2']]));
  });

  it('drops a piece whose only name-value separator belongs to the next piece', () => {
    expect(decodeMessageProperties('abc\u0002d\u0001e\u0002')).toEqual(new Map([['d', 'e']]));
  });

  it('keeps a second name-value separator inside the value', () => {
    expect(decodeMessageProperties('a\u0001b\u0001c\u0002')).toEqual(new Map([['a', 'b\u0001c']]));
  });

  it('lets a later duplicate name win', () => {
    expect(decodeMessageProperties('A\u00011\u0002A\u00012\u0002').get('A')).toBe('2');
  });

  it('decodes what it encodes for names and values without separators', () => {
    const piece = fc.string({ minLength: 1, maxLength: 12 }).filter(hasNoSeparator);
    fc.assert(
      fc.property(fc.dictionary(piece, piece, { maxKeys: 8 }), (dict) => {
        const map = new Map(Object.entries(dict));
        expect(decodeMessageProperties(encodeMessageProperties(map))).toEqual(map);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws while decoding arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 64, unit: fc.constantFrom('a', 'b', '\u0001', '\u0002', 'é') }),
        (s) => {
          expect(decodeMessageProperties(s)).toBeInstanceOf(Map);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('measures the UTF-8 byte length of a string or of properties', () => {
    expect(messagePropertiesByteLength('é\u0001€\u0002')).toBe(7);
    expect(messagePropertiesByteLength({ K: 'é' })).toBe(5);
  });

  it('accepts a properties string of 32767 bytes and refuses one byte more', () => {
    const at = 'A\u0001' + 'x'.repeat(MAX_PROPERTIES_BYTES - 3) + '\u0002';
    expect(propertiesToWire(at).byteLength).toBe(MAX_PROPERTIES_BYTES);
    expect(() => propertiesToWire(at + 'y')).toThrow(/exceed 32767/);
    expect(propertiesToWire(undefined)).toEqual({ text: '', byteLength: 0 });
  });
});

describe('pickMessageProperties', () => {
  const names = ['TAGS', 'KEYS', 'UNIQ_KEY', 'DELAY'];

  it('reads the named properties and leaves the others undefined', () => {
    const out: (string | undefined)[] = ['stale'];
    pickMessageProperties(
      'TAGS\u0001TagA\u0002KEYS\u0001k1 k2\u0002WAIT\u0001true\u0002',
      names,
      out,
    );
    expect(out).toEqual(['TagA', 'k1 k2', undefined, undefined]);
  });

  it('does not match a name that is only a prefix or suffix of another', () => {
    const out: (string | undefined)[] = [];
    pickMessageProperties('XTAGS\u0001a\u0002TAGSX\u0001b\u0002KEY\u0001c\u0002', names, out);
    expect(out).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('agrees with decodeMessageProperties on any string, malformed pieces and duplicates included', () => {
    const alphabet = fc.constantFrom('T', 'A', 'G', 'S', 'K', 'E', 'Y', '\u0001', '\u0002', 'x');
    const piece = fc.oneof(
      fc.constantFrom('TAGS', 'KEYS', 'UNIQ_KEY', 'DELAY', 'TAG', ''),
      fc.array(alphabet, { maxLength: 6 }).map((chars) => chars.join('')),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(piece, piece, fc.boolean()), { maxLength: 8 }), (parts) => {
        const text = parts
          .map(([name, value, sep]) => name + (sep ? '\u0001' : '') + value + '\u0002')
          .join('');
        const decoded = decodeMessageProperties(text);
        const out: (string | undefined)[] = [];
        pickMessageProperties(text, names, out);
        expect(out).toEqual(names.map((name) => decoded.get(name)));
      }),
      { numRuns: 500 },
    );
  });
});
