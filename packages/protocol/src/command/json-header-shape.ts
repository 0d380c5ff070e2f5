/**
 * The key order of decoded JSON headers, kept so a response goes back in the order its request came in (ali-ons
 * writes its own order and reads numbers and booleans back as such; remoting-protocol.md §1.7).
 *
 * Interned: a trie over the top-level keys as they arrive, so the few orders real peers send (Java's, ali-ons',
 * with or without remark/extFields) share one array and, without typed extFields, one shape object, instead of a
 * key array and a shape per decoded frame. Bounded: past {@link MAX_ORDER_NODES} nodes a new order gets its own
 * array.
 */
import type { JsonHeaderShape } from './remoting-command.js';

/** The RemotingCommand fields of a JSON header, in fastjson's (alphabetical) order. */
export const HEADER_KEYS = [
  'code',
  'extFields',
  'flag',
  'language',
  'opaque',
  'remark',
  'serializeTypeCurrentRPC',
  'version',
] as const;

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

/** No extFields value arrived as a JSON number or boolean. */
export const EMPTY_FIELD_TYPES: ReadonlyMap<string, 'number' | 'boolean'> = new Map();

/** The shape of a header whose top-level keys arrived as `keys` (which may be a reused scratch: kept as a copy). */
export function headerShape(
  keys: readonly string[],
  extFieldTypes: ReadonlyMap<string, 'number' | 'boolean'>,
  rpcType: string | undefined,
): JsonHeaderShape {
  let node: OrderNode | undefined = orderRoot;
  const keyCount = keys.length;
  for (let i = 0; i < keyCount; i++) {
    const key = keys[i]!;
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
  if (node === undefined) return makeShape(keys.slice(), extFieldTypes, rpcType);
  const keyOrder = (node.keyOrder ??= Object.freeze(keys.slice()));
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
