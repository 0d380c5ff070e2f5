import { ProtocolError } from '@rocketmq-ts/protocol';
import type { SubscriptionMismatch } from './admin-types.js';

/**
 * Response extField of GET_CONSUMER_CONNECTION_LIST that rocketmq-ts brokers add when members of the group subscribe
 * to one topic with different expressions; Java brokers never send it. Compact JSON:
 *   [{"topic":"TopicTest","subscriptions":{"TagA":["10.0.0.5@1"],"TagB":["10.0.0.6@1"]}}]
 */
export const SUBSCRIPTION_MISMATCH_EXT_FIELD = 'subscriptionMismatch';

/**
 * Decodes the {@link SUBSCRIPTION_MISMATCH_EXT_FIELD} value; undefined or empty gives `[]`.
 * @throws ProtocolError when the value is not JSON of that shape.
 */
export function decodeSubscriptionMismatches(value: string | undefined): SubscriptionMismatch[] {
  if (value === undefined || value === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new ProtocolError(`${SUBSCRIPTION_MISMATCH_EXT_FIELD}: not JSON: ${value}`, {
      cause: error,
    });
  }
  if (!Array.isArray(parsed)) {
    throw new ProtocolError(`${SUBSCRIPTION_MISMATCH_EXT_FIELD}: not an array: ${value}`);
  }
  return parsed.map((entry: unknown, i) => {
    const where = `${SUBSCRIPTION_MISMATCH_EXT_FIELD}[${i}]`;
    if (!isRecord(entry) || typeof entry.topic !== 'string' || !isRecord(entry.subscriptions)) {
      throw new ProtocolError(`${where}: expected {"topic":…,"subscriptions":{…}}`);
    }
    const clientIdsByExpression = new Map<string, string[]>();
    for (const [expression, ids] of Object.entries(entry.subscriptions)) {
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
        throw new ProtocolError(`${where}.subscriptions.${expression}: expected client ids`);
      }
      clientIdsByExpression.set(expression, ids);
    }
    return { topic: entry.topic, clientIdsByExpression };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
