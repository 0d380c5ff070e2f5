import type {
  ClusterInfo,
  ProducerConnection,
  SubscriptionGroupWrapper,
  TopicRouteData,
} from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { MQClientAPI } from '../api/mq-client-api.js';
import { splitAddrs } from '../config.js';
import { MQClientError } from '../errors.js';
import type { MessageExt } from '../message/message.js';
import type {
  ConsumeMessageDirectlyResult,
  ConsumerRunningInfo,
} from '../running-info/consumer-running-info.js';
import { resolveMQAdminConfig } from './admin-config.js';
import type { MQAdminConfig, MQAdminOptions } from './admin-config.js';
import { AdminContext } from './admin-context.js';
import type {
  CloneGroupOffsetOptions,
  ConsumeMessageDirectlyOptions,
  ConsumerConnectionInfo,
  GroupConsumeStats,
  MessageTrack,
  QueryMessageByKeyOptions,
  QueryMessageByOffsetOptions,
  QueueOffset,
  ResetOffsetByTimeOptions,
  SubscriptionGroupConfigInput,
  TopicConfigInput,
  TopicQueueStats,
} from './admin-types.js';
import { BrokerAdminRequests } from './broker-admin-requests.js';
import { ConsumerAdmin } from './consumer-admin.js';
import { MessageAdmin } from './message-admin.js';
import { NamesrvAdminRequests } from './namesrv-admin-requests.js';
import { clusterMasterAddrs, routeBrokerAddrs, routeClusters } from './route-lookup.js';
import { mergeTopicStats } from './stats-merge.js';

/** NameServer KV namespace of ordered-topic queue layouts (`brokerName:queueNums;…`, Java `NamesrvUtil`). */
export const ORDER_TOPIC_CONFIG_NAMESPACE = 'ORDER_TOPIC_CONFIG';

interface Started {
  remoting: RemotingClient;
  ctx: AdminContext;
  consumers: ConsumerAdmin;
  messages: MessageAdmin;
}

/**
 * RocketMQ administration over the remoting protocol (Java `DefaultMQAdminExt`), what mqadmin commands call:
 * cluster, topics, subscription groups, consumer progress and offsets, message lookup, NameServer KV. Stateless
 * between calls: every call asks the NameServer for the routes it needs. Owns one connection pool, opened by
 * {@link MQAdmin.start} and released by {@link MQAdmin.close}.
 *
 * Errors: {@link MQBrokerError} (with the response code) when a broker or NameServer refuses; {@link MQClientError}
 * (code TOPIC_NOT_EXIST, CONSUMER_NOT_ONLINE, NO_MESSAGE … where one applies) when nothing can be asked or found;
 * the remoting errors (RemotingTimeoutError, RemotingConnectError) when a server does not answer.
 *
 * ```ts
 * const admin = new MQAdmin({ namesrvAddr: '127.0.0.1:9876' });
 * await admin.start();
 * await admin.createTopicOnCluster('DefaultCluster', { topicName: 'Orders', readQueueNums: 8, writeQueueNums: 8 });
 * const { diffTotal } = await admin.consumeStats('order-consumers', 'Orders');
 * await admin.close();
 * ```
 */
export class MQAdmin {
  /** The resolved options. */
  readonly config: Readonly<MQAdminConfig>;
  private started: Started | undefined;
  private closed = false;

  /** @throws ConfigError for a missing NameServer address or a bad option (see {@link resolveMQAdminConfig}). */
  constructor(options: MQAdminOptions = {}) {
    this.config = resolveMQAdminConfig(options);
  }

