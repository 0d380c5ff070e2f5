import { ConfigError, MAX_PROPERTIES_BYTES, NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type { Logger } from '@rocketmq-ts/protocol';
import { DEFAULT_MESSAGE_DELAY_LEVEL, parseMessageDelayLevel } from './put/delay-tags-code.js';

/** When a put counts as done: after the write (ASYNC_FLUSH) or after an fdatasync covered it (SYNC_FLUSH). */
export type FlushDiskType = 'ASYNC_FLUSH' | 'SYNC_FLUSH';

/**
 * Store configuration. Keys and defaults are RocketMQ's `MessageStoreConfig` (broker.conf names); our own
 * additions carry units in their names.
 */
export interface MessageStoreConfig {
  /** Root directory: commitlog/, consumequeue/, meta/ (lmdb), checkpoint, abort, lock. */
  storePathRootDir: string;
  /** Commit log directory; default `<storePathRootDir>/commitlog`. */
  storePathCommitLog: string;
  /** Bytes per commit-log segment file. Default 1 GiB. */
  mappedFileSizeCommitLog: number;
  /** Bytes per consume-queue segment file; a multiple of 20. Default 300 000 × 20. */
  mappedFileSizeConsumeQueue: number;
  /** Default ASYNC_FLUSH. */
  flushDiskType: FlushDiskType;
  /** ASYNC_FLUSH: how often the commit log is fsynced, in ms. Default 500. */
  flushIntervalCommitLog: number;
  /** How often consume queues are flushed, in ms. Default 1000. */
  flushIntervalConsumeQueue: number;
  /** SYNC_FLUSH: past this many ms a put resolves FLUSH_DISK_TIMEOUT (the message is stored). Default 5000. */
  syncFlushTimeout: number;
  /** Largest message body, in bytes. Default 4 MiB (4 194 304). */
  maxMessageSize: number;
  /** Hours a commit-log segment is kept after its last write. Default 72. */
  fileReservedTime: number;
  /** Hour(s) of the day when expired files are deleted, `;`-separated, e.g. `04`. Default `04`. */
  deleteWhen: string;
  /** Disk usage (percent) above which expired files are deleted at any hour. Default 75. */
  diskMaxUsedSpaceRatio: number;
  /** Disk usage (percent) above which files are deleted regardless of age. Default 85. */
  diskSpaceCleanForciblyRatio: number;
  /** Disk usage (percent) above which puts are refused. Default 90. */
  diskSpaceWarningLevelRatio: number;
  /** Index KEYS and UNIQ_KEY of every message. Default true. */
  messageIndexEnable: boolean;
  /** Verify body CRCs while recovering. Default true. */
  checkCRCOnRecover: boolean;
  /** Pull transfer limits (bytes / messages) per getMessage call. Defaults 256 KiB / 32. */
  maxTransferBytesOnMessageInMemory: number;
  maxTransferCountOnMessageInMemory: number;
  /** Most recently written commit-log bytes kept in memory for reads, in bytes. Default 64 MiB. */
  readCacheBytes: number;
  /**
   * Delay of each delay level (level 1 first), space-separated, units s, m, h, d. A `SCHEDULE_TOPIC_XXXX` record
   * with `DELAY=<level>` gets store time + that level's delay as its consume-queue tags code. Default
   * `1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h`.
   */
  messageDelayLevel: string;
  /** Default no-op. */
  logger: Logger;
}

/** RocketMQ's defaults (MessageStoreConfig, 4.9.8). */
export const STORE_DEFAULTS = {
  mappedFileSizeCommitLog: 1024 * 1024 * 1024,
  mappedFileSizeConsumeQueue: 300_000 * 20,
  flushDiskType: 'ASYNC_FLUSH',
  flushIntervalCommitLog: 500,
  flushIntervalConsumeQueue: 1000,
  syncFlushTimeout: 5000,
  maxMessageSize: 4 * 1024 * 1024,
  fileReservedTime: 72,
  deleteWhen: '04',
  diskMaxUsedSpaceRatio: 75,
  diskSpaceCleanForciblyRatio: 85,
  diskSpaceWarningLevelRatio: 90,
  messageIndexEnable: true,
  checkCRCOnRecover: true,
  maxTransferBytesOnMessageInMemory: 256 * 1024,
  maxTransferCountOnMessageInMemory: 32,
  readCacheBytes: 64 * 1024 * 1024,
  messageDelayLevel: DEFAULT_MESSAGE_DELAY_LEVEL,
} as const satisfies Partial<MessageStoreConfig>;

/**
 * Largest record a message of `maxMessageSize` body bytes can make: body, properties (≤ 32 767 bytes), topic
 * (≤ 127) and the fixed fields with IPv6 hosts.
 */
export function maxRecordBytes(maxMessageSize: number): number {
  return maxMessageSize + MAX_PROPERTIES_BYTES + 512;
}

/** Applies defaults, validates and freezes. Throws ConfigError naming the key and value. */
export function resolveStoreConfig(
  input: Partial<MessageStoreConfig> & { storePathRootDir: string },
): Readonly<MessageStoreConfig> {
  const c: MessageStoreConfig = {
    ...STORE_DEFAULTS,
    storePathCommitLog: `${input.storePathRootDir}/commitlog`,
    logger: NOOP_LOGGER,
    ...input,
  };
  if (!c.storePathRootDir)
    throw new ConfigError('storePathRootDir', c.storePathRootDir, 'is required');
  positiveInt(c, 'mappedFileSizeCommitLog', 4096);
  positiveInt(c, 'mappedFileSizeConsumeQueue', 20);
  if (c.mappedFileSizeConsumeQueue % 20 !== 0) {
    throw new ConfigError(
      'mappedFileSizeConsumeQueue',
      c.mappedFileSizeConsumeQueue,
      'must be a multiple of 20',
    );
  }
  if (c.flushDiskType !== 'ASYNC_FLUSH' && c.flushDiskType !== 'SYNC_FLUSH') {
    throw new ConfigError('flushDiskType', c.flushDiskType, 'must be ASYNC_FLUSH or SYNC_FLUSH');
  }
  positiveInt(c, 'flushIntervalCommitLog', 1);
  positiveInt(c, 'flushIntervalConsumeQueue', 1);
  positiveInt(c, 'syncFlushTimeout', 1);
  positiveInt(c, 'maxMessageSize', 1);
  if (maxRecordBytes(c.maxMessageSize) + 8 > c.mappedFileSizeCommitLog) {
    throw new ConfigError(
      'maxMessageSize',
      c.maxMessageSize,
      'a largest record must fit in one commit-log segment',
    );
  }
  positiveInt(c, 'fileReservedTime', 0);
  if (!/^\d{1,2}(;\d{1,2})*$/.test(c.deleteWhen)) {
    throw new ConfigError('deleteWhen', c.deleteWhen, 'must be hours like 04 or 04;16');
  }
  for (const key of [
    'diskMaxUsedSpaceRatio',
    'diskSpaceCleanForciblyRatio',
    'diskSpaceWarningLevelRatio',
  ] as const) {
    if (!Number.isFinite(c[key]) || c[key] < 1 || c[key] > 100) {
      throw new ConfigError(key, c[key], 'must be a percentage 1..100');
    }
  }
  positiveInt(c, 'maxTransferBytesOnMessageInMemory', 1);
  positiveInt(c, 'maxTransferCountOnMessageInMemory', 1);
  positiveInt(c, 'readCacheBytes', 0);
  parseMessageDelayLevel(c.messageDelayLevel);
  return Object.freeze(c);
}

function positiveInt(c: MessageStoreConfig, key: keyof MessageStoreConfig, min: number): void {
  const value = c[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new ConfigError(key, value, `must be an integer ≥ ${min}`);
  }
}
