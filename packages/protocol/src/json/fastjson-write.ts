import { RocketMQError } from '../errors.js';
import { ObjectKeyMap } from './fastjson-parse.js';

/*
 * Writes JSON the way Java RocketMQ readers expect it from fastjson 1.x (remoting-protocol.md §5, §5.0):
 *
 *   plain object   → properties in alphabetical order (fastjson's bean order); undefined and null omitted
 *   Map            → insertion order; number/string keys always quoted: {"0":"10.0.0.1:10911"}
 *   ObjectKeyMap   → fastjson's object-key form: {{"brokerName":"b","queueId":0,"topic":"t"}:{…},…}
 *   FastjsonDouble → Java Double.toString text: 0.0, 12.5, 1.0E7, 1.0E-4 (NaN/Infinity → null)
 *   bigint         → its decimal text (a Java long beyond 2^53)
 *
 * Output has no whitespace, like fastjson's default.
 */

/**
 * Marks a number as a Java `double` so it is written as fastjson writes doubles (`0.0`, not `0`), e.g.
 * ConsumeStats.consumeTps.
 */
export class FastjsonDouble {
  constructor(
    /** The value; NaN and infinities are written as `null`. */
    readonly value: number,
  ) {}
}

/**
 * Formats a number as Java's `Double.toString` does with shortest round-trip digits (fastjson's RyuDouble):
 * decimal with at least one fraction digit for 1e-3 ≤ |v| < 1e7, otherwise `d.dddE±n` without a `+`.
 * @returns `"NaN"`, `"Infinity"` or `"-Infinity"` for non-finite values (callers writing JSON write `null`).
 */
export function formatJavaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(value);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${Number(exponent)}`;
}

/** Deepest nesting the writer follows before refusing (guards against cycles). */
const MAX_WRITE_DEPTH = 256;

/**
 * Serializes a value in fastjson's form. Accepts null, booleans, numbers (non-finite → `null`), bigint, strings,
 * {@link FastjsonDouble}, arrays, `Map`s (number/string keys are quoted; object keys give the object-key form),
 * {@link ObjectKeyMap}s, and plain objects (keys sorted; undefined/null properties omitted). Undefined array items
 * are written as `null`.
 * @throws RocketMQError on a function, symbol, or nesting deeper than 256 (e.g. a cycle).
 */
export function writeFastjson(value: unknown): string {
  const parts: string[] = [];
  writeValue(parts, value, 0);
  return parts.join('');
}

function isObjectKey(key: unknown): key is object {
  return typeof key === 'object' && key !== null;
}

function writeKey(parts: string[], key: unknown, depth: number): void {
  if (isObjectKey(key)) writeValue(parts, key, depth);
  else if (typeof key === 'string') parts.push(JSON.stringify(key));
  else if (typeof key === 'number' || typeof key === 'bigint' || typeof key === 'boolean') {
    parts.push(JSON.stringify(String(key)));
  } else {
    throw new RocketMQError(`fastjson writer: unsupported map key of type ${typeof key}`);
  }
}

function writeEntries(
  parts: string[],
  entries: Iterable<readonly [unknown, unknown]>,
  depth: number,
): void {
  parts.push('{');
  let first = true;
  for (const [k, v] of entries) {
    if (v === undefined || v === null) continue;
    if (!first) parts.push(',');
    first = false;
    writeKey(parts, k, depth);
    parts.push(':');
    writeValue(parts, v, depth);
  }
  parts.push('}');
}

function writeValue(parts: string[], value: unknown, depth: number): void {
  if (depth > MAX_WRITE_DEPTH) {
    throw new RocketMQError(`fastjson writer: nesting deeper than ${MAX_WRITE_DEPTH} (a cycle?)`);
  }
  switch (typeof value) {
    case 'undefined':
      parts.push('null');
      return;
    case 'boolean':
      parts.push(value ? 'true' : 'false');
      return;
    case 'number':
      parts.push(Number.isFinite(value) ? JSON.stringify(value) : 'null');
      return;
    case 'bigint':
      parts.push(value.toString());
      return;
    case 'string':
      parts.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    case 'function':
    case 'symbol':
      throw new RocketMQError(`fastjson writer: unsupported value of type ${typeof value}`);
  }
  if (value === null) {
    parts.push('null');
  } else if (value instanceof FastjsonDouble) {
    parts.push(Number.isFinite(value.value) ? formatJavaDouble(value.value) : 'null');
  } else if (Array.isArray(value)) {
    parts.push('[');
    (value as unknown[]).forEach((item, i) => {
      if (i > 0) parts.push(',');
      writeValue(parts, item, depth + 1);
    });
    parts.push(']');
  } else if (value instanceof Set) {
    writeValue(parts, [...(value as Set<unknown>)], depth);
  } else if (value instanceof ObjectKeyMap) {
    writeEntries(parts, (value as ObjectKeyMap<unknown, unknown>).entries, depth + 1);
  } else if (value instanceof Map) {
    writeEntries(parts, (value as Map<unknown, unknown>).entries(), depth + 1);
  } else {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    writeEntries(
      parts,
      keys.map((k) => [k, obj[k]] as const),
      depth + 1,
    );
  }
}

/** {@link writeFastjson} as a UTF-8 Buffer, ready to be a command body. */
export function encodeFastjson(value: unknown): Buffer {
  return Buffer.from(writeFastjson(value), 'utf8');
}
