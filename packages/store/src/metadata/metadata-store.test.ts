import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUBSCRIPTION_GROUP_CONFIG_DEFAULTS, TOPIC_CONFIG_DEFAULTS } from '@rocketmq-ts/protocol';
import type { SubscriptionGroupConfig, TopicConfig } from '@rocketmq-ts/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../errors.js';
import { openMetaEnv } from './meta-env.js';
import type { MetaEnv } from './meta-env.js';
import { MetadataStore } from './metadata-store.js';

let dir: string;
let envs: MetaEnv[];
let clock: number;

function openStore(name = 'meta'): { env: MetaEnv; store: MetadataStore } {
  const env = openMetaEnv({ dir: join(dir, name) });
  envs.push(env);
  return { env, store: new MetadataStore({ env, now: () => clock }) };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rmq-'));
  envs = [];
  clock = 1_700_000_000_000;
});

afterEach(async () => {
  for (const env of envs) await env.close();
  await rm(dir, { recursive: true, force: true });
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

function topic(topicName: string, extra: Partial<TopicConfig> = {}): TopicConfig {
  return { topicName, ...TOPIC_CONFIG_DEFAULTS, ...extra };
}

function group(groupName: string, extra: Partial<SubscriptionGroupConfig> = {}) {
  return { groupName, ...SUBSCRIPTION_GROUP_CONFIG_DEFAULTS, ...extra };
}

async function fillSample(store: MetadataStore): Promise<void> {
  await store.putTopicConfig(topic('TopicTest', { readQueueNums: 4, writeQueueNums: 4 }));
  await store.putTopicConfig(
    topic('Ordered', { order: true, perm: 4, attributes: new Map([['message.type', 'FIFO']]) }),
  );
  await store.putSubscriptionGroup(group('cg-a', { retryMaxTimes: 3 }));
  await store.putSubscriptionGroup(group('cg-b', { consumeMessageOrderly: true }));
  await store.setConsumerOffset({ topic: 'TopicTest', group: 'cg-a', queueId: 0, offset: 12 });
  await store.setConsumerOffset({ topic: 'TopicTest', group: 'cg-a', queueId: 1, offset: 7 });
  await store.setConsumerOffset({ topic: '%RETRY%cg-a', group: 'cg-a', queueId: 0, offset: 2 });
  await store.setDelayOffset(1, 100);
  await store.setDelayOffset(3, 0);
}

describe('MetadataStore topic and group configs', () => {
  it('stores topic configs and bumps the DataVersion on every change', async () => {
    const { store } = openStore();
    expect(store.topicDataVersion()).toEqual({ counter: 0, timestamp: 0 });
    expect(store.getTopicConfig('TopicTest')).toBeUndefined();

    const v1 = await store.putTopicConfig(topic('TopicTest', { readQueueNums: 8 }));
    expect(v1).toEqual({ counter: 1, timestamp: clock });
    expect(store.getTopicConfig('TopicTest')).toEqual(topic('TopicTest', { readQueueNums: 8 }));

    clock += 5;
    const v2 = await store.putTopicConfigs([topic('B'), topic('A', { perm: 2 })]);
    expect(v2).toEqual({ counter: 2, timestamp: clock });
    expect(store.topicDataVersion()).toEqual(v2);
    expect([...store.topicConfigTable().keys()]).toEqual(['A', 'B', 'TopicTest']);

    expect(await store.deleteTopicConfig('B')).toBe(true);
    expect(store.topicDataVersion().counter).toBe(3);
    expect(await store.deleteTopicConfig('B')).toBe(false);
    expect(store.topicDataVersion().counter).toBe(3);
    expect(store.getTopicConfig('B')).toBeUndefined();
  });

  it('gives concurrent topic changes distinct consecutive versions', async () => {
    const { store } = openStore();
    const versions = await Promise.all(
      Array.from({ length: 5 }, (_, i) => store.putTopicConfig(topic(`T${i}`))),
    );
    expect(versions.map((v) => v.counter).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(store.topicConfigTable().size).toBe(5);
  });

  it('keeps 5.x topic attributes and subscription group properties', async () => {
    const { store } = openStore();
    const attrs = new Map([['message.type', 'DELAY']]);
    await store.putTopicConfig(topic('Delayed', { attributes: attrs }));
    expect(store.getTopicConfig('Delayed')?.attributes).toEqual(attrs);
    const g = group('cg', {
      consumeMessageOrderly: true,
      groupSysFlag: 1,
      consumeTimeoutMinute: 20,
    });
    await store.putSubscriptionGroup(g);
    expect(store.getSubscriptionGroup('cg')).toEqual(g);
  });

  it('stores subscription groups with their own DataVersion', async () => {
    const { store } = openStore();
    await store.putTopicConfig(topic('T'));
    const v1 = await store.putSubscriptionGroup(group('cg-1'));
    expect(v1.counter).toBe(1);
    await store.putSubscriptionGroup(group('cg-1', { consumeEnable: false }));
    expect(store.getSubscriptionGroup('cg-1')?.consumeEnable).toBe(false);
    expect(store.subscriptionGroupDataVersion().counter).toBe(2);
    expect(store.topicDataVersion().counter).toBe(1);
    expect(await store.deleteSubscriptionGroup('cg-1')).toBe(true);
    expect(await store.deleteSubscriptionGroup('cg-1')).toBe(false);
    expect(store.subscriptionGroupTable().size).toBe(0);
    expect(store.subscriptionGroupDataVersion().counter).toBe(3);
  });

  it('answers repeated lookups from memory and shows every committed change, absent names included', async () => {
    const { store } = openStore();
    expect(store.getTopicConfig('T')).toBeUndefined();
    expect(store.getSubscriptionGroup('G')).toBeUndefined();
    await store.putTopicConfig(topic('T', { readQueueNums: 4, writeQueueNums: 4 }));
    await store.putSubscriptionGroup(group('G', { retryMaxTimes: 3 }));
    const first = store.getTopicConfig('T');
    expect(first?.readQueueNums).toBe(4);
    expect(store.getTopicConfig('T')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(store.getSubscriptionGroup('G')?.retryMaxTimes).toBe(3);
    await store.putTopicConfig(topic('T', { readQueueNums: 2, writeQueueNums: 2 }));
    expect(store.getTopicConfig('T')?.readQueueNums).toBe(2);
    await store.deleteSubscriptionGroup('G');
    expect(store.getSubscriptionGroup('G')).toBeUndefined();
    await store.replaceTables({
      topics: {
        dataVersion: { counter: 9, timestamp: 1 },
        topicConfigTable: new Map([['U', topic('U')]]),
      },
    });
    expect(store.getTopicConfig('T')).toBeUndefined();
    expect(store.getTopicConfig('U')?.topicName).toBe('U');
    await store.deleteTopicConfig('U');
    expect(store.getTopicConfig('U')).toBeUndefined();
  });

  it('rejects names with NUL with a RangeError', () => {
    const { store } = openStore();
    expect(() => store.putTopicConfig(topic('bad\u0000name'))).toThrow(RangeError);
    expect(() =>
      store.setConsumerOffset({ topic: 'T', group: 'g\u0000', queueId: 0, offset: 1 }),
    ).toThrow(RangeError);
  });
});

describe('MetadataStore offsets', () => {
  it('stores consumer offsets per queue and lists the groups of a topic', async () => {
    const { store } = openStore();
    await store.setConsumerOffset({ topic: 'T', group: 'g1', queueId: 0, offset: 5 });
    await store.setConsumerOffset({ topic: 'T', group: 'g1', queueId: 1, offset: 6 });
    await store.setConsumerOffset({ topic: 'T', group: 'g2', queueId: 0, offset: 7 });
    await store.setConsumerOffset({ topic: 'T2', group: 'g3', queueId: 0, offset: 8 });
    await store.setConsumerOffset({ topic: 'T2', group: 'g1', queueId: 3, offset: 9 });
    await store.setConsumerOffset({ topic: 'T', group: 'g1', queueId: 0, offset: 15 });

    expect(store.getConsumerOffset({ topic: 'T', group: 'g1', queueId: 0 })).toBe(15);
    expect(store.getConsumerOffset({ topic: 'T', group: 'g1', queueId: 9 })).toBeUndefined();
    expect(store.getConsumerOffsets({ topic: 'T', group: 'g1' })).toEqual(
      new Map([
        [0, 15],
        [1, 6],
      ]),
    );
    expect(store.listConsumerGroupsOfTopic('T')).toEqual(['g1', 'g2']);
    expect(store.listConsumerGroupsOfTopic('T2')).toEqual(['g1', 'g3']);
    expect(store.listConsumerGroupsOfTopic('T3')).toEqual([]);
    expect(store.listTopicsOfConsumerGroup('g1')).toEqual(['T', 'T2']);
    expect(store.consumerOffsetTable()).toEqual(
      new Map([
        [
          'T@g1',
          new Map([
            [0, 15],
            [1, 6],
          ]),
        ],
        ['T@g2', new Map([[0, 7]])],
        ['T2@g1', new Map([[3, 9]])],
        ['T2@g3', new Map([[0, 8]])],
      ]),
    );
  });

  it('deletes offsets by topic and group, by topic, and by group', async () => {
    const { store } = openStore();
    for (const [t, g, q] of [
      ['T', 'g1', 0],
      ['T', 'g1', 1],
      ['T', 'g2', 0],
      ['T2', 'g1', 0],
      ['T2', 'g2', 0],
      ['T3', 'g1', 0],
    ] as const) {
      await store.setConsumerOffset({ topic: t, group: g, queueId: q, offset: 1 });
    }
    expect(await store.deleteConsumerOffsets({ topic: 'T', group: 'g1' })).toBe(2);
    expect(store.listConsumerGroupsOfTopic('T')).toEqual(['g2']);
    expect(await store.deleteTopicConsumerOffsets('T2')).toBe(2);
    expect(store.listConsumerGroupsOfTopic('T2')).toEqual([]);
    expect(await store.deleteConsumerGroupOffsets('g1')).toBe(1);
    expect([...store.consumerOffsetTable().keys()]).toEqual(['T@g2']);
  });

  it('stores delay offsets by level', async () => {
    const { store } = openStore();
    await store.setDelayOffset(3, 30);
    await store.setDelayOffset(1, 10);
    await store.setDelayOffset(3, 31);
    expect(store.getDelayOffset(3)).toBe(31);
    expect(store.getDelayOffset(2)).toBeUndefined();
    expect(store.delayOffsetTable()).toEqual(
      new Map([
        [1, 10],
        [3, 31],
      ]),
    );
  });
});

describe('MetadataStore persistence', () => {
  it('keeps every table when the environment is reopened', async () => {
    const first = openStore();
    await fillSample(first.store);
    const before = first.store.snapshotTables();
    await first.env.close();
    const second = openStore();
    expect(second.store.snapshotTables()).toEqual(before);
    expect(before.topics.dataVersion.counter).toBe(2);
  });

  it('throws a closed StoreError once the environment is closed', async () => {
    const { env, store } = openStore();
    await env.close();
    expect(() => store.getTopicConfig('T')).toThrow(StoreError);
    expect(thrown(() => store.setDelayOffset(1, 1))).toMatchObject({ kind: 'closed' });
  });
});

describe('MetadataStore RocketMQ config files', () => {
  it('exports the four files and imports them into a fresh store as equal tables', async () => {
    const source = openStore('a');
    await fillSample(source.store);
    const configDir = join(dir, 'config');
    await source.store.exportRocketMQConfigDir(configDir);

    const topics = JSON.parse(await readFile(join(configDir, 'topics.json'), 'utf8')) as {
      dataVersion: unknown;
      topicConfigTable: Record<string, { topicName: string; perm: number }>;
    };
    expect(topics.dataVersion).toEqual({ counter: 2, timestamp: clock });
    expect(topics.topicConfigTable['Ordered']).toMatchObject({ topicName: 'Ordered', perm: 4 });
    const offsets: unknown = JSON.parse(
      await readFile(join(configDir, 'consumerOffset.json'), 'utf8'),
    );
    expect(offsets).toEqual({
      offsetTable: { 'TopicTest@cg-a': { 0: 12, 1: 7 }, '%RETRY%cg-a@cg-a': { 0: 2 } },
    });

    const target = openStore('b');
    await target.store.putTopicConfig(topic('WillBeReplaced'));
    expect(await target.store.importRocketMQConfigDir(configDir)).toEqual({
      topics: 'file',
      subscriptionGroups: 'file',
      consumerOffsets: 'file',
      delayOffsets: 'file',
    });
    expect(target.store.snapshotTables()).toEqual(source.store.snapshotTables());
  });

  it('keeps the previous file as .bak when exporting again', async () => {
    const { store } = openStore();
    const configDir = join(dir, 'config');
    await store.putTopicConfig(topic('First'));
    await store.exportRocketMQConfigDir(configDir);
    await store.putTopicConfig(topic('Second'));
    await store.exportRocketMQConfigDir(configDir);
    const current = await readFile(join(configDir, 'topics.json'), 'utf8');
    const bak = await readFile(join(configDir, 'topics.json.bak'), 'utf8');
    expect(current).toContain('"Second"');
    expect(bak).toContain('"First"');
    expect(bak).not.toContain('"Second"');
  });

  it('imports Java-written files with unquoted integer keys', async () => {
    const configDir = join(dir, 'config');
    await mkdir(configDir);
    await writeFile(
      join(configDir, 'topics.json'),
      `{
	"dataVersion":{
		"counter":7,
		"timestamp":1699999999999
	},
	"topicConfigTable":{
		"TopicTest":{
			"order":false,
			"perm":6,
			"readQueueNums":4,
			"topicFilterType":"SINGLE_TAG",
			"topicName":"TopicTest",
			"topicSysFlag":0,
			"writeQueueNums":4
		}
	}
}`,
    );
    await writeFile(
      join(configDir, 'subscriptionGroup.json'),
      '{"dataVersion":{"counter":3,"timestamp":1699999990000},"subscriptionGroupTable":{"please_rename_unique_group_name_4":{"brokerId":0,"consumeBroadcastEnable":true,"consumeEnable":true,"consumeFromMinEnable":true,"groupName":"please_rename_unique_group_name_4","notifyConsumerIdsChangedEnable":true,"retryMaxTimes":16,"retryQueueNums":1,"whichBrokerWhenConsumeSlowly":1}}}',
    );
    await writeFile(
      join(configDir, 'consumerOffset.json'),
      '{\n\t"offsetTable":{\n\t\t"TopicTest@please_rename_unique_group_name_4":{0:12,1:7,2:0,3:250}\n\t}\n}',
    );
    await writeFile(join(configDir, 'delayOffset.json'), '{"offsetTable":{1:100,2:0,18:5}}');

    const { store } = openStore();
    await store.importRocketMQConfigDir(configDir);
    expect(store.topicDataVersion()).toEqual({ counter: 7, timestamp: 1699999999999 });
    expect(store.getTopicConfig('TopicTest')).toEqual(
      topic('TopicTest', { readQueueNums: 4, writeQueueNums: 4 }),
    );
    expect(store.subscriptionGroupDataVersion().counter).toBe(3);
    expect(store.getSubscriptionGroup('please_rename_unique_group_name_4')).toEqual(
      group('please_rename_unique_group_name_4'),
    );
    expect(
      store.getConsumerOffsets({ topic: 'TopicTest', group: 'please_rename_unique_group_name_4' }),
    ).toEqual(
      new Map([
        [0, 12],
        [1, 7],
        [2, 0],
        [3, 250],
      ]),
    );
    expect(store.delayOffsetTable()).toEqual(
      new Map([
        [1, 100],
        [2, 0],
        [18, 5],
      ]),
    );
  });

  it('falls back to .bak when a file is empty or does not decode, and keeps tables whose files are missing', async () => {
    const configDir = join(dir, 'config');
    await mkdir(configDir);
    await writeFile(join(configDir, 'topics.json'), '');
    await writeFile(
      join(configDir, 'topics.json.bak'),
      '{"dataVersion":{"counter":1,"timestamp":5},"topicConfigTable":{"FromBak":{"topicName":"FromBak"}}}',
    );
    await writeFile(join(configDir, 'delayOffset.json'), '{"offsetTable":{1:');
    await writeFile(join(configDir, 'delayOffset.json.bak'), '{"offsetTable":{2:22}}');

    const { store } = openStore();
    await store.setConsumerOffset({ topic: 'Kept', group: 'g', queueId: 0, offset: 3 });
    expect(await store.importRocketMQConfigDir(configDir)).toEqual({
      topics: 'bak',
      subscriptionGroups: 'missing',
      consumerOffsets: 'missing',
      delayOffsets: 'bak',
    });
    expect([...store.topicConfigTable().keys()]).toEqual(['FromBak']);
    expect(store.delayOffsetTable()).toEqual(new Map([[2, 22]]));
    expect(store.getConsumerOffset({ topic: 'Kept', group: 'g', queueId: 0 })).toBe(3);
  });

  it('refuses a file that does not decode and has no backup, changing nothing', async () => {
    const configDir = join(dir, 'config');
    await mkdir(configDir);
    await writeFile(join(configDir, 'delayOffset.json'), '{"offsetTable":{1:100}}');
    await writeFile(join(configDir, 'consumerOffset.json'), '{"offsetTable":{"no-at":[1,2]}}');
    const { store } = openStore();
    await expect(store.importRocketMQConfigDir(configDir)).rejects.toMatchObject({
      name: 'StoreError',
      kind: 'corrupt',
      file: join(configDir, 'consumerOffset.json'),
    });
    expect(store.delayOffsetTable().size).toBe(0);
  });

  it('skips imported offsets whose key has no topic@group separator', async () => {
    const configDir = join(dir, 'config');
    await mkdir(configDir);
    await writeFile(
      join(configDir, 'consumerOffset.json'),
      '{"offsetTable":{"no-separator":{0:1},"T@g":{0:2}}}',
    );
    const { store } = openStore();
    await store.importRocketMQConfigDir(configDir);
    expect([...store.consumerOffsetTable().keys()]).toEqual(['T@g']);
  });
});