  /** Opens the connection pool; idempotent. @throws MQClientError after {@link MQAdmin.close}. */
  start(): Promise<void> {
    if (this.closed) {
      return Promise.reject(new MQClientError('this MQAdmin is closed: create a new one'));
    }
    if (this.started !== undefined) return Promise.resolve();
    const { config } = this;
    const remoting = new RemotingClient({ logger: config.logger });
    const namesrvAddrs = splitAddrs(config.namesrvAddr);
    const api = new MQClientAPI({
      remoting,
      namesrvAddrs,
      timeoutMs: config.timeoutMs,
      language: config.language,
    });
    const ctx = new AdminContext(api, {
      broker: new BrokerAdminRequests(api, config.timeoutMs),
      namesrv: new NamesrvAdminRequests(api),
      namesrvAddrs,
      logger: config.logger,
    });
    this.started = {
      remoting,
      ctx,
      consumers: new ConsumerAdmin(ctx),
      messages: new MessageAdmin(ctx),
    };
    return Promise.resolve();
  }

  /** Closes every connection; idempotent. Calls made afterwards reject. */
  async close(): Promise<void> {
    this.closed = true;
    const { started } = this;
    this.started = undefined;
    await started?.remoting.close();
  }

  // ---- cluster ----

  /** GET_BROKER_CLUSTER_INFO: every broker set and cluster the NameServer knows. */
  clusterInfo(): Promise<ClusterInfo> {
    return this.run((s) => s.ctx.clusterInfo());
  }

  /** GET_BROKER_RUNTIME_INFO: a broker's statistics (`putTps`, `msgPutTotalTodayNow`, …) as strings. */
  brokerRuntimeInfo(brokerAddr: string): Promise<Map<string, string>> {
    return this.run((s) => s.ctx.broker.runtimeInfo(brokerAddr));
  }

  /** GET_BROKER_CONFIG: every setting of a broker. */
  getBrokerConfig(brokerAddr: string): Promise<Map<string, string>> {
    return this.run((s) => s.ctx.broker.brokerConfig(brokerAddr));
  }

  /**
   * UPDATE_BROKER_CONFIG: changes settings of a running broker.
   * @returns the broker's remark: rocketmq-ts brokers name the keys that take effect only after a restart.
   * @throws MQBrokerError for black-listed (NO_PERMISSION), unknown or malformed keys.
   */
  updateBrokerConfig(
    brokerAddr: string,
    properties: ReadonlyMap<string, string>,
  ): Promise<string | undefined> {
    return this.run((s) => s.ctx.broker.updateBrokerConfig(brokerAddr, properties));
  }

  /** WIPE_WRITE_PERM_OF_BROKER on one NameServer: producers stop sending to the broker set. @returns topics changed. */
  wipeWritePerm(namesrvAddr: string, brokerName: string): Promise<number> {
    return this.run((s) => s.ctx.namesrv.wipeWritePerm(namesrvAddr, brokerName));
  }

  /** ADD_WRITE_PERM_OF_BROKER on one NameServer: undoes {@link MQAdmin.wipeWritePerm}. @returns topics changed. */
  addWritePerm(namesrvAddr: string, brokerName: string): Promise<number> {
    return this.run((s) => s.ctx.namesrv.addWritePerm(namesrvAddr, brokerName));
  }

  // ---- topics ----

  /** UPDATE_AND_CREATE_TOPIC on one broker (a master); missing fields take Java's TopicConfig defaults (16/16/6). */
  createOrUpdateTopic(brokerAddr: string, topicConfig: TopicConfigInput): Promise<void> {
    return this.run((s) => s.ctx.broker.createTopic(brokerAddr, topicConfig));
  }

  /**
   * UPDATE_AND_CREATE_TOPIC on every master of a cluster.
   * @returns the masters updated, sorted by broker name.
   * @throws MQClientError when the NameServer does not know the cluster.
   */
  async createTopicOnCluster(
    clusterName: string,
    topicConfig: TopicConfigInput,
  ): Promise<string[]> {
    const ctx = this.ctx();
    const masters = clusterMasterAddrs(await ctx.clusterInfo(), clusterName);
    for (const addr of masters) await ctx.broker.createTopic(addr, topicConfig);
    return masters;
  }

