import {
  NOOP_LOGGER,
  parseFastjson,
  subscriptionGroupConfigFromJson,
  subscriptionGroupConfigToJson,
  topicConfigFromJson,
  topicConfigToJson,
  writeFastjson,
} from '@rocketmq-ts/protocol';
import type {
  DataVersion,
  Logger,
  SubscriptionGroupConfig,
  TopicConfig,
} from '@rocketmq-ts/protocol';
import type { RangeOptions } from 'lmdb';
import { StoreError } from '../errors.js';
import type { ConsumerOffsetKey, DataVersionTable, MetaEnv } from './meta-env.js';
import { readRocketMQConfigDir, writeRocketMQConfigDir } from './rocketmq-config-dir.js';
import type { MetadataTables, RocketMQConfigImport } from './rocketmq-config-dir.js';

/*
 * Broker metadata in the meta environment (store-format.md §7 tables, kept in lmdb instead of config/*.json).
 * Topic and group configs are stored as the fastjson text their codecs write, so every property (5.x extras included)
 * survives exactly as in RocketMQ's files. Each config change and its DataVersion bump (Java DataVersion.nextVersion:
 * counter + 1, timestamp = now) share one lmdb transaction, so the counter never skips or repeats. Consumer offsets are
 * one entry per queue, keyed [topic, group, queueId], so committing one queue writes a few bytes and a topic's groups
 * are one range scan. Reads are synchronous and see committed writes only: await a write before reading it back.
 */

/** Names in keys are limited so `[topic, group, queueId]` stays far below lmdb's 1978-byte key limit. */
const MAX_NAME_BYTES = 900;
/** Sorts after every queueId (numbers) and string in an ordered-binary array key. */
const AFTER_ALL = Buffer.from([0xff]);
const ZERO_VERSION: Readonly<DataVersion> = { counter: 0, timestamp: 0 };
/** Most topic or group lookups kept decoded per table. */
const CACHE_MAX_ENTRIES = 100_000;

/** Options of {@link MetadataStore}. */
export interface MetadataStoreOptions {
  /** The opened meta environment (its `topic-config`, `subscription-group`, offset and version sub-databases). */
  env: MetaEnv;
  /** Default {@link NOOP_LOGGER}. */
  logger?: Logger;
  /** Clock for DataVersion timestamps, ms since the epoch; default `Date.now`. */
  now?: () => number;
}

/** Identifies one consumer queue's committed offset. */
export interface ConsumerOffsetRef {
  /** Topic (including `%RETRY%<group>` topics). */
  topic: string;
  /** Consumer group. */
  group: string;
  /** Queue id within the topic. */
  queueId: number;
}

/** A committed consumer offset: the next queue offset the group will consume. */
export interface ConsumerOffsetUpdate extends ConsumerOffsetRef {
  /** Queue offset (slot in the consume queue). */
  offset: number;
}

/**
 * Topic configs, subscription groups, consumer offsets and delay offsets of a broker, persisted in lmdb, with
 * import/export of RocketMQ's `store/config` files for migration. Writes return lmdb's commit promise; reads are
 * synchronous. Names must not contain NUL and are limited to 900 UTF-8 bytes (RocketMQ allows 127 for topics).
 */
export class MetadataStore {
  private readonly env: MetaEnv;
  private readonly logger: Logger;
  private readonly now: () => number;
  /**
   * Decoded configs already read (undefined = known absent), frozen. Brokers look a topic and a group up on every
   * send and pull; reading lmdb and parsing the JSON each time was ~5% of the send path. Every write to a table clears
   * its cache once committed (lmdb reads show committed data only, so nothing newer can have been cached before).
   */
  private readonly topicCache = new Map<string, Readonly<TopicConfig> | undefined>();
  private readonly groupCache = new Map<string, Readonly<SubscriptionGroupConfig> | undefined>();

  constructor(options: MetadataStoreOptions) {
    this.env = options.env;
    this.logger = options.logger ?? NOOP_LOGGER;
    this.now = options.now ?? Date.now;
  }

  // ---- topic configs ----

  /** The config of `topic`, or undefined. @throws StoreError kind `closed` or `corrupt`. */
  getTopicConfig(topic: string): Readonly<TopicConfig> | undefined {
    this.checkOpen();
    return cached(this.topicCache, topic, () => {
      const text = this.env.topicConfig.get(topic);
      return text === undefined ? undefined : decodeTopic(topic, text);
    });
  }

