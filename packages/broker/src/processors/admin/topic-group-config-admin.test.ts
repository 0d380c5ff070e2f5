import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  SUBSCRIPTION_GROUP_CONFIG_DEFAULTS,
  decodeDataVersion,
  decodeGetBrokerConfigResponseHeader,
  decodeSubscriptionGroupWrapper,
  decodeTopicConfigSerializeWrapper,
  decodeTopicList,
  encodeCreateTopicRequestHeader,
  encodeDeleteSubscriptionGroupRequestHeader,
  encodeDeleteTopicRequestHeader,
  encodeSubscriptionGroupConfig,
  parseJavaProperties,
} from '@rocketmq-ts/protocol';
import type { ExtFields } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { openTestBrokerContext } from '../../../test/broker-test-context.js';
import { SLAVE_REFUSAL_REMARK } from './admin-request-guards.js';
import { ConfigAdminProcessor } from './config-admin-processor.js';
import { GroupAdminProcessor } from './group-admin-processor.js';
import { TopicAdminProcessor } from './topic-admin-processor.js';

/** The header mqadmin 4.9.8 updateTopic sends, without `order` (older tools omit it). */
function createTopicExt(topic: string, queues = 4): ExtFields {
  const ext = encodeCreateTopicRequestHeader({
    topic,
    defaultTopic: 'TBW102',
    readQueueNums: queues,
    writeQueueNums: queues,
    perm: 6,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
  });
  delete ext.order;
  return ext;
}

describe('TopicAdminProcessor', () => {
  it('creates a topic from a header without order, then lists it and asks to re-register', async () => {
    const { ctx, registrations } = await openTestBrokerContext();
    const processor = new TopicAdminProcessor(ctx);
    const before = ctx.topics.dataVersion.counter;
    const response = await processor.process(
      RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_TOPIC, createTopicExt('TopicTest', 3)),
    );
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(registrations()).toBe(1);
    expect(ctx.topics.get('TopicTest')).toMatchObject({
      readQueueNums: 3,
      writeQueueNums: 3,
      perm: 6,
      order: false,
    });

    const all = await processor.process(RemotingCommand.request(RequestCode.GET_ALL_TOPIC_CONFIG));
    const wrapper = decodeTopicConfigSerializeWrapper(all.body!);
    expect(wrapper.dataVersion.counter).toBe(before + 1);
    expect(wrapper.topicConfigTable.get('TopicTest')?.writeQueueNums).toBe(3);
    expect(wrapper.topicConfigTable.has('TBW102')).toBe(true);
  });

  it('refuses system topics, bad names and a slave with Java remarks', async () => {
    const { ctx, registrations } = await openTestBrokerContext();
    const processor = new TopicAdminProcessor(ctx);
    const create = (topic: string) =>
      processor.process(
        RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_TOPIC, createTopicExt(topic)),
      );
    await expect(create('SCHEDULE_TOPIC_XXXX')).rejects.toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      message: 'The topic[SCHEDULE_TOPIC_XXXX] is conflict with system topic.',
    });
    await expect(create('bad topic')).rejects.toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      message: 'The specified topic contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$',
    });
    await expect(
      processor.process(
        RemotingCommand.request(
          RequestCode.DELETE_TOPIC_IN_BROKER,
          encodeDeleteTopicRequestHeader({ topic: 'TBW102' }),
        ),
      ),
    ).rejects.toMatchObject({ message: 'The topic[TBW102] is conflict with system topic.' });
    expect(registrations()).toBe(0);

    const slave = await openTestBrokerContext({ config: { brokerRole: 'SLAVE', brokerId: 1 } });
    await expect(
      new TopicAdminProcessor(slave.ctx).process(
        RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_TOPIC, createTopicExt('TopicTest')),
      ),
    ).rejects.toMatchObject({ code: ResponseCode.SYSTEM_ERROR, message: SLAVE_REFUSAL_REMARK });
    expect(slave.ctx.topics.get('TopicTest')).toBeUndefined();
  });

  it('deletes a topic with its consumer offsets and keeps other topics offsets', async () => {
    const { ctx, registrations } = await openTestBrokerContext();
    const processor = new TopicAdminProcessor(ctx);
    await processor.process(
      RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_TOPIC, createTopicExt('TopicTest')),
    );
    await ctx.offsets.commitOffset({ group: 'g1', topic: 'TopicTest', queueId: 0, offset: 5 });
    await ctx.offsets.commitOffset({ group: 'g1', topic: 'Other', queueId: 0, offset: 7 });
    const response = await processor.process(
      RemotingCommand.request(
        RequestCode.DELETE_TOPIC_IN_BROKER,
        encodeDeleteTopicRequestHeader({ topic: 'TopicTest' }),
      ),
    );
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(ctx.topics.get('TopicTest')).toBeUndefined();
    expect(ctx.offsets.queryOffset({ group: 'g1', topic: 'TopicTest', queueId: 0 })).toBe(-1);
    expect(ctx.offsets.queryOffset({ group: 'g1', topic: 'Other', queueId: 0 })).toBe(7);
    expect(registrations()).toBe(2);
  });

  it('lists the system topics and answers a consume-queue cleanup with SUCCESS', async () => {
    const { ctx } = await openTestBrokerContext();
    const processor = new TopicAdminProcessor(ctx);
    const list = await processor.process(
      RemotingCommand.request(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER),
    );
    expect(decodeTopicList(list.body!).topicList).toEqual(
      expect.arrayContaining(['TBW102', 'SCHEDULE_TOPIC_XXXX', 'RMQ_SYS_TRANS_HALF_TOPIC']),
    );
    const clean = await processor.process(
      RemotingCommand.request(RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE),
    );
    expect(clean.code).toBe(ResponseCode.SUCCESS);
  });
});

