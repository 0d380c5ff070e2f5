import { ConfigError } from '@rocketmq-ts/protocol';
import type { FlushDiskType, MessageStoreConfig } from '@rocketmq-ts/store';

/*
 * Broker configuration (mqadmin-and-config.md §2.1–§2.2): RocketMQ's BrokerConfig / NettyServerConfig /
 * MessageStoreConfig keys, spelled as in broker.conf. Deliberate differences from Java, all because a library must
 * not probe the host or read the environment (STYLE.md §10):
 *   - brokerName defaults to `broker-a` (Java: the local host name);
 *   - brokerIP1 defaults to `127.0.0.1` (Java: the first non-loopback IPv4);
 *   - namesrvAddr defaults to '' (Java: `rocketmq.namesrv.addr` / NAMESRV_ADDR, which the app reads);
 *   - storePathRootDir has no default (Java: `~/store`); the app derives it.
 */

/** Replication role of a broker (MessageStoreConfig `brokerRole`). */
export type BrokerRole = 'ASYNC_MASTER' | 'SYNC_MASTER' | 'SLAVE';

/** Configuration of one broker. Keys and defaults are RocketMQ's unless the field says otherwise. */
export interface BrokerConfig {
  /** Cluster this broker registers under. Default `DefaultCluster`. */
  brokerClusterName: string;
  /** Broker set name shared by a master and its slaves. Default `broker-a` (Java: the host name). */
  brokerName: string;
  /** 0 = master, > 0 = slave. Masters are forced to 0. Default 0. */
  brokerId: number;
  /** Default `ASYNC_MASTER`. */
  brokerRole: BrokerRole;
  /** Main remoting port; 0 = ephemeral (tests). Default 10911. */
  listenPort: number;
  /** HA port. Default listenPort + 1; 0 when listenPort is 0. */
  haListenPort: number;
  /** Address registered with name servers and used by clients. Default `127.0.0.1` (Java: first non-loopback IPv4). */
  brokerIP1: string;
  /** Address advertised to slaves for HA. Default brokerIP1. */
  brokerIP2: string;
  /** Address the remoting server binds. Default `0.0.0.0`. */
  bindAddress: string;
  /** `;`-separated name server `host:port` list. Default '' (no registration). */
  namesrvAddr: string;
  /** Re-registration period in ms, clamped to 10 000..60 000. Default 30 000. */
  registerNameServerPeriod: number;
  /** REGISTER_BROKER timeout in ms. Default 24 000 (5.x; 4.x used 6000). */
  registerBrokerTimeoutMills: number;
  /** Permission mask of the whole broker (§7.2): 6 RW, 4 read-only, 2 write-only. Default 6. */
  brokerPermission: number;
  /** Create topics on first send by cloning `TBW102`. Default true. */
  autoCreateTopicEnable: boolean;
  /** Queue count of the `TBW102` template. Default 8. */
  defaultTopicQueueNums: number;
  /** Create a subscription group on a consumer's first heartbeat. Default true. */
  autoCreateSubscriptionGroup: boolean;
  /** Register a read/write topic named after the cluster. Default true. */
  clusterTopicEnable: boolean;
  /** Register a read/write topic named after the broker. Default true. */
  brokerTopicEnable: boolean;
  /** Create the trace topic at start. Default false. */
  traceTopicEnable: boolean;
  /** Trace topic name. Default `RMQ_SYS_TRACE_TOPIC`. */
  msgTraceTopicName: string;
  /** Largest accepted message body, in bytes. Default 4 194 304. */
  maxMessageSize: number;
  /** Default `ASYNC_FLUSH`. */
  flushDiskType: FlushDiskType;
  /** Store root directory. Required (Java: `~/store`). */
  storePathRootDir: string;
  /** Region of the broker, reported in routes and traces. Default `DefaultRegion`. */
  regionId: string;
  /** Longest a send may wait for the store to make progress before SYSTEM_BUSY, in ms. Default 200. */
  waitTimeMillsInSendQueue: number;
  /** A half message younger than this is not checked back with its producer, in ms. Default 6000. */
  transactionTimeOut: number;
  /** Period of the transaction check-back scan, in ms. Default 60 000. */
  transactionCheckInterval: number;
  /** Check-backs of one half message before it is discarded. Default 15. */
  transactionCheckMax: number;
  /** Park pulls that find nothing until a message arrives or the client's suspend time ends. Default true. */
  longPollingEnable: boolean;
  /** Parking time of a pull when long polling is off, in ms. Default 1000. */
  shortPollingTimeMills: number;
  /** Reported to producers in send responses (`TRACE_ON`). Default true. */
  traceOn: boolean;
  /**
   * Accept SQL92 subscriptions and filter their pulls by message properties (docs/broker.md "SQL92 filter").
   * Default false.
   */
  enablePropertyFilter: boolean;
  /**
   * HA address (`host:port` of the master's haListenPort) a SLAVE replicates from. Empty: the `haServerAddr` its
   * REGISTER_BROKER answers carry (store-format.md §8.1). Default ''.
   */
  haMasterAddress: string;
  /** Longest silence between a slave's offset reports and between a master's heartbeat frames, in ms. Default 5000. */
  haSendHeartbeatInterval: number;
  /** An HA connection silent this long is closed, in ms. Default 20 000. */
  haHousekeepingInterval: number;
  /** Largest commit-log chunk of one HA data frame, in bytes. Default 32 768. */
  haTransferBatchSize: number;
  /** A SYNC_MASTER answers SLAVE_NOT_AVAILABLE when its best slave is this many bytes behind. Default 268 435 456. */
  haSlaveFallbehindMax: number;
  /** Longest a SYNC_MASTER waits for a slave's ack before FLUSH_SLAVE_TIMEOUT, in ms. Default 3000. */
  slaveTimeout: number;
  /**
   * Let consumers read from slaves: masters then suggest the group's `whichBrokerWhenConsumeSlowly` to consumers far
   * behind, and slaves serve pulls. Default false.
   */
  slaveReadEnable: boolean;
  /**
   * Share of physical memory, in percent (0..100), beyond which a pull counts as far behind the commit log's end (its
   * data probably no longer in page cache). Default 40.
   */
  accessMessageInMemoryMaxRatio: number;
  /** On a slave, answer "offset moved" pulls as such instead of retry-immediately. Default false. */
  offsetCheckInSlave: boolean;
  /** Furthest delivery time a timer message may ask for, in s from its arrival. Default 259 200 (3 days). */
  timerMaxDelaySec: number;
  /** Slot width of the timer wheel, in ms: timers due in one slot are fetched together. Default 1000. */
  timerPrecisionMs: number;
  /** Accept timer messages (`TIMER_DELIVER_MS`, `TIMER_DELAY_SEC`, …); false refuses them. Default true. */
  timerWheelEnable: boolean;
  /** Other store settings, passed to `openMessageStore` (see {@link brokerStoreConfig}). Default `{}`. */
  store: Partial<MessageStoreConfig>;
}

