import { decodeMessageProperties, readRecordPropertiesString } from '@rocketmq-ts/protocol';
import { matchesSql92 } from './sql-evaluator.js';
import type { SqlProperties } from './sql-evaluator.js';
import { parseSql92 } from './sql-parser.js';
import type { SqlNode } from './sql-parser.js';

/** The expression type of an SQL92 subscription (`SubscriptionData.expressionType`). */
export const EXPRESSION_TYPE_SQL92 = 'SQL92';

/** Whether an expression type is the tag type (Java `ExpressionType.isTagType`: absent, empty or `TAG`). */
export function isTagExpressionType(expressionType: string | undefined): boolean {
  return expressionType === undefined || expressionType === '' || expressionType === 'TAG';
}

/** A compiled SQL92 filter expression. */
export interface Sql92Filter {
  /** The expression as given. */
  readonly expression: string;
  /** Whether a message with these properties matches. */
  matches(properties: SqlProperties): boolean;
  /**
   * Whether a raw stored record (store-format.md record layout) matches; its properties (TAGS and user properties)
   * are decoded from the record. A record whose properties cannot be read does not match.
   */
  matchesRecord(record: Buffer): boolean;
}

/**
 * Compiles an SQL92 filter expression (see {@link parseSql92} for the grammar and checks).
 * @throws SqlParseError when the expression is malformed.
 */
export function compileSql92(expression: string): Sql92Filter {
  const tree: SqlNode = parseSql92(expression);
  return {
    expression,
    matches: (properties) => matchesSql92(tree, properties),
    matchesRecord: (record) => {
      let properties: SqlProperties;
      try {
        properties = decodeMessageProperties(readRecordPropertiesString(record, 0));
      } catch {
        return false;
      }
      return matchesSql92(tree, properties);
    },
  };
}

/** Options of {@link Sql92FilterCache}. */
export interface Sql92FilterCacheOptions {
  /** Most compiled expressions kept; the oldest is dropped past it. Default 1024. */
  maxEntries?: number;
}

/**
 * Compiled SQL92 filters by (consumer group, topic, expression), so a pull does not parse its expression again
 * (Java keeps one `ConsumerFilterData` per group and topic). Bounded: the least recently compiled entry goes first.
 */
export class Sql92FilterCache {
  private readonly entries = new Map<string, Sql92Filter>();
  private readonly maxEntries: number;

  constructor(options: Sql92FilterCacheOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 1024);
  }

  /**
   * The compiled filter of `expression` for a group and topic, compiled on first use.
   * @throws SqlParseError when the expression is malformed (not cached: it is reported again next time).
   */
  get(group: string, topic: string, expression: string): Sql92Filter {
    const key = `${group}\u0001${topic}\u0001${expression}`;
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    const filter = compileSql92(expression);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, filter);
    return filter;
  }

  /** Number of compiled filters held. */
  get size(): number {
    return this.entries.size;
  }
}
