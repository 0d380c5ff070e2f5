import {
  MQBrokerError,
  MQClientAPI,
  TOOLS_CONSUMER_GROUP,
  decodeSubscriptionMismatches,
  expectCode,
  messageExtFromRecord,
  resolveMQAdminConfig,
  SUBSCRIPTION_MISMATCH_EXT_FIELD,
  splitAddrs,
} from '@rocketmq-ts/client';
import type { ConsumerConnectionInfo, MessageExt } from '@rocketmq-ts/client';
import {
  MessageConst,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  buildPullSysFlag,
  compareMessageQueue,
  decodeConsumerConnection,
  decodeMessageRecords,
  decodePullMessageResponseHeader,
  encodeGetConsumerConnectionListRequestHeader,
  encodePullMessageRequestHeader,
  parseSubscriptionExpression,
} from '@rocketmq-ts/protocol';
import type { MessageQueue, TopicRouteData } from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { CommandError } from '../../cli/command-spec.js';
import type { StoredRecordExtras } from './message-printer.js';

/** Java `PullStatus`. */
export type ToolsPullStatus = 'FOUND' | 'NO_NEW_MSG' | 'NO_MATCHED_MSG' | 'OFFSET_ILLEGAL';

/** A pulled message with the record fields Java's MessageExt.toString() prints. */
export interface PulledMessage extends StoredRecordExtras {
  msg: MessageExt;
}

/** One pull's outcome (Java `PullResult`). */
export interface ToolsPullResult {
  pullStatus: ToolsPullStatus;
  nextBeginOffset: number;
  /** FOUND: the messages that passed the tag filter (possibly none). */
  messages: PulledMessage[];
}

/** Options of {@link ToolsClient.pull}. */
export interface ToolsPullOptions {
  /** Default TOOLS_CONSUMER (Java `MixAll.TOOLS_CONSUMER_GROUP`). */
  group?: string;
  /** Tag expression: `*` (default), `TagA || TagB`. */
  subExpression?: string;
  /** Consume-queue offset. */
  offset: number;
  maxNums: number;
}

const STATUS_BY_CODE = new Map<number, ToolsPullStatus>([
  [ResponseCode.SUCCESS, 'FOUND'],
  [ResponseCode.PULL_NOT_FOUND, 'NO_NEW_MSG'],
  [ResponseCode.PULL_RETRY_IMMEDIATELY, 'NO_MATCHED_MSG'],
  [ResponseCode.PULL_OFFSET_MOVED, 'OFFSET_ILLEGAL'],
]);

/**
 * What RocketMQ's tools do with a DefaultMQPullConsumer (printMsg, consumeMessage) and the few broker calls
 * MQAdmin has no form for (GET_CONSUMER_CONNECTION_LIST to a given `-b` broker): routes, queue offsets and
 * non-blocking pulls with a tag expression, over a connection pool of its own. Nothing is registered with the
 * brokers (no heartbeat) and no offset is committed.
 */
export class ToolsClient {
  private readonly routes = new Map<string, TopicRouteData>();

  private constructor(
    private readonly remoting: RemotingClient,
    private readonly api: MQClientAPI,
    private readonly timeoutMs: number,
  ) {}

  /**
   * A client for the NameServers of `namesrvAddr` (`;`-separated).
   * @throws CommandError without an address; ConfigError for a malformed one.
   */
  static open(namesrvAddr: string | undefined, timeoutMs = 10_000): ToolsClient {
    if (namesrvAddr === undefined) {
      throw new CommandError('no NameServer address: pass -n 127.0.0.1:9876 or set NAMESRV_ADDR');
    }
    const config = resolveMQAdminConfig({ namesrvAddr, timeoutMs }, {});
    const remoting = new RemotingClient({ logger: config.logger });
    const api = new MQClientAPI({
      remoting,
      namesrvAddrs: splitAddrs(config.namesrvAddr),
      timeoutMs,
      language: config.language,
    });
    return new ToolsClient(remoting, api, timeoutMs);
  }

  /** Closes the connections; idempotent. */
  async close(): Promise<void> {
    await this.remoting.close();
  }

  /**
   * The readable queues of a topic, sorted (Java `fetchSubscribeMessageQueues`).
   * @throws CommandError when the NameServer has no route for it.
   */
  async subscribeQueues(topic: string): Promise<MessageQueue[]> {
    const route = await this.route(topic);
    const out: MessageQueue[] = [];
    for (const qd of route.queueDatas) {
      if ((qd.perm & 4) === 0) continue; // PermName.PERM_READ
      for (let queueId = 0; queueId < qd.readQueueNums; queueId++) {
        out.push({ topic, brokerName: qd.brokerName, queueId });
      }
    }
    return out.sort(compareMessageQueue);
  }

  /** First offset still stored in the queue. */
  async minOffset(mq: MessageQueue): Promise<number> {
    return this.api.getMinOffset(await this.addrOf(mq), mq);
  }

  /** One past the last message of the queue. */
  async maxOffset(mq: MessageQueue): Promise<number> {
    return this.api.getMaxOffset(await this.addrOf(mq), mq);
  }

