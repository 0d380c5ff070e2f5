import { describe, expect, it } from 'vitest';
import { HeaderFieldError } from '../errors.js';
import {
  defineHeaderCodec,
  optionalBoolean,
  optionalInt,
  optionalString,
  requiredInt,
  requiredLong,
  requiredString,
} from './header-codec.js';

interface Sample {
  topic: string;
  queueId: number;
  offset: number;
  tag?: string;
  flag?: boolean;
  count?: number;
}

const sample = defineHeaderCodec<Sample>({
  topic: requiredString(),
  queueId: requiredInt(),
  offset: requiredLong(),
  tag: optionalString(),
  flag: optionalBoolean(),
  count: optionalInt(),
});

describe('defineHeaderCodec', () => {
  it('writes keys in table order and leaves undefined optional fields out', () => {
    const ext = sample.encode({ flag: true, offset: -1, queueId: 2, topic: 'T', tag: undefined });
    expect(Object.entries(ext)).toEqual([
      ['topic', 'T'],
      ['queueId', '2'],
      ['offset', '-1'],
      ['flag', 'true'],
    ]);
  });

  it('decodes only declared keys and omits absent optional ones', () => {
    const h = sample.decode({ topic: 'T', queueId: '2', offset: '5', bname: 'b', ns: 'n' });
    expect(h).toStrictEqual({ topic: 'T', queueId: 2, offset: 5 });
  });

  it('names the first missing required key when decoding', () => {
    expect(() => sample.decode({ topic: 'T', offset: '1' })).toThrow(HeaderFieldError);
    try {
      sample.decode({ topic: 'T', offset: '1' });
    } catch (e) {
      expect((e as HeaderFieldError).field).toBe('queueId');
    }
  });

  it('refuses to encode a header whose required field is missing at run time', () => {
    const partial = { topic: 'T', queueId: 1 } as Sample;
    expect(() => sample.encode(partial)).toThrow(/header field offset: is missing/);
  });

  it('makes the field table match the type: required iff the property is not optional', () => {
    defineHeaderCodec<{ a: string; b?: number }>({
      a: requiredString(),
      // @ts-expect-error an optional property cannot be declared required
      b: requiredInt(),
    });
    defineHeaderCodec<{ a: string }>({
      // @ts-expect-error a required property cannot be declared optional
      a: optionalString(),
    });
    defineHeaderCodec<{ a: string }>({
      // @ts-expect-error a string property needs a string field
      a: requiredInt(),
    });
    // @ts-expect-error every property needs a field
    defineHeaderCodec<{ a: string; b: string }>({ a: requiredString() });
    expect(sample.schema.topic.required).toBe(true);
    expect(sample.schema.tag.required).toBe(false);
  });
});
