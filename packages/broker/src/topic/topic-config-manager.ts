import {
  NOOP_LOGGER,
  ResponseCode,
  RocketMQError,
  TOPIC_CONFIG_DEFAULTS,
} from '@rocketmq-ts/protocol';
import type {
  DataVersion,
  Logger,
  TopicConfig,
  TopicConfigSerializeWrapper,
} from '@rocketmq-ts/protocol';
import type { MetadataStore } from '@rocketmq-ts/store';
import type { BrokerConfig } from '../config.js';
import {
  AUTO_CREATE_TOPIC_KEY_TOPIC,
  BENCHMARK_TOPIC,
  OFFSET_MOVED_EVENT,
  PERM_INHERIT,
  PERM_READ,
  PERM_WRITE,
  SCHEDULE_TOPIC,
  SCHEDULE_TOPIC_QUEUE_NUMS,
  SELF_TEST_TOPIC,
  dlqTopicOf,
  isSystemTopic,
  retryTopicOf,
  validateTopicName,
} from './topic-validator.js';

/** The BrokerConfig keys the topic manager reads. */
export type TopicConfigManagerConfig = Pick<
  BrokerConfig,
  | 'brokerClusterName'
  | 'brokerName'
  | 'autoCreateTopicEnable'
  | 'defaultTopicQueueNums'
  | 'clusterTopicEnable'
  | 'brokerTopicEnable'
  | 'traceTopicEnable'
  | 'msgTraceTopicName'
>;

/** Options of {@link TopicConfigManager}. */
export interface TopicConfigManagerOptions {
  /** Where topic configs and their DataVersion live (`MessageStore.metadata`). */
  metadata: MetadataStore;
  /** A resolved broker config. */
  config: Readonly<TopicConfigManagerConfig>;
  /** Default no-op. */
  logger?: Logger;
}

/** Options of {@link TopicConfigManager.createOrUpdate}. */
export interface CreateOrUpdateTopicOptions {
  /** The request comes from an admin (UPDATE_AND_CREATE_TOPIC): refuse system topics and the cluster name. */
  admin?: boolean;
}

/** Request of {@link TopicConfigManager.createTopicInSendMessageMethod} (SEND_MESSAGE header fields). */
export interface CreateTopicInSendRequest {
  /** Topic to create. */
  topic: string;
  /** Template topic, normally `TBW102`. */
  defaultTopic: string;
  /** The producer's queue count; the new topic gets min(this, template writeQueueNums). */
  defaultTopicQueueNums: number;
  /** Sys flag of the new topic. */
  topicSysFlag: number;
}

/** Listener for topic table changes, given the new DataVersion. */
export type TopicChangeListener = (dataVersion: DataVersion) => void;

/**
 * The broker's topic table (Java `TopicConfigManager`) over the store's {@link MetadataStore}: built-in topics,
 * admin create/update/delete, auto-creation on send from a template topic, retry and DLQ topics. Every change bumps
 * the topic DataVersion (the metadata store does it) and then tells the {@link TopicConfigManager.onChange}
 * listeners, which re-register the broker.
 */
export class TopicConfigManager {
  private readonly metadata: MetadataStore;
  private readonly config: Readonly<TopicConfigManagerConfig>;
  private readonly logger: Logger;
  private readonly listeners = new Set<TopicChangeListener>();
  /** Creations in progress by topic, so concurrent first sends create a topic once. */
  private readonly creating = new Map<string, Promise<TopicConfig | undefined>>();

  constructor(options: TopicConfigManagerOptions) {
    this.metadata = options.metadata;
    this.config = options.config;
    this.logger = options.logger ?? NOOP_LOGGER;
  }

