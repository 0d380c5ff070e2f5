import { ResponseCode, RocketMQError } from '@rocketmq-ts/protocol';

/**
 * A malformed SQL92 filter expression (RocketMQ `MessageSelector.bySql`): what is wrong and where. The response code
 * is SUBSCRIPTION_PARSE_FAILED (23), what Java's CHECK_CLIENT_CONFIG answers for an expression that does not compile.
 */
export class SqlParseError extends RocketMQError {
  override name = 'SqlParseError';
  /** The expression as given. */
  readonly expression: string;
  /** 0-based character index the problem was found at. */
  readonly position: number;

  constructor(options: { expression: string; position: number; reason: string }) {
    super(
      `invalid SQL92 expression "${options.expression}" at position ${options.position}: ${options.reason}`,
      ResponseCode.SUBSCRIPTION_PARSE_FAILED,
    );
    this.expression = options.expression;
    this.position = options.position;
  }
}

/** Kinds of token. Keywords are case-insensitive and reported upper-case. */
export type SqlTokenKind =
  | 'identifier'
  | 'string'
  | 'number'
  | 'keyword'
  | 'operator'
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'eof';

/** One token of an expression. */
export interface SqlToken {
  kind: SqlTokenKind;
  /** Keyword upper-cased, operator symbol, identifier as written, string literal unquoted, number source text. */
  text: string;
  /** Numeric value of a number token. */
  value?: number;
  /** 0-based character index of the first character. */
  position: number;
}

/** The reserved words of RocketMQ's selector grammar (4.9.8). */
const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'IS', 'NULL', 'TRUE', 'FALSE']);

const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_$.]/;
const DIGIT = /[0-9]/;
/** A whole numeric literal: integer with optional L suffix, or a decimal with optional exponent. */
const NUMBER_AT =
  /^(?:[0-9]+\.[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+|[0-9]+[lL]?)/;

/**
 * Splits an expression into tokens (identifiers `[A-Za-z_$][A-Za-z0-9_$.]*`, `'…'` strings with `''` for a quote,
 * numbers, `= <> < <= > >=`, parentheses, commas, keywords). Whitespace separates tokens.
 * @throws SqlParseError on a character that starts no token or an unterminated string.
 */
export function tokenizeSql(expression: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const fail = (position: number, reason: string): never => {
    throw new SqlParseError({ expression, position, reason });
  };
  while (i < expression.length) {
    const c = expression[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (IDENT_START.test(c)) {
      while (i < expression.length && IDENT_PART.test(expression[i]!)) i++;
      const word = expression.slice(start, i);
      const upper = word.toUpperCase();
      if (KEYWORDS.has(upper)) tokens.push({ kind: 'keyword', text: upper, position: start });
      else tokens.push({ kind: 'identifier', text: word, position: start });
      continue;
    }
    if (DIGIT.test(c) || (c === '.' && DIGIT.test(expression[i + 1] ?? ''))) {
      const match = NUMBER_AT.exec(expression.slice(i));
      const text = match?.[0] ?? fail(start, `bad number`);
      i += text.length;
      if (i < expression.length && IDENT_PART.test(expression[i]!)) {
        fail(start, `bad number "${text}${expression[i]!}"`);
      }
      const value = Number(text.replace(/[lL]$/, ''));
      if (!Number.isFinite(value)) fail(start, `number "${text}" is out of range`);
      tokens.push({ kind: 'number', text, value, position: start });
      continue;
    }
    if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= expression.length) fail(start, 'unterminated string literal');
        const ch = expression[i]!;
        if (ch === "'") {
          if (expression[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += ch;
        i++;
      }
      tokens.push({ kind: 'string', text: value, position: start });
      continue;
    }
    const two = expression.slice(i, i + 2);
    if (two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'operator', text: two, position: start });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>' || c === '+' || c === '-') {
      tokens.push({ kind: 'operator', text: c, position: start });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({
        kind: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma',
        text: c,
        position: start,
      });
      i++;
      continue;
    }
    fail(start, `unexpected character "${c}"`);
  }
  tokens.push({ kind: 'eof', text: '', position: expression.length });
  return tokens;
}