  /** The offset of the first message stored at or after `timestamp` (ms). */
  async searchOffset(mq: MessageQueue, timestamp: number): Promise<number> {
    return this.api.searchOffset(await this.addrOf(mq), { ...mq, timestamp });
  }

  /**
   * PULL_MESSAGE without long polling or offset commit (Java `DefaultMQPullConsumer.pull(mq, subExpression, offset,
   * maxNums)`): the broker filters by tag hash, the messages are filtered again by tag here, and each gets the
   * MIN_OFFSET / MAX_OFFSET properties Java's PullAPIWrapper adds.
   * @throws MQBrokerError for any other response code; RocketMQError SUBSCRIPTION_PARSE_FAILED for an expression
   *   of separators only.
   */
  async pull(mq: MessageQueue, options: ToolsPullOptions): Promise<ToolsPullResult> {
    const subscription = parseSubscriptionExpression(options.subExpression ?? '*');
    const addr = await this.addrOf(mq);
    const response = await this.api.invoke(
      addr,
      RemotingCommand.request(
        RequestCode.PULL_MESSAGE,
        encodePullMessageRequestHeader({
          consumerGroup: options.group ?? TOOLS_CONSUMER_GROUP,
          topic: mq.topic,
          queueId: mq.queueId,
          queueOffset: options.offset,
          maxMsgNums: options.maxNums,
          sysFlag: buildPullSysFlag({ subscription: true }),
          commitOffset: 0,
          suspendTimeoutMillis: 0,
          subscription: subscription.subString,
          subVersion: 0,
          expressionType: 'TAG',
        }),
      ),
      this.timeoutMs,
    );
    const pullStatus = STATUS_BY_CODE.get(response.code);
    if (pullStatus === undefined) {
      throw new MQBrokerError({ code: response.code, remark: response.remark, addr });
    }
    const header = decodePullMessageResponseHeader(response.extFields ?? {});
    const messages: PulledMessage[] = [];
    if (pullStatus === 'FOUND' && response.body !== undefined) {
      const tags = new Set(subscription.tagsSet);
      for (const record of decodeMessageRecords(response.body)) {
        const msg = messageExtFromRecord(record, mq.brokerName);
        if (tags.size > 0 && (msg.tags === undefined || !tags.has(msg.tags))) continue;
        msg.properties.set(MessageConst.PROPERTY_MIN_OFFSET, String(header.minOffset));
        msg.properties.set(MessageConst.PROPERTY_MAX_OFFSET, String(header.maxOffset));
        messages.push({
          msg,
          storeSize: record.totalSize,
          preparedTransactionOffset: record.preparedTransactionOffset,
        });
      }
    }
    return { pullStatus, nextBeginOffset: header.nextBeginOffset, messages };
  }

  /**
   * GET_CONSUMER_CONNECTION_LIST to one broker (`consumerConnection -b`, `consumerStatus -b`), with the
   * subscription mismatches a rocketmq-ts broker reports.
   * @throws CommandError when the broker knows no live member of the group; MQBrokerError when it refuses.
   */
  async consumerConnection(brokerAddr: string, group: string): Promise<ConsumerConnectionInfo> {
    const response = await this.api.invoke(
      brokerAddr,
      RemotingCommand.request(
        RequestCode.GET_CONSUMER_CONNECTION_LIST,
        encodeGetConsumerConnectionListRequestHeader({ consumerGroup: group }),
      ),
    );
    if (response.code === ResponseCode.CONSUMER_NOT_ONLINE) {
      throw new CommandError(`consumer group ${group} is not online on broker ${brokerAddr}`);
    }
    expectCode(response, brokerAddr, [ResponseCode.SUCCESS]);
    const connection = decodeConsumerConnection(response.body ?? '{}');
    if (connection.connectionSet.length === 0) {
      throw new CommandError(`consumer group ${group} is not online on broker ${brokerAddr}`);
    }
    return {
      ...connection,
      subscriptionMismatches: decodeSubscriptionMismatches(
        response.extFields?.[SUBSCRIPTION_MISMATCH_EXT_FIELD],
      ),
      brokerAddr,
    };
  }

  private async route(topic: string): Promise<TopicRouteData> {
    const cached = this.routes.get(topic);
    if (cached !== undefined) return cached;
    const route = await this.api.getTopicRouteInfo(topic);
    if (route === undefined) {
      throw new CommandError(`topic ${topic} does not exist: the NameServer has no route for it`);
    }
    this.routes.set(topic, route);
    return route;
  }

  /** The master of the queue's broker set, else any of its brokers (Java `findBrokerAddressInSubscribe`). */
  private async addrOf(mq: MessageQueue): Promise<string> {
    const route = await this.route(mq.topic);
    const bd = route.brokerDatas.find((b) => b.brokerName === mq.brokerName);
    const addr =
      bd?.brokerAddrs.get(0) ?? (bd === undefined ? undefined : [...bd.brokerAddrs.values()][0]);
    if (addr === undefined) {
      const names = route.brokerDatas.map((b) => b.brokerName).join(', ');
      throw new CommandError(
        `broker ${mq.brokerName} does not host topic ${mq.topic} (its route lists: ${names}): pass a broker name, not an address`,
      );
    }
    return addr;
  }
}
