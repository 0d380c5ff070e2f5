/**
 * JSON header (serializeType 0): a UTF-8 JSON object with the RemotingCommand fields
 *
 *   {"code":310,"extFields":{…},"flag":0,"language":"JAVA","opaque":7,"remark":…,
 *    "serializeTypeCurrentRPC":"JSON","version":409}
 *
 * Java (fastjson) writes keys alphabetically and omits nulls; ali-ons writes code, language, opaque, flag,
 * version, remark, extFields, with extFields values as JSON numbers and booleans. Readers accept either and
 * coerce extFields values to strings (remoting-protocol.md §1.3, §1.7).
 */
import { ProtocolError } from '../errors.js';
import type { ExtFields } from '../ext-fields.js';
import { RemotingCommand, SerializeType } from './remoting-command.js';
import type { JsonHeaderShape } from './remoting-command.js';
import { scanJsonHeader } from './json-header-scan.js';
import { EMPTY_FIELD_TYPES, HEADER_KEYS, headerShape } from './json-header-shape.js';

type HeaderKey = (typeof HEADER_KEYS)[number];

/** Decodes a JSON header. Throws ProtocolError on malformed JSON or fields of the wrong type. */
export function decodeJsonHeader(header: Buffer, body: Buffer | undefined): RemotingCommand {
  return scanJsonHeader(header, body) ?? decodeJsonHeaderGeneric(header, body);
}

/**
 * {@link decodeJsonHeader} through `JSON.parse` for any header, the reference the fast scanner must match
 * (json-header-scan.test.ts) and the path that owns every error.
 */
export function decodeJsonHeaderGeneric(header: Buffer, body: Buffer | undefined): RemotingCommand {
  let parsed: unknown;
  try {
    parsed = JSON.parse(header.toString('utf8'));
  } catch (cause) {
    throw new ProtocolError(`malformed json header (${header.length} bytes)`, { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProtocolError('json header is not an object');
  }
  const raw = parsed as Record<string, unknown>;
  const cmd = new RemotingCommand({
    code: int32Field(raw, 'code', true),
    opaque: int32Field(raw, 'opaque', false),
    flag: int32Field(raw, 'flag', false),
    version: int32Field(raw, 'version', false),
    language: stringField(raw, 'language') ?? 'JAVA',
    remark: stringField(raw, 'remark'),
    body,
    serializeType: SerializeType.JSON,
  });
  const ext = raw.extFields;
  let extFieldTypes: Map<string, 'number' | 'boolean'> | undefined;
  if (ext !== undefined && ext !== null) {
    if (typeof ext !== 'object' || Array.isArray(ext)) {
      throw new ProtocolError('json header extFields is not an object');
    }
    // The parsed object is ours: coerce in place (most headers are all strings already, so usually no writes).
    const fields = ext as Record<string, unknown>;
    for (const key in fields) {
      const value = fields[key];
      if (typeof value === 'string') continue;
      if (typeof value === 'number' || typeof value === 'boolean') {
        // ali-ons sends JS numbers and booleans; Java's fastjson stringifies them into its String map.
        fields[key] = String(value);
        (extFieldTypes ??= new Map()).set(key, typeof value === 'number' ? 'number' : 'boolean');
      } else if (value === null) {
        delete fields[key];
      } else {
        fields[key] = JSON.stringify(value);
      }
    }
    cmd.extFields = fields as ExtFields;
  }
  const rpcType = raw.serializeTypeCurrentRPC;
  cmd.jsonShape = headerShape(
    Object.keys(raw),
    extFieldTypes ?? EMPTY_FIELD_TYPES,
    typeof rpcType === 'string' ? rpcType : undefined,
  );
  return cmd;
}

function int32Field(raw: Record<string, unknown>, key: string, required: boolean): number {
  const value = raw[key];
  if (typeof value === 'number' && (value | 0) === value) return value;
  if (value === undefined || value === null) {
    if (required) throw new ProtocolError(`json header has no ${key}`);
    return 0;
  }
  const n = typeof value === 'string' && /^-?\d{1,10}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) {
    throw new ProtocolError(`json header ${key} is not an int32: ${JSON.stringify(value)}`);
  }
  return n;
}

function stringField(raw: Record<string, unknown>, key: string): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ProtocolError(`json header ${key} is not a string: ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Encodes the JSON header text of `cmd`. Without a decoded shape it writes Java's form (alphabetical keys, string
 * extFields values, `serializeTypeCurrentRPC`), which Java, Go and ali-ons clients all read.
 */
export function encodeJsonHeader(cmd: RemotingCommand): string {
  const shape = cmd.jsonShape;
  if (shape === undefined) return encodeJavaStyle(cmd);
  const parts: string[] = [];
  const written = new Set<string>();
  for (const key of shape.keyOrder) {
    if (!isHeaderKey(key)) continue;
    const part = encodeKey(cmd, key, shape);
    if (part !== undefined) parts.push(part);
    written.add(key);
  }
  for (const key of HEADER_KEYS) {
    if (written.has(key) || key === 'serializeTypeCurrentRPC') continue;
    const part = encodeKey(cmd, key, shape);
    if (part !== undefined) parts.push(part);
  }
  return `{${parts.join(',')}}`;
}

function isHeaderKey(key: string): key is HeaderKey {
  return (HEADER_KEYS as readonly string[]).includes(key);
}

function encodeKey(
  cmd: RemotingCommand,
  key: HeaderKey,
  shape: JsonHeaderShape,
): string | undefined {
  switch (key) {
    case 'code':
      return `"code":${cmd.code}`;
    case 'language':
      return `"language":${JSON.stringify(cmd.language)}`;
    case 'version':
      return `"version":${cmd.version}`;
    case 'opaque':
      return `"opaque":${cmd.opaque}`;
    case 'flag':
      return `"flag":${cmd.flag}`;
    case 'remark':
      return cmd.remark === undefined ? undefined : `"remark":${JSON.stringify(cmd.remark)}`;
    case 'serializeTypeCurrentRPC':
      return shape.serializeTypeCurrentRPC === undefined
        ? undefined
        : `"serializeTypeCurrentRPC":${JSON.stringify(shape.serializeTypeCurrentRPC)}`;
    case 'extFields':
      return cmd.extFields === undefined
        ? undefined
        : `"extFields":${encodeTypedExtFields(cmd.extFields, shape)}`;
  }
}

function encodeTypedExtFields(fields: ExtFields, shape: JsonHeaderShape): string {
  if (shape.extFieldTypes.size === 0) return JSON.stringify(fields);
  const parts: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    const type = shape.extFieldTypes.get(key);
    // Re-emit as a JSON number/boolean only when the text still reads back as the same value.
    const asIs =
      (type === 'number' && String(Number(value)) === value) ||
      (type === 'boolean' && (value === 'true' || value === 'false'));
    parts.push(`${JSON.stringify(key)}:${asIs ? value : JSON.stringify(value)}`);
  }
  return `{${parts.join(',')}}`;
}

function encodeJavaStyle(cmd: RemotingCommand): string {
  let text = `{"code":${cmd.code}`;
  if (cmd.extFields !== undefined) text += `,"extFields":${JSON.stringify(cmd.extFields)}`;
  text += `,"flag":${cmd.flag},"language":${JSON.stringify(cmd.language)},"opaque":${cmd.opaque}`;
  if (cmd.remark !== undefined) text += `,"remark":${JSON.stringify(cmd.remark)}`;
  return `${text},"serializeTypeCurrentRPC":"JSON","version":${cmd.version}}`;
}