  /** All topic configs by name, in name order. @throws StoreError kind `closed` or `corrupt`. */
  topicConfigTable(): Map<string, TopicConfig> {
    this.checkOpen();
    const out = new Map<string, TopicConfig>();
    for (const { key, value } of this.env.topicConfig.getRange()) {
      out.set(key, decodeTopic(key, value));
    }
    return out;
  }

  /** Version of the topic table; counter 0 before the first change. @throws StoreError kind `closed`. */
  topicDataVersion(): DataVersion {
    this.checkOpen();
    return this.env.dataVersion.get('topics') ?? { ...ZERO_VERSION };
  }

  /**
   * Creates or replaces topic configs (keyed by `topicName`) and bumps the topic DataVersion once.
   * @returns the new DataVersion, once committed.
   * @throws RangeError on a name with NUL or over 900 bytes; StoreError kind `closed`.
   */
  putTopicConfigs(configs: readonly TopicConfig[]): Promise<DataVersion> {
    this.checkOpen();
    const encoded = configs.map((c) => [checkName(c.topicName), encodeTopic(c)] as const);
    const db = this.env.topicConfig;
    return this.env.root
      .transaction(() => {
        // Inside an asynchronous transaction putSync only adds to it; the commit stays asynchronous.
        for (const [name, text] of encoded) db.putSync(name, text);
        return this.bump('topics');
      })
      .finally(() => this.topicCache.clear());
  }

  /** {@link MetadataStore.putTopicConfigs} for one config. */
  putTopicConfig(config: TopicConfig): Promise<DataVersion> {
    return this.putTopicConfigs([config]);
  }

  /**
   * Deletes a topic config, bumping the DataVersion only when it existed. Its consumer offsets are kept: see
   * {@link MetadataStore.deleteTopicConsumerOffsets}.
   * @returns whether the topic existed.
   * @throws StoreError kind `closed`.
   */
  deleteTopicConfig(topic: string): Promise<boolean> {
    this.checkOpen();
    const db = this.env.topicConfig;
    return this.env.root
      .transaction(() => {
        if (db.get(topic) === undefined) return false;
        db.removeSync(topic);
        this.bump('topics');
        return true;
      })
      .finally(() => this.topicCache.clear());
  }

  // ---- subscription groups ----

  /** The config of `group`, or undefined. @throws StoreError kind `closed` or `corrupt`. */
  getSubscriptionGroup(group: string): Readonly<SubscriptionGroupConfig> | undefined {
    this.checkOpen();
    return cached(this.groupCache, group, () => {
      const text = this.env.subscriptionGroup.get(group);
      return text === undefined ? undefined : decodeGroup(group, text);
    });
  }

  /** All subscription groups by name, in name order. @throws StoreError kind `closed` or `corrupt`. */
  subscriptionGroupTable(): Map<string, SubscriptionGroupConfig> {
    this.checkOpen();
    const out = new Map<string, SubscriptionGroupConfig>();
    for (const { key, value } of this.env.subscriptionGroup.getRange()) {
      out.set(key, decodeGroup(key, value));
    }
    return out;
  }

  /** Version of the subscription-group table; counter 0 before the first change. @throws StoreError kind `closed`. */
  subscriptionGroupDataVersion(): DataVersion {
    this.checkOpen();
    return this.env.dataVersion.get('subscriptionGroups') ?? { ...ZERO_VERSION };
  }

  /**
   * Creates or replaces a subscription group (keyed by `groupName`) and bumps the group DataVersion.
   * @returns the new DataVersion, once committed.
   * @throws RangeError on a name with NUL or over 900 bytes; StoreError kind `closed`.
   */
  putSubscriptionGroup(config: SubscriptionGroupConfig): Promise<DataVersion> {
    this.checkOpen();
    const name = checkName(config.groupName);
    const text = writeFastjson(subscriptionGroupConfigToJson(config));
    const db = this.env.subscriptionGroup;
    return this.env.root
      .transaction(() => {
        db.putSync(name, text);
        return this.bump('subscriptionGroups');
      })
      .finally(() => this.groupCache.clear());
  }

