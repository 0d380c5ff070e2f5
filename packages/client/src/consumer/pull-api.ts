import {
  MessageConst,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeMessageRecords,
  decodePullMessageResponseHeader,
  encodePullMessageRequestHeader,
} from '@rocketmq-ts/protocol';
import type { PullMessageRequestHeader, SubscriptionData } from '@rocketmq-ts/protocol';
import type { MQClientAPI } from '../api/mq-client-api.js';
import { MQBrokerError } from '../errors.js';
import { messageExtFromRecord } from '../message/message.js';
import type { MessageExt } from '../message/message.js';

/** Java `PullStatus`, from the response code: 0 FOUND, 19 NO_NEW_MSG, 20 NO_MATCHED_MSG, 21 OFFSET_ILLEGAL. */
export type PullStatus = 'FOUND' | 'NO_NEW_MSG' | 'NO_MATCHED_MSG' | 'OFFSET_ILLEGAL';

/** A pull's outcome (Java `PullResult`), messages decoded and filtered by tag. */
export interface PullResult {
  pullStatus: PullStatus;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  /** Broker id to pull this queue from next (0 = master). */
  suggestWhichBrokerId: number;
  /** FOUND: the messages that passed the client-side tag filter (possibly none). */
  msgFoundList: MessageExt[];
}

/** Java `DefaultMQPushConsumerImpl.BROKER_SUSPEND_MAX_TIME_MILLIS`: how long the broker may hold a pull, ms. */
export const BROKER_SUSPEND_MAX_TIME_MILLIS = 15_000;
/** Java `CONSUMER_TIMEOUT_MILLIS_WHEN_SUSPEND`: the client's wait for a held pull, ms. */
export const CONSUMER_TIMEOUT_MILLIS_WHEN_SUSPEND = 30_000;
/** Java `PULL_TIME_DELAY_MILLS_WHEN_CACHE_FLOW_CONTROL`: pause of a queue whose cache is over a threshold, ms. */
export const PULL_TIME_DELAY_MILLS_WHEN_CACHE_FLOW_CONTROL = 50;
/** Java `PULL_TIME_DELAY_MILLS_WHEN_BROKER_FLOW_CONTROL`: pause after a FLOW_CONTROL answer, ms. */
export const PULL_TIME_DELAY_MILLS_WHEN_BROKER_FLOW_CONTROL = 20;

/**
 * The pause of a queue's pulls after a failed pull, ms: PULL_TIME_DELAY_MILLS_WHEN_BROKER_FLOW_CONTROL when the
 * broker answered FLOW_CONTROL, else the consumer's `pullTimeDelayMillsWhenException`.
 */
export function pullFailureDelayMs(
  error: unknown,
  pullTimeDelayMillsWhenException: number,
): number {
  return error instanceof MQBrokerError && error.code === ResponseCode.FLOW_CONTROL
    ? PULL_TIME_DELAY_MILLS_WHEN_BROKER_FLOW_CONTROL
    : pullTimeDelayMillsWhenException;
}

const STATUS_BY_CODE = new Map<number, PullStatus>([
  [ResponseCode.SUCCESS, 'FOUND'],
  [ResponseCode.PULL_NOT_FOUND, 'NO_NEW_MSG'],
  [ResponseCode.PULL_RETRY_IMMEDIATELY, 'NO_MATCHED_MSG'],
  [ResponseCode.PULL_OFFSET_MOVED, 'OFFSET_ILLEGAL'],
]);

/** Options of {@link pullMessage}. */
export interface PullMessageOptions {
  /** Broker to pull from. */
  addr: string;
  /** The queue's broker set, stamped on every message. */
  brokerName: string;
  header: PullMessageRequestHeader;
  /** Filter applied again on the client (the broker filters by tag hash only). */
  subscription: SubscriptionData;
  /** Response wait, ms. */
  timeoutMs: number;
}

/**
 * PULL_MESSAGE (11) (Java `PullAPIWrapper.pullKernelImpl` + `processPullResult`): sends the request, maps the
 * response code to a {@link PullStatus}, decodes the records of a FOUND answer, keeps those whose tag is in the
 * subscription's tag set (Java drops untagged messages from a tag subscription too), and stamps each with
 * `MIN_OFFSET`/`MAX_OFFSET` as Java does.
 * @throws MQBrokerError for any other response code (e.g. SUBSCRIPTION_NOT_LATEST, NO_PERMISSION); ProtocolError
 *   when the body does not decode; the remoting errors on transport failure.
 */
export async function pullMessage(
  api: MQClientAPI,
  options: PullMessageOptions,
): Promise<PullResult> {
  const response = await api.invoke(
    options.addr,
    RemotingCommand.request(
      RequestCode.PULL_MESSAGE,
      encodePullMessageRequestHeader(options.header),
    ),
    options.timeoutMs,
  );
  const pullStatus = STATUS_BY_CODE.get(response.code);
  if (pullStatus === undefined) {
    throw new MQBrokerError({ code: response.code, remark: response.remark, addr: options.addr });
  }
  const header = decodePullMessageResponseHeader(response.extFields ?? {});
  let msgFoundList: MessageExt[] = [];
  if (pullStatus === 'FOUND' && response.body !== undefined && response.body.length > 0) {
    const minOffset = String(header.minOffset);
    const maxOffset = String(header.maxOffset);
    msgFoundList = filterByTags(
      decodeMessageRecords(response.body).map((r) => messageExtFromRecord(r, options.brokerName)),
      options.subscription,
    );
    for (const msg of msgFoundList) {
      msg.properties.set(MessageConst.PROPERTY_MIN_OFFSET, minOffset);
      msg.properties.set(MessageConst.PROPERTY_MAX_OFFSET, maxOffset);
    }
  }
  return {
    pullStatus,
    nextBeginOffset: header.nextBeginOffset,
    minOffset: header.minOffset,
    maxOffset: header.maxOffset,
    suggestWhichBrokerId: header.suggestWhichBrokerId,
    msgFoundList,
  };
}

/**
 * The client-side tag filter of Java `PullAPIWrapper.processPullResult`: with a tag subscription (non-empty
 * tagsSet, TAG expressions only) a message passes when it has a tag in the set; `*` passes everything.
 */
export function filterByTags(msgs: MessageExt[], subscription: SubscriptionData): MessageExt[] {
  if (
    subscription.tagsSet.length === 0 ||
    subscription.classFilterMode ||
    (subscription.expressionType !== '' && subscription.expressionType !== 'TAG')
  ) {
    return msgs;
  }
  const tags = new Set(subscription.tagsSet);
  return msgs.filter((m) => m.tags !== undefined && tags.has(m.tags));
}
