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

const KNOWN_KEYS = [
  'code',
  'extFields',
  'flag',
  'language',
  'opaque',
  'remark',
  'serializeTypeCurrentRPC',
  'version',
] as const;
type HeaderKey = (typeof KNOWN_KEYS)[number];

/** Decodes a JSON header. Throws ProtocolError on malformed JSON or fields of the wrong type. */
export function decodeJsonHeader(header: Buffer, body: Buffer | undefined): RemotingCommand {
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
    raw,
    extFieldTypes ?? EMPTY_TYPES,
    typeof rpcType === 'string' ? rpcType : undefined,
  );
  return cmd;
}

/**
 * Interned key orders: a trie over the top-level keys as they arrive, so the few orders real peers send (Java's,
 * ali-ons', with or without remark/extFields) share one array and, without typed extFields, one shape object,
 * instead of an `Object.keys` array and a shape per decoded frame. Bounded: past {@link MAX_ORDER_NODES} nodes a
 * new order gets its own array, as before.
 */
interface OrderNode {
  readonly next: Map<string, OrderNode>;
  keyOrder: readonly string[] | undefined;
  /** Shapes with no typed extFields, by serializeTypeCurrentRPC value ('' when absent). */
  readonly plainShapes: Map<string, JsonHeaderShape>;
}
const MAX_ORDER_NODES = 256;
const MAX_PLAIN_SHAPES_PER_ORDER = 4;
const orderRoot: OrderNode = { next: new Map(), keyOrder: undefined, plainShapes: new Map() };
let orderNodes = 1;

function headerShape(
  raw: Record<string, unknown>,
  extFieldTypes: ReadonlyMap<string, 'number' | 'boolean'>,
  rpcType: string | undefined,
): JsonHeaderShape {
  let node: OrderNode | undefined = orderRoot;
  for (const key in raw) {
    let child: OrderNode | undefined = node.next.get(key);
    if (child === undefined) {
      if (orderNodes >= MAX_ORDER_NODES) {
        node = undefined;
        break;
      }
      child = { next: new Map(), keyOrder: undefined, plainShapes: new Map() };
      node.next.set(key, child);
      orderNodes++;
    }
    node = child;
  }
  if (node === undefined) return makeShape(Object.keys(raw), extFieldTypes, rpcType);
  const keyOrder = (node.keyOrder ??= Object.freeze(Object.keys(raw)));
  if (extFieldTypes.size > 0) return makeShape(keyOrder, extFieldTypes, rpcType);
  const shapeKey = rpcType ?? '';
  let shape = node.plainShapes.get(shapeKey);
  if (shape === undefined) {
    shape = Object.freeze(makeShape(keyOrder, extFieldTypes, rpcType));
    if (node.plainShapes.size < MAX_PLAIN_SHAPES_PER_ORDER) node.plainShapes.set(shapeKey, shape);
  }
  return shape;
}

function makeShape(
  keyOrder: readonly string[],
  extFieldTypes: ReadonlyMap<string, 'number' | 'boolean'>,
  rpcType: string | undefined,
): JsonHeaderShape {
  return rpcType === undefined
    ? { keyOrder, extFieldTypes }
    : { keyOrder, extFieldTypes, serializeTypeCurrentRPC: rpcType };
}

const EMPTY_TYPES: ReadonlyMap<string, 'number' | 'boolean'> = new Map();

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
  for (const key of KNOWN_KEYS) {
    if (written.has(key) || key === 'serializeTypeCurrentRPC') continue;
    const part = encodeKey(cmd, key, shape);
    if (part !== undefined) parts.push(part);
  }
  return `{${parts.join(',')}}`;
}

function isHeaderKey(key: string): key is HeaderKey {
  return (KNOWN_KEYS as readonly string[]).includes(key);
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