  /**
   * Creates RocketMQ's built-in topics that are missing (§7.1): SELF_TEST_TOPIC (1 queue), TBW102 (when
   * autoCreateTopicEnable; defaultTopicQueueNums queues, perm 7), BenchmarkTest (1024), the cluster-name topic (16)
   * and broker-name topic (1) with perm inherit plus read/write when clusterTopicEnable / brokerTopicEnable,
   * OFFSET_MOVED_EVENT (1), SCHEDULE_TOPIC_XXXX (18), the trace topic when traceTopicEnable (1) and
   * `<cluster>_REPLY_TOPIC` (1). Existing configs are kept as they are.
   * @returns the topics created.
   * @throws StoreError when the metadata store is closed or fails.
   */
  async start(): Promise<string[]> {
    const c = this.config;
    const builtIns: TopicConfig[] = [topic(SELF_TEST_TOPIC, 1)];
    if (c.autoCreateTopicEnable) {
      builtIns.push(
        topic(
          AUTO_CREATE_TOPIC_KEY_TOPIC,
          c.defaultTopicQueueNums,
          PERM_INHERIT | PERM_READ | PERM_WRITE,
        ),
      );
    }
    builtIns.push(topic(BENCHMARK_TOPIC, 1024));
    const rw = PERM_READ | PERM_WRITE;
    builtIns.push(
      topic(
        c.brokerClusterName,
        TOPIC_CONFIG_DEFAULTS.readQueueNums,
        PERM_INHERIT | (c.clusterTopicEnable ? rw : 0),
      ),
    );
    builtIns.push(topic(c.brokerName, 1, PERM_INHERIT | (c.brokerTopicEnable ? rw : 0)));
    builtIns.push(topic(OFFSET_MOVED_EVENT, 1));
    builtIns.push(topic(SCHEDULE_TOPIC, SCHEDULE_TOPIC_QUEUE_NUMS));
    if (c.traceTopicEnable) builtIns.push(topic(c.msgTraceTopicName, 1));
    builtIns.push(topic(`${c.brokerClusterName}_REPLY_TOPIC`, 1));

    const missing = builtIns.filter((t) => this.metadata.getTopicConfig(t.topicName) === undefined);
    if (missing.length === 0) return [];
    const version = await this.metadata.putTopicConfigs(missing);
    const names = missing.map((t) => t.topicName);
    this.logger.info('created built-in topics', { topics: names });
    this.changed(version);
    return names;
  }

