/**
 * Typed readers and writers for one `extFields` value, with the parsing rules of Java's
 * `RemotingCommand.decodeCommandCustomHeader` / `makeCustomHeaderToNet`:
 *
 * - strings are taken as they are (an empty string is a present value);
 * - `int` fields follow `Integer.parseInt`: optional sign, ASCII digits only, no spaces, no decimal point,
 *   within −2^31 … 2^31−1;
 * - `long` fields follow `Long.parseLong` with the same syntax, but must also be safe JS integers
 *   (|n| ≤ 2^53−1): offsets and timestamps never get near that, and a larger value could not be represented
 *   exactly;
 * - booleans follow `Boolean.parseBoolean`: only a case-insensitive `"true"` is true, anything else is false;
 * - a key is missing when it is not an own property of the map.
 *
 * Every failure throws {@link HeaderFieldError} naming the field.
 */
import { HeaderFieldError } from '../errors.js';
import type { ExtFields } from '../ext-fields.js';

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
// Java's parseInt/parseLong syntax, minus its acceptance of non-ASCII Unicode digits.
const JAVA_INTEGER_SYNTAX = /^[+-]?[0-9]+$/;
const JAVA_TRUE = /^true$/i;

/**
 * The value of `raw` when it is 1 to `maxDigits` ASCII digits and nothing else (no sign), else -1. Such values are
 * exact in a double and inside the int range for up to 9 digits, so the common header number needs neither the
 * syntax regex nor a range check; everything else takes the full path and its error messages.
 */
function plainDigits(raw: string, maxDigits: number): number {
  const length = raw.length;
  if (length === 0 || length > maxDigits) return -1;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = raw.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function describe(raw: string): string {
  return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
}

/**
 * The raw value of `field`, or undefined when the map has no own property of that name (or it is null).
 *
 * @throws HeaderFieldError when the value is not a string (extFields must be coerced to strings first)
 */
export function readRaw(ext: ExtFields, field: string): string | undefined {
  if (!Object.hasOwn(ext, field)) return undefined;
  const raw: unknown = ext[field];
  // A JSON null reads as absent, as Java's HashMap.get returns null for it.
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw !== 'string')
    throw new HeaderFieldError(field, `is a ${typeof raw}, not a string`);
  return raw;
}

/**
 * Parses an `int` header value as Java's `Integer.parseInt` does.
 *
 * @param field - wire name, used in the error
 * @param raw - the extFields value
 * @returns the value, −2^31 … 2^31−1 (never −0)
 * @throws HeaderFieldError when `raw` is not a decimal integer or is out of the int32 range
 */
export function parseJavaInt(field: string, raw: string): number {
  const plain = plainDigits(raw, 9);
  if (plain >= 0) return plain;
  if (!JAVA_INTEGER_SYNTAX.test(raw)) {
    throw new HeaderFieldError(field, `${describe(raw)} is not an int`);
  }
  const n = Number(raw);
  if (n < INT32_MIN || n > INT32_MAX) {
    throw new HeaderFieldError(field, `${describe(raw)} is outside the int range`);
  }
  return n === 0 ? 0 : n;
}

/**
 * Parses a `long` header value as Java's `Long.parseLong` does, limited to safe JS integers.
 *
 * @param field - wire name, used in the error
 * @param raw - the extFields value (`"-1"` is fine)
 * @returns the value, never −0
 * @throws HeaderFieldError when `raw` is not a decimal integer or its magnitude exceeds 2^53−1
 */
export function parseJavaLong(field: string, raw: string): number {
  const plain = plainDigits(raw, 15);
  if (plain >= 0) return plain;
  if (!JAVA_INTEGER_SYNTAX.test(raw)) {
    throw new HeaderFieldError(field, `${describe(raw)} is not a long`);
  }
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) {
    throw new HeaderFieldError(field, `${describe(raw)} is not a safe integer`);
  }
  return n === 0 ? 0 : n;
}

/**
 * Parses a boolean header value as Java's `Boolean.parseBoolean` does: case-insensitive `"true"` is true,
 * every other string (including `""` and `"1"`) is false. Never throws.
 */
export function parseJavaBoolean(raw: string): boolean {
  if (raw === 'false') return false;
  return raw === 'true' || JAVA_TRUE.test(raw);
}

