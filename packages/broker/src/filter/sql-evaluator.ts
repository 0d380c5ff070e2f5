import type { SqlCompareOp, SqlNode, SqlValue } from './sql-parser.js';

/** The values an expression reads: a message's properties (user properties, TAGS, KEYS, …), all strings. */
export type SqlProperties = ReadonlyMap<string, string>;

/** A numeric string as Java `Long.valueOf`/`Double.valueOf` would read it (no hex, no blanks, no empty string). */
const NUMERIC = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/**
 * Evaluates a tree with RocketMQ's three-valued logic: a missing property is null, a comparison with null is null,
 * AND/OR/NOT propagate null as Java's `LogicExpression`/`UnaryExpression` do, and the message matches only when the
 * result is exactly true.
 */
export function matchesSql92(node: SqlNode, properties: SqlProperties): boolean {
  return evaluate(node, properties) === true;
}

function evaluate(node: SqlNode, props: SqlProperties): SqlValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'property':
      return props.get(node.name) ?? null;
    case 'negate': {
      const value = toNumber(evaluate(node.operand, props));
      return value === null ? null : -value;
    }
    case 'not': {
      const value = evaluate(node.operand, props);
      return typeof value === 'boolean' ? !value : null;
    }
    case 'boolCast': {
      const value = evaluate(node.operand, props);
      if (value === null) return null;
      return typeof value === 'boolean' ? value : false;
    }
    case 'and': {
      const left = evaluate(node.left, props);
      if (left === null) return null;
      if (left !== true) return false;
      return booleanOrNull(evaluate(node.right, props));
    }
    case 'or': {
      if (evaluate(node.left, props) === true) return true;
      return booleanOrNull(evaluate(node.right, props));
    }
    case 'isNull': {
      const isNull = evaluate(node.operand, props) === null;
      return node.negated ? !isNull : isNull;
    }
    case 'in': {
      const value = props.get(node.name);
      if (value === undefined) return null;
      return node.values.has(value) !== node.negated;
    }
    case 'compare':
      return compare(node.op, evaluate(node.left, props), evaluate(node.right, props));
  }
}

function booleanOrNull(value: SqlValue): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/**
 * One comparison. Null on either side gives null. Two numbers compare numerically; a string compared with a
 * number is read as a number (properties are strings on the wire). Two
 * strings: `=`/`<>` compare the text, the ordering operators compare them as numbers when both are numeric (Java
 * converts them to doubles) and never match otherwise. Values of incomparable kinds (a non-numeric string and a
 * number, a boolean and anything else) are unequal and unordered.
 */
function compare(op: SqlCompareOp, left: SqlValue, right: SqlValue): boolean | null {
  if (left === null || right === null) return null;
  const equality = op === '=' || op === '<>';
  let order: number;
  if (typeof left === 'string' && typeof right === 'string' && equality) {
    order = left === right ? 0 : 1;
  } else if (typeof left === 'boolean' || typeof right === 'boolean') {
    if (typeof left !== typeof right) return equality ? op === '<>' : null;
    order = Number(left) - Number(right);
  } else {
    const l = toNumber(left);
    const r = toNumber(right);
    if (l === null || r === null) return equality ? op === '<>' : null;
    order = l === r ? 0 : l < r ? -1 : 1;
  }
  switch (op) {
    case '=':
      return order === 0;
    case '<>':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

function toNumber(value: SqlValue): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC.test(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}
