import { mkdirSync } from 'node:fs';
import { open } from 'lmdb';
import type { Database, RootDatabase } from 'lmdb';
import { NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type { DataVersion, Logger } from '@rocketmq-ts/protocol';
import { StoreError } from '../errors.js';

/*
 * The one lmdb environment of a store, `<storePathRootDir>/meta` (STYLE.md §8). Every named sub-database is opened
 * here, once, so `maxDbs` is known up front and the modules that use them never open databases themselves:
 *
 *   index-by-key         binary key [len:u16][topic#key utf-8][storeTimestamp:u64][phyOffset:u64] → binary value
 *   index-batches        binary key [largest phyOffset of the batch:u64] → packed index-by-key keys of one add()
 *   index-by-phy         legacy (before index-batches): [phyOffset:u64] + index-by-key key → empty; MessageIndex
 *                        migrates its rows into index-batches when constructed, so it stays empty afterwards
 *   topic-config         topic name                       → fastjson text of a TopicConfig
 *   subscription-group   group name                       → fastjson text of a SubscriptionGroupConfig
 *   consumer-offset      [topic, group, queueId]          → committed queue offset (msgpack number)
 *   delay-offset         delay level                      → queue offset in SCHEDULE_TOPIC_XXXX
 *   data-version         'topics' | 'subscriptionGroups'  → DataVersion (json)
 */

/** Names of the sub-databases of the meta environment, as stored in lmdb's root database. */
export const META_DB_NAMES = {
  indexByKey: 'index-by-key',
  indexBatches: 'index-batches',
  indexByPhy: 'index-by-phy',
  topicConfig: 'topic-config',
  subscriptionGroup: 'subscription-group',
  consumerOffset: 'consumer-offset',
  delayOffset: 'delay-offset',
  dataVersion: 'data-version',
} as const;

/**
 * lmdb's `maxDbs` for the meta environment: the eight sub-databases above plus headroom, because `maxDbs` cannot grow
 * while an environment is open and later modules add their own.
 */
export const META_MAX_DBS = 32;

/** Key of the consumer-offset sub-database: `[topic, group, queueId]`. */
export type ConsumerOffsetKey = [topic: string, group: string, queueId: number];

/** Which table a DataVersion belongs to. */
export type DataVersionTable = 'topics' | 'subscriptionGroups';

/** Options of {@link openMetaEnv}. */
export interface MetaEnvOptions {
  /** Directory of the environment; created when missing. The store passes `<storePathRootDir>/meta`. */
  dir: string;
  /** Default {@link NOOP_LOGGER}. */
  logger?: Logger;
}

/** The opened meta environment: the lmdb root and its typed sub-databases. */
export interface MetaEnv {
  /** Directory of the environment. */
  readonly dir: string;
  /** The lmdb root; use it for transactions spanning sub-databases. Holds no entries of its own. */
  readonly root: RootDatabase;
  /** MessageIndex: entries ordered by key, store time, phyOffset. */
  readonly indexByKey: Database<Buffer, Buffer>;
  /** MessageIndex: one row per indexed batch, keyed by its largest phyOffset, listing the batch's index-by-key keys. */
  readonly indexBatches: Database<Buffer, Buffer>;
  /** MessageIndex, legacy: per-entry rows ordered by phyOffset; migrated into `indexBatches` and left empty. */
  readonly indexByPhy: Database<Buffer, Buffer>;
  /** MetadataStore: topic name → TopicConfig as fastjson text. */
  readonly topicConfig: Database<string, string>;
  /** MetadataStore: group name → SubscriptionGroupConfig as fastjson text. */
  readonly subscriptionGroup: Database<string, string>;
  /** MetadataStore: `[topic, group, queueId]` → committed queue offset. */
  readonly consumerOffset: Database<number, ConsumerOffsetKey>;
  /** MetadataStore: delay level → queue offset. */
  readonly delayOffset: Database<number, number>;
  /** MetadataStore: table → DataVersion. */
  readonly dataVersion: Database<DataVersion, DataVersionTable>;
  /** True once {@link MetaEnv.close} was called. */
  readonly closed: boolean;
  /**
   * Waits for pending writes, then closes the environment. Idempotent: later calls return the first call's promise.
   * @throws StoreError kind `io` when lmdb fails to close.
   */
  close(): Promise<void>;
}

/**
 * Opens (creating when needed) the lmdb environment at `dir` with every sub-database of the store's indexes and
 * metadata. Call once per store at startup; the result is shared by MessageIndex and MetadataStore.
 * @throws StoreError kind `io` when the directory cannot be created or lmdb cannot open the environment.
 */
export function openMetaEnv(options: MetaEnvOptions): MetaEnv {
  const { dir } = options;
  const logger = options.logger ?? NOOP_LOGGER;
  let root: RootDatabase;
  try {
    mkdirSync(dir, { recursive: true });
    root = open({ path: dir, maxDbs: META_MAX_DBS });
  } catch (err) {
    throw new StoreError('io', `cannot open meta environment at ${dir}`, { cause: err, file: dir });
  }
  try {
    const env = new OpenedMetaEnv(dir, root, logger);
    logger.info('meta environment opened', { dir });
    return env;
  } catch (err) {
    // The environment is open but a sub-database is not: release it so a retry can open it again.
    root.close().catch((closeErr: unknown) => {
      logger.error('closing a half-opened meta environment failed', { dir, err: closeErr });
    });
    throw new StoreError('io', `cannot open the sub-databases of ${dir}`, {
      cause: err,
      file: dir,
    });
  }
}

class OpenedMetaEnv implements MetaEnv {
  readonly indexByKey: Database<Buffer, Buffer>;
  readonly indexBatches: Database<Buffer, Buffer>;
  readonly indexByPhy: Database<Buffer, Buffer>;
  readonly topicConfig: Database<string, string>;
  readonly subscriptionGroup: Database<string, string>;
  readonly consumerOffset: Database<number, ConsumerOffsetKey>;
  readonly delayOffset: Database<number, number>;
  readonly dataVersion: Database<DataVersion, DataVersionTable>;
  private closing: Promise<void> | undefined;

  constructor(
    readonly dir: string,
    readonly root: RootDatabase,
    private readonly logger: Logger,
  ) {
    const binary = { keyEncoding: 'binary', encoding: 'binary' } as const;
    this.indexByKey = root.openDB({ name: META_DB_NAMES.indexByKey, ...binary });
    this.indexBatches = root.openDB({ name: META_DB_NAMES.indexBatches, ...binary });
    this.indexByPhy = root.openDB({ name: META_DB_NAMES.indexByPhy, ...binary });
    this.topicConfig = root.openDB({ name: META_DB_NAMES.topicConfig, encoding: 'string' });
    this.subscriptionGroup = root.openDB({
      name: META_DB_NAMES.subscriptionGroup,
      encoding: 'string',
    });
    this.consumerOffset = root.openDB({ name: META_DB_NAMES.consumerOffset, encoding: 'msgpack' });
    this.delayOffset = root.openDB({ name: META_DB_NAMES.delayOffset, encoding: 'msgpack' });
    this.dataVersion = root.openDB({ name: META_DB_NAMES.dataVersion, encoding: 'json' });
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  close(): Promise<void> {
    this.closing ??= this.root.close().then(
      () => this.logger.info('meta environment closed', { dir: this.dir }),
      (err: unknown) => {
        throw new StoreError('io', `cannot close meta environment at ${this.dir}`, {
          cause: err,
          file: this.dir,
        });
      },
    );
    return this.closing;
  }
}