/** Input of {@link resolveBrokerConfig}: everything optional but `storePathRootDir`. */
export type BrokerConfigInput = Partial<BrokerConfig> & { storePathRootDir: string };

/** RocketMQ's broker defaults, plus ours where the host would be probed (see the notes on {@link BrokerConfig}). */
export const BROKER_DEFAULTS = {
  brokerClusterName: 'DefaultCluster',
  brokerName: 'broker-a',
  brokerId: 0,
  brokerRole: 'ASYNC_MASTER',
  listenPort: 10911,
  brokerIP1: '127.0.0.1',
  bindAddress: '0.0.0.0',
  namesrvAddr: '',
  registerNameServerPeriod: 30_000,
  registerBrokerTimeoutMills: 24_000,
  brokerPermission: 6,
  autoCreateTopicEnable: true,
  defaultTopicQueueNums: 8,
  autoCreateSubscriptionGroup: true,
  clusterTopicEnable: true,
  brokerTopicEnable: true,
  traceTopicEnable: false,
  msgTraceTopicName: 'RMQ_SYS_TRACE_TOPIC',
  maxMessageSize: 4 * 1024 * 1024,
  flushDiskType: 'ASYNC_FLUSH',
  regionId: 'DefaultRegion',
  waitTimeMillsInSendQueue: 200,
  transactionTimeOut: 6000,
  transactionCheckInterval: 60_000,
  transactionCheckMax: 15,
  longPollingEnable: true,
  shortPollingTimeMills: 1000,
  traceOn: true,
  enablePropertyFilter: false,
  haMasterAddress: '',
  haSendHeartbeatInterval: 5000,
  haHousekeepingInterval: 20_000,
  haTransferBatchSize: 32 * 1024,
  haSlaveFallbehindMax: 256 * 1024 * 1024,
  slaveTimeout: 3000,
  slaveReadEnable: false,
  accessMessageInMemoryMaxRatio: 40,
  offsetCheckInSlave: false,
  timerMaxDelaySec: 259_200,
  timerPrecisionMs: 1000,
  timerWheelEnable: true,
} as const satisfies Partial<BrokerConfig>;

/** Bounds RocketMQ clamps `registerNameServerPeriod` to, in ms. */
export const REGISTER_PERIOD_MIN_MS = 10_000;
/** Upper bound of `registerNameServerPeriod`, in ms. */
export const REGISTER_PERIOD_MAX_MS = 60_000;

const ROLES: readonly BrokerRole[] = ['ASYNC_MASTER', 'SYNC_MASTER', 'SLAVE'];
const FLUSH_TYPES: readonly FlushDiskType[] = ['ASYNC_FLUSH', 'SYNC_FLUSH'];

/**
 * Applies defaults, validates, derives (haListenPort, brokerIP2, brokerId of masters, clamped period) and freezes.
 * @throws ConfigError naming the key and value: bad port, SLAVE with brokerId ≤ 0, unknown role or flush type,
 * non-positive sizes or intervals, permission outside 0..7, accessMessageInMemoryMaxRatio outside 0..100, a name
 * server address or haMasterAddress that is not `host:port`.
 */
