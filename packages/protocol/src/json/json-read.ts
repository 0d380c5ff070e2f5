import { ProtocolError } from '../errors.js';
import { ObjectKeyMap, parseFastjson } from './fastjson-parse.js';
import type { JsonObject, JsonValue } from './fastjson-parse.js';

/*
 * Typed reads from a parsed body, with the leniency fastjson's bean deserializer has: a missing or null property is
 * "absent" (the caller applies the Java default), numbers may arrive as numeric strings, booleans as "true"/"false".
 * A present value of the wrong kind throws ProtocolError naming the property path, e.g.
 * `topicRouteData.queueDatas[0].perm: expected an integer, got "x"`.
 */

function kind(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof ObjectKeyMap) return 'an object-keyed map';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value).slice(0, 40);
}

function wrongType(path: string, expected: string, value: JsonValue): never {
  throw new ProtocolError(`${path}: expected ${expected}, got ${kind(value)}`);
}

/**
 * The value as a plain JSON object.
 * @throws ProtocolError when it is anything else (including an object-keyed map).
 */
export function expectObject(value: JsonValue | undefined, path: string): JsonObject {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
    return wrongType(path, 'an object', value ?? null);
  }
  if (value instanceof ObjectKeyMap) return wrongType(path, 'an object', value);
  return value;
}

/** An own property of a decoded object, or undefined when missing or null. */
function own(obj: JsonObject, key: string): JsonValue | undefined {
  if (!Object.prototype.hasOwnProperty.call(obj, key)) return undefined;
  const v = obj[key];
  return v === null ? undefined : v;
}

/**
 * A string property; undefined when missing or null.
 * @throws ProtocolError when present and not a string (numbers and booleans are converted, as fastjson does).
 */
export function readString(obj: JsonObject, key: string, path: string): string | undefined {
  const v = own(obj, key);
  return v === undefined ? undefined : toStringValue(v, `${path}.${key}`);
}

/**
 * Converts a scalar JSON value to a string (numbers and booleans as their JSON text, as fastjson does).
 * @throws ProtocolError when it is null, an array or an object.
 */
export function toStringValue(v: JsonValue, path: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return wrongType(path, 'a string', v);
}

/**
 * A required string property.
 * @throws ProtocolError when missing, null or not a string.
 */
export function requireString(obj: JsonObject, key: string, path: string): string {
  const v = readString(obj, key, path);
  if (v === undefined) throw new ProtocolError(`${path}.${key}: missing`);
  return v;
}

/**
 * Converts a JSON value to a finite number (a numeric string is accepted).
 * @throws ProtocolError when it is not a number or numeric string.
 */
export function toNumber(v: JsonValue, path: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v)) return Number(v);
  return wrongType(path, 'a number', v);
}

/**
 * Converts a JSON value to an integer (int or long on the Java side; a decimal string is accepted).
 * @throws ProtocolError when it is not an integer.
 */
export function toInteger(v: JsonValue, path: string): number {
  const n = toNumber(v, path);
  if (!Number.isInteger(n)) return wrongType(path, 'an integer', v);
  return n;
}

/**
 * An integer property (Java int/long); undefined when missing or null.
 * @throws ProtocolError when present and not an integer.
 */
export function readInteger(obj: JsonObject, key: string, path: string): number | undefined {
  const v = own(obj, key);
  return v === undefined ? undefined : toInteger(v, `${path}.${key}`);
}

/**
 * A floating-point property (Java double); undefined when missing or null.
 * @throws ProtocolError when present and not a number.
 */
export function readNumber(obj: JsonObject, key: string, path: string): number | undefined {
  const v = own(obj, key);
  return v === undefined ? undefined : toNumber(v, `${path}.${key}`);
}

/**
 * A boolean property; undefined when missing or null. Accepts `"true"`/`"false"` and 0/1 as fastjson does.
 * @throws ProtocolError when present and not a boolean.
 */
export function readBoolean(obj: JsonObject, key: string, path: string): boolean | undefined {
  const v = own(obj, key);
  if (v === undefined || typeof v === 'boolean') return v;
  if (v === 'true' || v === 1) return true;
  if (v === 'false' || v === 0) return false;
  return wrongType(`${path}.${key}`, 'a boolean', v);
}

