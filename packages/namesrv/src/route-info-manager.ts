import { NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type {
  BrokerData,
  ClusterInfo,
  DataVersion,
  Logger,
  QueueData,
  TopicConfigSerializeWrapper,
  TopicRouteData,
} from '@rocketmq-ts/protocol';
import type { RemotingChannel } from '@rocketmq-ts/remoting';

/** Broker id of a master (Java `MixAll.MASTER_ID`). */
export const MASTER_ID = 0;
/** Write permission bit of `perm` (Java `PermName.PERM_WRITE`). */
export const PERM_WRITE = 2;
/** Read permission bit of `perm` (Java `PermName.PERM_READ`). */
export const PERM_READ = 4;
/** `topicSysFlag` bit of a unit topic (Java `TopicSysFlag`). */
export const FLAG_UNIT = 0x1;
/** `topicSysFlag` bit of a topic with unit subscriptions (Java `TopicSysFlag`). */
export const FLAG_UNIT_SUB = 0x2;

/** Options of {@link RouteInfoManager}. */
export interface RouteInfoManagerOptions {
  /** A broker silent for longer than this is dropped by {@link RouteInfoManager.scanNotActiveBroker}, ms. */
  brokerChannelExpiredTime: number;
  /** Clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Default: no-op. */
  logger?: Logger;
}

/** One REGISTER_BROKER call, decoded. */
export interface BrokerRegistration {
  /** Cluster the broker set belongs to. */
  clusterName: string;
  /** `ip:port` clients use. */
  brokerAddr: string;
  /** Broker set name. */
  brokerName: string;
  /** 0 = master, > 0 = slave. */
  brokerId: number;
  /** `ip:haPort`. */
  haServerAddr: string;
  /** The broker's topic table; only a master's is used. Undefined when the request had no body. */
  topicConfigWrapper?: TopicConfigSerializeWrapper;
  /** Filter server addresses; empty removes any registered before. */
  filterServerList: string[];
  /** The connection the registration came in on: closing it drops the broker. */
  channel?: RemotingChannel;
}

/** What a registration answers (RegisterBrokerResult). */
export interface RegisterBrokerResult {
  /** For a slave: the registered master's HA address. */
  haServerAddr?: string;
  /** For a slave: the registered master's address. */
  masterAddr?: string;
}

/** Identity of a broker in UNREGISTER_BROKER and QUERY_DATA_VERSION. */
export interface BrokerIdentity {
  /** Cluster the broker set belongs to. */
  clusterName: string;
  /** `ip:port` clients use. */
  brokerAddr: string;
  /** Broker set name. */
  brokerName: string;
  /** 0 = master, > 0 = slave. */
  brokerId: number;
}

interface BrokerLiveInfo {
  lastUpdateTimestamp: number;
  dataVersion: DataVersion;
  channel: RemotingChannel | undefined;
  haServerAddr: string;
}

/**
 * The NameServer's route tables (Java 4.9.8 `RouteInfoManager`): clusters, broker sets, per-topic queue data and
 * broker liveness. Everything is synchronous; the single event loop takes the place of Java's read/write lock.
 */
export class RouteInfoManager {
  /** topic → brokerName → QueueData. */
  private readonly topicQueueTable = new Map<string, Map<string, QueueData>>();
  /** brokerName → BrokerData. */
  private readonly brokerAddrTable = new Map<string, BrokerData>();
  /** clusterName → broker names. */
  private readonly clusterAddrTable = new Map<string, Set<string>>();
  /** brokerAddr → liveness. */
  private readonly brokerLiveTable = new Map<string, BrokerLiveInfo>();
  /** brokerAddr → filter server addresses. */
  private readonly filterServerTable = new Map<string, string[]>();
  private readonly expiredTime: number;
  private readonly now: () => number;
  private readonly logger: Logger;

  constructor(options: RouteInfoManagerOptions) {
    this.expiredTime = options.brokerChannelExpiredTime;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? NOOP_LOGGER;
  }

  /**
   * Registers (or re-registers) a broker: adds it to its cluster and broker set, rebuilds the topic queue data
   * from a master's topic table when it is new or its DataVersion changed, and refreshes its liveness.
   */
  registerBroker(r: BrokerRegistration): RegisterBrokerResult {
    let brokerNames = this.clusterAddrTable.get(r.clusterName);
    if (brokerNames === undefined) {
      brokerNames = new Set();
      this.clusterAddrTable.set(r.clusterName, brokerNames);
    }
    brokerNames.add(r.brokerName);

    let registerFirst = false;
    let brokerData = this.brokerAddrTable.get(r.brokerName);
    if (brokerData === undefined) {
      registerFirst = true;
      brokerData = { cluster: r.clusterName, brokerName: r.brokerName, brokerAddrs: new Map() };
      this.brokerAddrTable.set(r.brokerName, brokerData);
    }
    // Slave → master switch: the same address under another id goes first.
    for (const [id, addr] of [...brokerData.brokerAddrs]) {
      if (addr === r.brokerAddr && id !== r.brokerId) brokerData.brokerAddrs.delete(id);
    }
    const oldAddr = brokerData.brokerAddrs.get(r.brokerId);
    brokerData.brokerAddrs.set(r.brokerId, r.brokerAddr);
    registerFirst ||= oldAddr === undefined;

    const wrapper = r.topicConfigWrapper;
    if (wrapper !== undefined && r.brokerId === MASTER_ID) {
      if (registerFirst || this.isBrokerTopicConfigChanged(r.brokerAddr, wrapper.dataVersion)) {
        for (const config of wrapper.topicConfigTable.values()) {
          this.createAndUpdateQueueData(config.topicName, {
            brokerName: r.brokerName,
            readQueueNums: config.readQueueNums,
            writeQueueNums: config.writeQueueNums,
            perm: config.perm,
            topicSysFlag: config.topicSysFlag,
          });
        }
      }
    }

    const previous = this.brokerLiveTable.get(r.brokerAddr);
    this.brokerLiveTable.set(r.brokerAddr, {
      lastUpdateTimestamp: this.now(),
      dataVersion: wrapper?.dataVersion ?? { counter: 0, timestamp: 0 },
      channel: r.channel,
      haServerAddr: r.haServerAddr,
    });
    if (previous === undefined) {
      this.logger.info('new broker registered', {
        brokerAddr: r.brokerAddr,
        brokerName: r.brokerName,
        brokerId: r.brokerId,
        haServerAddr: r.haServerAddr,
      });
    }
    if (r.filterServerList.length === 0) this.filterServerTable.delete(r.brokerAddr);
    else this.filterServerTable.set(r.brokerAddr, [...r.filterServerList]);

    const result: RegisterBrokerResult = {};
    if (r.brokerId !== MASTER_ID) {
      const masterAddr = brokerData.brokerAddrs.get(MASTER_ID);
      const master = masterAddr === undefined ? undefined : this.brokerLiveTable.get(masterAddr);
      if (masterAddr !== undefined && master !== undefined) {
        result.haServerAddr = master.haServerAddr;
        result.masterAddr = masterAddr;
      }
    }
    return result;
  }

  /** Removes a broker (UNREGISTER_BROKER); a broker set left empty leaves its cluster and drops its topics. */
  unregisterBroker(b: BrokerIdentity): void {
    const live = this.brokerLiveTable.delete(b.brokerAddr);
    this.filterServerTable.delete(b.brokerAddr);
    this.logger.info('broker unregistered', {
      brokerAddr: b.brokerAddr,
      brokerName: b.brokerName,
      brokerId: b.brokerId,
      wasLive: live,
    });
    const brokerData = this.brokerAddrTable.get(b.brokerName);
    if (brokerData === undefined) return;
    brokerData.brokerAddrs.delete(b.brokerId);
    if (brokerData.brokerAddrs.size > 0) return;
    this.brokerAddrTable.delete(b.brokerName);
    const names = this.clusterAddrTable.get(b.clusterName);
    if (names !== undefined) {
      names.delete(b.brokerName);
      if (names.size === 0) this.clusterAddrTable.delete(b.clusterName);
    }
    this.removeTopicByBrokerName(b.brokerName);
  }

  /**
   * True when the NameServer has no registration for `brokerAddr` or holds another DataVersion for it.
   */
  isBrokerTopicConfigChanged(brokerAddr: string, dataVersion: DataVersion): boolean {
    const known = this.brokerLiveTable.get(brokerAddr)?.dataVersion;
    return known === undefined || !sameDataVersion(known, dataVersion);
  }

  /** The DataVersion of `brokerAddr`'s last registration, or undefined. */
  queryBrokerTopicConfig(brokerAddr: string): DataVersion | undefined {
    const v = this.brokerLiveTable.get(brokerAddr)?.dataVersion;
    return v === undefined ? undefined : { ...v };
  }

  /** Marks a registered broker alive now (no-op for an unknown address). */
  updateBrokerInfoUpdateTimestamp(brokerAddr: string): void {
    const live = this.brokerLiveTable.get(brokerAddr);
    if (live !== undefined) live.lastUpdateTimestamp = this.now();
  }

  /**
   * The route of `topic`: its queue data and the broker sets holding it, or undefined when no live broker set
   * has it (Java `pickupTopicRouteData`).
   */
  pickupTopicRouteData(topic: string): TopicRouteData | undefined {
    const queues = this.topicQueueTable.get(topic);
    if (queues === undefined || queues.size === 0) return undefined;
    const brokerDatas: BrokerData[] = [];
    const filterServerTable = new Map<string, string[]>();
    for (const brokerName of [...queues.keys()].sort()) {
      const brokerData = this.brokerAddrTable.get(brokerName);
      if (brokerData === undefined) continue;
      brokerDatas.push(cloneBrokerData(brokerData));
      for (const addr of brokerData.brokerAddrs.values()) {
        const filters = this.filterServerTable.get(addr);
        if (filters !== undefined) filterServerTable.set(addr, [...filters]);
      }
    }
    if (brokerDatas.length === 0) return undefined;
    const queueDatas = [...queues.values()]
      .map((q) => ({ ...q }))
      .sort((a, b) => compare(a.brokerName, b.brokerName));
    return { queueDatas, brokerDatas, filterServerTable };
  }

  /** Every broker set and cluster (GET_BROKER_CLUSTER_INFO). */
  getAllClusterInfo(): ClusterInfo {
    const brokerAddrTable = new Map<string, BrokerData>();
    for (const [name, data] of this.brokerAddrTable)
      brokerAddrTable.set(name, cloneBrokerData(data));
    const clusterAddrTable = new Map<string, string[]>();
    for (const [cluster, names] of this.clusterAddrTable) clusterAddrTable.set(cluster, [...names]);
    return { brokerAddrTable, clusterAddrTable };
  }

  /** Every topic with a route. */
  getAllTopicList(): string[] {
    return [...this.topicQueueTable.keys()];
  }

  /** Topics hosted by at least one broker set of `cluster`. */
  getTopicsByCluster(cluster: string): string[] {
    const names = this.clusterAddrTable.get(cluster);
    if (names === undefined) return [];
    const out: string[] = [];
    for (const [topic, queues] of this.topicQueueTable) {
      for (const brokerName of queues.keys()) {
        if (names.has(brokerName)) {
          out.push(topic);
          break;
        }
      }
    }
    return out;
  }

  /**
   * Cluster names and broker names (each doubles as a system topic), with one broker address
   * (GET_SYSTEM_TOPIC_LIST_FROM_NS).
   */
  getSystemTopicList(): { topicList: string[]; brokerAddr?: string } {
    const topics = new Set<string>();
    for (const [cluster, names] of this.clusterAddrTable) {
      topics.add(cluster);
      for (const name of names) topics.add(name);
    }
    const out: { topicList: string[]; brokerAddr?: string } = { topicList: [...topics] };
    for (const data of this.brokerAddrTable.values()) {
      const first = data.brokerAddrs.values().next();
      if (first.done !== true) {
        out.brokerAddr = first.value;
        break;
      }
    }
    return out;
  }

  /**
   * Topics whose (first) queue data matches `kind` by topicSysFlag: `unit` has the unit flag, `unit-sub` the unit
   * subscription flag, `unit-sub-ununit` the unit subscription flag without the unit flag.
   */
  getTopicsBySysFlag(kind: 'unit' | 'unit-sub' | 'unit-sub-ununit'): string[] {
    const out: string[] = [];
    for (const [topic, queues] of this.topicQueueTable) {
      const first = queues.values().next();
      if (first.done === true) continue;
      const flag = first.value.topicSysFlag;
      const unit = (flag & FLAG_UNIT) !== 0;
      const unitSub = (flag & FLAG_UNIT_SUB) !== 0;
      const match = kind === 'unit' ? unit : kind === 'unit-sub' ? unitSub : unitSub && !unit;
      if (match) out.push(topic);
    }
    return out;
  }

  /**
   * Removes `topic`'s route; with `clusterName`, only the queue data of that cluster's broker sets (the topic goes
   * when none is left). Returns true when something was removed.
   */
  deleteTopic(topic: string, clusterName?: string): boolean {
    const queues = this.topicQueueTable.get(topic);
    if (queues === undefined) return false;
    if (clusterName === undefined) return this.topicQueueTable.delete(topic);
    const names = this.clusterAddrTable.get(clusterName);
    if (names === undefined) return false;
    let removed = false;
    for (const name of names) removed = queues.delete(name) || removed;
    if (queues.size === 0) this.topicQueueTable.delete(topic);
    return removed;
  }

  /** Clears the write bit of every queue data of `brokerName`; returns how many topics it touched. */
  wipeWritePermOfBroker(brokerName: string): number {
    return this.operateWritePerm(brokerName, (perm) => perm & ~PERM_WRITE);
  }

  /** Sets the queue datas of `brokerName` to read+write (6); returns how many topics it touched. */
  addWritePermOfBroker(brokerName: string): number {
    return this.operateWritePerm(brokerName, () => PERM_READ | PERM_WRITE);
  }

  /**
   * Drops every broker whose last registration is older than `brokerChannelExpiredTime` (Java
   * `scanNotActiveBroker`), with its routes. Returns the dropped broker addresses.
   */
  scanNotActiveBroker(): string[] {
    const now = this.now();
    const dropped: string[] = [];
    for (const [addr, live] of [...this.brokerLiveTable]) {
      if (live.lastUpdateTimestamp + this.expiredTime < now) {
        this.logger.warn('broker channel expired', {
          brokerAddr: addr,
          silentMs: now - live.lastUpdateTimestamp,
        });
        this.brokerLiveTable.delete(addr);
        this.removeBrokerAddr(addr);
        dropped.push(addr);
      }
    }
    return dropped;
  }

  /**
   * Drops every broker registered through `channel` (the connection closed). Returns the dropped addresses.
   */
  onChannelDestroy(channel: RemotingChannel): string[] {
    const dropped: string[] = [];
    for (const [addr, live] of [...this.brokerLiveTable]) {
      if (live.channel !== channel) continue;
      this.logger.info('broker connection closed, removing its routes', {
        brokerAddr: addr,
        remoteAddr: channel.remoteAddr,
      });
      this.brokerLiveTable.delete(addr);
      this.removeBrokerAddr(addr);
      dropped.push(addr);
    }
    return dropped;
  }

  /** Addresses with a live registration. */
  liveBrokerAddrs(): string[] {
    return [...this.brokerLiveTable.keys()];
  }

  /** Removes `addr` from every broker set (Java `onChannelDestroy` after the live entry is gone). */
  private removeBrokerAddr(addr: string): void {
    this.filterServerTable.delete(addr);
    const emptied: string[] = [];
    for (const [name, data] of [...this.brokerAddrTable]) {
      for (const [id, a] of [...data.brokerAddrs]) {
        if (a === addr) data.brokerAddrs.delete(id);
      }
      if (data.brokerAddrs.size === 0) {
        this.brokerAddrTable.delete(name);
        emptied.push(name);
      }
    }
    for (const name of emptied) {
      for (const [cluster, names] of [...this.clusterAddrTable]) {
        if (names.delete(name) && names.size === 0) this.clusterAddrTable.delete(cluster);
      }
      this.removeTopicByBrokerName(name);
    }
  }

  private removeTopicByBrokerName(brokerName: string): void {
    for (const [topic, queues] of [...this.topicQueueTable]) {
      if (queues.delete(brokerName) && queues.size === 0) {
        this.logger.info('topic route removed: no broker left', { topic, brokerName });
        this.topicQueueTable.delete(topic);
      }
    }
  }

  private operateWritePerm(brokerName: string, apply: (perm: number) => number): number {
    let count = 0;
    for (const queues of this.topicQueueTable.values()) {
      const q = queues.get(brokerName);
      if (q === undefined) continue;
      q.perm = apply(q.perm);
      count++;
    }
    return count;
  }

  private createAndUpdateQueueData(topic: string, queueData: QueueData): void {
    let queues = this.topicQueueTable.get(topic);
    if (queues === undefined) {
      queues = new Map();
      this.topicQueueTable.set(topic, queues);
      this.logger.info('new topic registered', { topic, brokerName: queueData.brokerName });
    }
    queues.set(queueData.brokerName, queueData);
  }
}

function sameDataVersion(a: DataVersion, b: DataVersion): boolean {
  return (
    a.counter === b.counter &&
    a.timestamp === b.timestamp &&
    (a.stateVersion ?? 0) === (b.stateVersion ?? 0)
  );
}

function cloneBrokerData(b: BrokerData): BrokerData {
  const out: BrokerData = {
    cluster: b.cluster,
    brokerName: b.brokerName,
    brokerAddrs: new Map([...b.brokerAddrs].sort((x, y) => x[0] - y[0])),
  };
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