  /**
   * Deletes a topic from a cluster as mqadmin deleteTopic does: DELETE_TOPIC_IN_BROKER on every master of the
   * cluster, then DELETE_TOPIC_IN_NAMESRV on every NameServer.
   * @throws MQClientError when the NameServer does not know the cluster.
   */
  async deleteTopic(topic: string, clusterName: string): Promise<void> {
    const ctx = this.ctx();
    for (const addr of clusterMasterAddrs(await ctx.clusterInfo(), clusterName)) {
      await ctx.broker.deleteTopic(addr, topic);
    }
    for (const namesrvAddr of ctx.namesrvAddrs) {
      await ctx.namesrv.deleteTopic(namesrvAddr, { topic, clusterName });
    }
  }

  /** GET_ALL_TOPIC_LIST_FROM_NAMESERVER: every topic with a route (system, retry and DLQ topics included). */
  topicList(): Promise<string[]> {
    return this.run((s) => s.ctx.namesrv.topicList());
  }

  /** GET_ROUTEINFO_BY_TOPIC. @throws MQClientError TOPIC_NOT_EXIST when the NameServer has no route. */
  topicRoute(topic: string): Promise<TopicRouteData> {
    return this.run((s) => s.ctx.route(topic));
  }

  /**
   * GET_TOPIC_STATS_INFO on every broker set of the route, merged: per queue min/max offset and last store time,
   * sorted by broker name and queue id.
   * @throws MQClientError TOPIC_NOT_EXIST without a route; MQBrokerError from a broker that refuses.
   */
  async topicStats(topic: string): Promise<TopicQueueStats[]> {
    const ctx = this.ctx();
    const addrs = routeBrokerAddrs(await ctx.route(topic));
    return mergeTopicStats(await Promise.all(addrs.map((a) => ctx.broker.topicStats(a, topic))));
  }

  /** The clusters holding the topic's broker sets, sorted. @throws MQClientError TOPIC_NOT_EXIST without a route. */
  async topicClusterList(topic: string): Promise<string[]> {
    const ctx = this.ctx();
    const [info, route] = await Promise.all([ctx.clusterInfo(), ctx.route(topic)]);
    return routeClusters(info, route);
  }

  /**
   * Sets a topic's ordered-queue layout in the NameServers' KV namespace ORDER_TOPIC_CONFIG (as mqadmin
   * updateOrderConf / updateTopic -o). `orderConf` is `brokerName:queueNums[;…]`. By default it replaces the value
   * (`-c`); with `merge`, each broker entry replaces only that broker's entry of the current value (`-b`).
   */
  async updateOrderConf(
    topic: string,
    orderConf: string,
    options: { merge?: boolean } = {},
  ): Promise<void> {
    let value = orderConf;
    if (options.merge === true) {
      const entries = new Map<string, string>();
      const current = await this.getKVConfig(ORDER_TOPIC_CONFIG_NAMESPACE, topic);
      for (const entry of [...splitOrderConf(current ?? ''), ...splitOrderConf(orderConf)]) {
        entries.set(entry.split(':')[0] ?? entry, entry);
      }
      value = [...entries.values()].join(';');
    }
    await this.putKVConfig(ORDER_TOPIC_CONFIG_NAMESPACE, topic, value);
  }

  // ---- subscription groups ----

  /** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP on one broker; missing fields take Java's defaults. */
  createOrUpdateSubscriptionGroup(
    brokerAddr: string,
    config: SubscriptionGroupConfigInput,
  ): Promise<void> {
    return this.run((s) => s.ctx.broker.createSubscriptionGroup(brokerAddr, config));
  }

  /** DELETE_SUBSCRIPTIONGROUP on one broker; with `removeOffset` the group's committed offsets go too. */
  deleteSubscriptionGroup(brokerAddr: string, group: string, removeOffset: boolean): Promise<void> {
    return this.run((s) =>
      s.ctx.broker.deleteSubscriptionGroup(brokerAddr, { group, removeOffset }),
    );
  }

