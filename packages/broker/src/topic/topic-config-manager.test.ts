import { ResponseCode, RocketMQError, TOPIC_CONFIG_DEFAULTS } from '@rocketmq-ts/protocol';
import type { DataVersion, TopicConfig } from '@rocketmq-ts/protocol';
import type { MessageStore } from '@rocketmq-ts/store';
import { describe, expect, it } from 'vitest';
import { openTestStore } from '../../test/broker-test-context.js';
import { resolveBrokerConfig } from '../config.js';
import type { BrokerConfigInput } from '../config.js';
import { TopicConfigManager } from './topic-config-manager.js';

async function startManager(
  input: Partial<BrokerConfigInput> = {},
): Promise<{ topics: TopicConfigManager; changes: DataVersion[]; store: MessageStore }> {
  const { store } = await openTestStore();
  const config = resolveBrokerConfig({
    storePathRootDir: 'unused',
    brokerClusterName: 'c1',
    brokerName: 'b1',
    ...input,
  });
  const topics = new TopicConfigManager({ metadata: store.metadata, config });
  const changes: DataVersion[] = [];
  topics.onChange((v) => changes.push(v));
  await topics.start();
  return { topics, changes, store };
}

function topic(topicName: string, overrides: Partial<TopicConfig> = {}): TopicConfig {
  return { ...TOPIC_CONFIG_DEFAULTS, topicName, ...overrides };
}

async function rejection(promise: Promise<unknown>): Promise<RocketMQError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RocketMQError))
    throw new Error(`expected a RocketMQError, got ${String(error)}`);
  return error;
}

