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
  topicRouteToSubscribeInfo,
} from '@rocketmq-ts/client';
import type {
  ConsumerConnectionInfo,
  MessageExt,
  MQAdmin,
  MQAdminConfig,
} from '@rocketmq-ts/client';
import {
  MessageConst,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  buildPullSysFlag,
  decodeConsumerConnection,
  decodeMessageRecords,
  decodePullMessageResponseHeader,
  encodeGetConsumerConnectionListRequestHeader,
  encodePullMessageRequestHeader,
  encodeViewBrokerStatsDataRequestHeader,
  parseJavaProperties,
  parseSubscriptionExpression,
} from '@rocketmq-ts/protocol';
import type { MessageQueue, TopicRouteData } from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { CommandError, missingNamesrvError } from '../cli/command-spec.js';
import type { StoredRecordExtras } from './message/message-printer.js';

/** The timeout of {@link ToolsClient.open}'s clients, ms. */
const TOOLS_TIMEOUT_MS = 10_000;

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

/** One window of a broker statistic (Java `BrokerStatsItem`). */
export interface BrokerStatsItem {
  /** Events in the window. */
  sum: number;
  /** Events per second. */
  tps: number;
  /** Average per event (Java `avgpt`). */
  avgpt: number;
}

/** A broker statistic over the last minute, hour and day (Java `BrokerStatsData`). */
export interface BrokerStatsData {
  statsMinute: BrokerStatsItem;
  statsHour: BrokerStatsItem;
  statsDay: BrokerStatsItem;
}

/**
 * The requests mqadmin sends itself, outside {@link MQAdmin}, over a connection pool of its own: what RocketMQ's
 * tools do with a DefaultMQPullConsumer (printMsg, consumeMessage: routes, queue offsets, non-blocking pulls with a
 * tag expression) and the calls to one named server MQAdmin has no form for: GET_CONSUMER_CONNECTION_LIST to a `-b`
 * broker, CLEAN_EXPIRED_CONSUMEQUEUE (306), VIEW_BROKER_STATS_DATA (315) and GET_NAMESRV_CONFIG (319). Nothing is
 * registered with the brokers (no heartbeat) and no offset is committed. {@link ToolsClient.close} (or
 * {@link usingToolsClient}) releases the connections.
 * Errors: MQBrokerError carrying the response code; the remoting errors when a server does not answer.
 */
export class ToolsClient {
  private readonly routes = new Map<string, TopicRouteData>();
  private readonly remoting: RemotingClient;
  private readonly api: MQClientAPI;
  private readonly timeoutMs: number;

  private constructor(config: Readonly<MQAdminConfig>) {
    this.remoting = new RemotingClient({ logger: config.logger });
    this.api = new MQClientAPI({
      remoting: this.remoting,
      namesrvAddrs: splitAddrs(config.namesrvAddr),
      timeoutMs: config.timeoutMs,
      language: config.language,
    });
    this.timeoutMs = config.timeoutMs;
  }

  /**
   * A client for the NameServers of `namesrvAddr` (`;`-separated), without an {@link MQAdmin}: what the pulling
   * commands and the `-b` connection lookups use.
   * @throws CommandError without an address; ConfigError for a malformed one.
   */
  static open(namesrvAddr: string | undefined, timeoutMs = TOOLS_TIMEOUT_MS): ToolsClient {
    if (namesrvAddr === undefined) throw missingNamesrvError();
    return new ToolsClient(resolveMQAdminConfig({ namesrvAddr, timeoutMs }, {}));
  }

  /** A client with an admin's NameServers, timeout and language. */
  static forAdmin(admin: MQAdmin): ToolsClient {
    return new ToolsClient(admin.config);
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
    return topicRouteToSubscribeInfo(topic, await this.route(topic));
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

  /** CLEAN_EXPIRED_CONSUMEQUEUE (306) on one broker. */
  async cleanExpiredConsumeQueue(brokerAddr: string): Promise<void> {
    const response = await this.api.invoke(
      brokerAddr,
      RemotingCommand.request(RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE),
    );
    expectCode(response, brokerAddr, [ResponseCode.SUCCESS]);
  }

  /**
   * VIEW_BROKER_STATS_DATA (315): one statistic of a broker, e.g. `TOPIC_PUT_NUMS` of a topic or `GROUP_GET_NUMS` of
   * `topic@group` (Java `BrokerStatsManager`).
   */
  async viewBrokerStatsData(
    brokerAddr: string,
    query: { statsName: string; statsKey: string },
  ): Promise<BrokerStatsData> {
    const response = await this.api.invoke(
      brokerAddr,
      RemotingCommand.request(
        RequestCode.VIEW_BROKER_STATS_DATA,
        encodeViewBrokerStatsDataRequestHeader(query),
      ),
    );
    expectCode(response, brokerAddr, [ResponseCode.SUCCESS]);
    return decodeBrokerStatsData(response.body?.toString('utf8') ?? '{}');
  }

  /** GET_NAMESRV_CONFIG (319) of one NameServer: its settings in the order it lists them. */
  async namesrvConfig(namesrvAddr: string): Promise<Map<string, string>> {
    const response = await this.api.invoke(
      namesrvAddr,
      RemotingCommand.request(RequestCode.GET_NAMESRV_CONFIG),
    );
    expectCode(response, namesrvAddr, [ResponseCode.SUCCESS]);
    return parseJavaProperties(response.body?.toString('utf8') ?? '');
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

/** Runs `use` with `client` and closes the client afterwards, however `use` ends. */
export async function usingToolsClient<T>(
  client: ToolsClient,
  use: (client: ToolsClient) => Promise<T>,
): Promise<T> {
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

/** Decodes a BrokerStatsData body; missing windows and fields read as 0. */
export function decodeBrokerStatsData(text: string): BrokerStatsData {
  const parsed: unknown = JSON.parse(text);
  const o = isRecord(parsed) ? parsed : {};
  return {
    statsMinute: item(o.statsMinute),
    statsHour: item(o.statsHour),
    statsDay: item(o.statsDay),
  };
}

function item(value: unknown): BrokerStatsItem {
  const o = isRecord(value) ? value : {};
  return { sum: num(o.sum), tps: num(o.tps), avgpt: num(o.avgpt) };
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