describe('GroupAdminProcessor', () => {
  it('creates a group from its body and lists it with the table version', async () => {
    const { ctx } = await openTestBrokerContext();
    const processor = new GroupAdminProcessor(ctx);
    const before = ctx.subscriptionGroups.dataVersion().counter;
    const response = await processor.process(
      RemotingCommand.request(
        RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
        undefined,
        encodeSubscriptionGroupConfig({
          ...SUBSCRIPTION_GROUP_CONFIG_DEFAULTS,
          groupName: 'orders-consumer',
          retryMaxTimes: 3,
          consumeBroadcastEnable: false,
        }),
      ),
    );
    expect(response.code).toBe(ResponseCode.SUCCESS);
    const all = await processor.process(
      RemotingCommand.request(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG),
    );
    const wrapper = decodeSubscriptionGroupWrapper(all.body!);
    expect(wrapper.dataVersion.counter).toBe(before + 1);
    expect(wrapper.subscriptionGroupTable.get('orders-consumer')).toMatchObject({
      retryMaxTimes: 3,
      consumeBroadcastEnable: false,
    });
    expect(wrapper.subscriptionGroupTable.has('TOOLS_CONSUMER')).toBe(true);
    await expect(
      processor.process(RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP)),
    ).rejects.toMatchObject({ code: ResponseCode.SYSTEM_ERROR });
  });

  it('deletes a group, dropping its offsets only with removeOffset or cleanOffset', async () => {
    const { ctx } = await openTestBrokerContext();
    const processor = new GroupAdminProcessor(ctx);
    for (const group of ['g1', 'g2', 'g3']) {
      await ctx.subscriptionGroups.createOrUpdate({
        ...SUBSCRIPTION_GROUP_CONFIG_DEFAULTS,
        groupName: group,
      });
      await ctx.offsets.commitOffset({ group, topic: 'T1', queueId: 0, offset: 4 });
      await ctx.offsets.commitOffset({ group, topic: 'T2', queueId: 1, offset: 9 });
    }
    const del = (ext: Parameters<typeof encodeDeleteSubscriptionGroupRequestHeader>[0]) =>
      processor.process(
        RemotingCommand.request(
          RequestCode.DELETE_SUBSCRIPTIONGROUP,
          encodeDeleteSubscriptionGroupRequestHeader(ext),
        ),
      );
    expect((await del({ groupName: 'g1' })).code).toBe(ResponseCode.SUCCESS);
    await del({ groupName: 'g2', removeOffset: true });
    await del({ groupName: 'g3', cleanOffset: true });
    expect([1, 2, 3].map((i) => ctx.subscriptionGroups.get(`g${i}`))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(ctx.store.metadata.listTopicsOfConsumerGroup('g1')).toEqual(['T1', 'T2']);
    expect(ctx.store.metadata.listTopicsOfConsumerGroup('g2')).toEqual([]);
    expect(ctx.store.metadata.listTopicsOfConsumerGroup('g3')).toEqual([]);
  });
});