describe('TopicConfigManager', () => {
  it('creates the built-in topics once, with their queue counts and perms', async () => {
    const { topics, changes, store } = await startManager();
    const q = (name: string) => {
      const c = topics.get(name);
      return c && [c.readQueueNums, c.writeQueueNums, c.perm];
    };
    expect(q('TBW102')).toEqual([8, 8, 7]);
    expect(q('SCHEDULE_TOPIC_XXXX')).toEqual([18, 18, 6]);
    expect(q('SELF_TEST_TOPIC')).toEqual([1, 1, 6]);
    expect(q('BenchmarkTest')).toEqual([1024, 1024, 6]);
    expect(q('OFFSET_MOVED_EVENT')).toEqual([1, 1, 6]);
    expect(q('c1')).toEqual([16, 16, 7]);
    expect(q('b1')).toEqual([1, 1, 7]);
    expect(q('c1_REPLY_TOPIC')).toEqual([1, 1, 6]);
    expect(topics.get('RMQ_SYS_TRACE_TOPIC')).toBeUndefined();
    expect(changes).toHaveLength(1);
    expect(topics.dataVersion.counter).toBe(1);

    // A second start over the same metadata keeps what is there.
    const again = new TopicConfigManager({
      metadata: store.metadata,
      config: resolveBrokerConfig({
        storePathRootDir: 'x',
        brokerClusterName: 'c1',
        brokerName: 'b1',
      }),
    });
    expect(await again.start()).toEqual([]);
    expect(again.dataVersion.counter).toBe(1);
  });

  it('follows autoCreateTopicEnable, clusterTopicEnable, brokerTopicEnable and traceTopicEnable', async () => {
    const { topics } = await startManager({
      autoCreateTopicEnable: false,
      clusterTopicEnable: false,
      brokerTopicEnable: false,
      traceTopicEnable: true,
    });
    expect(topics.get('TBW102')).toBeUndefined();
    expect(topics.get('c1')?.perm).toBe(1);
    expect(topics.get('b1')?.perm).toBe(1);
    expect(topics.get('RMQ_SYS_TRACE_TOPIC')?.writeQueueNums).toBe(1);
  });

  it('creates, updates and deletes topics, bumping the DataVersion and telling listeners', async () => {
    const { topics, changes } = await startManager();
    const before = topics.dataVersion.counter;
    await topics.createOrUpdate(topic('TopicTest', { readQueueNums: 4, writeQueueNums: 4 }));
    expect(topics.get('TopicTest')?.writeQueueNums).toBe(4);
    await topics.createOrUpdate(
      topic('TopicTest', { readQueueNums: 2, writeQueueNums: 2, perm: 4 }),
    );
    expect(topics.get('TopicTest')).toMatchObject({ writeQueueNums: 2, perm: 4 });
    expect(topics.all().has('TopicTest')).toBe(true);
    expect(await topics.delete('TopicTest')).toBe(true);
    expect(await topics.delete('TopicTest')).toBe(false);
    expect(topics.get('TopicTest')).toBeUndefined();
    expect(topics.dataVersion.counter).toBe(before + 3);
    expect(changes.map((v) => v.counter)).toEqual([1, before + 1, before + 2, before + 3]);
    const wrapper = topics.buildSerializeWrapper();
    expect(wrapper.dataVersion.counter).toBe(before + 3);
    expect(wrapper.topicConfigTable.has('TBW102')).toBe(true);
  });

  it('refuses invalid names, and system topics and the cluster name from admins', async () => {
    const { topics } = await startManager();
    const before = topics.dataVersion.counter;
    const bad = [
      ['', 'The specified topic is blank.'],
      ['a b', 'illegal characters'],
      ['x'.repeat(128), 'The specified topic is longer than topic max length.'],
    ] as const;
    for (const [name, text] of bad) {
      const error = await rejection(topics.createOrUpdate(topic(name)));
      expect(error.code).toBe(ResponseCode.SYSTEM_ERROR);
      expect(error.message).toContain(text);
    }
    for (const name of ['TBW102', 'SCHEDULE_TOPIC_XXXX', 'rmq_sys_custom']) {
      const error = await rejection(topics.createOrUpdate(topic(name), { admin: true }));
      expect(error.message).toBe(`The topic[${name}] is conflict with system topic.`);
    }
    const cluster = await rejection(topics.createOrUpdate(topic('c1'), { admin: true }));
    expect(cluster.message).toContain('system reserved words');
    expect(topics.dataVersion.counter).toBe(before);
    // The broker itself may still update a system topic.
    await topics.createOrUpdate(topic('TBW102', { perm: 7, readQueueNums: 4, writeQueueNums: 4 }));
    expect(topics.get('TBW102')?.writeQueueNums).toBe(4);
  });

  it('auto-creates a topic on send from TBW102 with the smaller queue count and no inherit bit', async () => {
    const { topics, changes } = await startManager();
    const before = changes.length;
    const [a, b] = await Promise.all([
      topics.createTopicInSendMessageMethod({
        topic: 'AutoTopic',
        defaultTopic: 'TBW102',
        defaultTopicQueueNums: 4,
        topicSysFlag: 1,
      }),
      topics.createTopicInSendMessageMethod({
        topic: 'AutoTopic',
        defaultTopic: 'TBW102',
        defaultTopicQueueNums: 4,
        topicSysFlag: 1,
      }),
    ]);
    expect(a).toEqual({
      topicName: 'AutoTopic',
      readQueueNums: 4,
      writeQueueNums: 4,
      perm: 6,
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: 1,
      order: false,
    });
    expect(b).toEqual(a);
    expect(changes.length).toBe(before + 1);
    const wide = await topics.createTopicInSendMessageMethod({
      topic: 'WideTopic',
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: 64,
      topicSysFlag: 0,
    });
    expect(wide?.writeQueueNums).toBe(8);
  });

  it('does not auto-create from a template without the inherit bit or a missing one', async () => {
    const { topics } = await startManager();
    await topics.createOrUpdate(topic('Plain', { perm: 6 }));
    const request = { topic: 'T1', defaultTopicQueueNums: 4, topicSysFlag: 0 };
    expect(await topics.createTopicInSendMessageMethod({ ...request, defaultTopic: 'Plain' })).toBe(
      undefined,
    );
    expect(
      await topics.createTopicInSendMessageMethod({ ...request, defaultTopic: 'NoSuchTopic' }),
    ).toBe(undefined);
    expect(topics.get('T1')).toBeUndefined();
  });

  it('does not auto-create from TBW102 when autoCreateTopicEnable is false', async () => {
    const { topics } = await startManager({ autoCreateTopicEnable: false });
    // Even a TBW102 left with perm 7 by an earlier run loses its inherit bit.
    await topics.createOrUpdate(topic('TBW102', { perm: 7, readQueueNums: 8, writeQueueNums: 8 }));
    const created = await topics.createTopicInSendMessageMethod({
      topic: 'AutoTopic',
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: 4,
      topicSysFlag: 0,
    });
    expect(created).toBeUndefined();
    expect(topics.get('AutoTopic')).toBeUndefined();
  });

  it('creates retry and DLQ topics of a group once', async () => {
    const { topics, changes } = await startManager();
    const before = changes.length;
    const retry = await topics.createRetryTopicIfAbsent('cg1', 2);
    expect(retry).toMatchObject({
      topicName: '%RETRY%cg1',
      readQueueNums: 2,
      writeQueueNums: 2,
      perm: 6,
    });
    expect(await topics.createRetryTopicIfAbsent('cg1', 5)).toEqual(retry);
    const dlq = await topics.createDLQTopicIfAbsent('cg1');
    expect(dlq).toMatchObject({
      topicName: '%DLQ%cg1',
      readQueueNums: 1,
      writeQueueNums: 1,
      perm: 6,
    });
    expect(await topics.createDLQTopicIfAbsent('cg1')).toEqual(dlq);
    expect(changes.length).toBe(before + 2);
    expect(topics.get('%RETRY%cg1')).toEqual(retry);
  });
});
