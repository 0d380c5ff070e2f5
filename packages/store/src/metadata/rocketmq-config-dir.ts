import {
  decodeConsumerOffsetTable,
  decodeDelayOffsetTable,
  decodeSubscriptionGroupWrapper,
  decodeTopicConfigSerializeWrapper,
  encodeConsumerOffsetTable,
  encodeDelayOffsetTable,
  encodeSubscriptionGroupWrapper,
  encodeTopicConfigSerializeWrapper,
} from '@rocketmq-ts/protocol';
import type {
  DataVersion,
  Logger,
  SubscriptionGroupConfig,
  TopicConfig,
} from '@rocketmq-ts/protocol';
import { loadConfigFile, prettyJson, writeConfigFile } from './rocketmq-config-files.js';
import type { ConfigFileSource } from './rocketmq-config-files.js';

/*
 * The four metadata files of a RocketMQ broker's `store/config` directory (store-format.md §7), read and written as
 * whole tables. 5.x-only sections (static-topic mappings, forbiddenTable) are read by the codecs but not kept.
 */

/** Every metadata table of a broker, as RocketMQ's four config files hold them. */
export interface MetadataTables {
  /** `topics.json`: topic name → config, with the table's version. */
  topics: { dataVersion: DataVersion; topicConfigTable: Map<string, TopicConfig> };
  /** `subscriptionGroup.json`: group name → config, with the table's version. */
  subscriptionGroups: {
    dataVersion: DataVersion;
    subscriptionGroupTable: Map<string, SubscriptionGroupConfig>;
  };
  /** `consumerOffset.json`: `topic@group` → queueId → committed queue offset. */
  consumerOffsets: Map<string, Map<number, number>>;
  /** `delayOffset.json`: delay level → queue offset in SCHEDULE_TOPIC_XXXX. */
  delayOffsets: Map<number, number>;
}

/** Where each table of an import came from; `missing` = neither the file nor its `.bak` had content. */
export type RocketMQConfigImport = Record<keyof MetadataTables, ConfigFileSource | 'missing'>;

/** File name of each table in a RocketMQ `store/config` directory. */
export const ROCKETMQ_CONFIG_FILES = {
  topics: 'topics.json',
  subscriptionGroups: 'subscriptionGroup.json',
  consumerOffsets: 'consumerOffset.json',
  delayOffsets: 'delayOffset.json',
} as const satisfies Record<keyof MetadataTables, string>;

/** Options of {@link readRocketMQConfigDir} and {@link writeRocketMQConfigDir}. */
export interface RocketMQConfigDirOptions {
  /** The `store/config` directory. */
  dir: string;
  /** Receives a warning per file that falls back to its backup. */
  logger: Logger;
}

/**
 * Reads the four files of a RocketMQ `store/config` directory, each falling back to its `.bak` like Java's
 * ConfigManager; fastjson's unquoted integer keys are accepted.
 * @returns the tables found (absent when neither file nor backup has content) and where each came from.
 * @throws StoreError kind `corrupt` when content exists but neither the file nor its backup decodes; `io`.
 */
export async function readRocketMQConfigDir(
  options: RocketMQConfigDirOptions,
): Promise<{ tables: Partial<MetadataTables>; sources: RocketMQConfigImport }> {
  const { dir, logger } = options;
  const files = ROCKETMQ_CONFIG_FILES;
  const load = <T>(name: string, decode: (text: string) => T) =>
    loadConfigFile({ dir, name, decode, logger });
  const topics = await load(files.topics, decodeTopicConfigSerializeWrapper);
  const groups = await load(files.subscriptionGroups, decodeSubscriptionGroupWrapper);
  const offsets = await load(files.consumerOffsets, decodeConsumerOffsetTable);
  const delays = await load(files.delayOffsets, decodeDelayOffsetTable);
  return {
    tables: {
      ...(topics && { topics: topics.value }),
      ...(groups && { subscriptionGroups: groups.value }),
      ...(offsets && { consumerOffsets: offsets.value.offsetTable }),
      ...(delays && { delayOffsets: delays.value.offsetTable }),
    },
    sources: {
      topics: topics?.source ?? 'missing',
      subscriptionGroups: groups?.source ?? 'missing',
      consumerOffsets: offsets?.source ?? 'missing',
      delayOffsets: delays?.source ?? 'missing',
    },
  };
}

/**
 * Writes the four files (pretty-printed, in Java's shapes) into `dir`, each through `<name>.tmp` and keeping the
 * previous file as `<name>.bak`.
 * @throws StoreError kind `io` or `disk-full`.
 */
export async function writeRocketMQConfigDir(
  options: RocketMQConfigDirOptions & { tables: MetadataTables },
): Promise<void> {
  const { dir, tables: t } = options;
  const files = ROCKETMQ_CONFIG_FILES;
  const bodies: Array<[string, Buffer]> = [
    [files.topics, encodeTopicConfigSerializeWrapper(t.topics)],
    [files.subscriptionGroups, encodeSubscriptionGroupWrapper(t.subscriptionGroups)],
    [files.consumerOffsets, encodeConsumerOffsetTable({ offsetTable: t.consumerOffsets })],
    [files.delayOffsets, encodeDelayOffsetTable({ offsetTable: t.delayOffsets })],
  ];
  for (const [name, body] of bodies) {
    await writeConfigFile({ dir, name, content: prettyJson(body) });
  }
}
