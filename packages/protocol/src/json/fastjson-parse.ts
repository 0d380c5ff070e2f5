import { ProtocolError } from '../errors.js';

/*
 * Parser for JSON written by fastjson 1.x (RocketMQ's RemotingSerializable). Grammar: RFC 8259 JSON, plus two
 * extensions in object-key position only (remoting-protocol.md §5.0):
 *
 *   key := string                 standard
 *        | integer                `{0:"10.0.0.1:10911"}`: Map<Integer|Long,…>; the key becomes its decimal text
 *        | object                 `{{"brokerName":"b","queueId":0,"topic":"t"}:{…}}`: Map<MessageQueue,…>
 *
 * An object with at least one object key decodes to an ObjectKeyMap (ordered entries); every other object decodes to a
 * plain JsonObject. The lenient parser is iterative-recursive with a depth bound and does one pass over the text, so
 * hostile input costs O(length) time and O(depth) stack.
 */

/** A decoded JSON value: the standard JSON kinds, plus {@link ObjectKeyMap} for fastjson's object-keyed maps. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject | ObjectKeyMap;

/** A JSON object with string keys (unquoted integer keys arrive here as their decimal text). */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** One `[key, value]` pair of an {@link ObjectKeyMap}. */
export type ObjectKeyEntry<TKey = JsonObject | string, TValue = JsonValue> = readonly [
  key: TKey,
  value: TValue,
];

/**
 * A JSON object that had at least one object key, as fastjson writes `Map<MessageQueue, V>`:
 * `{{"brokerName":"b","queueId":0,"topic":"t"}:{…}}`. Keeps the pairs in input order; duplicate keys stay separate
 * entries (the reader decides). Parsed maps are `ObjectKeyMap<JsonObject | string, JsonValue>` (a string key is an
 * ordinary key in the same object); the writer accepts any object keys and values it can write.
 */
export class ObjectKeyMap<TKey = JsonObject | string, TValue = JsonValue> {
  /** The pairs in input (or output) order. */
  readonly entries: ObjectKeyEntry<TKey, TValue>[];
  constructor(entries: ObjectKeyEntry<TKey, TValue>[] = []) {
    this.entries = entries;
  }
}

/** Default maximum nesting depth of arrays/objects (object keys count as one level). */
export const FASTJSON_MAX_DEPTH = 64;

/** Options of {@link parseFastjson}. */
export interface ParseFastjsonOptions {
  /** Deepest allowed nesting of arrays and objects; deeper input throws ProtocolError. Default {@link FASTJSON_MAX_DEPTH}; values above 1000 count as 1000. */
  maxDepth?: number;
  /**
   * Try `JSON.parse` first (fast for the common standard-JSON body) and use the lenient parser only when it fails.
   * Default true; false always runs the lenient parser (tests, benchmarks).
   */
  fastPath?: boolean;
}

/**
 * Parses a RocketMQ JSON body: standard JSON plus fastjson's unquoted integer keys and object keys (see
 * {@link ObjectKeyMap}). A Buffer is decoded as UTF-8. A key named `__proto__` becomes an ordinary own property.
 * Numbers are JS numbers (integers above 2^53 lose precision, as with `JSON.parse`).
 *
 * @throws ProtocolError on a syntax error or nesting deeper than `maxDepth`; `offset` is the position of the bad
 *   token: a UTF-8 byte offset for Buffer input (exact for valid UTF-8), a UTF-16 index for string input.
 */
export function parseFastjson(input: Buffer | string, options?: ParseFastjsonOptions): JsonValue {
  const text = typeof input === 'string' ? input : input.toString('utf8');
  // Capped so the recursive lenient parser can never exhaust the stack.
  const maxDepth = Math.min(options?.maxDepth ?? FASTJSON_MAX_DEPTH, 1000);
  try {
    if (options?.fastPath !== false) {
      checkDepth(text, maxDepth);
      let value: unknown;
      let ok = true;
      try {
        value = JSON.parse(text);
      } catch {
        ok = false;
      }
      if (ok) return value as JsonValue;
    }
    return new LenientParser(text, maxDepth).parseDocument();
  } catch (err) {
    if (err instanceof SyntaxFault) {
      const offset =
        typeof input === 'string' ? err.index : Buffer.byteLength(text.slice(0, err.index), 'utf8');
      throw new ProtocolError(`json body: ${err.message} at offset ${offset}`, { offset });
    }
    throw err;
  }
}

/** Internal: a syntax error at a UTF-16 index, converted to ProtocolError with the right offset kind by the caller. */
class SyntaxFault extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

