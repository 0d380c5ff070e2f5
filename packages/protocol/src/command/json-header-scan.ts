/**
 * The fast path of JSON header decoding: a byte scanner for the headers real peers send (Java's fastjson, our
 * writer, Go and C++ clients), with every extFields value a string and no whitespace. It returns exactly what
 * the generic decoder (`JSON.parse` and field checks) returns for the same bytes, or undefined when the header
 * leaves that subset (numbers or booleans in extFields, whitespace, unknown or repeated keys, anything malformed),
 * and the caller then takes the generic path, which also owns every error message.
 *
 * Why: `JSON.parse` of a 380-byte send header costs ~1.4 µs on the hot path of every request a broker serves and
 * every response a producer reads; most of it is building and internalizing strings that repeat from frame to
 * frame (keys, topic, group, "0", "false", "JAVA"). Here short ASCII strings come from a direct-mapped cache
 * keyed by a hash of their bytes, so only values that change (timestamps, message ids, properties) cost a new
 * string.
 */
import type { ExtFields } from '../ext-fields.js';
import { EMPTY_FIELD_TYPES, HEADER_KEYS, headerShape } from './json-header-shape.js';
import { RemotingCommand, SerializeType } from './remoting-command.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Indexes into HEADER_KEYS. */
const KEY_CODE = 0;
const KEY_EXT_FIELDS = 1;
const KEY_FLAG = 2;
const KEY_LANGUAGE = 3;
const KEY_OPAQUE = 4;
const KEY_REMARK = 5;
const KEY_RPC_TYPE = 6;
const KEY_VERSION = 7;
/** The top-level keys' bytes with their closing quote, by key number. */
const TOP_KEY_BYTES = HEADER_KEYS.map((key) => Buffer.from(`${key}"`, 'latin1'));

/** Strings up to this many bytes are looked up in (and kept in) the cache. */
const MAX_CACHED_BYTES = 48;
const CACHE_SLOTS = 2048;
const CACHE_MASK = CACHE_SLOTS - 1;
/** Direct-mapped: a new string takes its slot from whatever held it, so the cache never grows. */
const cache: (string | undefined)[] = new Array<string | undefined>(CACHE_SLOTS).fill(undefined);

const EMPTY = Buffer.alloc(0);
/** The header being scanned and the scan position: module state, so the readers below allocate nothing. */
let src: Buffer = EMPTY;
let at = 0;
/** Top-level keys in arrival order (scratch; headerShape copies what it keeps). */
const keyScratch: string[] = [];

/**
 * Decodes a JSON header in the common subset, or returns undefined for the generic decoder to handle (it
 * then also produces the error for a malformed header).
 */
export function scanJsonHeader(
  header: Buffer,
  body: Buffer | undefined,
): RemotingCommand | undefined {
  src = header;
  at = 0;
  try {
    return scanCommand(body);
  } finally {
    src = EMPTY;
  }
}

function scanCommand(body: Buffer | undefined): RemotingCommand | undefined {
  const end = src.length;
  if (end < 2 || src[0] !== OPEN_BRACE) return undefined;
  at = 1;
  let seen = 0;
  let keyCount = 0;
  let code = 0;
  let opaque = 0;
  let flag = 0;
  let version = 0;
  let language: string | undefined;
  let remark: string | undefined;
  let rpcType: string | undefined;
  let extFields: ExtFields | undefined;
  for (;;) {
    const key = readTopKey();
    if (key < 0 || (seen & (1 << key)) !== 0 || src[at] !== COLON) return undefined;
    at++;
    seen |= 1 << key;
    keyScratch[keyCount++] = HEADER_KEYS[key]!;
    switch (key) {
      case KEY_CODE:
        code = readInt32();
        if (code !== code) return undefined;
        break;
      case KEY_OPAQUE:
        opaque = readInt32();
        if (opaque !== opaque) return undefined;
        break;
      case KEY_FLAG:
        flag = readInt32();
        if (flag !== flag) return undefined;
        break;
      case KEY_VERSION:
        version = readInt32();
        if (version !== version) return undefined;
        break;
      case KEY_LANGUAGE:
        language = readString();
        if (language === undefined) return undefined;
        break;
      case KEY_REMARK:
        remark = readString();
        if (remark === undefined) return undefined;
        break;
      case KEY_RPC_TYPE:
        rpcType = readString();
        if (rpcType === undefined) return undefined;
        break;
      default:
        extFields = readStringMap();
        if (extFields === undefined) return undefined;
    }
    const next = src[at++];
    if (next === CLOSE_BRACE) break;
    if (next !== COMMA) return undefined;
  }
  if (at !== end || (seen & (1 << KEY_CODE)) === 0) return undefined;
  const cmd = new RemotingCommand({
    code,
    opaque,
    flag,
    version,
    language: language ?? 'JAVA',
    remark,
    body,
    serializeType: SerializeType.JSON,
  });
  if (extFields !== undefined) cmd.extFields = extFields;
  keyScratch.length = keyCount;
  cmd.jsonShape = headerShape(keyScratch, EMPTY_FIELD_TYPES, rpcType);
  return cmd;
}