/** Reads a required string. Throws HeaderFieldError when the key is missing. */
export function readRequiredString(ext: ExtFields, field: string): string {
  const raw = readRaw(ext, field);
  if (raw === undefined) throw new HeaderFieldError(field, 'is missing');
  return raw;
}

/** Reads an optional string; undefined when the key is missing. Never throws. */
export function readOptionalString(ext: ExtFields, field: string): string | undefined {
  return readRaw(ext, field);
}

/** Reads a required `int`. Throws HeaderFieldError when missing or not an int (see {@link parseJavaInt}). */
export function readRequiredInt(ext: ExtFields, field: string): number {
  return parseJavaInt(field, readRequiredString(ext, field));
}

/** Reads an optional `int`; undefined when missing. Throws HeaderFieldError when present but not an int. */
export function readOptionalInt(ext: ExtFields, field: string): number | undefined {
  const raw = readRaw(ext, field);
  return raw === undefined ? undefined : parseJavaInt(field, raw);
}

/** Reads a required `long`. Throws HeaderFieldError when missing or not a long (see {@link parseJavaLong}). */
export function readRequiredLong(ext: ExtFields, field: string): number {
  return parseJavaLong(field, readRequiredString(ext, field));
}

/** Reads an optional `long`; undefined when missing. Throws HeaderFieldError when present but not a long. */
export function readOptionalLong(ext: ExtFields, field: string): number | undefined {
  const raw = readRaw(ext, field);
  return raw === undefined ? undefined : parseJavaLong(field, raw);
}

/** Reads a required boolean (Java `parseBoolean`). Throws HeaderFieldError only when the key is missing. */
export function readRequiredBoolean(ext: ExtFields, field: string): boolean {
  return parseJavaBoolean(readRequiredString(ext, field));
}

/** Reads an optional boolean (Java `parseBoolean`); undefined when missing. Never throws. */
export function readOptionalBoolean(ext: ExtFields, field: string): boolean | undefined {
  const raw = readRaw(ext, field);
  return raw === undefined ? undefined : parseJavaBoolean(raw);
}

/**
 * Formats an `int` for the wire as Java's `Integer.toString` would.
 *
 * @throws HeaderFieldError when `value` is not an integer in the int32 range
 */
export function formatJavaInt(field: string, value: number): string {
  if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
    throw new HeaderFieldError(field, `${String(value)} is not an int`);
  }
  return String(value === 0 ? 0 : value);
}

/**
 * Formats a `long` for the wire as Java's `Long.toString` would.
 *
 * @throws HeaderFieldError when `value` is not a safe integer
 */
export function formatJavaLong(field: string, value: number): string {
  if (!Number.isSafeInteger(value)) {
    throw new HeaderFieldError(field, `${String(value)} is not a safe integer`);
  }
  return String(value === 0 ? 0 : value);
}

/**
 * Builds an `ExtFields` map the way `makeCustomHeaderToNet` does: fields whose value is undefined are left
 * out, numbers become decimal strings, booleans `"true"`/`"false"`. Each method returns the writer so calls
 * chain; {@link ExtFieldsWriter.build} returns the map.
 */
export class ExtFieldsWriter {
  private readonly fields: ExtFields = {};

  /** Writes a string as is; skips undefined. */
  string(field: string, value: string | undefined): this {
    if (value !== undefined) this.fields[field] = value;
    return this;
  }

  /** Writes an `int`; skips undefined. Throws HeaderFieldError when not an int32. */
  int(field: string, value: number | undefined): this {
    if (value !== undefined) this.fields[field] = formatJavaInt(field, value);
    return this;
  }

  /** Writes a `long`; skips undefined. Throws HeaderFieldError when not a safe integer. */
  long(field: string, value: number | undefined): this {
    if (value !== undefined) this.fields[field] = formatJavaLong(field, value);
    return this;
  }

  /** Writes a boolean as `"true"`/`"false"`; skips undefined. */
  boolean(field: string, value: boolean | undefined): this {
    if (value !== undefined) this.fields[field] = value ? 'true' : 'false';
    return this;
  }

  /** The map written so far (the writer's own object; do not keep writing after handing it out). */
  build(): ExtFields {
    return this.fields;
  }
}
