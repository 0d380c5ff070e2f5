import { ConfigError } from '@rocketmq-ts/protocol';
import type { BrokerConfig } from './config.js';

/*
 * broker.conf → BrokerConfig (mqadmin-and-config.md §2.1: Java's MixAll.properties2Object matches each key against
 * the setters of BrokerConfig, NettyServerConfig and MessageStoreConfig and parses it as the field's type).
 * Differences, deliberate: unknown keys are reported instead of ignored; an int that does not parse, or a boolean
 * other than true/false (any case), is a ConfigError instead of an exception or a silent `false`.
 */

type Kind = 'string' | 'int' | 'bool' | readonly string[];

/** Keys that land on BrokerConfig itself. */
const BROKER_KEYS: Record<string, Kind> = {
  brokerClusterName: 'string',
  brokerName: 'string',
  brokerId: 'int',
  brokerRole: ['ASYNC_MASTER', 'SYNC_MASTER', 'SLAVE'],
  listenPort: 'int',
  haListenPort: 'int',
  brokerIP1: 'string',
  brokerIP2: 'string',
  bindAddress: 'string',
  namesrvAddr: 'string',
  registerNameServerPeriod: 'int',
  registerBrokerTimeoutMills: 'int',
  brokerPermission: 'int',
  autoCreateTopicEnable: 'bool',
  defaultTopicQueueNums: 'int',
  autoCreateSubscriptionGroup: 'bool',
  clusterTopicEnable: 'bool',
  brokerTopicEnable: 'bool',
  traceTopicEnable: 'bool',
  msgTraceTopicName: 'string',
  maxMessageSize: 'int',
  flushDiskType: ['ASYNC_FLUSH', 'SYNC_FLUSH'],
  storePathRootDir: 'string',
  regionId: 'string',
  waitTimeMillsInSendQueue: 'int',
  transactionTimeOut: 'int',
  transactionCheckInterval: 'int',
  transactionCheckMax: 'int',
  longPollingEnable: 'bool',
  shortPollingTimeMills: 'int',
  traceOn: 'bool',
  enablePropertyFilter: 'bool',
  slaveReadEnable: 'bool',
  // MessageStoreConfig keys in Java; kept on BrokerConfig here because the broker (HA, pulls) reads them, not the store.
  haMasterAddress: 'string',
  haSendHeartbeatInterval: 'int',
  haHousekeepingInterval: 'int',
  haTransferBatchSize: 'int',
  haSlaveFallbehindMax: 'int',
  slaveTimeout: 'int',
  accessMessageInMemoryMaxRatio: 'int',
  offsetCheckInSlave: 'bool',
  // MessageStoreConfig keys in Java (5.x timer); the broker's timer service reads them.
  timerMaxDelaySec: 'int',
  timerPrecisionMs: 'int',
  timerWheelEnable: 'bool',
};

/** Keys that land on `BrokerConfig.store` (MessageStoreConfig). */
const STORE_KEYS: Record<string, Kind> = {
  storePathCommitLog: 'string',
  mappedFileSizeCommitLog: 'int',
  mappedFileSizeConsumeQueue: 'int',
  flushIntervalCommitLog: 'int',
  flushIntervalConsumeQueue: 'int',
  syncFlushTimeout: 'int',
  fileReservedTime: 'int',
  deleteWhen: 'string',
  diskMaxUsedSpaceRatio: 'int',
  diskSpaceCleanForciblyRatio: 'int',
  diskSpaceWarningLevelRatio: 'int',
  messageIndexEnable: 'bool',
  checkCRCOnRecover: 'bool',
  maxTransferBytesOnMessageInMemory: 'int',
  maxTransferCountOnMessageInMemory: 'int',
  messageDelayLevel: 'string',
};

/**
 * Maps broker.conf properties (as parsed by `parseJavaProperties`) onto a BrokerConfig input for
 * `resolveBrokerConfig`. Store keys (storePathCommitLog, mappedFileSizeCommitLog, fileReservedTime, deleteWhen, …)
 * go to `store`; storePathRootDir, flushDiskType and maxMessageSize stay at the top level. Values are trimmed.
 * @param props - key → raw value.
 * @param warnUnknown - called with each key that is neither a broker nor a store key; it is then ignored.
 * @returns the keys present, typed; defaults are left to `resolveBrokerConfig`.
 * @throws ConfigError naming the key and value when an int, boolean or enum does not parse.
 */
export function brokerConfigFromProperties(
  props: ReadonlyMap<string, string>,
  warnUnknown: (key: string) => void,
): Partial<BrokerConfig> {
  const out: Record<string, unknown> = {};
  const store: Record<string, unknown> = {};
  for (const [key, raw] of props) {
    const brokerKind = BROKER_KEYS[key];
    const storeKind = STORE_KEYS[key];
    if (brokerKind !== undefined) out[key] = parseValue(key, raw, brokerKind);
    else if (storeKind !== undefined) store[key] = parseValue(key, raw, storeKind);
    else warnUnknown(key);
  }
  if (Object.keys(store).length > 0) out.store = store;
  return out;
}

function parseValue(key: string, raw: string, kind: Kind): string | number | boolean {
  const value = raw.trim();
  if (kind === 'string') return value;
  if (kind === 'int') {
    const n = Number(value);
    if (!/^[+-]?\d+$/.test(value) || !Number.isSafeInteger(n)) {
      throw new ConfigError(key, raw, 'must be an integer');
    }
    return n;
  }
  if (kind === 'bool') {
    const lower = value.toLowerCase();
    if (lower !== 'true' && lower !== 'false') {
      throw new ConfigError(key, raw, 'must be true or false');
    }
    return lower === 'true';
  }
  if (!kind.includes(value)) throw new ConfigError(key, raw, `must be one of ${kind.join(', ')}`);
  return value;
}