describe('ConfigAdminProcessor', () => {
  async function getConfig(processor: ConfigAdminProcessor) {
    const response = await processor.process(
      RemotingCommand.request(RequestCode.GET_BROKER_CONFIG),
    );
    expect(response.code).toBe(ResponseCode.SUCCESS);
    const { version } = decodeGetBrokerConfigResponseHeader(response.extFields ?? {});
    return {
      props: parseJavaProperties(response.body!.toString('utf8')),
      version: decodeDataVersion(version),
    };
  }

  function update(processor: ConfigAdminProcessor, text: string) {
    return processor.process(
      RemotingCommand.request(RequestCode.UPDATE_BROKER_CONFIG, undefined, Buffer.from(text)),
    );
  }

  it('lists broker and store settings with a version header', async () => {
    const { ctx } = await openTestBrokerContext();
    const { props, version } = await getConfig(new ConfigAdminProcessor(ctx));
    expect(props.get('brokerName')).toBe('broker-a');
    expect(props.get('brokerClusterName')).toBe('DefaultCluster');
    expect(props.get('brokerPermission')).toBe('6');
    expect(props.get('autoCreateTopicEnable')).toBe('true');
    expect(props.get('mappedFileSizeCommitLog')).toBe('65536');
    expect(props.get('deleteWhen')).toBe('04');
    expect(props.has('logger')).toBe(false);
    expect(version.counter).toBe(0);
  });

  it('applies brokerPermission at once: re-registers with a bumped topic version', async () => {
    const { ctx, registrations } = await openTestBrokerContext();
    const processor = new ConfigAdminProcessor(ctx);
    const topicVersion = ctx.topics.dataVersion.counter;
    const response = await update(processor, 'brokerPermission=4\n');
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(response.remark).toBeUndefined();
    expect(ctx.runtimeConfig.brokerPermission).toBe(4);
    expect(registrations()).toBe(1);
    expect(ctx.topics.dataVersion.counter).toBe(topicVersion + 1);
    const { props, version } = await getConfig(processor);
    expect(props.get('brokerPermission')).toBe('4');
    expect(version.counter).toBe(1);
  });

  it('accepts restart-only keys with a remark naming them', async () => {
    const { ctx, registrations } = await openTestBrokerContext();
    const processor = new ConfigAdminProcessor(ctx);
    const response = await update(processor, 'fileReservedTime=48\nbrokerPermission=6\n');
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(response.remark).toBe(
      'not applied until the broker restarts with broker.conf changed: fileReservedTime; applied now: brokerPermission',
    );
    expect(registrations()).toBe(1);
    expect((await getConfig(processor)).props.get('fileReservedTime')).toBe('72');
  });

  it('refuses unknown keys, bad values and black-listed keys without applying anything', async () => {
    const { ctx, registrations } = await openTestBrokerContext();
    const processor = new ConfigAdminProcessor(ctx);
    await expect(update(processor, 'brokerPermission=2\nnoSuchKey=1\n')).rejects.toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      message: 'unknown broker config keys: noSuchKey',
    });
    await expect(update(processor, 'brokerPermission=abc')).rejects.toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      message: 'bad broker config values: brokerPermission=abc (must be an integer)',
    });
    await expect(update(processor, 'brokerPermission=9')).rejects.toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      message: expect.stringContaining('brokerPermission: 9') as unknown,
    });
    await expect(update(processor, 'rocketmqHome=/tmp')).rejects.toMatchObject({
      code: ResponseCode.NO_PERMISSION,
      message: 'Can not update config in black list.',
    });
    expect(ctx.runtimeConfig.brokerPermission).toBe(6);
    expect(registrations()).toBe(0);
    expect((await getConfig(processor)).version.counter).toBe(0);
  });
});
