import {
  ResponseCode,
  RocketMQError,
  decodeMessageProperties,
  readRecordPropertiesString,
} from '@rocketmq-ts/protocol';
import { matchesSql92 } from './sql-evaluator.js';
import type { SqlProperties } from './sql-evaluator.js';
import { parseSql92 } from './sql-parser.js';
import type { SqlNode } from './sql-parser.js';
import { SqlParseError } from './sql-tokenizer.js';

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

const cachesByOwner = new WeakMap<object, Sql92FilterCache>();

/**
 * The one {@link Sql92FilterCache} of an owner (a broker's context), created on first use, so the processors that
 * compile its subscriptions (PULL_MESSAGE, CHECK_CLIENT_CONFIG) share compiled expressions without a separate
 * service; it goes away with the owner.
 */
export function sql92FilterCacheOf(owner: object): Sql92FilterCache {
  let cache = cachesByOwner.get(owner);
  if (cache === undefined) {
    cache = new Sql92FilterCache();
    cachesByOwner.set(owner, cache);
  }
  return cache;
}

/** Input of {@link sqlFilterOf}: one subscription and how its refusal is reported. */
export interface SqlFilterRequest {
  /** The broker's `enablePropertyFilter`: SQL92 subscriptions are refused without it. */
  enablePropertyFilter: boolean;
  /** The subscription's expression type (`TAG`, `SQL92`, absent, ...). */
  expressionType: string | undefined;
  /** The subscription's expression. */
  expression: string | undefined;
  /** Consumer group and topic the compiled filter is cached under. */
  group: string;
  topic: string;
  /** Where compiled filters are kept. */
  cache: Sql92FilterCache;
  /**
   * Response code of an expression that is not SQL92 or does not compile; it differs per request (Java answers
   * SUBSCRIPTION_PARSE_FAILED for a pull's or CHECK_CLIENT_CONFIG's own expression, FILTER_DATA_NOT_EXIST for one
   * taken from the heartbeat).
   */
  invalidCode: number;
  /** Text put before the reason in that refusal's remark (`<prefix>: <reason>`); none for the bare reason. */
  invalidRemarkPrefix?: string;
}

/**
 * The compiled SQL92 filter of a subscription, or undefined for a tag subscription (Java `ExpressionType.isTagType`),
 * which the caller filters by tags code. The checks of Java 4.9.8's pull and CHECK_CLIENT_CONFIG: property filtering
 * must be enabled, the type must be SQL92 and the expression must compile.
 * @throws RocketMQError SYSTEM_ERROR ("The broker does not support consumer to filter message by <type>") when
 *   `enablePropertyFilter` is off; `invalidCode` when the type is not SQL92 or the expression does not compile (the
 *   parser's message names the expression and the position).
 */
export function sqlFilterOf(request: SqlFilterRequest): Sql92Filter | undefined {
  const { expressionType } = request;
  if (isTagExpressionType(expressionType)) return undefined;
  if (!request.enablePropertyFilter) {
    throw new RocketMQError(
      `The broker does not support consumer to filter message by ${expressionType}`,
      ResponseCode.SYSTEM_ERROR,
    );
  }
  const refuse = (reason: string): RocketMQError =>
    new RocketMQError(
      request.invalidRemarkPrefix === undefined
        ? reason
        : `${request.invalidRemarkPrefix}: ${reason}`,
      request.invalidCode,
    );
  if (expressionType !== EXPRESSION_TYPE_SQL92) {
    throw refuse(`unsupported expression type ${expressionType} (TAG or SQL92)`);
  }
  try {
    return request.cache.get(request.group, request.topic, request.expression ?? '');
  } catch (error) {
    if (!(error instanceof SqlParseError)) throw error;
    throw refuse(error.message);
  }
}