/** Reads `"key"` for one of the eight header keys: its number, or -1. */
function readTopKey(): number {
  if (src[at] !== QUOTE) return -1;
  let key: number;
  switch (src[at + 1] ?? 0) {
    case 0x63: // c
      key = KEY_CODE;
      break;
    case 0x65: // e
      key = KEY_EXT_FIELDS;
      break;
    case 0x66: // f
      key = KEY_FLAG;
      break;
    case 0x6c: // l
      key = KEY_LANGUAGE;
      break;
    case 0x6f: // o
      key = KEY_OPAQUE;
      break;
    case 0x72: // r
      key = KEY_REMARK;
      break;
    case 0x73: // s
      key = KEY_RPC_TYPE;
      break;
    case 0x76: // v
      key = KEY_VERSION;
      break;
    default:
      return -1;
  }
  const expected = TOP_KEY_BYTES[key]!;
  const start = at + 1;
  if (start + expected.length > src.length) return -1;
  for (let i = 0; i < expected.length; i++) {
    if (src[start + i] !== expected[i]) return -1;
  }
  at = start + expected.length;
  return key;
}

/**
 * Reads a JSON integer in int32 range written the way JSON allows (no leading zeros, no fraction or exponent,
 * no `-0`), followed by `,` or `}`; NaN for anything else.
 */
function readInt32(): number {
  let i = at;
  const negative = src[i] === MINUS;
  if (negative) i++;
  const first = i;
  let value = 0;
  for (; i < src.length; i++) {
    const b = src[i]!;
    if (b < DIGIT_0 || b > DIGIT_9) break;
    value = value * 10 + (b - DIGIT_0);
  }
  const digits = i - first;
  if (digits === 0 || digits > 10 || (digits > 1 && src[first] === DIGIT_0)) return NaN;
  if (negative) {
    if (value === 0) return NaN;
    value = -value;
  }
  if (value > 0x7fffffff || value < -0x80000000) return NaN;
  const next = src[i];
  if (next !== COMMA && next !== CLOSE_BRACE) return NaN;
  at = i;
  return value;
}

/** Reads a JSON string at `at` (which must be its opening quote); undefined when it is not one. */
function readString(): string | undefined {
  // Locals, not the module's `src`/`at`, inside the byte loop: V8 keeps them in registers.
  const bytes = src;
  if (bytes[at] !== QUOTE) return undefined;
  const start = at + 1;
  const length = bytes.length;
  let hash = 0x811c9dc5;
  let i = start;
  for (; i < length; i++) {
    const b = bytes[i]!;
    if (b === QUOTE) break;
    if (b === BACKSLASH || b >= 0x80 || b < 0x20) return readEscapedString(start);
    hash = Math.imul(hash ^ b, 0x01000193);
  }
  if (i >= length) return undefined;
  at = i + 1;
  const byteLength = i - start;
  if (byteLength > MAX_CACHED_BYTES) return bytes.toString('latin1', start, i);
  const slot = hash & CACHE_MASK;
  const cached = cache[slot];
  if (cached !== undefined && cached.length === byteLength && sameAscii(cached, bytes, start)) {
    return cached;
  }
  const text = bytes.toString('latin1', start, i);
  cache[slot] = text;
  return text;
}

