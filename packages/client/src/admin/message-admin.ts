import {
  MessageConst,
  ResponseCode,
  parseOffsetMessageId,
  parseUniqId,
} from '@rocketmq-ts/protocol';
import type {
  OffsetMessageId,
  QueryMessageRequestHeader,
  TopicRouteData,
} from '@rocketmq-ts/protocol';
import { MQClientError } from '../errors.js';
import { messageExtFromRecord } from '../message/message.js';
import type { MessageExt } from '../message/message.js';
import type { ConsumeMessageDirectlyResult } from '../running-info/consumer-running-info.js';
import type { AdminContext } from './admin-context.js';
import type {
  ConsumeMessageDirectlyOptions,
  QueryMessageByKeyOptions,
  QueryMessageByOffsetOptions,
} from './admin-types.js';
import { hostAddressToAddr } from './message-track.js';
import { brokerNameOfAddr, selectBrokerAddr } from './route-lookup.js';

/** Java `MixAll.TOOLS_CONSUMER_GROUP`: the group mqadmin pulls with. */
export const TOOLS_CONSUMER_GROUP = 'TOOLS_CONSUMER';

/** mqadmin queryMsgByKey's default `maxNum`. */
export const QUERY_MESSAGE_MAX_NUM = 64;

/** Java's `maxNum` for a unique-key query (brokers use their `defaultQueryMaxNum` anyway). */
const UNIQUE_KEY_QUERY_MAX_NUM = 32;

/** Java's `Long.MAX_VALUE` end of a time window, as the largest long a JavaScript number holds exactly. */
const NO_END_TIMESTAMP = Number.MAX_SAFE_INTEGER;

/** The message lookups of MQAdmin (Java `MQAdminImpl` and `DefaultMQAdminExtImpl`). */
export class MessageAdmin {
  constructor(private readonly ctx: AdminContext) {}

  /** See {@link MQAdmin.viewMessage}. */
  async viewMessage(offsetMsgId: string): Promise<MessageExt> {
    const id = parseOffsetId(offsetMsgId);
    const addr = hostAddressToAddr(id.storeHost);
    const record = await this.ctx.broker.viewMessage(addr, id.phyOffset);
    if (record === undefined) {
      throw new MQClientError(
        `no message at commit-log offset ${id.phyOffset} on ${addr} (id ${offsetMsgId})`,
        ResponseCode.NO_MESSAGE,
      );
    }
    const brokerName = brokerNameOfAddr(await this.ctx.clusterInfo(), addr) ?? '';
    return messageExtFromRecord(record, brokerName);
  }

  /** See {@link MQAdmin.queryMessageByKey}. */
  async queryMessageByKey(options: QueryMessageByKeyOptions): Promise<MessageExt[]> {
    const { topic, key } = options;
    const found = await this.query(await this.ctx.route(topic), {
      topic,
      key,
      maxNum: options.maxNum ?? QUERY_MESSAGE_MAX_NUM,
      beginTimestamp: options.beginTimestamp ?? 0,
      endTimestamp: options.endTimestamp ?? NO_END_TIMESTAMP,
    });
    // The index matches key hashes: keep only messages of the topic that really carry the key (Java does the same).
    return found.filter(
      (msg) =>
        msg.topic === topic &&
        msg.keys !== undefined &&
        msg.keys.split(MessageConst.KEY_SEPARATOR).includes(key),
    );
  }

  /** See {@link MQAdmin.queryMessageByUniqueKey}. */
  async queryMessageByUniqueKey(topic: string, uniqKey: string): Promise<MessageExt[]> {
    const route = await this.ctx.route(topic);
    const header = {
      topic,
      key: uniqKey,
      maxNum: UNIQUE_KEY_QUERY_MAX_NUM,
      beginTimestamp: uniqueKeyQueryStart(uniqKey),
      endTimestamp: NO_END_TIMESTAMP,
      _UNIQUE_KEY_QUERY: true,
    };
    let found = (await this.query(route, header)).filter((msg) => msg.msgId === uniqKey);
    if (found.length === 0 && header.beginTimestamp > 0) {
      // The time in a unique key is only near the send time (and not there at all in ids of other clients).
      found = (await this.query(route, { ...header, beginTimestamp: 0 })).filter(
        (msg) => msg.msgId === uniqKey,
      );
    }
    return found;
  }

