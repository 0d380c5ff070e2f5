import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  SUB_ALL,
  TOPIC_CONFIG_DEFAULTS,
  SUBSCRIPTION_GROUP_CONFIG_DEFAULTS,
  buildPullSysFlag,
  decodeConsumeStats,
  decodeConsumerConnection,
  decodeGroupList,
  decodeKVTable,
  decodeMessageRecords,
  decodeProducerConnection,
  decodeResetOffsetBody,
  decodeSubscriptionGroupWrapper,
  decodeTopicStatsTable,
  encodeCloneGroupOffsetRequestHeader,
  encodeConsumeMessageDirectlyResultRequestHeader,
  encodeCreateTopicRequestHeader,
  encodeDeleteSubscriptionGroupRequestHeader,
  encodeDeleteTopicRequestHeader,
  encodeGetConsumeStatsRequestHeader,
  encodeGetConsumerConnectionListRequestHeader,
  encodeGetConsumerRunningInfoRequestHeader,
  encodeGetProducerConnectionListRequestHeader,
  encodeGetTopicStatsInfoRequestHeader,
  encodeQueryMessageRequestHeader,
  encodeQueryTopicConsumeByWhoRequestHeader,
  encodeResetOffsetRequestHeader,
  encodeSubscriptionGroupConfig,
  encodeViewMessageRequestHeader,
  parseJavaProperties,
  stringifyJavaProperties,
} from '@rocketmq-ts/protocol';
import type {
  CloneGroupOffsetRequestHeader,
  ConsumeStats,
  MessageQueue,
  MessageQueueEntries,
  MessageRecord,
  ProducerConnection,
  QueryMessageRequestHeader,
  ResetOffsetRequestHeader,
  SubscriptionGroupWrapper,
  TopicStatsTable,
} from '@rocketmq-ts/protocol';
import { expectCode } from '../api/mq-client-api.js';
import { pullMessage } from '../consumer/pull-api.js';
import type { PullResult } from '../consumer/pull-api.js';
import type { MQClientAPI } from '../api/mq-client-api.js';
import {
  decodeConsumeMessageDirectlyResult,
  decodeConsumerRunningInfo,
} from '../running-info/consumer-running-info.js';
import type {
  ConsumeMessageDirectlyResult,
  ConsumerRunningInfo,
} from '../running-info/consumer-running-info.js';
import type {
  ConsumerConnectionInfo,
  SubscriptionGroupConfigInput,
  TopicConfigInput,
} from './admin-types.js';
import {
  SUBSCRIPTION_MISMATCH_EXT_FIELD,
  decodeSubscriptionMismatches,
} from './subscription-mismatch.js';

/** Template topic mqadmin names in UPDATE_AND_CREATE_TOPIC (Java `TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC`). */
export const AUTO_CREATE_TOPIC_KEY_TOPIC = 'TBW102';

/**
 * The admin requests to one broker (Java `MQClientAPIImpl`), each one call to one address. Errors: a response
 * other than the expected code becomes MQBrokerError carrying that code; transport failures are the remoting
 * errors.
 */
export class BrokerAdminRequests {
  constructor(
    private readonly api: MQClientAPI,
    private readonly timeoutMs: number,
  ) {}

  /** GET_BROKER_RUNTIME_INFO (28): the broker's statistics. */
  async runtimeInfo(addr: string): Promise<Map<string, string>> {
    const response = await this.call(
      addr,
      RemotingCommand.request(RequestCode.GET_BROKER_RUNTIME_INFO),
    );
    return response.body === undefined ? new Map() : decodeKVTable(response.body).table;
  }

  /** GET_BROKER_CONFIG (26): every setting as the broker reports it. */
  async brokerConfig(addr: string): Promise<Map<string, string>> {
    const response = await this.call(addr, RemotingCommand.request(RequestCode.GET_BROKER_CONFIG));
    return parseJavaProperties(response.body?.toString('utf8') ?? '');
  }

  /** UPDATE_BROKER_CONFIG (25); resolves with the broker's remark (rocketmq-ts names keys applied only on restart). */
  async updateBrokerConfig(
    addr: string,
    properties: ReadonlyMap<string, string>,
  ): Promise<string | undefined> {
    const body = Buffer.from(stringifyJavaProperties(properties), 'utf8');
    const response = await this.call(
      addr,
      RemotingCommand.request(RequestCode.UPDATE_BROKER_CONFIG, {}, body),
    );
    return response.remark;
  }

  /** UPDATE_AND_CREATE_TOPIC (17) with Java TopicConfig defaults for missing fields and template topic TBW102. */
  async createTopic(addr: string, config: TopicConfigInput): Promise<void> {
    const c = { ...TOPIC_CONFIG_DEFAULTS, ...config };
    await this.call(
      addr,
      RemotingCommand.request(
        RequestCode.UPDATE_AND_CREATE_TOPIC,
        encodeCreateTopicRequestHeader({
          topic: c.topicName,
          defaultTopic: AUTO_CREATE_TOPIC_KEY_TOPIC,
          readQueueNums: c.readQueueNums,
          writeQueueNums: c.writeQueueNums,
          perm: c.perm,
          topicFilterType: c.topicFilterType,
          topicSysFlag: c.topicSysFlag,
          order: c.order,
        }),
      ),
    );
  }