/** True when `text` (ASCII) equals `bytes` from `start`. */
function sameAscii(text: string, bytes: Buffer, start: number): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== bytes[start + i]) return false;
  }
  return true;
}

/**
 * A string with escapes or non-ASCII bytes (properties carry \u0001 and \u0002): its end found by memchr (a quote
 * after an even run of backslashes), then decoded by `JSON.parse` of just that string, as UTF-8 like the
 * whole-header decode. Anything JSON.parse refuses (a raw control character, a bad escape) leaves the fast path.
 */
function readEscapedString(start: number): string | undefined {
  const bytes = src;
  let quote = start - 1;
  for (;;) {
    quote = bytes.indexOf(QUOTE, quote + 1);
    if (quote < 0) return undefined;
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if ((backslashes & 1) === 0) break;
  }
  let text: unknown;
  try {
    text = JSON.parse(bytes.toString('utf8', start - 1, quote + 1));
  } catch {
    return undefined;
  }
  at = quote + 1;
  return text as string;
}

/**
 * Reads `{"k":"v",…}` with string values only; undefined for anything else (typed values, nulls). The pairs go to
 * scratch arrays first and the object is made by {@link buildStringMap}.
 */
function readStringMap(): ExtFields | undefined {
  if (src[at] !== OPEN_BRACE) return undefined;
  at++;
  let count = 0;
  if (src[at] === CLOSE_BRACE) {
    at++;
    return {};
  }
  for (;;) {
    const key = readString();
    if (key === undefined || src[at] !== COLON) return undefined;
    at++;
    const value = readString();
    if (value === undefined) return undefined;
    extKeyScratch[count] = key;
    extValueScratch[count] = value;
    count++;
    const next = src[at++];
    if (next === CLOSE_BRACE) return buildStringMap(count);
    if (next !== COMMA) return undefined;
  }
}

/** Keys and values of the extFields being read (scratch). */
const extKeyScratch: string[] = [];
const extValueScratch: string[] = [];

/**
 * One extFields key sequence seen before, with an object of exactly those keys: a new header of the same keys is a
 * copy of it (one allocation, every later store hits an existing property) instead of an object grown key by key.
 */
interface MapLayout {
  readonly keys: readonly string[];
  readonly template: Readonly<ExtFields>;
}
/** Most recent first; a handful covers every request and response kind one connection sees at a time. */
const layouts: MapLayout[] = [];
const MAX_LAYOUTS = 16;

function buildStringMap(count: number): ExtFields | undefined {
  let layout = findLayout(count);
  if (layout === undefined) {
    layout = newLayout(count);
    if (layout === undefined) return undefined;
  }
  const fields: ExtFields = { ...layout.template };
  const keys = layout.keys;
  for (let i = 0; i < count; i++) fields[keys[i]!] = extValueScratch[i]!;
  return fields;
}

/** The layout of the scratch keys (cached strings, so a match is by identity), moved to the front. */
function findLayout(count: number): MapLayout | undefined {
  for (let l = 0; l < layouts.length; l++) {
    const layout = layouts[l]!;
    const keys = layout.keys;
    if (keys.length !== count) continue;
    let i = 0;
    while (i < count && keys[i] === extKeyScratch[i]) i++;
    if (i < count) continue;
    if (l > 0) {
      layouts.splice(l, 1);
      layouts.unshift(layout);
    }
    return layout;
  }
  return undefined;
}

/**
 * Makes and keeps a layout for the scratch keys, or undefined when a key repeats (JSON.parse keeps the last value
 * at the first position) or is an inherited name (`__proto__` would set the prototype): the generic decoder
 * handles those.
 */
function newLayout(count: number): MapLayout | undefined {
  const template: ExtFields = {};
  for (let i = 0; i < count; i++) {
    const key = extKeyScratch[i]!;
    if (key in template) return undefined;
    template[key] = '';
  }
  const layout: MapLayout = { keys: extKeyScratch.slice(0, count), template };
  layouts.unshift(layout);
  if (layouts.length > MAX_LAYOUTS) layouts.pop();
  return layout;
}
