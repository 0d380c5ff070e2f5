import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeConsumeStats,
  decodeConsumerOffsetTable,
  decodeDelayOffsetTable,
  decodeGroupList,
  decodeKVTable,
  decodeResetOffsetBody,
  decodeTopicStatsTable,
  encodeCloneGroupOffsetRequestHeader,
  encodeGetConsumeStatsRequestHeader,
  encodeGetTopicStatsInfoRequestHeader,
  encodeQueryConsumeTimeSpanRequestHeader,
  encodeQueryTopicConsumeByWhoRequestHeader,
  encodeResetOffsetRequestHeader,
  parseFastjson,
} from '@rocketmq-ts/protocol';
import type { ResetOffsetRequestHeader, SubscriptionData } from '@rocketmq-ts/protocol';
import type { RemotingChannel } from '@rocketmq-ts/remoting';
import type { PutMessageResult } from '@rocketmq-ts/store';
import { describe, expect, it } from 'vitest';
import { openTestBrokerContext } from '../../../test/broker-test-context.js';
import type { BrokerContext } from '../../broker-context.js';
import { BrokerRuntimeStats } from './broker-runtime-stats.js';
import { OffsetAdminProcessor } from './offset-admin-processor.js';
import {
  RuntimeInfoProcessor,
  formatRuntime,
  humanReadableByteCount,
} from './runtime-info-processor.js';
import { StatsAdminProcessor } from './stats-admin-processor.js';

const TOPIC = 'TopicTest';
const GROUP = 'orders-consumer';

async function openBroker(): Promise<BrokerContext> {
  const { ctx } = await openTestBrokerContext({
    topics: [{ topicName: TOPIC, readQueueNums: 2, writeQueueNums: 2 }],
  });
  return ctx;
}

async function put(ctx: BrokerContext, count: number, queueId = 0): Promise<PutMessageResult[]> {
  const results: PutMessageResult[] = [];
  for (let i = 0; i < count; i++) {
    const result = await ctx.store.putMessage({
      topic: TOPIC,
      queueId,
      body: Buffer.from(`message-${i}`),
      bornTimestamp: Date.now(),
      bornHost: { host: '127.0.0.1', port: 50000 },
      storeHost: ctx.storeHost(),
    });
    expect(result.status).toBe('PUT_OK');
    results.push(result);
  }
  return results;
}

/** A connection that stands for a remote consumer; records what the broker sends it. */
function fakeChannel(id: number, sent: RemotingCommand[] = []): RemotingChannel {
  return {
    id,
    remoteAddr: `10.0.0.${id}:5000${id}`,
    isClosed: false,
    invoke: () => Promise.reject(new Error('not used')),
    invokeOneway: (request) => void sent.push(request),
  };
}

function subscription(topic: string, subString = '*'): SubscriptionData {
  return {
    topic,
    subString,
    tagsSet: subString === '*' ? [] : [subString],
    codeSet: [],
    subVersion: 1,
    expressionType: 'TAG',
    classFilterMode: false,
  };
}

function registerConsumer(ctx: BrokerContext, channel: RemotingChannel, topics: string[]): void {
  ctx.consumers.register(
    {
      channel,
      clientId: `client-${channel.id}`,
      language: 'JAVA',
      version: 409,
      lastUpdateMs: Date.now(),
    },
    {
      groupName: GROUP,
      consumeType: 'CONSUME_PASSIVELY',
      messageModel: 'CLUSTERING',
      consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
      subscriptionDataSet: topics.map((t) => subscription(t)),
      unitMode: false,
    },
  );
}

