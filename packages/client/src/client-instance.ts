import {
  MessageConst,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeMessageRecord,
} from '@rocketmq-ts/protocol';
import type {
  ConsumerData,
  Logger,
  MessageQueue,
  ProducerData,
  TopicRouteData,
} from '@rocketmq-ts/protocol';
import { ProcessorTable, RemotingClient } from '@rocketmq-ts/remoting';
import type { RequestContext } from '@rocketmq-ts/remoting';
import { MQClientAPI } from './api/mq-client-api.js';
import { buildClientId, splitAddrs } from './config.js';
import type { ClientConfig } from './config.js';
import { MQClientError } from './errors.js';
import {
  findBrokerAddressInAdmin,
  findBrokerAddressInPublish,
  findBrokerAddressInSubscribe,
} from './route/broker-addr-lookup.js';
import type { FindBrokerResult } from './route/broker-addr-lookup.js';
import { topicRouteToSubscribeInfo } from './route/topic-route-info.js';

/** Java's rebalance period (`rocketmq.client.rebalance.waitInterval`), ms. */
export const REBALANCE_INTERVAL_MS = 20_000;

/** What the client instance needs from a producer registered with it. */
export interface ProducerMember {
  readonly groupName: string;
  /** Topics it sends to; their routes are refreshed with the others. */
  publishTopics(): string[];
  /** A topic's route changed (or was first found). */
  onRouteChanged(topic: string, route: TopicRouteData): void;
  /** A broker-initiated request addressed to this producer group (CHECK_TRANSACTION_STATE); null when none. */
  handleBrokerRequest?(
    request: RemotingCommand,
    ctx: RequestContext,
  ): Promise<RemotingCommand | null>;
}

/** Answers a broker's CHECK_TRANSACTION_STATE for one producer group (a transaction producer). */
export type TransactionCheckHandler = (
  request: RemotingCommand,
  ctx: RequestContext,
) => Promise<RemotingCommand | null>;

/** What the client instance needs from a consumer registered with it. */
export interface ConsumerMember {
  readonly groupName: string;
  /** Its heartbeat entry: model, consume type, from-where and subscriptions. */
  consumerData(): ConsumerData;
  /** Topics it subscribes to (including `%RETRY%<group>`). */
  subscribedTopics(): string[];
  /** A topic's readable queues changed (or were first found). */
  onSubscribeInfoChanged(topic: string, queues: MessageQueue[]): void;
  /** Re-runs queue allocation (timer, NOTIFY_CONSUMER_IDS_CHANGED). */
  rebalance(): Promise<void>;
  /** Commits offsets (timer, shutdown). */
  persistOffsets(): Promise<void>;
  /** Answers RESET_CONSUMER_CLIENT_OFFSET, GET_CONSUMER_RUNNING_INFO, CONSUME_MESSAGE_DIRECTLY; null when none. */
  handleBrokerRequest?(
    request: RemotingCommand,
    ctx: RequestContext,
  ): Promise<RemotingCommand | null>;
}

/**
 * One per process and client id (Java `MQClientInstance`): the NameServer list, the route table, one connection per
 * broker shared by every producer and consumer of that id, route polling every `pollNameServerInterval`, heartbeats
 * to every broker in use every `heartbeatBrokerInterval`, offset commits every `persistConsumerOffsetInterval`,
 * rebalances every 20 s, and answers to broker-initiated requests. Started by the first member, stopped with the
 * last.
 */
export class MQClientInstance {
  private static readonly instances = new Map<string, MQClientInstance>();

  /** The shared instance for a config's client id, created on first use. */
  static acquire(config: Readonly<ClientConfig>): MQClientInstance {
    const clientId = buildClientId(config);
    let instance = MQClientInstance.instances.get(clientId);
    if (instance === undefined || instance.closed) {
      instance = new MQClientInstance(config, clientId);
      MQClientInstance.instances.set(clientId, instance);
    }
    return instance;
  }

