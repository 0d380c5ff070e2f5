import { SqlParseError, tokenizeSql } from './sql-tokenizer.js';
import type { SqlToken } from './sql-tokenizer.js';

/** A literal's value: string, number (Java long or double), boolean, or null. */
export type SqlValue = string | number | boolean | null;

/** Comparison operators; BETWEEN is rewritten into two of them. */
export type SqlCompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** A compiled expression tree. */
export type SqlNode =
  | { kind: 'literal'; value: SqlValue }
  | { kind: 'property'; name: string }
  | { kind: 'negate'; operand: SqlNode }
  | { kind: 'not'; operand: SqlNode }
  /** A property used where a boolean is expected (Java's boolean cast: only a boolean value is true). */
  | { kind: 'boolCast'; operand: SqlNode }
  | { kind: 'and' | 'or'; left: SqlNode; right: SqlNode }
  | { kind: 'compare'; op: SqlCompareOp; left: SqlNode; right: SqlNode }
  | { kind: 'isNull'; operand: SqlNode; negated: boolean }
  | { kind: 'in'; name: string; values: ReadonlySet<string>; negated: boolean };

/**
 * Parses a RocketMQ SQL92 filter expression (the grammar of 4.9.8's `SelectorParser`) into a tree, with Java's
 * compile-time checks: only numbers may be literal operands of `< <= > >=` and BETWEEN, NULL may not be an operand
 * of `=`/`<>`, BETWEEN bounds must be ordered, IN takes a property and string literals, and the whole expression and
 * the operands of AND/OR/NOT must be boolean.
 * @throws SqlParseError naming the position of the problem.
 */
export function parseSql92(expression: string): SqlNode {
  if (expression.trim() === '') {
    throw new SqlParseError({ expression, position: 0, reason: 'the expression is empty' });
  }
  return new Parser(expression).parse();
}

/** The literal keywords and their values. */
const KEYWORD_LITERALS: Readonly<Record<string, SqlValue>> = {
  TRUE: true,
  FALSE: false,
  NULL: null,
};

/** Whether a node yields a boolean (Java `BooleanExpression`; NULL is one there too). */
function isBoolean(node: SqlNode): boolean {
  if (node.kind === 'literal') return typeof node.value === 'boolean' || node.value === null;
  return node.kind !== 'property' && node.kind !== 'negate';
}

class Parser {
  private readonly tokens: SqlToken[];
  private index = 0;

  constructor(private readonly expression: string) {
    this.tokens = tokenizeSql(expression);
  }

  parse(): SqlNode {
    const node = this.orExpression();
    const next = this.peek();
    if (next.kind !== 'eof') this.fail(next, `unexpected ${describe(next)}`);
    return this.asBoolean(node, this.tokens[0]!);
  }

  private orExpression(): SqlNode {
    const first = this.peek();
    let left = this.andExpression();
    while (this.acceptKeyword('OR')) {
      const at = this.peek();
      const right = this.andExpression();
      left = { kind: 'or', left: this.asBoolean(left, first), right: this.asBoolean(right, at) };
    }
    return left;
  }

  private andExpression(): SqlNode {
    const first = this.peek();
    let left = this.equalityExpression();
    while (this.acceptKeyword('AND')) {
      const at = this.peek();
      const right = this.equalityExpression();
      left = { kind: 'and', left: this.asBoolean(left, first), right: this.asBoolean(right, at) };
    }
    return left;
  }

  private equalityExpression(): SqlNode {
    let left = this.comparisonExpression();
    for (;;) {
      const token = this.peek();
      if (token.kind === 'operator' && (token.text === '=' || token.text === '<>')) {
        this.index++;
        const at = this.peek();
        const right = this.comparisonExpression();
        this.checkEqualOperand(left, token);
        this.checkEqualOperand(right, at);
        if (
          left.kind === 'literal' &&
          right.kind === 'literal' &&
          typeof left.value === 'boolean' &&
          typeof right.value !== 'boolean'
        ) {
          this.fail(token, `${show(left)} cannot be compared with ${show(right)}`);
        }
        left = { kind: 'compare', op: token.text, left, right };
      } else if (this.acceptKeyword('IS')) {
        const negated = this.acceptKeyword('NOT');
        this.expectKeyword('NULL');
        left = { kind: 'isNull', operand: left, negated };
      } else {
        return left;
      }
    }
  }

  private comparisonExpression(): SqlNode {
    let left = this.unaryExpression();
    for (;;) {
      const token = this.peek();
      if (token.kind === 'operator' && ['<', '<=', '>', '>='].includes(token.text)) {
        this.index++;
        const at = this.peek();
        const right = this.unaryExpression();
        this.checkLessThanOperand(left, token);
        this.checkLessThanOperand(right, at);
        left = { kind: 'compare', op: token.text as SqlCompareOp, left, right };
        continue;
      }
      const negated = this.peekKeyword('NOT') && this.peekKeyword('BETWEEN', 1);
      const negatedIn = this.peekKeyword('NOT') && this.peekKeyword('IN', 1);
      if (negated || negatedIn) this.index++;
      if (this.acceptKeyword('BETWEEN')) {
        left = this.between(left, token, negated);
      } else if (this.acceptKeyword('IN')) {
        left = this.inList(left, token, negatedIn);
      } else {
        return left;
      }
    }
  }