describe('StatsAdminProcessor', () => {
  it('reports min/max offsets and the last store time of every write queue', async () => {
    const ctx = await openBroker();
    const puts = await put(ctx, 3);
    const processor = new StatsAdminProcessor(ctx);
    const response = await processor.process(
      RemotingCommand.request(
        RequestCode.GET_TOPIC_STATS_INFO,
        encodeGetTopicStatsInfoRequestHeader({ topic: TOPIC }),
      ),
    );
    expect(decodeTopicStatsTable(response.body!).offsetTable).toEqual([
      [
        { topic: TOPIC, brokerName: 'broker-a', queueId: 0 },
        { minOffset: 0, maxOffset: 3, lastUpdateTimestamp: puts[2]!.storeTimestamp },
      ],
      [
        { topic: TOPIC, brokerName: 'broker-a', queueId: 1 },
        { minOffset: 0, maxOffset: 0, lastUpdateTimestamp: 0 },
      ],
    ]);
    await expect(
      processor.process(
        RemotingCommand.request(
          RequestCode.GET_TOPIC_STATS_INFO,
          encodeGetTopicStatsInfoRequestHeader({ topic: 'Nope' }),
        ),
      ),
    ).rejects.toMatchObject({
      code: ResponseCode.TOPIC_NOT_EXIST,
      message: 'topic[Nope] not exist',
    });
  });

  it('reports a group progress per read queue of the topics it has offsets for', async () => {
    const ctx = await openBroker();
    const puts = await put(ctx, 4);
    await ctx.offsets.commitOffset({ group: GROUP, topic: TOPIC, queueId: 0, offset: 2 });
    const processor = new StatsAdminProcessor(ctx);
    const stats = async (topic?: string) => {
      const response = await processor.process(
        RemotingCommand.request(
          RequestCode.GET_CONSUME_STATS,
          encodeGetConsumeStatsRequestHeader({ consumerGroup: GROUP, topic }),
        ),
      );
      expect(response.body!.toString()).toContain('"consumeTps":0.0');
      return decodeConsumeStats(response.body!);
    };
    const expected = [
      [
        { topic: TOPIC, brokerName: 'broker-a', queueId: 0 },
        { brokerOffset: 4, consumerOffset: 2, lastTimestamp: puts[1]!.storeTimestamp },
      ],
      [
        { topic: TOPIC, brokerName: 'broker-a', queueId: 1 },
        { brokerOffset: 0, consumerOffset: 0, lastTimestamp: 0 },
      ],
    ];
    expect((await stats()).offsetTable).toEqual(expected);
    expect((await stats(TOPIC)).offsetTable).toEqual(expected);
    // A live group that does not subscribe to the topic gets nothing for it.
    registerConsumer(ctx, fakeChannel(1), ['OtherTopic']);
    expect((await stats()).offsetTable).toEqual([]);
  });

  it('names the groups consuming a topic: committed offsets plus live subscribers', async () => {
    const ctx = await openBroker();
    await ctx.offsets.commitOffset({ group: 'offline-group', topic: TOPIC, queueId: 1, offset: 0 });
    registerConsumer(ctx, fakeChannel(1), [TOPIC]);
    const response = await new StatsAdminProcessor(ctx).process(
      RemotingCommand.request(
        RequestCode.QUERY_TOPIC_CONSUME_BY_WHO,
        encodeQueryTopicConsumeByWhoRequestHeader({ topic: TOPIC }),
      ),
    );
    expect(decodeGroupList(response.body!).groupList.sort()).toEqual(['offline-group', GROUP]);
  });

  it('reports the consume time span of each queue', async () => {
    const ctx = await openBroker();
    const puts = await put(ctx, 3);
    await ctx.offsets.commitOffset({ group: GROUP, topic: TOPIC, queueId: 0, offset: 1 });
    const response = await new StatsAdminProcessor(ctx).process(
      RemotingCommand.request(
        RequestCode.QUERY_CONSUME_TIME_SPAN,
        encodeQueryConsumeTimeSpanRequestHeader({ topic: TOPIC, group: GROUP }),
      ),
    );
    const body = parseFastjson(response.body!.toString()) as {
      consumeTimeSpanSet: Array<Record<string, unknown>>;
    };
    expect(body.consumeTimeSpanSet).toHaveLength(2);
    const first = body.consumeTimeSpanSet[0]!;
    expect(first).toMatchObject({
      messageQueue: { brokerName: 'broker-a', queueId: 0, topic: TOPIC },
      minTimeStamp: puts[0]!.storeTimestamp,
      maxTimeStamp: puts[2]!.storeTimestamp,
      consumeTimeStamp: puts[0]!.storeTimestamp,
    });
    expect(first.delayTime).toBeGreaterThanOrEqual(0);
    expect(body.consumeTimeSpanSet[1]).toMatchObject({
      minTimeStamp: -1,
      maxTimeStamp: -1,
      delayTime: 0,
    });
  });
});