  /**
   * Deletes a subscription group, bumping the DataVersion only when it existed. Its offsets are kept: see
   * {@link MetadataStore.deleteConsumerGroupOffsets}.
   * @returns whether the group existed.
   * @throws StoreError kind `closed`.
   */
  deleteSubscriptionGroup(group: string): Promise<boolean> {
    this.checkOpen();
    const db = this.env.subscriptionGroup;
    return this.env.root
      .transaction(() => {
        if (db.get(group) === undefined) return false;
        db.removeSync(group);
        this.bump('subscriptionGroups');
        return true;
      })
      .finally(() => this.groupCache.clear());
  }

  // ---- consumer offsets ----

  /**
   * Commits one queue's consumer offset.
   * @throws RangeError on a name with NUL or over 900 bytes; StoreError kind `closed`.
   */
  setConsumerOffset(update: ConsumerOffsetUpdate): Promise<void> {
    this.checkOpen();
    const key: ConsumerOffsetKey = [
      checkName(update.topic),
      checkName(update.group),
      update.queueId,
    ];
    return this.env.consumerOffset.put(key, update.offset).then(toVoid);
  }

  /** One queue's committed offset, or undefined (Java answers -1). @throws StoreError kind `closed`. */
  getConsumerOffset(ref: ConsumerOffsetRef): number | undefined {
    this.checkOpen();
    return this.env.consumerOffset.get([ref.topic, ref.group, ref.queueId]);
  }

  /** queueId → committed offset of a group on a topic (empty when none). @throws StoreError kind `closed`. */
  getConsumerOffsets(ref: { topic: string; group: string }): Map<number, number> {
    this.checkOpen();
    const out = new Map<number, number>();
    const range = { start: [ref.topic, ref.group], end: [ref.topic, ref.group, AFTER_ALL] };
    for (const { key, value } of this.env.consumerOffset.getRange(range)) out.set(key[2], value);
    return out;
  }

  /** Groups with committed offsets on `topic`, in name order. @throws StoreError kind `closed`. */
  listConsumerGroupsOfTopic(topic: string): string[] {
    this.checkOpen();
    const out: string[] = [];
    for (const [, group] of this.env.consumerOffset.getKeys(topicRange(topic))) {
      if (out[out.length - 1] !== group) out.push(group);
    }
    return out;
  }

  /** Topics on which `group` has committed offsets, in name order (a full scan). @throws StoreError kind `closed`. */
  listTopicsOfConsumerGroup(group: string): string[] {
    this.checkOpen();
    const out: string[] = [];
    for (const [topic, g] of this.env.consumerOffset.getKeys()) {
      if (g === group && out[out.length - 1] !== topic) out.push(topic);
    }
    return out;
  }

  /** The whole offset table as consumerOffset.json holds it: `topic@group` → queueId → offset. */
  consumerOffsetTable(): Map<string, Map<number, number>> {
    this.checkOpen();
    const out = new Map<string, Map<number, number>>();
    for (const { key, value } of this.env.consumerOffset.getRange()) {
      const topicAtGroup = `${key[0]}@${key[1]}`;
      let queues = out.get(topicAtGroup);
      if (queues === undefined) out.set(topicAtGroup, (queues = new Map<number, number>()));
      queues.set(key[2], value);
    }
    return out;
  }

  /** Deletes a group's offsets on one topic. @returns how many queues were dropped. @throws StoreError `closed`. */
  deleteConsumerOffsets(ref: { topic: string; group: string }): Promise<number> {
    this.checkOpen();
    return this.removeOffsets({
      start: [ref.topic, ref.group],
      end: [ref.topic, ref.group, AFTER_ALL],
    });
  }

  /** Deletes every offset of a topic (topic deletion). @returns how many queues were dropped. */
  deleteTopicConsumerOffsets(topic: string): Promise<number> {
    this.checkOpen();
    return this.removeOffsets(topicRange(topic));
  }

  /** Deletes every offset of a group on all topics (Java `removeOffset(group)`). @returns how many were dropped. */
  deleteConsumerGroupOffsets(group: string): Promise<number> {
    this.checkOpen();
    return this.removeOffsets({}, group);
  }

  // ---- delay offsets ----

  /** Records the next queue offset to deliver of a delay level. @throws StoreError kind `closed`. */
  setDelayOffset(level: number, offset: number): Promise<void> {
    this.checkOpen();
    return this.env.delayOffset.put(level, offset).then(toVoid);
  }

  /** The queue offset of a delay level, or undefined. @throws StoreError kind `closed`. */
  getDelayOffset(level: number): number | undefined {
    this.checkOpen();
    return this.env.delayOffset.get(level);
  }