  private between(value: SqlNode, at: SqlToken, negated: boolean): SqlNode {
    const lowAt = this.peek();
    const low = this.unaryExpression();
    this.expectKeyword('AND');
    const highAt = this.peek();
    const high = this.unaryExpression();
    if (low.kind === 'literal' && high.kind === 'literal') {
      if (low.value === null || high.value === null) {
        this.fail(lowAt, 'illegal values of BETWEEN: the bounds cannot be NULL');
      }
      if (
        typeof low.value === 'number' &&
        typeof high.value === 'number' &&
        high.value < low.value
      ) {
        this.fail(
          highAt,
          `illegal values of BETWEEN: the lower bound (${low.value}) must be less than or equal to the upper bound (${high.value})`,
        );
      }
    }
    for (const [node, token] of [
      [value, at],
      [low, lowAt],
      [high, highAt],
    ] as const) {
      this.checkLessThanOperand(node, token);
    }
    if (negated) {
      return {
        kind: 'or',
        left: { kind: 'compare', op: '<', left: value, right: low },
        right: { kind: 'compare', op: '>', left: value, right: high },
      };
    }
    return {
      kind: 'and',
      left: { kind: 'compare', op: '>=', left: value, right: low },
      right: { kind: 'compare', op: '<=', left: value, right: high },
    };
  }

  private inList(left: SqlNode, at: SqlToken, negated: boolean): SqlNode {
    if (left.kind !== 'property') this.fail(at, `expected a property for IN, got ${show(left)}`);
    this.expect('lparen', '"("');
    const values = new Set<string>();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'string')
        this.fail(token, `expected a string literal, got ${describe(token)}`);
      this.index++;
      values.add(token.text);
      if (this.peek().kind === 'comma') {
        this.index++;
        continue;
      }
      this.expect('rparen', '"," or ")"');
      return { kind: 'in', name: left.name, values, negated };
    }
  }

  private unaryExpression(): SqlNode {
    const token = this.peek();
    if (token.kind === 'operator' && (token.text === '+' || token.text === '-')) {
      this.index++;
      const operand = this.unaryExpression();
      if (operand.kind === 'literal' && typeof operand.value !== 'number') {
        this.fail(token, `${show(operand)} cannot be negated`);
      }
      if (token.text === '+') return operand;
      if (operand.kind === 'literal') return { kind: 'literal', value: -(operand.value as number) };
      return { kind: 'negate', operand };
    }
    if (this.acceptKeyword('NOT')) {
      const at = this.peek();
      return { kind: 'not', operand: this.asBoolean(this.unaryExpression(), at) };
    }
    return this.primaryExpression();
  }

  private primaryExpression(): SqlNode {
    const token = this.peek();
    this.index++;
    if (token.kind === 'string') return { kind: 'literal', value: token.text };
    if (token.kind === 'number') return { kind: 'literal', value: token.value! };
    if (token.kind === 'identifier') return { kind: 'property', name: token.text };
    if (token.kind === 'keyword' && token.text in KEYWORD_LITERALS) {
      return { kind: 'literal', value: KEYWORD_LITERALS[token.text]! };
    }
    if (token.kind === 'lparen') {
      const inner = this.orExpression();
      this.expect('rparen', '")"');
      return inner;
    }
    return this.fail(token, `unexpected ${describe(token)}`);
  }

  /** Java `asBooleanExpression`: booleans as they are, a property cast, anything else refused. */
  private asBoolean(node: SqlNode, at: SqlToken): SqlNode {
    if (isBoolean(node)) return node;
    if (node.kind === 'property') return { kind: 'boolCast', operand: node };
    return this.fail(at, `expression will not result in a boolean value: ${show(node)}`);
  }

  /** Java `checkLessThanOperand`: a literal must be a number; a boolean expression cannot be ordered. */
  private checkLessThanOperand(node: SqlNode, at: SqlToken): void {
    if (node.kind === 'literal') {
      if (typeof node.value === 'number') return;
      this.fail(at, `value ${show(node)} cannot be compared`);
    }
    if (isBoolean(node)) this.fail(at, `value ${show(node)} cannot be compared`);
  }

  /** Java `checkEqualOperand`: NULL is tested with IS NULL, not `=`. */
  private checkEqualOperand(node: SqlNode, at: SqlToken): void {
    if (node.kind === 'literal' && node.value === null) {
      this.fail(at, 'NULL cannot be compared (use IS NULL / IS NOT NULL)');
    }
  }

  private peek(ahead = 0): SqlToken {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }

  private peekKeyword(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'keyword' && token.text === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.peekKeyword(word)) return false;
    this.index++;
    return true;
  }

  private expectKeyword(word: string): void {
    const token = this.peek();
    if (!this.acceptKeyword(word)) this.fail(token, `expected ${word}, got ${describe(token)}`);
  }

  private expect(kind: SqlToken['kind'], what: string): void {
    const token = this.peek();
    if (token.kind !== kind) this.fail(token, `expected ${what}, got ${describe(token)}`);
    this.index++;
  }

  private fail(token: SqlToken, reason: string): never {
    throw new SqlParseError({ expression: this.expression, position: token.position, reason });
  }
}

function describe(token: SqlToken): string {
  if (token.kind === 'eof') return 'end of expression';
  if (token.kind === 'string') return `string '${token.text}'`;
  return `"${token.text}"`;
}

/** A node as text, for error messages. */
function show(node: SqlNode): string {
  if (node.kind === 'literal') {
    if (node.value === null) return 'NULL';
    if (typeof node.value === 'string') return `'${node.value}'`;
    return String(node.value).toUpperCase();
  }
  if (node.kind === 'property') return node.name;
  if (node.kind === 'negate') return `-${show(node.operand)}`;
  if (node.kind === 'boolCast') return show(node.operand);
  return `(${node.kind} expression)`;
}
