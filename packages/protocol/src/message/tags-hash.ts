import { RocketMQError } from '../errors.js';
import { ResponseCode } from '../codes/response-code.js';

/**
 * Java `String.hashCode`: s[0]·31^(n−1) + … + s[n−1] over UTF-16 code units with 32-bit wrap-around.
 *
 * @param text - any string.
 * @returns a signed int32 (0 for `''`).
 */
export function javaStringHashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) {
    h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  }
  return h;
}

/**
 * The consume-queue tags code of a message's TAGS property (Java `MessageExtBrokerInner.tagsString2tagsCode`):
 * its Java hash code, or 0 when there is no tag. The consume queue stores it sign-extended as an int64.
 *
 * @param tags - the TAGS property value, if any.
 * @returns a signed int32.
 */
export function tagsString2tagsCode(tags: string | null | undefined): number {
  if (tags === null || tags === undefined || tags.length === 0) return 0;
  return javaStringHashCode(tags);
}

/** The subscription expression that matches every tag. */
export const SUB_ALL = '*';

/** A parsed tag subscription, as sent in HeartbeatData `subscriptionDataSet` entries. */
export interface TagSubscription {
  /** `'*'` for everything, else the expression as given. */
  readonly subString: string;
  /** Distinct trimmed tags, in first-seen order; empty for `'*'`. */
  readonly tagsSet: string[];
  /** Java hash codes of `tagsSet`, distinct, in first-seen order. */
  readonly codeSet: number[];
}

/** Java `String.trim()`: strips code units ≤ U+0020 at both ends (not Unicode whitespace). */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/**
 * Parses a tag subscription expression like Java `FilterAPI.buildSubscriptionData`: `null`, `''` or `'*'`
 * subscribe to everything; otherwise the expression is split at `||`, each piece trimmed (Java `trim`), and the
 * non-empty ones become tags.
 *
 * @param expression - `'*'`, `''`, `'TagA'` or `'TagA || TagB'`.
 * @returns the subscription with its tag set and hash-code set.
 * @throws RocketMQError (SUBSCRIPTION_PARSE_FAILED) when the expression consists only of `||` separators, which
 *   Java rejects as "subString split error".
 */
export function parseSubscriptionExpression(
  expression: string | null | undefined,
): TagSubscription {
  if (
    expression === null ||
    expression === undefined ||
    expression === '' ||
    expression === SUB_ALL
  ) {
    return { subString: SUB_ALL, tagsSet: [], codeSet: [] };
  }
  const pieces = expression.split('||');
  if (pieces.every((p) => p.length === 0)) {
    throw new RocketMQError(
      `subscription expression ${JSON.stringify(expression)} has no tags`,
      ResponseCode.SUBSCRIPTION_PARSE_FAILED,
    );
  }
  const tagsSet: string[] = [];
  const codeSet: number[] = [];
  for (const piece of pieces) {
    const tag = javaTrim(piece);
    if (tag.length === 0 || tagsSet.includes(tag)) continue;
    tagsSet.push(tag);
    const code = javaStringHashCode(tag);
    if (!codeSet.includes(code)) codeSet.push(code);
  }
  return { subString: expression, tagsSet, codeSet };
}