  /** Delay level → queue offset, in level order. @throws StoreError kind `closed`. */
  delayOffsetTable(): Map<number, number> {
    this.checkOpen();
    const out = new Map<number, number>();
    for (const { key, value } of this.env.delayOffset.getRange()) out.set(key, value);
    return out;
  }

  // ---- whole tables, RocketMQ files ----

  /** A copy of every table, read in one synchronous pass. @throws StoreError kind `closed` or `corrupt`. */
  snapshotTables(): MetadataTables {
    return {
      topics: { dataVersion: this.topicDataVersion(), topicConfigTable: this.topicConfigTable() },
      subscriptionGroups: {
        dataVersion: this.subscriptionGroupDataVersion(),
        subscriptionGroupTable: this.subscriptionGroupTable(),
      },
      consumerOffsets: this.consumerOffsetTable(),
      delayOffsets: this.delayOffsetTable(),
    };
  }

  /**
   * Replaces the given tables wholesale in one transaction (migration, or a slave adopting its master's tables); the
   * DataVersions are taken as given, not bumped. Entries with an invalid name, or offset keys without `@`, are skipped
   * with a warning.
   * @throws StoreError kind `closed`.
   */
  replaceTables(tables: Partial<MetadataTables>): Promise<void> {
    this.checkOpen();
    const { env } = this;
    const topics = tables.topics && {
      dataVersion: tables.topics.dataVersion,
      rows: this.validRows(tables.topics.topicConfigTable, encodeTopic),
    };
    const groups = tables.subscriptionGroups && {
      dataVersion: tables.subscriptionGroups.dataVersion,
      rows: this.validRows(tables.subscriptionGroups.subscriptionGroupTable, (c) =>
        writeFastjson(subscriptionGroupConfigToJson(c)),
      ),
    };
    const offsets = tables.consumerOffsets && this.offsetRows(tables.consumerOffsets);
    const delays = tables.delayOffsets;
    return env.root
      .transaction(() => {
        if (topics) {
          for (const k of [...env.topicConfig.getKeys()]) env.topicConfig.removeSync(k);
          for (const [name, text] of topics.rows) env.topicConfig.putSync(name, text);
          env.dataVersion.putSync('topics', topics.dataVersion);
        }
        if (groups) {
          for (const k of [...env.subscriptionGroup.getKeys()]) env.subscriptionGroup.removeSync(k);
          for (const [name, text] of groups.rows) env.subscriptionGroup.putSync(name, text);
          env.dataVersion.putSync('subscriptionGroups', groups.dataVersion);
        }
        if (offsets) {
          for (const k of [...env.consumerOffset.getKeys()]) env.consumerOffset.removeSync(k);
          for (const [key, offset] of offsets) env.consumerOffset.putSync(key, offset);
        }
        if (delays) {
          for (const k of [...env.delayOffset.getKeys()]) env.delayOffset.removeSync(k);
          for (const [level, offset] of delays) env.delayOffset.putSync(level, offset);
        }
      })
      .finally(() => {
        this.topicCache.clear();
        this.groupCache.clear();
      });
  }

  /**
   * Imports RocketMQ's `topics.json`, `subscriptionGroup.json`, `consumerOffset.json` and `delayOffset.json` from a
   * broker's `store/config` directory, each falling back to its `.bak` like Java's ConfigManager; fastjson's unquoted
   * integer keys are accepted. Each table found replaces the stored one (DataVersions as in the files); tables whose
   * files are missing are kept. 5.x-only sections (static-topic mappings, forbiddenTable) are not kept.
   * @returns where each table came from.
   * @throws StoreError kind `corrupt` when content exists but neither the file nor its backup decodes (nothing is
   *   imported then); `io`, `closed`.
   */
  async importRocketMQConfigDir(dir: string): Promise<RocketMQConfigImport> {
    this.checkOpen();
    const { tables, sources } = await readRocketMQConfigDir({ dir, logger: this.logger });
    await this.replaceTables(tables);
    this.logger.info('imported RocketMQ config files', { dir, ...sources });
    return sources;
  }

  /**
   * Writes the four RocketMQ config files (pretty-printed, in Java's shapes) into `dir`, each through `<name>.tmp` and
   * keeping the previous file as `<name>.bak`, so a Java broker (or this store's import) can read them.
   * @throws StoreError kind `io`, `disk-full`, `closed` or `corrupt`.
   */
  async exportRocketMQConfigDir(dir: string): Promise<void> {
    const tables = this.snapshotTables();
    await writeRocketMQConfigDir({ dir, logger: this.logger, tables });
    this.logger.info('exported RocketMQ config files', { dir });
  }

