/**
 * Writes a command's Java-style JSON header (what `encodeJsonHeader` produces for a command without a decoded
 * shape) straight into bytes, with no intermediate strings, arrays or objects: the hot path of every request a
 * client sends and every response a broker answers. The bytes equal `Buffer.from(encodeJsonHeader(cmd))`;
 * json-header-writer.test.ts checks that over random commands.
 *
 * Strings are escaped as JSON.stringify escapes them (`\"`, `\\`, `\b \f \n \r \t`, other controls and lone
 * surrogates as lowercase `\u00XX` / `\udXXX`) and written as UTF-8.
 */
import type { RemotingCommand } from './remoting-command.js';

/** Worst case UTF-8 bytes of one UTF-16 unit once JSON-escaped: `\uXXXX` is 6 bytes. */
const MAX_BYTES_PER_UNIT = 6;
const HEX = '0123456789abcdef';

let scratch = Buffer.allocUnsafe(4096);

/**
 * Writes the Java-style JSON header of `cmd` into a module-owned scratch buffer and returns it with the length.
 * The scratch is overwritten by the next call: copy the bytes out before encoding another header.
 */
export function writeJavaStyleHeader(cmd: RemotingCommand): { bytes: Buffer; length: number } {
  const bound = javaStyleHeaderBound(cmd);
  if (bound > scratch.length) scratch = Buffer.allocUnsafe(Math.max(bound, scratch.length * 2));
  SCRATCH_RESULT.bytes = scratch;
  SCRATCH_RESULT.length = writeJavaStyleHeaderInto(cmd, scratch, 0);
  return SCRATCH_RESULT;
}

/** Reused result of {@link writeJavaStyleHeader}: no object per header. */
const SCRATCH_RESULT: { bytes: Buffer; length: number } = { bytes: scratch, length: 0 };

/** An upper bound on the header's byte length (every string unit counted at its worst, 6 bytes). */
function javaStyleHeaderBound(cmd: RemotingCommand): number {
  // Fixed keys, punctuation and four numbers (at most 24 bytes each as text) fit in 256 bytes.
  let bound = 256 + cmd.language.length * MAX_BYTES_PER_UNIT;
  if (cmd.remark !== undefined) bound += cmd.remark.length * MAX_BYTES_PER_UNIT;
  const ext = cmd.extFields;
  if (ext !== undefined) {
    if (!isPlainStringMap(ext)) return bound + String(JSON.stringify(ext)).length * 3;
    for (const key in ext) {
      bound += (key.length + ext[key]!.length) * MAX_BYTES_PER_UNIT + 6;
    }
  }
  return bound;
}

/**
 * Writes the header at `offset` of `out` (which must have room for it: see {@link javaStyleHeaderBound}) and
 * returns the number of bytes written. Key order is fastjson's: alphabetical.
 */
function writeJavaStyleHeaderInto(cmd: RemotingCommand, out: Buffer, offset: number): number {
  let at = offset;
  at = writeAscii(out, at, '{"code":');
  at = writeNumber(out, at, cmd.code);
  const ext = cmd.extFields;
  if (ext !== undefined) {
    at = writeAscii(out, at, ',"extFields":');
    at = isPlainStringMap(ext)
      ? writeStringMap(out, at, ext)
      : at + out.write(String(JSON.stringify(ext)), at, 'utf8');
  }
  at = writeAscii(out, at, ',"flag":');
  at = writeNumber(out, at, cmd.flag);
  at = writeAscii(out, at, ',"language":');
  at = writeJsonString(out, at, cmd.language);
  at = writeAscii(out, at, ',"opaque":');
  at = writeNumber(out, at, cmd.opaque);
  if (cmd.remark !== undefined) {
    at = writeAscii(out, at, ',"remark":');
    at = writeJsonString(out, at, cmd.remark);
  }
  at = writeAscii(out, at, ',"serializeTypeCurrentRPC":"JSON","version":');
  at = writeNumber(out, at, cmd.version);
  out[at++] = 0x7d; // }
  return at - offset;
}

/**
 * True when JSON.stringify would write `map` as `{"k":"v",…}` from its own keys: a plain object whose values are
 * all strings. Anything else (undefined values, numbers, toJSON, class instances) takes JSON.stringify itself.
 */