describe('OffsetAdminProcessor', () => {
  function reset(processor: OffsetAdminProcessor, header: Partial<ResetOffsetRequestHeader>) {
    return processor.process(
      RemotingCommand.request(
        RequestCode.INVOKE_BROKER_TO_RESET_OFFSET,
        encodeResetOffsetRequestHeader({
          topic: TOPIC,
          group: GROUP,
          timestamp: 0,
          isForce: false,
          ...header,
        }),
      ),
    );
  }

  it('answers the whole consumer and delay offset tables', async () => {
    const ctx = await openBroker();
    await ctx.offsets.commitOffset({ group: GROUP, topic: TOPIC, queueId: 1, offset: 12 });
    await ctx.store.metadata.setDelayOffset(3, 7);
    const processor = new OffsetAdminProcessor(ctx);
    const offsets = await processor.process(
      RemotingCommand.request(RequestCode.GET_ALL_CONSUMER_OFFSET),
    );
    expect(decodeConsumerOffsetTable(offsets.body!).offsetTable).toEqual(
      new Map([[`${TOPIC}@${GROUP}`, new Map([[1, 12]])]]),
    );
    const delays = await processor.process(
      RemotingCommand.request(RequestCode.GET_ALL_DELAY_OFFSET),
    );
    expect(decodeDelayOffsetTable(delays.body!).offsetTable).toEqual(new Map([[3, 7]]));
  });

  it('resets offsets back by time, forward only with isForce, and commits them', async () => {
    const ctx = await openBroker();
    await put(ctx, 5);
    await ctx.offsets.commitOffset({ group: GROUP, topic: TOPIC, queueId: 0, offset: 3 });
    await ctx.offsets.commitOffset({ group: GROUP, topic: TOPIC, queueId: 1, offset: 0 });
    const processor = new OffsetAdminProcessor(ctx);
    const table = async (header: Partial<ResetOffsetRequestHeader>) => {
      const response = await reset(processor, header);
      expect(response.code).toBe(ResponseCode.SUCCESS);
      return decodeResetOffsetBody(response.body!).offsetTable.map(([mq, offset]) => [
        mq.queueId,
        offset,
      ]);
    };
    // To the earliest message: moving back is always allowed.
    expect(await table({ timestamp: 0 })).toEqual([
      [0, 0],
      [1, 0],
    ]);
    expect(ctx.offsets.queryOffset({ group: GROUP, topic: TOPIC, queueId: 0 })).toBe(0);
    // To the end (-1) without force: offsets stay where they are.
    expect(await table({ timestamp: -1 })).toEqual([
      [0, 0],
      [1, 0],
    ]);
    expect(await table({ timestamp: -1, isForce: true })).toEqual([
      [0, 5],
      [1, 0],
    ]);
    expect(ctx.offsets.queryOffset({ group: GROUP, topic: TOPIC, queueId: 0 })).toBe(5);
    // 5.x: one queue to an explicit offset.
    expect(await table({ queueId: 0, offset: 2, isForce: true })).toEqual([[0, 2]]);
    expect(ctx.offsets.queryOffset({ group: GROUP, topic: TOPIC, queueId: 0 })).toBe(2);
  });

  it('tells live members to reset with RESET_CONSUMER_CLIENT_OFFSET', async () => {
    const ctx = await openBroker();
    await put(ctx, 2);
    await ctx.offsets.commitOffset({ group: GROUP, topic: TOPIC, queueId: 0, offset: 2 });
    await ctx.offsets.commitOffset({ group: GROUP, topic: TOPIC, queueId: 1, offset: 0 });
    const sent: RemotingCommand[] = [];
    registerConsumer(ctx, fakeChannel(1, sent), [TOPIC]);
    registerConsumer(ctx, fakeChannel(2, sent), [TOPIC]);
    await reset(new OffsetAdminProcessor(ctx), { timestamp: 0 });
    expect(sent).toHaveLength(2);
    const notice = sent[0]!;
    expect(notice.code).toBe(RequestCode.RESET_CONSUMER_CLIENT_OFFSET);
    expect(notice.extFields).toMatchObject({
      topic: TOPIC,
      group: GROUP,
      timestamp: '0',
      isForce: 'false',
    });
    expect(
      decodeResetOffsetBody(notice.body!).offsetTable.map(([mq, o]) => [mq.queueId, o]),
    ).toEqual([
      [0, 0],
      [1, 0],
    ]);
  });

  it('refuses a reset for an unknown topic or a group without offsets', async () => {
    const ctx = await openBroker();
    const processor = new OffsetAdminProcessor(ctx);
    await expect(reset(processor, { topic: 'Nope' })).rejects.toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      message: '[reset-offset] reset offset failed, no topic in this broker. topic=Nope',
    });
    await expect(reset(processor, {})).rejects.toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      message: `THe consumer group <${GROUP}> not exist`,
    });
  });

  it('clones a group offsets on a topic, replacing the destination ones', async () => {
    const ctx = await openBroker();
    await ctx.offsets.commitOffset({ group: 'src', topic: TOPIC, queueId: 0, offset: 4 });
    await ctx.offsets.commitOffset({ group: 'dest', topic: TOPIC, queueId: 1, offset: 9 });
    const response = await new OffsetAdminProcessor(ctx).process(
      RemotingCommand.request(
        RequestCode.CLONE_GROUP_OFFSET,
        encodeCloneGroupOffsetRequestHeader({ srcGroup: 'src', destGroup: 'dest', topic: TOPIC }),
      ),
    );
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(ctx.store.metadata.getConsumerOffsets({ topic: TOPIC, group: 'dest' })).toEqual(
      new Map([[0, 4]]),
    );
  });
});