  /** DELETE_TOPIC_IN_BROKER (215). */
  async deleteTopic(addr: string, topic: string): Promise<void> {
    await this.call(
      addr,
      RemotingCommand.request(
        RequestCode.DELETE_TOPIC_IN_BROKER,
        encodeDeleteTopicRequestHeader({ topic }),
      ),
    );
  }

  /** GET_TOPIC_STATS_INFO (202): per write queue offsets on this broker. */
  async topicStats(addr: string, topic: string): Promise<TopicStatsTable> {
    const response = await this.call(
      addr,
      RemotingCommand.request(
        RequestCode.GET_TOPIC_STATS_INFO,
        encodeGetTopicStatsInfoRequestHeader({ topic }),
      ),
    );
    return response.body === undefined ? { offsetTable: [] } : decodeTopicStatsTable(response.body);
  }

  /** GET_CONSUME_STATS (208), with three times the timeout as Java. */
  async consumeStats(
    addr: string,
    query: { group: string; topic?: string },
  ): Promise<ConsumeStats> {
    const response = await this.call(
      addr,
      RemotingCommand.request(
        RequestCode.GET_CONSUME_STATS,
        encodeGetConsumeStatsRequestHeader({ consumerGroup: query.group, topic: query.topic }),
      ),
      this.timeoutMs * 3,
    );
    return response.body === undefined
      ? { offsetTable: [], consumeTps: 0 }
      : decodeConsumeStats(response.body);
  }

  /** GET_CONSUMER_CONNECTION_LIST (203), with the broker's subscription-mismatch report decoded. */
  async consumerConnection(addr: string, group: string): Promise<ConsumerConnectionInfo> {
    const response = await this.call(
      addr,
      RemotingCommand.request(
        RequestCode.GET_CONSUMER_CONNECTION_LIST,
        encodeGetConsumerConnectionListRequestHeader({ consumerGroup: group }),
      ),
    );
    const connection = decodeConsumerConnection(response.body ?? '{}');
    return {
      ...connection,
      subscriptionMismatches: decodeSubscriptionMismatches(
        response.extFields?.[SUBSCRIPTION_MISMATCH_EXT_FIELD],
      ),
      brokerAddr: addr,
    };
  }

  /** GET_PRODUCER_CONNECTION_LIST (204). */
  async producerConnection(addr: string, group: string): Promise<ProducerConnection> {
    const response = await this.call(
      addr,
      RemotingCommand.request(
        RequestCode.GET_PRODUCER_CONNECTION_LIST,
        encodeGetProducerConnectionListRequestHeader({ producerGroup: group }),
      ),
    );
    return decodeProducerConnection(response.body ?? '{}');
  }

  /** QUERY_TOPIC_CONSUME_BY_WHO (300): groups with offsets on the topic or subscribing to it. */
  async topicConsumeByWho(addr: string, topic: string): Promise<string[]> {
    const response = await this.call(
      addr,
      RemotingCommand.request(
        RequestCode.QUERY_TOPIC_CONSUME_BY_WHO,
        encodeQueryTopicConsumeByWhoRequestHeader({ topic }),
      ),
    );
    return response.body === undefined ? [] : decodeGroupList(response.body).groupList;
  }

  /** GET_CONSUMER_RUNNING_INFO (307), relayed by the broker to the client, with three times the timeout. */
  async consumerRunningInfo(
    addr: string,
    query: { group: string; clientId: string; jstack: boolean },
  ): Promise<ConsumerRunningInfo> {
    const response = await this.call(
      addr,
      RemotingCommand.request(
        RequestCode.GET_CONSUMER_RUNNING_INFO,
        encodeGetConsumerRunningInfoRequestHeader({
          consumerGroup: query.group,
          clientId: query.clientId,
          jstackEnable: query.jstack,
        }),
      ),
      this.timeoutMs * 3,
    );
    return decodeConsumerRunningInfo(response.body ?? '{}');
  }

  /** CONSUME_MESSAGE_DIRECTLY (309) through the broker that stores the message, with three times the timeout. */
  async consumeMessageDirectly(
    addr: string,
    query: { group: string; clientId: string; msgId: string },
  ): Promise<ConsumeMessageDirectlyResult> {
    const response = await this.call(
      addr,
      RemotingCommand.request(
        RequestCode.CONSUME_MESSAGE_DIRECTLY,
        encodeConsumeMessageDirectlyResultRequestHeader({
          consumerGroup: query.group,
          clientId: query.clientId,
          msgId: query.msgId,
        }),
      ),
      this.timeoutMs * 3,
    );
    return decodeConsumeMessageDirectlyResult(response.body ?? '{}');
  }

