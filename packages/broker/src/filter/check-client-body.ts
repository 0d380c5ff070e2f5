import {
  parseJsonObject,
  readObject,
  readString,
  subscriptionDataFromJson,
} from '@rocketmq-ts/protocol';
import type { SubscriptionData } from '@rocketmq-ts/protocol';

/**
 * The body of CHECK_CLIENT_CONFIG (46), Java `CheckClientRequestBody`:
 * `{"clientId":"…","group":"…","subscriptionData":{…SubscriptionData…}}`.
 */
export interface CheckClientRequestBody {
  clientId?: string;
  group?: string;
  /** The subscription to check; absent means nothing to check. */
  subscriptionData?: SubscriptionData;
}

/**
 * Decodes a CHECK_CLIENT_CONFIG body; an absent or empty body decodes to `{}`.
 * @throws ProtocolError on malformed JSON or wrong property types.
 */
export function decodeCheckClientRequestBody(body: Buffer | undefined): CheckClientRequestBody {
  if (body === undefined || body.length === 0) return {};
  const path = 'CheckClientRequestBody';
  const o = parseJsonObject(body, path);
  const out: CheckClientRequestBody = {};
  const clientId = readString(o, 'clientId', path);
  if (clientId !== undefined) out.clientId = clientId;
  const group = readString(o, 'group', path);
  if (group !== undefined) out.group = group;
  const sub = readObject(o, 'subscriptionData', path);
  if (sub !== undefined)
    out.subscriptionData = subscriptionDataFromJson(sub, `${path}.subscriptionData`);
  return out;
}