function isPlainStringMap(map: object): map is Record<string, string> {
  const proto = Object.getPrototypeOf(map) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  const record = map as Record<string, unknown>;
  for (const key in record) {
    if (typeof record[key] !== 'string') return false;
  }
  return !('toJSON' in record);
}

function writeStringMap(out: Buffer, offset: number, map: Record<string, string>): number {
  let at = offset;
  out[at++] = 0x7b; // {
  let first = true;
  for (const key in map) {
    if (!first) out[at++] = 0x2c; // ,
    first = false;
    at = writeJsonString(out, at, key);
    out[at++] = 0x3a; // :
    at = writeJsonString(out, at, map[key]!);
  }
  out[at++] = 0x7d; // }
  return at;
}

/** Writes a string known to be plain ASCII with nothing to escape (the fixed keys). */
function writeAscii(out: Buffer, offset: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
  return offset + text.length;
}

/** Writes `n` as template-literal interpolation does: digits for int32 values, String(n) for anything else. */
function writeNumber(out: Buffer, offset: number, n: number): number {
  if ((n | 0) !== n || Object.is(n, -0)) return writeAscii(out, offset, String(n));
  let at = offset;
  let value = n;
  if (value < 0) {
    out[at++] = 0x2d; // -
    if (value === -0x80000000) return writeAscii(out, at, '2147483648');
    value = -value;
  }
  let digits = 1;
  for (let rest = value; rest >= 10; rest = (rest / 10) | 0) digits++;
  for (let i = at + digits - 1; i >= at; i--) {
    out[i] = 0x30 + (value % 10);
    value = (value / 10) | 0;
  }
  return at + digits;
}

/** Writes `text` as JSON.stringify(text) would, UTF-8 encoded. */
function writeJsonString(out: Buffer, offset: number, text: string): number {
  let at = offset;
  out[at++] = 0x22; // "
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) {
      if (unit >= 0x20 && unit !== 0x22 && unit !== 0x5c) {
        out[at++] = unit;
      } else {
        at = writeAsciiEscape(out, at, unit);
      }
    } else if (unit < 0x800) {
      out[at++] = 0xc0 | (unit >> 6);
      out[at++] = 0x80 | (unit & 0x3f);
    } else if (unit < 0xd800 || unit > 0xdfff) {
      out[at++] = 0xe0 | (unit >> 12);
      out[at++] = 0x80 | ((unit >> 6) & 0x3f);
      out[at++] = 0x80 | (unit & 0x3f);
    } else {
      const next = i + 1 < length ? text.charCodeAt(i + 1) : 0;
      if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const codePoint = 0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00);
        out[at++] = 0xf0 | (codePoint >> 18);
        out[at++] = 0x80 | ((codePoint >> 12) & 0x3f);
        out[at++] = 0x80 | ((codePoint >> 6) & 0x3f);
        out[at++] = 0x80 | (codePoint & 0x3f);
        i++;
      } else {
        // A lone surrogate: well-formed JSON.stringify writes it as a \u escape.
        at = writeUnicodeEscape(out, at, unit);
      }
    }
  }
  out[at++] = 0x22; // "
  return at;
}

function writeAsciiEscape(out: Buffer, offset: number, unit: number): number {
  let short = 0;
  switch (unit) {
    case 0x22:
      short = 0x22; // \"
      break;
    case 0x5c:
      short = 0x5c; // \\
      break;
    case 0x08:
      short = 0x62; // \b
      break;
    case 0x0c:
      short = 0x66; // \f
      break;
    case 0x0a:
      short = 0x6e; // \n
      break;
    case 0x0d:
      short = 0x72; // \r
      break;
    case 0x09:
      short = 0x74; // \t
      break;
    default:
      return writeUnicodeEscape(out, offset, unit);
  }
  out[offset] = 0x5c;
  out[offset + 1] = short;
  return offset + 2;
}

function writeUnicodeEscape(out: Buffer, offset: number, unit: number): number {
  out[offset] = 0x5c; // \
  out[offset + 1] = 0x75; // u
  out[offset + 2] = HEX.charCodeAt((unit >> 12) & 0xf);
  out[offset + 3] = HEX.charCodeAt((unit >> 8) & 0xf);
  out[offset + 4] = HEX.charCodeAt((unit >> 4) & 0xf);
  out[offset + 5] = HEX.charCodeAt(unit & 0xf);
  return offset + 6;
}