  readonly clientId: string;
  readonly config: Readonly<ClientConfig>;
  readonly api: MQClientAPI;
  readonly logger: Logger;
  private readonly remoting: RemotingClient;
  private readonly producers = new Map<string, ProducerMember>();
  private readonly consumers = new Map<string, ConsumerMember>();
  /** producer group → its transaction check handler. */
  private readonly transactionCheckHandlers = new Map<string, TransactionCheckHandler>();
  /** topic → last route seen. */
  private readonly routes = new Map<string, TopicRouteData>();
  /** brokerName → (brokerId → address), from every route seen. */
  private readonly brokerAddrs = new Map<string, Map<number, string>>();
  private timers: NodeJS.Timeout[] = [];
  private started = false;
  private closed = false;

  private constructor(config: Readonly<ClientConfig>, clientId: string) {
    this.config = config;
    this.clientId = clientId;
    this.logger = config.logger.child({ clientId });
    const processors = new ProcessorTable();
    const forward = {
      process: (r: RemotingCommand, ctx: RequestContext) => this.onBrokerRequest(r, ctx),
    };
    processors.on(
      [
        RequestCode.NOTIFY_CONSUMER_IDS_CHANGED,
        RequestCode.RESET_CONSUMER_CLIENT_OFFSET,
        RequestCode.GET_CONSUMER_RUNNING_INFO,
        RequestCode.CONSUME_MESSAGE_DIRECTLY,
        RequestCode.CHECK_TRANSACTION_STATE,
      ],
      forward,
    );
    this.remoting = new RemotingClient({ logger: this.logger, processors });
    this.api = new MQClientAPI({
      remoting: this.remoting,
      namesrvAddrs: splitAddrs(config.namesrvAddr),
      timeoutMs: config.mqClientApiTimeout,
      language: config.language,
    });
  }

  /** Adds a producer group; one producer per group per instance, as in Java. */
  registerProducer(member: ProducerMember): void {
    this.addMember(this.producers, member, 'producer');
  }

  /**
   * Routes CHECK_TRANSACTION_STATE requests whose half message names `group` (property `PGROUP`) to `handler`.
   * @returns a function that removes the handler again.
   */
  registerTransactionCheckHandler(group: string, handler: TransactionCheckHandler): () => void {
    this.transactionCheckHandlers.set(group, handler);
    return () => {
      if (this.transactionCheckHandlers.get(group) === handler) {
        this.transactionCheckHandlers.delete(group);
      }
    };
  }

  /** Adds a consumer group; one consumer per group per instance, as in Java. */
  registerConsumer(member: ConsumerMember): void {
    this.addMember(this.consumers, member, 'consumer');
  }

  private addMember<TMember extends { groupName: string }>(
    table: Map<string, TMember>,
    member: TMember,
    kind: 'producer' | 'consumer',
  ): void {
    if (table.has(member.groupName)) {
      throw new MQClientError(
        `the ${kind} group ${member.groupName} is already running in this process with client id ${this.clientId}; use another group or instanceName`,
      );
    }
    table.set(member.groupName, member);
  }

  /** Starts the timers once; later calls do nothing. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const every = (ms: number, task: () => Promise<unknown>, what: string): void => {
      const timer = setInterval(() => {
        task().catch((error: unknown) =>
          this.logger.warn(`${what} failed`, { error: String(error) }),
        );
      }, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.config.pollNameServerInterval, () => this.updateAllRoutes(), 'route refresh');
    every(this.config.heartbeatBrokerInterval, () => this.sendHeartbeatToAllBrokers(), 'heartbeat');
    every(
      this.config.persistConsumerOffsetInterval,
      () => this.persistAllOffsets(),
      'offset commit',
    );
    every(REBALANCE_INTERVAL_MS, () => this.rebalanceAll(), 'rebalance');
  }

  /**
   * Removes a member; when none is left, unregisters from every broker, stops the timers and closes the
   * connections.
   */
  async unregister(kind: 'producer' | 'consumer', groupName: string): Promise<void> {
    const table = kind === 'producer' ? this.producers : this.consumers;
    if (!table.delete(groupName)) return;
    await Promise.allSettled(
      this.allBrokerAddrs().map((addr) =>
        this.api.unregisterClient(addr, {
          clientID: this.clientId,
          ...(kind === 'producer' ? { producerGroup: groupName } : { consumerGroup: groupName }),
        }),
      ),
    );
    if (this.producers.size === 0 && this.consumers.size === 0) await this.close();
  }

