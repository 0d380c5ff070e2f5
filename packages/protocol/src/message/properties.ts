import { RocketMQError } from '../errors.js';
import { ResponseCode } from '../codes/response-code.js';

/**
 * Message properties string (remoting-protocol.md §6.4; Java `MessageDecoder.messageProperties2String` and
 * `string2messageProperties`):
 *
 * ```
 * name U+0001 value U+0002 name U+0001 value U+0002 …      (UTF-8 on the wire; ends with U+0002)
 * ```
 */

/** Between a property's name and its value (Java `MessageDecoder.NAME_VALUE_SEPARATOR`, char 1). */
export const NAME_VALUE_SEPARATOR = '\u0001';

/** After every property (Java `MessageDecoder.PROPERTY_SEPARATOR`, char 2). */
export const PROPERTY_SEPARATOR = '\u0002';

/** Largest properties string in UTF-8 bytes (int16 length in the record); more is PROPERTIES_SIZE_EXCEEDED. */
export const MAX_PROPERTIES_BYTES = 32767;

/**
 * Properties as callers hold them: a Map or a plain record. Entries whose value is null or undefined are skipped
 * when encoding, as Java skips null values.
 */
export type MessagePropertiesInput =
  ReadonlyMap<string, string> | Readonly<Record<string, string | null | undefined>>;

function checkNoSeparator(kind: string, text: string): void {
  if (text.includes(NAME_VALUE_SEPARATOR) || text.includes(PROPERTY_SEPARATOR)) {
    throw new RocketMQError(
      `property ${kind} ${JSON.stringify(text)} contains a U+0001/U+0002 separator`,
      ResponseCode.MESSAGE_ILLEGAL,
    );
  }
}

function appendProperty(out: string, name: string, value: string): string {
  checkNoSeparator('name', name);
  checkNoSeparator('value', value);
  return out + name + NAME_VALUE_SEPARATOR + value + PROPERTY_SEPARATOR;
}

/**
 * Encodes properties to RocketMQ's string: `name` U+0001 `value` U+0002 for each entry with a non-null value, in
 * the iteration order of the input. An empty input gives `''`.
 *
 * @param properties - a Map or record of string values.
 * @returns the properties string (not yet UTF-8 encoded).
 * @throws RocketMQError (MESSAGE_ILLEGAL) when a name or value contains U+0001 or U+0002, which would make the
 *   string decode differently.
 */
export function encodeMessageProperties(properties: MessagePropertiesInput): string {
  let out = '';
  if (properties instanceof Map) {
    for (const [name, value] of properties as ReadonlyMap<string, string>) {
      if (value === null || value === undefined) continue;
      out = appendProperty(out, name, value);
    }
    return out;
  }
  const record = properties as Readonly<Record<string, string | null | undefined>>;
  for (const name in record) {
    if (!Object.prototype.hasOwnProperty.call(record, name)) continue;
    const value = record[name];
    if (value === null || value === undefined) continue;
    out = appendProperty(out, name, value);
  }
  return out;
}

/**
 * Decodes a properties string with Java 4.9.8/5.x semantics (`string2messageProperties`): split at U+0002; a piece
 * shorter than 3 characters is skipped; the name runs to the first U+0001 after the piece start, and the piece is
 * dropped unless that U+0001 leaves a non-empty name and a non-empty value inside the piece. A later duplicate
 * name overwrites an earlier one. Never throws.
 *
 * @param text - the properties string (already UTF-8 decoded).
 * @returns name → value, in first-seen order.
 */
export function decodeMessageProperties(text: string): Map<string, string> {
  const map = new Map<string, string>();
  forEachMessageProperty(text, (nameEnd, start, end) => {
    map.set(text.slice(start, nameEnd), text.slice(nameEnd + 1, end));
  });
  return map;
}

/**
 * Reads a few properties without building a Map (the store's put path needs four or five of them per message):
 * `out[i]` becomes the value of `names[i]`, or undefined. Same semantics as {@link decodeMessageProperties} —
 * malformed pieces are skipped and a later duplicate wins — so both always agree.
 *
 * @param text - the properties string.
 * @param names - the property names to read.
 * @param out - receives one value per name (its length is set to `names.length`).
 */
export function pickMessageProperties(
  text: string,
  names: readonly string[],
  out: (string | undefined)[],
): void {
  out.length = names.length;
  out.fill(undefined);
  forEachMessageProperty(text, (nameEnd, start, end) => {
    const nameLength = nameEnd - start;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      if (name.length === nameLength && text.startsWith(name, start)) {
        out[i] = text.slice(nameEnd + 1, end);
        return;
      }
    }
  });
}

/**
 * Calls `visit(nameEnd, start, end)` for each well-formed piece of `text` in order, with Java 4.9.8's rules (see
 * {@link decodeMessageProperties}): the name is `[start, nameEnd)`, the value `(nameEnd, end)`, and the piece's
 * separator (if any) is at `end`. For code that reads or rewrites a few properties without a Map.
 */
export function forEachMessageProperty(
  text: string,
  visit: (nameEnd: number, start: number, end: number) => void,
): void {
  const len = text.length;
  let index = 0;
  while (index < len) {
    let end = text.indexOf(PROPERTY_SEPARATOR, index);
    if (end < 0) end = len;
    if (end - index >= 3) {
      const sep = text.indexOf(NAME_VALUE_SEPARATOR, index);
      // Java searches past the piece end; a separator found there (or none) drops the piece.
      if (sep > index && sep < end - 1) visit(sep, index, end);
    }
    index = end + 1;
  }
}

/**
 * UTF-8 length of a properties string, as written into a record or batch entry.
 *
 * @param properties - an encoded properties string, or properties to encode first.
 * @returns the byte length (compare with {@link MAX_PROPERTIES_BYTES}).
 * @throws RocketMQError (MESSAGE_ILLEGAL) as {@link encodeMessageProperties} when given properties to encode.
 */
export function messagePropertiesByteLength(properties: string | MessagePropertiesInput): number {
  const text = typeof properties === 'string' ? properties : encodeMessageProperties(properties);
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The properties string of `properties`, or the string itself, checked against {@link MAX_PROPERTIES_BYTES}.
 *
 * @param properties - an encoded string (used as is) or properties to encode.
 * @returns the string and its UTF-8 byte length.
 * @throws RocketMQError (MESSAGE_ILLEGAL) when the string is longer than 32767 bytes or a name/value carries a
 *   separator.
 */
export function propertiesToWire(properties: string | MessagePropertiesInput | undefined): {
  text: string;
  byteLength: number;
} {
  const text =
    properties === undefined
      ? ''
      : typeof properties === 'string'
        ? properties
        : encodeMessageProperties(properties);
  const byteLength = text.length === 0 ? 0 : Buffer.byteLength(text, 'utf8');
  if (byteLength > MAX_PROPERTIES_BYTES) {
    throw new RocketMQError(
      `properties of ${byteLength} bytes exceed ${MAX_PROPERTIES_BYTES}`,
      ResponseCode.MESSAGE_ILLEGAL,
    );
  }
  return { text, byteLength };
}
