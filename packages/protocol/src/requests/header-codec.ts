/**
 * A header codec built from a field table: the TypeScript twin of a Java `CommandCustomHeader` class.
 *
 * The table maps every property of the header type to a {@link HeaderField}; the type system checks that the
 * table covers every property and that a field is declared required exactly when the property is not optional.
 * Decoding reads only the declared keys (unknown keys such as `bname`, `ns`, `AccessKey` are ignored), throws
 * HeaderFieldError for a missing required key or an unparsable value, and leaves absent optional properties
 * out of the result. Encoding writes every defined property and omits undefined ones.
 */
import { HeaderFieldError } from '../errors.js';
import type { ExtFields } from '../ext-fields.js';
import {
  formatJavaInt,
  formatJavaLong,
  parseJavaBoolean,
  parseJavaInt,
  parseJavaLong,
  readRaw,
} from './header-fields.js';

/** The Java type a header field is declared with. */
export type HeaderFieldType = 'String' | 'int' | 'long' | 'boolean' | 'enum';

/**
 * One field of a header: its Java type, whether it is `@CFNotNull`, and how to turn the wire string into the
 * value and back. `parse` and `format` throw HeaderFieldError on values they cannot represent.
 */
export interface HeaderField<TValue, TRequired extends boolean = boolean> {
  readonly type: HeaderFieldType;
  readonly required: TRequired;
  parse(field: string, raw: string): TValue;
  format(field: string, value: TValue): string;
}

type IsOptional<T, K extends keyof T> = undefined extends T[K] ? true : false;

/** A field table for header type `T`: one entry per property, `required` matching the property's optionality. */
export type HeaderSchema<T> = {
  readonly [K in keyof T]-?: HeaderField<
    Exclude<T[K], undefined>,
    IsOptional<T, K> extends true ? false : true
  >;
};

/** Encoder and decoder of one header type. */
export interface HeaderCodec<T> {
  /** The field table, in declaration order (the order keys are written in). */
  readonly schema: HeaderSchema<T>;
  /** Header → extFields; throws HeaderFieldError for a missing required value or an out-of-range number. */
  encode(header: T): ExtFields;
  /** extFields → header; throws HeaderFieldError for a missing required key or an unparsable value. */
  decode(ext: ExtFields): T;
}

const stringType = {
  parse: (_field: string, raw: string): string => raw,
  format: (_field: string, value: string): string => value,
};
const intType = { parse: parseJavaInt, format: formatJavaInt };
const longType = { parse: parseJavaLong, format: formatJavaLong };
const booleanType = {
  parse: (_field: string, raw: string): boolean => parseJavaBoolean(raw),
  format: (_field: string, value: boolean): string => (value ? 'true' : 'false'),
};

/** A required `String` field (`@CFNotNull`). */
export function requiredString(): HeaderField<string, true> {
  return { type: 'String', required: true, ...stringType };
}
/** An optional `String` field. */
export function optionalString(): HeaderField<string, false> {
  return { type: 'String', required: false, ...stringType };
}
/** A required `int`/`Integer` field. */
export function requiredInt(): HeaderField<number, true> {
  return { type: 'int', required: true, ...intType };
}
/** An optional `int`/`Integer` field. */
export function optionalInt(): HeaderField<number, false> {
  return { type: 'int', required: false, ...intType };
}
/** A required `long`/`Long` field (safe JS integer). */
export function requiredLong(): HeaderField<number, true> {
  return { type: 'long', required: true, ...longType };
}
/** An optional `long`/`Long` field (safe JS integer). */
export function optionalLong(): HeaderField<number, false> {
  return { type: 'long', required: false, ...longType };
}
/** A required `boolean`/`Boolean` field (Java `parseBoolean` semantics). */
export function requiredBoolean(): HeaderField<boolean, true> {
  return { type: 'boolean', required: true, ...booleanType };
}
/** An optional `boolean`/`Boolean` field (Java `parseBoolean` semantics). */
export function optionalBoolean(): HeaderField<boolean, false> {
  return { type: 'boolean', required: false, ...booleanType };
}

/**
 * Builds a codec from a field table. Keys are written in the table's order.
 *
 * @throws nothing itself; the returned functions throw HeaderFieldError (see {@link HeaderCodec})
 */
export function defineHeaderCodec<T extends object>(schema: HeaderSchema<T>): HeaderCodec<T> {
  const entries = Object.entries<HeaderField<unknown>>(schema);
  return {
    schema,
    encode(header: T): ExtFields {
      const ext: ExtFields = {};
      const values = header as Record<string, unknown>;
      for (const [key, field] of entries) {
        const value = values[key];
        if (value === undefined || value === null) {
          if (field.required) throw new HeaderFieldError(key, 'is missing');
          continue;
        }
        ext[key] = field.format(key, value);
      }
      return ext;
    },
    decode(ext: ExtFields): T {
      const out: Record<string, unknown> = {};
      for (const [key, field] of entries) {
        const raw = readRaw(ext, key);
        if (raw === undefined) {
          if (field.required) throw new HeaderFieldError(key, 'is missing');
          continue;
        }
        out[key] = field.parse(key, raw);
      }
      return out as T;
    },
  };
}