describe('RuntimeInfoProcessor', () => {
  it('reports versions, store counters, offsets, disk use and sampled rates', async () => {
    const ctx = await openBroker();
    let now = 1_000_000;
    const runtimeStats = new BrokerRuntimeStats({ store: ctx.store, now: () => now });
    runtimeStats.sample();
    const puts = await put(ctx, 3);
    now += 1000;
    runtimeStats.sample();
    const response = await new RuntimeInfoProcessor(ctx, runtimeStats).process(
      RemotingCommand.request(RequestCode.GET_BROKER_RUNTIME_INFO),
    );
    const table = decodeKVTable(response.body!).table;
    expect(table.get('brokerVersionDesc')).toBe('V4_9_8');
    expect(table.get('brokerVersion')).toBe('409');
    expect(table.get('putTps')).toBe('3.0 3.0 3.0');
    expect(table.get('getTransferedTps')).toBe('0.0 0.0 0.0');
    expect(table.get('msgPutTotalTodayNow')).toBe('3');
    expect(table.get('msgPutTotalTodayMorning')).toBe('0');
    expect(table.get('putMessageTimesTotal')).toBe('3');
    expect(table.get('commitLogMinOffset')).toBe('0');
    expect(table.get('commitLogMaxOffset')).toBe(String(ctx.store.getMaxPhyOffset()));
    expect(table.get('earliestMessageTimeStamp')).toBe(String(puts[0]!.storeTimestamp));
    expect(table.get('runtime')).toMatch(/^\[ \d+ days, \d+ hours, \d+ minutes, \d+ seconds \]$/);
    const ratio = Number(table.get('commitLogDiskRatio'));
    expect(ratio).toBeGreaterThanOrEqual(0);
    expect(ratio).toBeLessThanOrEqual(1);
    expect(table.get('commitLogDirCapacity')).toMatch(/^Total : .+B, Free : .+B\.$/);
    expect(table.get('sendThreadPoolQueueSize')).toBe('0');
  });

  it('shifts the morning totals at the first sample of a new local day', async () => {
    const ctx = await openBroker();
    let now = new Date(2024, 0, 1, 23, 59, 58).getTime();
    const runtimeStats = new BrokerRuntimeStats({ store: ctx.store, now: () => now });
    runtimeStats.sample();
    await put(ctx, 2);
    now += 4000;
    runtimeStats.sample();
    await put(ctx, 1);
    expect(runtimeStats.dailyTotals()).toMatchObject({
      msgPutTotalYesterdayMorning: 0,
      msgPutTotalTodayMorning: 2,
      msgPutTotalTodayNow: 3,
    });
  });

  it('formats sizes and uptime as Java does', () => {
    expect(humanReadableByteCount(512)).toBe('512 B');
    expect(humanReadableByteCount(1536)).toBe('1.5 KiB');
    expect(humanReadableByteCount(20 * 1024 ** 3)).toBe('20.0 GiB');
    expect(formatRuntime(((26 * 60 + 2) * 60 + 3) * 1000)).toBe(
      '[ 1 days, 2 hours, 2 minutes, 3 seconds ]',
    );
  });
});