/**
 * An array property; undefined when missing or null.
 * @throws ProtocolError when present and not an array.
 */
export function readArray(obj: JsonObject, key: string, path: string): JsonValue[] | undefined {
  const v = own(obj, key);
  if (v === undefined || Array.isArray(v)) return v;
  return wrongType(`${path}.${key}`, 'an array', v);
}

/**
 * An object property; undefined when missing or null.
 * @throws ProtocolError when present and not a plain object.
 */
export function readObject(obj: JsonObject, key: string, path: string): JsonObject | undefined {
  const v = own(obj, key);
  return v === undefined ? undefined : expectObject(v, `${path}.${key}`);
}

/**
 * A map property with string keys (unquoted integer keys arrive as their decimal text) as entries in input order;
 * empty when missing or null. Object keys are refused.
 * @throws ProtocolError when present and not an object.
 */
export function readStringKeyedEntries(
  obj: JsonObject,
  key: string,
  path: string,
): Array<[string, JsonValue]> {
  const v = readObject(obj, key, path);
  return v === undefined ? [] : Object.entries(v);
}

/**
 * A map property with object keys (fastjson's `Map<MessageQueue, V>`) as entries; empty when missing, null or `{}`.
 * @throws ProtocolError when present and neither `{}` nor an object-keyed map with object keys only.
 */
export function readObjectKeyedEntries(
  obj: JsonObject,
  key: string,
  path: string,
): Array<readonly [JsonObject, JsonValue]> {
  const v = own(obj, key);
  if (v === undefined) return [];
  if (v instanceof ObjectKeyMap) {
    return v.entries.map(([k, value], i) => {
      if (typeof k === 'string') {
        throw new ProtocolError(`${path}.${key}: entry ${i} has a string key ${JSON.stringify(k)}`);
      }
      return [k, value] as const;
    });
  }
  const plain = expectObject(v, `${path}.${key}`);
  if (Object.keys(plain).length > 0) wrongType(`${path}.${key}`, 'an object-keyed map', plain);
  return [];
}

/**
 * A list of strings (Java `List<String>`/`Set<String>`); null gives an empty list.
 * @throws ProtocolError when it is not an array of strings.
 */
export function toStringArray(v: JsonValue, path: string): string[] {
  if (v === null) return [];
  if (!Array.isArray(v)) return wrongType(path, 'an array', v);
  return v.map((item, i) => {
    if (typeof item !== 'string') return wrongType(`${path}[${i}]`, 'a string', item);
    return item;
  });
}

/**
 * A list-of-strings property; empty when missing or null.
 * @throws ProtocolError when present and not an array of strings.
 */
export function readStringArray(obj: JsonObject, key: string, path: string): string[] {
  const v = own(obj, key);
  return v === undefined ? [] : toStringArray(v, `${path}.${key}`);
}

/**
 * A string-valued map (Java `Map<String,String>`) as a `Map` in input order; null gives an empty map. Non-string
 * scalar values are converted to strings; null values are skipped.
 * @throws ProtocolError when it is not an object or a value is not a scalar.
 */
export function toStringMap(v: JsonValue, path: string): Map<string, string> {
  const out = new Map<string, string>();
  if (v === null) return out;
  for (const [k, item] of Object.entries(expectObject(v, path))) {
    if (item !== null) out.set(k, toStringValue(item, `${path}.${k}`));
  }
  return out;
}

/**
 * Reads a string-literal enum property (a Java enum written by name); undefined when missing or null.
 * @throws ProtocolError when present and not one of `allowed`.
 */
export function readEnum<T extends string>(
  obj: JsonObject,
  key: string,
  spec: { path: string; allowed: readonly T[] },
): T | undefined {
  const v = readString(obj, key, spec.path);
  if (v === undefined) return undefined;
  if (!(spec.allowed as readonly string[]).includes(v)) {
    throw new ProtocolError(`${spec.path}.${key}: unknown value ${JSON.stringify(v)}`);
  }
  return v as T;
}

/**
 * Parses a JSON body (fastjson forms accepted) whose top level must be an object; `path` names it in errors.
 * @throws ProtocolError on malformed JSON or a non-object top level.
 */
export function parseJsonObject(input: Buffer | string, path: string): JsonObject {
  return expectObject(parseFastjson(input), path);
}