  /** GET_ALL_SUBSCRIPTIONGROUP_CONFIG: a broker's group table with its data version. */
  allSubscriptionGroups(brokerAddr: string): Promise<SubscriptionGroupWrapper> {
    return this.run((s) => s.ctx.broker.allSubscriptionGroups(brokerAddr));
  }

  // ---- consumption ----

  /**
   * A group's progress (mqadmin consumerProgress): GET_CONSUME_STATS on every broker of `%RETRY%<group>`'s route
   * and of `topic`'s route (every master when neither exists), merged per queue with lag and totals.
   * @throws MQClientError CONSUMER_NOT_ONLINE when no broker reports any progress of the group.
   */
  consumeStats(group: string, topic?: string): Promise<GroupConsumeStats> {
    return this.run((s) => s.consumers.consumeStats(group, topic));
  }

  /**
   * GET_CONSUMER_CONNECTION_LIST from a broker of the group: live members, subscriptions, consume type and model,
   * and the members that subscribe to one topic with different expressions.
   * @throws MQClientError or MQBrokerError with code CONSUMER_NOT_ONLINE when the group has no live member.
   */
  consumerConnection(group: string): Promise<ConsumerConnectionInfo> {
    return this.run((s) => s.consumers.consumerConnection(group));
  }

  /** GET_PRODUCER_CONNECTION_LIST from the brokers of `topic` until one knows the group. @throws MQBrokerError when none does. */
  producerConnection(group: string, topic: string): Promise<ProducerConnection> {
    return this.run((s) => s.consumers.producerConnection(group, topic));
  }

  /** GET_CONSUMER_RUNNING_INFO of one client of the group, relayed by a broker it is connected to. */
  consumerRunningInfo(
    group: string,
    clientId: string,
    jstack = false,
  ): Promise<ConsumerRunningInfo> {
    return this.run((s) => s.consumers.consumerRunningInfo(group, clientId, jstack));
  }

  /** QUERY_TOPIC_CONSUME_BY_WHO on every broker of the topic: groups with offsets on it or subscribing to it, sorted. */
  queryTopicConsumeByWho(topic: string): Promise<string[]> {
    return this.run((s) => s.consumers.queryTopicConsumeByWho(topic));
  }

  /**
   * INVOKE_BROKER_TO_RESET_OFFSET on each broker of the topic: moves the group to the offsets at `timestamp`
   * (backward only unless `force`). A broker answering CONSUMER_NOT_ONLINE (Java 4.9.8 with no client online) gets
   * the offsets rewritten with UPDATE_CONSUMER_OFFSET instead, as mqadmin does.
   * @returns the offsets in effect, sorted by queue.
   */
  resetOffsetByTime(options: ResetOffsetByTimeOptions): Promise<QueueOffset[]> {
    return this.run((s) => s.consumers.resetOffsetByTime(options));
  }

  /** CLONE_GROUP_OFFSET on every broker of the source group (and topic): the destination group takes its offsets. */
  cloneGroupOffset(options: CloneGroupOffsetOptions): Promise<void> {
    return this.run((s) => s.consumers.cloneGroupOffset(options));
  }

  /**
   * For each group consuming the message's topic (QUERY_TOPIC_CONSUME_BY_WHO), whether it consumed the message
   * (Java `messageTrackDetail`): push groups are CONSUMED once their committed offset on the message's queue is
   * past it (CONSUMED_BUT_FILTERED when their tags exclude it), else NOT_CONSUME_YET; pull groups PULL; broadcasting
   * groups CONSUME_BROADCASTING; groups without a live member NOT_ONLINE; failed lookups UNKNOWN with the reason.
   */
  consumeStatusOfMessage(msg: MessageExt): Promise<MessageTrack[]> {
    return this.run((s) => s.consumers.consumeStatusOfMessage(msg));
  }

