import { MQClientError } from '../errors.js';

/** How a subscription filters: by tags (`TagA || TagB`, `*`) or by an SQL92 expression on message properties. */
export type ExpressionType = 'TAG' | 'SQL92';

/**
 * A subscription filter (Java `MessageSelector`). SQL92 expressions are evaluated by the broker on each message's
 * properties (user properties plus `TAGS`, `KEYS`, …); the broker needs `enablePropertyFilter=true`.
 */
export interface MessageSelector {
  readonly type: ExpressionType;
  /** Tags joined by `||` (`*` = all) for TAG; the expression for SQL92. */
  readonly expression: string;
}

/** Builds {@link MessageSelector}s (Java `MessageSelector.bySql` / `byTag`). */
export const MessageSelector = {
  /**
   * An SQL92 selector, e.g. `"a BETWEEN 3 AND 6 AND TAGS IN ('TagA', 'TagB')"`.
   * @throws MQClientError for a blank expression.
   */
  bySql(expression: string): MessageSelector {
    if (expression.trim() === '') {
      throw new MQClientError('an SQL92 message selector needs an expression');
    }
    return { type: 'SQL92', expression };
  },
  /** A tag selector: tags joined by `||`; `*` (the default) or blank selects every message. */
  byTag(expression = '*'): MessageSelector {
    return { type: 'TAG', expression };
  },
} as const;