  // ---- internals ----

  /** Bumps a table's DataVersion; call only inside a write transaction. */
  private bump(table: DataVersionTable): DataVersion {
    const current = this.env.dataVersion.get(table) ?? ZERO_VERSION;
    const next: DataVersion = { counter: current.counter + 1, timestamp: this.now() };
    if (current.stateVersion !== undefined) next.stateVersion = current.stateVersion;
    this.env.dataVersion.putSync(table, next);
    return next;
  }

  private removeOffsets(range: RangeOptions, onlyGroup?: string): Promise<number> {
    const db = this.env.consumerOffset;
    return this.env.root.transaction(() => {
      const keys = [...db.getKeys(range)].filter(
        (k) => onlyGroup === undefined || k[1] === onlyGroup,
      );
      for (const k of keys) db.removeSync(k);
      return keys.length;
    });
  }

  private validRows<T>(
    table: Map<string, T>,
    encode: (value: T) => string,
  ): Array<[string, string]> {
    const rows: Array<[string, string]> = [];
    for (const [name, value] of table) {
      if (isValidName(name)) rows.push([name, encode(value)]);
      else this.logger.warn('skipping a config with an invalid name', { name });
    }
    return rows;
  }

  private offsetRows(table: Map<string, Map<number, number>>): Array<[ConsumerOffsetKey, number]> {
    const rows: Array<[ConsumerOffsetKey, number]> = [];
    for (const [topicAtGroup, queues] of table) {
      // Topic and group names cannot contain '@' (Java TOPIC_GROUP_SEPARATOR), so the first one splits them.
      const at = topicAtGroup.indexOf('@');
      const topic = topicAtGroup.slice(0, at);
      const group = topicAtGroup.slice(at + 1);
      if (at <= 0 || !isValidName(topic) || !isValidName(group)) {
        this.logger.warn('skipping consumer offsets with an invalid key', { key: topicAtGroup });
        continue;
      }
      for (const [queueId, offset] of queues) rows.push([[topic, group, queueId], offset]);
    }
    return rows;
  }

  private checkOpen(): void {
    if (this.env.closed) throw new StoreError('closed', 'metadata store used after close');
  }
}

function toVoid(): void {}

/** The cached value of `key`, read and frozen on a miss; the cache is emptied when it reaches 100 000 entries. */
function cached<T extends object>(
  cache: Map<string, Readonly<T> | undefined>,
  key: string,
  read: () => T | undefined,
): Readonly<T> | undefined {
  if (cache.has(key)) return cache.get(key);
  const value = read();
  // Bounded: lookups of many distinct unknown names (a flood of sends to made-up topics) must not grow memory.
  if (cache.size >= CACHE_MAX_ENTRIES) cache.clear();
  const frozen = value === undefined ? undefined : Object.freeze(value);
  cache.set(key, frozen);
  return frozen;
}

function topicRange(topic: string): RangeOptions {
  return { start: [topic], end: [topic, AFTER_ALL] };
}

function isValidName(name: string): boolean {
  return !name.includes('\u0000') && Buffer.byteLength(name, 'utf8') <= MAX_NAME_BYTES;
}

function checkName(name: string): string {
  if (!isValidName(name)) {
    throw new RangeError(
      `name ${JSON.stringify(name.slice(0, 64))} has NUL or exceeds ${MAX_NAME_BYTES} bytes`,
    );
  }
  return name;
}

function encodeTopic(c: TopicConfig): string {
  return writeFastjson(topicConfigToJson(c));
}

function decodeTopic(name: string, text: string): TopicConfig {
  try {
    return topicConfigFromJson(parseFastjson(text), `topic-config.${name}`, name);
  } catch (err) {
    throw new StoreError('corrupt', `stored config of topic ${name} does not decode`, {
      cause: err,
    });
  }
}

function decodeGroup(name: string, text: string): SubscriptionGroupConfig {
  try {
    return subscriptionGroupConfigFromJson(parseFastjson(text), `subscription-group.${name}`, name);
  } catch (err) {
    throw new StoreError('corrupt', `stored config of group ${name} does not decode`, {
      cause: err,
    });
  }
}