  /** See {@link MQAdmin.queryMessageByOffset}. */
  async queryMessageByOffset(
    options: QueryMessageByOffsetOptions,
  ): Promise<MessageExt | undefined> {
    const { topic, brokerName, queueId, offset } = options;
    const route = await this.ctx.route(topic);
    const bd = route.brokerDatas.find((b) => b.brokerName === brokerName);
    const addr = bd === undefined ? undefined : selectBrokerAddr(bd);
    if (addr === undefined) {
      const hosts = route.brokerDatas.map((b) => b.brokerName).join(', ');
      throw new MQClientError(
        `broker ${brokerName} does not host topic ${topic} (its route lists: ${hosts}): pass a broker name, not an address`,
      );
    }
    const result = await this.ctx.broker.pull(addr, {
      group: TOOLS_CONSUMER_GROUP,
      mq: { topic, brokerName, queueId },
      offset,
      maxMsgNums: 1,
    });
    return result.pullStatus === 'FOUND' ? result.msgFoundList[0] : undefined;
  }

  /** See {@link MQAdmin.consumeMessageDirectly}. */
  async consumeMessageDirectly(
    options: ConsumeMessageDirectlyOptions,
  ): Promise<ConsumeMessageDirectlyResult> {
    let offsetMsgId = options.msgId;
    if (options.topic !== undefined) {
      // A unique key is 32 hex characters too: look it up first, as Java falls back to it when viewing fails.
      const [msg] = await this.queryMessageByUniqueKey(options.topic, options.msgId);
      if (msg !== undefined) offsetMsgId = msg.offsetMsgId;
    }
    const id = tryParseOffsetId(offsetMsgId);
    if (id === undefined) {
      throw new MQClientError(
        options.topic === undefined
          ? `${options.msgId} is not an offset message id: pass topic to look it up as a unique key (UNIQ_KEY)`
          : `no message with unique key ${options.msgId} in topic ${options.topic}, and it is not an offset message id`,
        ResponseCode.NO_MESSAGE,
      );
    }
    return this.ctx.broker.consumeMessageDirectly(hostAddressToAddr(id.storeHost), {
      group: options.consumerGroup,
      clientId: options.clientId,
      msgId: offsetMsgId,
    });
  }

  /**
   * QUERY_MESSAGE on every broker set of the route (one address each), as MessageExt sorted by store time. Brokers
   * that fail are skipped with a warning, as in Java, unless all fail.
   */
  private async query(
    route: TopicRouteData,
    header: QueryMessageRequestHeader,
  ): Promise<MessageExt[]> {
    const targets = route.brokerDatas.flatMap((bd) => {
      const addr = selectBrokerAddr(bd);
      return addr === undefined ? [] : [{ addr, brokerName: bd.brokerName }];
    });
    const settled = await Promise.allSettled(
      targets.map((t) => this.ctx.broker.queryMessage(t.addr, header)),
    );
    const out: MessageExt[] = [];
    let failure: Error | undefined;
    settled.forEach((result, i) => {
      const target = targets[i]!;
      if (result.status === 'fulfilled') {
        for (const record of result.value)
          out.push(messageExtFromRecord(record, target.brokerName));
      } else {
        failure ??=
          result.reason instanceof Error ? result.reason : new Error(String(result.reason));
        this.ctx.logger.warn('query message failed on a broker', {
          addr: target.addr,
          topic: header.topic,
          error: String(result.reason),
        });
      }
    });
    if (
      out.length === 0 &&
      failure !== undefined &&
      settled.every((r) => r.status === 'rejected')
    ) {
      throw failure;
    }
    return out.sort(
      (a, b) => a.storeTimestamp - b.storeTimestamp || a.commitLogOffset - b.commitLogOffset,
    );
  }
}

/** The parts of an offset message id; undefined when it is not one (a unique key's "port" is rarely a port). */
function tryParseOffsetId(id: string): OffsetMessageId | undefined {
  let parsed: OffsetMessageId;
  try {
    parsed = parseOffsetMessageId(id);
  } catch {
    return undefined;
  }
  const { port } = parsed.storeHost;
  return port > 0 && port <= 65535 && parsed.phyOffset >= 0 ? parsed : undefined;
}

function parseOffsetId(id: string): OffsetMessageId {
  const parsed = tryParseOffsetId(id);
  if (parsed === undefined) {
    throw new MQClientError(
      `${id} is not an offset message id (32 or 56 hex characters: store host, port, commit-log offset); look a producer msgId (UNIQ_KEY) up with queryMessageByUniqueKey`,
      ResponseCode.NO_MESSAGE,
    );
  }
  return parsed;
}

/** Java `queryMessageByUniqKey`'s window start: a second before the time in the key; 0 when it has none. */
function uniqueKeyQueryStart(uniqKey: string): number {
  try {
    return Math.max(0, parseUniqId(uniqKey).timestamp - 1000);
  } catch {
    return 0;
  }
}