export function resolveBrokerConfig(input: BrokerConfigInput): Readonly<BrokerConfig> {
  const c = { ...BROKER_DEFAULTS, store: {}, ...input };
  if (!c.storePathRootDir)
    throw new ConfigError('storePathRootDir', c.storePathRootDir, 'is required');
  for (const key of ['brokerClusterName', 'brokerName', 'brokerIP1'] as const) {
    if (c[key].trim() === '') throw new ConfigError(key, c[key], 'must not be blank');
  }
  if (!isPort(c.listenPort)) {
    throw new ConfigError('listenPort', c.listenPort, 'must be an integer 0..65535');
  }
  // RocketMQ reads haListenPort <= 0 as listenPort + 1; listenPort 0 (tests) makes every port ephemeral.
  const ha = input.haListenPort ?? 0;
  const haListenPort = c.listenPort === 0 ? 0 : ha > 0 ? ha : c.listenPort + 1;
  if (!isPort(haListenPort)) {
    throw new ConfigError('haListenPort', haListenPort, 'must be an integer 0..65535');
  }
  if (!ROLES.includes(c.brokerRole)) {
    throw new ConfigError('brokerRole', c.brokerRole, `must be one of ${ROLES.join(', ')}`);
  }
  if (!FLUSH_TYPES.includes(c.flushDiskType)) {
    throw new ConfigError('flushDiskType', c.flushDiskType, 'must be ASYNC_FLUSH or SYNC_FLUSH');
  }
  if (!Number.isSafeInteger(c.brokerId)) {
    throw new ConfigError('brokerId', c.brokerId, 'must be an integer');
  }
  // BrokerStartup: masters are forced to brokerId 0; a slave needs brokerId > 0.
  const brokerId = c.brokerRole === 'SLAVE' ? c.brokerId : 0;
  if (brokerId <= 0 && c.brokerRole === 'SLAVE') {
    throw new ConfigError('brokerId', c.brokerId, 'a SLAVE needs brokerId > 0');
  }
  if (!Number.isInteger(c.brokerPermission) || c.brokerPermission < 0 || c.brokerPermission > 7) {
    throw new ConfigError('brokerPermission', c.brokerPermission, 'must be an integer 0..7');
  }
  for (const key of [
    'defaultTopicQueueNums',
    'maxMessageSize',
    'registerNameServerPeriod',
    'registerBrokerTimeoutMills',
    'waitTimeMillsInSendQueue',
    'transactionTimeOut',
    'transactionCheckInterval',
    'transactionCheckMax',
    'shortPollingTimeMills',
    'haSendHeartbeatInterval',
    'haHousekeepingInterval',
    'haTransferBatchSize',
    'haSlaveFallbehindMax',
    'slaveTimeout',
    'timerMaxDelaySec',
    'timerPrecisionMs',
  ] as const) {
    if (!Number.isSafeInteger(c[key]) || c[key] < 1) {
      throw new ConfigError(key, c[key], 'must be a positive integer');
    }
  }
  const ratio = c.accessMessageInMemoryMaxRatio;
  if (!Number.isInteger(ratio) || ratio < 0 || ratio > 100) {
    throw new ConfigError('accessMessageInMemoryMaxRatio', ratio, 'must be an integer 0..100');
  }
  for (const addr of splitNamesrvAddr(c.namesrvAddr)) {
    if (!isHostPort(addr)) {
      throw new ConfigError('namesrvAddr', c.namesrvAddr, `"${addr}" is not host:port`);
    }
  }
  if (c.haMasterAddress.trim() !== '' && !isHostPort(c.haMasterAddress.trim())) {
    throw new ConfigError('haMasterAddress', c.haMasterAddress, 'is not host:port');
  }
  const registerNameServerPeriod = Math.min(
    REGISTER_PERIOD_MAX_MS,
    Math.max(REGISTER_PERIOD_MIN_MS, c.registerNameServerPeriod),
  );
  return Object.freeze({
    ...c,
    brokerId,
    haListenPort,
    brokerIP2: input.brokerIP2 ?? c.brokerIP1,
    haMasterAddress: c.haMasterAddress.trim(),
    registerNameServerPeriod,
    store: Object.freeze({ ...c.store }),
  });
}

/** The name server addresses of a `;`-separated `namesrvAddr`, trimmed, empty entries dropped. */
export function splitNamesrvAddr(namesrvAddr: string): string[] {
  return namesrvAddr
    .split(';')
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

/**
 * The options to open this broker's store with: `config.store` plus the keys kept at the top level
 * (storePathRootDir, flushDiskType, maxMessageSize).
 */
export function brokerStoreConfig(
  config: Readonly<BrokerConfig>,
): Partial<MessageStoreConfig> & { storePathRootDir: string } {
  return {
    ...config.store,
    storePathRootDir: config.storePathRootDir,
    flushDiskType: config.flushDiskType,
    maxMessageSize: config.maxMessageSize,
  };
}

function isHostPort(addr: string): boolean {
  return /^[^\s:]+:\d{1,5}$/.test(addr) || /^\[[0-9a-fA-F:.]+\]:\d{1,5}$/.test(addr);
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535;
}