/** Rejects nesting deeper than maxDepth before JSON.parse builds it (brackets inside strings do not count). */
function checkDepth(text: string, maxDepth: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) throw new SyntaxFault(`nesting deeper than ${maxDepth}`, i);
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const INTEGER_RE = /^-?(?:0|[1-9]\d*)$/;

/** Sets an own property, including `__proto__`, without touching the prototype chain. */
function setOwn(obj: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    obj[key] = value;
  }
}

class LenientParser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  parseDocument(): JsonValue {
    const value = this.parseValue(0);
    this.skipWs();
    if (this.pos < this.text.length) this.fail(`unexpected ${this.describe()} after the value`);
    return value;
  }

  private fail(message: string, at = this.pos): never {
    throw new SyntaxFault(message, at);
  }

  private describe(): string {
    if (this.pos >= this.text.length) return 'end of input';
    return `character ${JSON.stringify(this.text[this.pos])}`;
  }

  private skipWs(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  private parseValue(depth: number): JsonValue {
    this.skipWs();
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b:
        return this.parseObject(depth + 1);
      case 0x5b:
        return this.parseArray(depth + 1);
      case 0x22:
        return this.parseString();
      case 0x74:
        return this.parseLiteral('true', true);
      case 0x66:
        return this.parseLiteral('false', false);
      case 0x6e:
        return this.parseLiteral('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return Number(this.readNumberToken());
        return this.fail(`unexpected ${this.describe()}`);
    }
  }

  private parseLiteral<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`unexpected ${this.describe()}`);
    this.pos += word.length;
    return value;
  }

  private readNumberToken(): string {
    NUMBER_RE.lastIndex = this.pos;
    const m = NUMBER_RE.exec(this.text);
    if (m === null) return this.fail('malformed number');
    this.pos += m[0].length;
    return m[0];
  }

  private parseString(): string {
    const t = this.text;
    const start = this.pos;
    this.pos++; // opening quote
    let out = '';
    let chunk = this.pos;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(chunk, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('control character in string');
      if (c === 0x5c) {
        out += t.slice(chunk, this.pos);
        out += this.readEscape();
        chunk = this.pos;
      } else {
        this.pos++;
      }
    }
    return this.fail('unterminated string', start);
  }

  private readEscape(): string {
    const t = this.text;
    const e = t[this.pos + 1];
    this.pos += 2;
    switch (e) {
      case '"':
        return '"';
      case '\\':
        return '\\';
      case '/':
        return '/';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u': {
        const hex = t.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape', this.pos - 2);
        this.pos += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      case undefined:
      default:
        return this.fail('bad escape', this.pos - 2);
    }
  }

  private parseArray(depth: number): JsonValue[] {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    this.pos++; // [
    const out: JsonValue[] = [];
    this.skipWs();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.parseValue(depth));
      this.skipWs();
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
      } else if (c === 0x5d) {
        this.pos++;
        return out;
      } else {
        this.fail(`expected ',' or ']' but found ${this.describe()}`);
      }
    }
  }

  private parseKey(depth: number): JsonObject | string {
    this.skipWs();
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x22) return this.parseString();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const at = this.pos;
      const token = this.readNumberToken();
      if (!INTEGER_RE.test(token)) this.fail('non-integer number as object key', at);
      return token;
    }
    if (c === 0x7b) {
      const at = this.pos;
      const key = this.parseObject(depth + 1);
      if (key instanceof ObjectKeyMap) this.fail('object key with object keys of its own', at);
      return key;
    }
    return this.fail(`expected an object key but found ${this.describe()}`);
  }

  private parseObject(depth: number): JsonObject | ObjectKeyMap {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    this.pos++; // {
    const entries: [JsonObject | string, JsonValue][] = [];
    let objectKeys = false;
    this.skipWs();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return {};
    }
    for (;;) {
      const key = this.parseKey(depth);
      if (typeof key !== 'string') objectKeys = true;
      this.skipWs();
      if (this.text.charCodeAt(this.pos) !== 0x3a)
        this.fail(`expected ':' but found ${this.describe()}`);
      this.pos++;
      entries.push([key, this.parseValue(depth)]);
      this.skipWs();
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
      } else if (c === 0x7d) {
        this.pos++;
        break;
      } else {
        this.fail(`expected ',' or '}' but found ${this.describe()}`);
      }
    }
    if (objectKeys) return new ObjectKeyMap(entries);
    const obj: JsonObject = {};
    for (const [k, v] of entries) setOwn(obj, k as string, v);
    return obj;
  }
}