  /** The route of `topic`, fetched from the NameServer when not known yet (undefined when it has none). */
  async routeOf(topic: string): Promise<TopicRouteData | undefined> {
    return this.routes.get(topic) ?? (await this.updateRoute(topic));
  }

  /** Fetches a topic's route from the NameServer and tells the members when it changed. */
  async updateRoute(topic: string): Promise<TopicRouteData | undefined> {
    const route = await this.api.getTopicRouteInfo(topic);
    if (route === undefined) return undefined;
    const previous = this.routes.get(topic);
    this.routes.set(topic, route);
    for (const bd of route.brokerDatas) {
      this.brokerAddrs.set(bd.brokerName, new Map(bd.brokerAddrs));
    }
    if (
      previous === undefined ||
      JSON.stringify(routeKey(previous)) !== JSON.stringify(routeKey(route))
    ) {
      for (const p of this.producers.values()) {
        if (p.publishTopics().includes(topic)) p.onRouteChanged(topic, route);
      }
      for (const c of this.consumers.values()) {
        if (c.subscribedTopics().includes(topic)) {
          c.onSubscribeInfoChanged(topic, topicRouteToSubscribeInfo(topic, route));
        }
      }
    }
    return route;
  }

  /** The master address of a broker set, if any route named it (Java `findBrokerAddressInPublish`). */
  masterAddr(brokerName: string): string | undefined {
    return findBrokerAddressInPublish(this.brokerAddrs.get(brokerName));
  }

  /**
   * Where to read a queue of `brokerName` (Java `findBrokerAddressInSubscribe`): `brokerId` when the routes list
   * it; for a slave id, else the next id; else (unless `onlyThisBroker`) the master, else the lowest slave.
   * @returns undefined when no route names the broker set (or, with `onlyThisBroker`, that broker).
   */
  findBrokerAddressInSubscribe(
    brokerName: string,
    brokerId: number,
    onlyThisBroker: boolean,
  ): FindBrokerResult | undefined {
    return findBrokerAddressInSubscribe(this.brokerAddrs.get(brokerName), brokerId, onlyThisBroker);
  }

  /**
   * The master of `brokerName` when the routes list it, else its lowest slave (Java `findBrokerAddressInAdmin`):
   * where consumer offsets are read and committed.
   * @returns undefined when no route names the broker set.
   */
  findBrokerAddressInAdmin(brokerName: string): FindBrokerResult | undefined {
    return findBrokerAddressInAdmin(this.brokerAddrs.get(brokerName));
  }

  /** Every broker address known from the routes, masters and slaves. */
  allBrokerAddrs(): string[] {
    return [...this.brokerAddrs.values()].flatMap((m) => [...m.values()]);
  }

  /** Sends one heartbeat with every producer and consumer group to every broker in use (consumers: slaves too). */
  async sendHeartbeatToAllBrokers(): Promise<void> {
    if (this.producers.size === 0 && this.consumers.size === 0) return;
    const producerDataSet: ProducerData[] = [...this.producers.keys()].map((groupName) => ({
      groupName,
    }));
    const consumerDataSet: ConsumerData[] = [...this.consumers.values()].map((c) =>
      c.consumerData(),
    );
    const data = { clientID: this.clientId, producerDataSet, consumerDataSet };
    const targets: string[] = [];
    for (const addrs of this.brokerAddrs.values()) {
      for (const [id, addr] of addrs) {
        if (id === 0 || consumerDataSet.length > 0) targets.push(addr);
      }
    }
    const results = await Promise.allSettled(targets.map((addr) => this.api.heartbeat(addr, data)));
    results.forEach((r, i) => {
      if (r.status === 'rejected') {
        this.logger.warn('heartbeat failed', { addr: targets[i], error: String(r.reason) });
      }
    });
  }

  /** Refreshes the route of every topic a member uses. */
  async updateAllRoutes(): Promise<void> {
    const topics = new Set<string>();
    for (const p of this.producers.values()) for (const t of p.publishTopics()) topics.add(t);
    for (const c of this.consumers.values()) for (const t of c.subscribedTopics()) topics.add(t);
    await Promise.allSettled([...topics].map((t) => this.updateRoute(t)));
    this.cleanOfflineBrokers();
  }