  /**
   * CONSUME_MESSAGE_DIRECTLY: asks one client of the group, through the broker storing the message, to consume
   * it now and report the outcome.
   */
  consumeMessageDirectly(
    options: ConsumeMessageDirectlyOptions,
  ): Promise<ConsumeMessageDirectlyResult> {
    return this.run((s) => s.messages.consumeMessageDirectly(options));
  }

  // ---- messages ----

  /**
   * VIEW_MESSAGE_BY_ID at the broker and commit-log offset an offset message id names.
   * @throws MQClientError NO_MESSAGE for an id that is not an offset id; MQBrokerError when nothing is stored there.
   */
  viewMessage(offsetMsgId: string): Promise<MessageExt> {
    return this.run((s) => s.messages.viewMessage(offsetMsgId));
  }

  /**
   * QUERY_MESSAGE by a `KEYS` entry on every broker set of the topic, keeping the messages that really carry the
   * key, sorted by store time; `[]` when none.
   */
  queryMessageByKey(options: QueryMessageByKeyOptions): Promise<MessageExt[]> {
    return this.run((s) => s.messages.queryMessageByKey(options));
  }

  /**
   * QUERY_MESSAGE by unique key (UNIQ_KEY, the producer's msgId) on every broker set of the topic, sorted by store
   * time: the first is the original, later ones are re-sends or retries; `[]` when none.
   */
  queryMessageByUniqueKey(topic: string, uniqKey: string): Promise<MessageExt[]> {
    return this.run((s) => s.messages.queryMessageByUniqueKey(topic, uniqKey));
  }

  /** Pulls the one message at a consume-queue offset (group TOOLS_CONSUMER); undefined when there is none. */
  queryMessageByOffset(options: QueryMessageByOffsetOptions): Promise<MessageExt | undefined> {
    return this.run((s) => s.messages.queryMessageByOffset(options));
  }

  // ---- NameServer KV ----

  /** PUT_KV_CONFIG on every NameServer. */
  async putKVConfig(namespace: string, key: string, value: string): Promise<void> {
    const ctx = this.ctx();
    for (const addr of ctx.namesrvAddrs) {
      await ctx.namesrv.putKVConfig(addr, { namespace, key, value });
    }
  }

  /** GET_KV_CONFIG from a NameServer; undefined when it has no such key. */
  getKVConfig(namespace: string, key: string): Promise<string | undefined> {
    return this.run((s) => s.ctx.namesrv.getKVConfig({ namespace, key }));
  }

  /** GET_KVLIST_BY_NAMESPACE from a NameServer; empty when the namespace is. */
  getKVList(namespace: string): Promise<Map<string, string>> {
    return this.run((s) => s.ctx.namesrv.kvList(namespace));
  }

  /** DELETE_KV_CONFIG on every NameServer. */
  async deleteKVConfig(namespace: string, key: string): Promise<void> {
    const ctx = this.ctx();
    for (const addr of ctx.namesrvAddrs) await ctx.namesrv.deleteKVConfig(addr, { namespace, key });
  }

  private ctx(): AdminContext {
    return this.started_().ctx;
  }

  /** Runs `call` on the started parts; a rejected promise (not a throw) when not started. */
  private run<T>(call: (started: Started) => Promise<T>): Promise<T> {
    const { started } = this;
    return started === undefined ? Promise.reject(this.notStartedError()) : call(started);
  }

  private started_(): Started {
    if (this.started === undefined) throw this.notStartedError();
    return this.started;
  }

  private notStartedError(): MQClientError {
    return new MQClientError(
      this.closed
        ? 'this MQAdmin is closed: create a new one'
        : 'this MQAdmin is not started: await admin.start() first',
    );
  }
}

function splitOrderConf(value: string): string[] {
  return value
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