  /** Registers a listener for topic table changes; returns a function that removes it. */
  onChange(listener: TopicChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The config of `topic`, or undefined. @throws StoreError when the metadata store is closed. */
  get(topic: string): Readonly<TopicConfig> | undefined {
    return this.metadata.getTopicConfig(topic);
  }

  /** Every topic config by name. @throws StoreError when the metadata store is closed. */
  all(): Map<string, TopicConfig> {
    return this.metadata.topicConfigTable();
  }

  /** The topic table's current version. @throws StoreError when the metadata store is closed. */
  get dataVersion(): DataVersion {
    return this.metadata.topicDataVersion();
  }

  /**
   * Creates or replaces a topic config (UPDATE_AND_CREATE_TOPIC, §4.12).
   * @returns the new DataVersion, once stored.
   * @throws RocketMQError SYSTEM_ERROR for an invalid name (§7.3), bad queue counts or perm, and with
   * `admin` for a system topic or the cluster name; StoreError when the store fails.
   */
  async createOrUpdate(
    config: TopicConfig,
    options: CreateOrUpdateTopicOptions = {},
  ): Promise<DataVersion> {
    const name = config.topicName;
    validateTopicName(name);
    if (options.admin === true) {
      if (isSystemTopic(name)) {
        throw systemError(`The topic[${name}] is conflict with system topic.`);
      }
      if (name === this.config.brokerClusterName) {
        throw systemError(`the topic[${name}] is conflict with system reserved words.`);
      }
    }
    for (const key of ['readQueueNums', 'writeQueueNums'] as const) {
      if (!Number.isInteger(config[key]) || config[key] < 0) {
        throw systemError(`${key} of topic ${name} must be a non-negative integer: ${config[key]}`);
      }
    }
    if (!Number.isInteger(config.perm) || config.perm < 0 || config.perm > 15) {
      throw systemError(`perm of topic ${name} must be an integer 0..15: ${config.perm}`);
    }
    const version = await this.metadata.putTopicConfig({ ...config });
    this.logger.info('topic config updated', { topic: name, dataVersion: version.counter });
    this.changed(version);
    return version;
  }

  /**
   * Deletes a topic config (DELETE_TOPIC_IN_BROKER). Consumer offsets are left to the caller.
   * @returns whether the topic existed.
   * @throws StoreError when the store fails.
   */
  async delete(topicName: string): Promise<boolean> {
    const existed = await this.metadata.deleteTopicConfig(topicName);
    if (existed) {
      this.logger.info('topic config deleted', { topic: topicName });
      this.changed(this.metadata.topicDataVersion());
    }
    return existed;
  }

  /**
   * Auto-creates a topic on send (Java `createTopicInSendMessageMethod`, §4.12): when `defaultTopic` exists and has
   * the inherit bit, the new topic gets min(request queue count, template writeQueueNums) read and write queues, the
   * template's perm without the inherit bit, its filter type and the request's sysFlag. With
   * `autoCreateTopicEnable=false` TBW102 counts as not inheritable.
   * @returns the existing or created config, or undefined when the template does not allow it.
   * @throws RocketMQError SYSTEM_ERROR for an invalid topic name; StoreError when the store fails.
   */
  createTopicInSendMessageMethod(
    request: CreateTopicInSendRequest,
  ): Promise<TopicConfig | undefined> {
    const existing = this.get(request.topic);
    if (existing !== undefined) return Promise.resolve(existing);
    validateTopicName(request.topic);
    return this.createOnce(request.topic, () => {
      const template = this.get(request.defaultTopic);
      if (template === undefined) {
        this.logger.warn('create new topic failed: the default topic does not exist', {
          topic: request.topic,
          defaultTopic: request.defaultTopic,
        });
        return undefined;
      }
      let perm = template.perm;
      // Java strips the inherit bit from TBW102 at this moment when auto-creation is off.
      if (
        request.defaultTopic === AUTO_CREATE_TOPIC_KEY_TOPIC &&
        !this.config.autoCreateTopicEnable
      ) {
        perm = PERM_READ | PERM_WRITE;
      }
      if ((perm & PERM_INHERIT) === 0) {
        this.logger.warn('create new topic failed: the default topic has no inherit perm', {
          topic: request.topic,
          defaultTopic: request.defaultTopic,
          perm,
        });
        return undefined;
      }
      const queueNums = Math.max(
        0,
        Math.min(request.defaultTopicQueueNums, template.writeQueueNums),
      );
      return {
        ...topic(request.topic, queueNums, perm & ~PERM_INHERIT),
        topicFilterType: template.topicFilterType,
        topicSysFlag: request.topicSysFlag,
      };
    });
  }

  /**
   * Creates `%RETRY%<group>` with `retryQueueNums` read/write queues and perm 6 when it does not exist.
   * @returns the existing or created config.
   * @throws RocketMQError SYSTEM_ERROR when the name is invalid; StoreError when the store fails.
   */
  async createRetryTopicIfAbsent(group: string, retryQueueNums: number): Promise<TopicConfig> {
    return this.createIfAbsent(topic(retryTopicOf(group), retryQueueNums));
  }

  /**
   * Creates `%DLQ%<group>` with one read/write queue and perm 6 when it does not exist.
   * @returns the existing or created config.
   * @throws RocketMQError SYSTEM_ERROR when the name is invalid; StoreError when the store fails.
   */
  async createDLQTopicIfAbsent(group: string): Promise<TopicConfig> {
    return this.createIfAbsent(topic(dlqTopicOf(group), 1));
  }

  /**
   * Replaces the whole table and its DataVersion with a master's (a slave's metadata sync, Java
   * `SlaveSynchronize.syncTopicConfig`), then tells the change listeners, so the slave re-registers its new table.
   * @throws StoreError when the store is closed or fails.
   */
  async replaceTable(wrapper: TopicConfigSerializeWrapper): Promise<void> {
    await this.metadata.replaceTables({
      topics: { dataVersion: wrapper.dataVersion, topicConfigTable: wrapper.topicConfigTable },
    });
    this.logger.info('topic table replaced', {
      topics: wrapper.topicConfigTable.size,
      dataVersion: wrapper.dataVersion.counter,
    });
    this.changed(wrapper.dataVersion);
  }

  /** The topic table with its version, as REGISTER_BROKER and GET_ALL_TOPIC_CONFIG send it. */
  buildSerializeWrapper(): TopicConfigSerializeWrapper {
    return { dataVersion: this.dataVersion, topicConfigTable: this.all() };
  }

  private async createIfAbsent(config: TopicConfig): Promise<TopicConfig> {
    const existing = this.get(config.topicName);
    if (existing !== undefined) return existing;
    validateTopicName(config.topicName);
    const created = await this.createOnce(config.topicName, () => config);
    return created ?? config;
  }

  /** Runs one creation per topic at a time; later callers share the first one's result. */
  private createOnce(
    name: string,
    build: () => TopicConfig | undefined,
  ): Promise<TopicConfig | undefined> {
    const pending = this.creating.get(name);
    if (pending !== undefined) return pending;
    const run = async (): Promise<TopicConfig | undefined> => {
      const existing = this.get(name);
      if (existing !== undefined) return existing;
      const config = build();
      if (config === undefined) return undefined;
      const version = await this.metadata.putTopicConfig(config);
      this.logger.info('topic created', { topic: name, queueNums: config.writeQueueNums });
      this.changed(version);
      return config;
    };
    const promise = run().finally(() => this.creating.delete(name));
    this.creating.set(name, promise);
    return promise;
  }

  private changed(version: DataVersion): void {
    for (const listener of this.listeners) {
      try {
        listener(version);
      } catch (error) {
        this.logger.error('topic change listener failed', { error: String(error) });
      }
    }
  }
}

function topic(topicName: string, queueNums: number, perm = PERM_READ | PERM_WRITE): TopicConfig {
  return {
    topicName,
    readQueueNums: queueNums,
    writeQueueNums: queueNums,
    perm,
    topicFilterType: TOPIC_CONFIG_DEFAULTS.topicFilterType,
    topicSysFlag: TOPIC_CONFIG_DEFAULTS.topicSysFlag,
    order: TOPIC_CONFIG_DEFAULTS.order,
  };
}

function systemError(message: string): RocketMQError {
  return new RocketMQError(message, ResponseCode.SYSTEM_ERROR);
}