  /** INVOKE_BROKER_TO_RESET_OFFSET (222): the offsets in effect afterwards. */
  async resetOffset(
    addr: string,
    header: ResetOffsetRequestHeader,
  ): Promise<MessageQueueEntries<number>> {
    const response = await this.call(
      addr,
      RemotingCommand.request(
        RequestCode.INVOKE_BROKER_TO_RESET_OFFSET,
        encodeResetOffsetRequestHeader(header),
      ),
    );
    return response.body === undefined ? [] : decodeResetOffsetBody(response.body).offsetTable;
  }

  /** CLONE_GROUP_OFFSET (314), with three times the timeout as Java. */
  async cloneGroupOffset(addr: string, header: CloneGroupOffsetRequestHeader): Promise<void> {
    await this.call(
      addr,
      RemotingCommand.request(
        RequestCode.CLONE_GROUP_OFFSET,
        encodeCloneGroupOffsetRequestHeader(header),
      ),
      this.timeoutMs * 3,
    );
  }

  /** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200) with Java defaults for missing fields. */
  async createSubscriptionGroup(addr: string, config: SubscriptionGroupConfigInput): Promise<void> {
    const body = encodeSubscriptionGroupConfig({
      ...SUBSCRIPTION_GROUP_CONFIG_DEFAULTS,
      ...config,
    });
    await this.call(
      addr,
      RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, body),
    );
  }

  /** DELETE_SUBSCRIPTIONGROUP (207); the offset flag is sent under its 4.9 and 5.x names. */
  async deleteSubscriptionGroup(
    addr: string,
    query: { group: string; removeOffset: boolean },
  ): Promise<void> {
    await this.call(
      addr,
      RemotingCommand.request(
        RequestCode.DELETE_SUBSCRIPTIONGROUP,
        encodeDeleteSubscriptionGroupRequestHeader({
          groupName: query.group,
          removeOffset: query.removeOffset,
          cleanOffset: query.removeOffset,
        }),
      ),
    );
  }

  /** GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201). */
  async allSubscriptionGroups(addr: string): Promise<SubscriptionGroupWrapper> {
    const response = await this.call(
      addr,
      RemotingCommand.request(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG),
    );
    return decodeSubscriptionGroupWrapper(response.body ?? '{}');
  }

  /** VIEW_MESSAGE_BY_ID (33): the record at a commit-log offset. */
  async viewMessage(addr: string, phyOffset: number): Promise<MessageRecord | undefined> {
    const response = await this.call(
      addr,
      RemotingCommand.request(
        RequestCode.VIEW_MESSAGE_BY_ID,
        encodeViewMessageRequestHeader({ offset: phyOffset }),
      ),
    );
    return decodeMessageRecords(response.body ?? Buffer.alloc(0))[0];
  }

  /** QUERY_MESSAGE (12) with three times the timeout; QUERY_NOT_FOUND gives `[]`. */
  async queryMessage(addr: string, header: QueryMessageRequestHeader): Promise<MessageRecord[]> {
    const response = await this.api.invoke(
      addr,
      RemotingCommand.request(RequestCode.QUERY_MESSAGE, encodeQueryMessageRequestHeader(header)),
      this.timeoutMs * 3,
    );
    if (response.code === ResponseCode.QUERY_NOT_FOUND) return [];
    expectCode(response, addr, [ResponseCode.SUCCESS]);
    return decodeMessageRecords(response.body ?? Buffer.alloc(0));
  }

  /**
   * PULL_MESSAGE (11) of at most `maxMsgNums` messages at `offset` of `mq`, without long polling, filtered by `*`:
   * what Java's DefaultMQPullConsumer does for mqadmin queryMsgByOffset.
   */
  pull(
    addr: string,
    query: { group: string; mq: MessageQueue; offset: number; maxMsgNums: number },
  ): Promise<PullResult> {
    const { mq } = query;
    return pullMessage(this.api, {
      addr,
      brokerName: mq.brokerName,
      header: {
        consumerGroup: query.group,
        topic: mq.topic,
        queueId: mq.queueId,
        queueOffset: query.offset,
        maxMsgNums: query.maxMsgNums,
        sysFlag: buildPullSysFlag({ subscription: true }),
        commitOffset: 0,
        suspendTimeoutMillis: 0,
        subscription: SUB_ALL,
        subVersion: 0,
        expressionType: 'TAG',
      },
      subscription: {
        topic: mq.topic,
        subString: SUB_ALL,
        tagsSet: [],
        codeSet: [],
        subVersion: 0,
        expressionType: 'TAG',
        classFilterMode: false,
      },
      timeoutMs: this.timeoutMs,
    });
  }

  private call(
    addr: string,
    request: RemotingCommand,
    timeoutMs = this.timeoutMs,
  ): Promise<RemotingCommand> {
    return this.api.invokeExpectingSuccess(addr, request, timeoutMs);
  }
}