  /**
   * Forgets broker addresses no known route lists any more (Java `cleanOfflineBroker`), so heartbeats and lookups
   * stop reaching a broker whose whole set left the routes.
   */
  private cleanOfflineBrokers(): void {
    const listed = new Set<string>();
    for (const route of this.routes.values()) {
      for (const bd of route.brokerDatas) {
        for (const addr of bd.brokerAddrs.values()) listed.add(`${bd.brokerName}\u0000${addr}`);
      }
    }
    for (const [brokerName, addrs] of this.brokerAddrs) {
      for (const [id, addr] of addrs) {
        if (!listed.has(`${brokerName}\u0000${addr}`)) addrs.delete(id);
      }
      if (addrs.size === 0) this.brokerAddrs.delete(brokerName);
    }
  }

  /** Asks every consumer to re-run its allocation now. */
  async rebalanceAll(): Promise<void> {
    await Promise.allSettled([...this.consumers.values()].map((c) => c.rebalance()));
  }

  /** Asks every consumer to commit its offsets now. */
  async persistAllOffsets(): Promise<void> {
    await Promise.allSettled([...this.consumers.values()].map((c) => c.persistOffsets()));
  }

  /** Stops timers and closes every connection. Members must have unregistered. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    if (MQClientInstance.instances.get(this.clientId) === this) {
      MQClientInstance.instances.delete(this.clientId);
    }
    await this.remoting.close();
  }

  private async onBrokerRequest(
    request: RemotingCommand,
    ctx: RequestContext,
  ): Promise<RemotingCommand | null> {
    if (request.code === RequestCode.NOTIFY_CONSUMER_IDS_CHANGED) {
      const group = request.extFields?.consumerGroup;
      const consumer = group === undefined ? undefined : this.consumers.get(group);
      consumer?.rebalance().catch((error: unknown) => {
        this.logger.warn('rebalance after notification failed', { group, error: String(error) });
      });
      return null;
    }
    if (request.code === RequestCode.CHECK_TRANSACTION_STATE) {
      const handler = this.transactionCheckHandlerFor(request);
      if (handler !== undefined) return handler(request, ctx);
    }
    const group =
      request.extFields?.consumerGroup ??
      request.extFields?.group ??
      request.extFields?.producerGroup;
    const member =
      request.code === RequestCode.CHECK_TRANSACTION_STATE
        ? [...this.producers.values()].find((p) => p.handleBrokerRequest !== undefined)
        : group === undefined
          ? undefined
          : this.consumers.get(group);
    if (member?.handleBrokerRequest === undefined) {
      return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, {
        remark: `no member of group ${group ?? '?'} in client ${this.clientId} handles request ${request.code}`,
      });
    }
    return member.handleBrokerRequest(request, ctx);
  }

  /** The handler of the half message's `PGROUP` (Java `selectProducer(group)`); the only one when it has none. */
  private transactionCheckHandlerFor(
    request: RemotingCommand,
  ): TransactionCheckHandler | undefined {
    let group: string | undefined;
    try {
      const decoded = request.body === undefined ? undefined : decodeMessageRecord(request.body);
      if (decoded?.kind === 'message') {
        group = decoded.record.properties.get(MessageConst.PROPERTY_PRODUCER_GROUP);
      }
    } catch {
      // A body that does not decode names no group; the single-handler fallback below still applies.
    }
    if (group !== undefined) return this.transactionCheckHandlers.get(group);
    return this.transactionCheckHandlers.size === 1
      ? [...this.transactionCheckHandlers.values()][0]
      : undefined;
  }
}

function routeKey(route: TopicRouteData): unknown {
  return {
    order: route.orderTopicConf ?? '',
    queues: route.queueDatas.map((q) => [q.brokerName, q.readQueueNums, q.writeQueueNums, q.perm]),
    brokers: route.brokerDatas.map((b) => [b.brokerName, [...b.brokerAddrs]]),
  };
}
