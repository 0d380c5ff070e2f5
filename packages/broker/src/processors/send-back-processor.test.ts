import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  createOffsetMessageId,
  encodeConsumerSendMsgBackRequestHeader,
  encodeMessageProperties,
} from '@rocketmq-ts/protocol';
import type { ConsumerSendMsgBackRequestHeader } from '@rocketmq-ts/protocol';
import { ProcessorTable } from '@rocketmq-ts/remoting';
import type { MessageStore } from '@rocketmq-ts/store';
import { describe, expect, it } from 'vitest';
import {
  dispatchLocally,
  openTestBrokerContext,
  readRecords,
} from '../../test/broker-test-context.js';
import type { BrokerContext } from '../broker-context.js';
import { defaultGroupConfig } from '../subscription/subscription-group-manager.js';
import { SCHEDULE_TOPIC } from '../topic/topic-validator.js';
import { SendBackProcessor } from './send-back-processor.js';

const GROUP = 'cg';
const TOPIC = 'TopicTest';
const STORE_HOST = { host: '127.0.0.2', port: 10911 };
const ORIGINAL_STORE_HOST = { host: '127.0.0.1', port: 10911 };

interface Broker {
  ctx: BrokerContext;
  store: MessageStore;
  /** Disk usage the store sees, in percent (read again by `store.cleanExpiredFiles()`). */
  disk: { usedPercent: number };
  send: (header: ConsumerSendMsgBackRequestHeader, version?: number) => Promise<RemotingCommand>;
}

async function startBroker(
  options: { autoCreateSubscriptionGroup?: boolean } = {},
): Promise<Broker> {
  const disk = { usedPercent: 10 };
  const { ctx, store } = await openTestBrokerContext({
    config: {
      brokerClusterName: 'c1',
      brokerName: 'b1',
      autoCreateSubscriptionGroup: options.autoCreateSubscriptionGroup ?? true,
    },
    store: { diskUsageProbe: () => Promise.resolve(disk.usedPercent) },
    storeHost: STORE_HOST,
  });
  const table = new ProcessorTable().on(
    RequestCode.CONSUMER_SEND_MSG_BACK,
    new SendBackProcessor({ context: ctx, maxDelayLevel: 18 }),
  );
  const send = async (header: ConsumerSendMsgBackRequestHeader, version?: number) => {
    const request = RemotingCommand.request(
      RequestCode.CONSUMER_SEND_MSG_BACK,
      encodeConsumerSendMsgBackRequestHeader(header),
    );
    if (version !== undefined) request.version = version;
    const response = await dispatchLocally(table, request);
    if (response === null) throw new Error('no response');
    return response;
  };
  return { ctx, store, disk, send };
}

/** Stores the message a consumer failed on; returns its commit-log offset. */
async function putOriginal(
  store: MessageStore,
  reconsumeTimes: number,
  extra: Record<string, string> = {},
): Promise<number> {
  const result = await store.putMessage({
    topic: TOPIC,
    queueId: 1,
    body: Buffer.from('payload'),
    flag: 5,
    properties: encodeMessageProperties({ TAGS: 'TagA', KEYS: 'k1', UNIQ_KEY: 'UNIQ1', ...extra }),
    bornTimestamp: 1_700_000_000_000,
    bornHost: { host: '10.0.0.9', port: 50000 },
    storeHost: ORIGINAL_STORE_HOST,
    reconsumeTimes,
  });
  expect(result.status).toBe('PUT_OK');
  return result.phyOffsets[0]!;
}

describe('SendBackProcessor', () => {
  it('stores a retry through the schedule queue of level 3 + reconsumeTimes, for %RETRY%<group>', async () => {
    const { store, send, ctx } = await startBroker();
    const offset = await putOriginal(store, 2);
    const response = await send({ offset, group: GROUP, delayLevel: 0 });
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(response.extFields).toBeUndefined();
    expect(ctx.topics.get('%RETRY%cg')).toMatchObject({
      readQueueNums: 1,
      writeQueueNums: 1,
      perm: 6,
    });
    const [record] = await readRecords(store, { topic: SCHEDULE_TOPIC, queueId: 4 });
    expect(record).toMatchObject({
      topic: SCHEDULE_TOPIC,
      queueId: 4,
      flag: 5,
      sysFlag: 0,
      bornTimestamp: 1_700_000_000_000,
      bornHost: { host: '10.0.0.9', port: 50000 },
      storeHost: STORE_HOST,
      reconsumeTimes: 3,
    });
    expect(record!.body.toString()).toBe('payload');
    expect(Object.fromEntries(record!.properties)).toEqual({
      TAGS: 'TagA',
      KEYS: 'k1',
      UNIQ_KEY: 'UNIQ1',
      RETRY_TOPIC: TOPIC,
      DELAY: '5',
      ORIGIN_MESSAGE_ID: createOffsetMessageId(ORIGINAL_STORE_HOST, offset),
      REAL_TOPIC: '%RETRY%cg',
      REAL_QID: '0',
    });
  });

  it('uses the requested delay level, capped, and keeps RETRY_TOPIC and ORIGIN_MESSAGE_ID already set', async () => {
    const { store, send } = await startBroker();
    const offset = await putOriginal(store, 1, {
      RETRY_TOPIC: 'FirstTopic',
      ORIGIN_MESSAGE_ID: 'FIRST',
    });
    expect((await send({ offset, group: GROUP, delayLevel: 30 })).code).toBe(ResponseCode.SUCCESS);
    const [record] = await readRecords(store, { topic: SCHEDULE_TOPIC, queueId: 17 });
    expect(record!.properties.get('DELAY')).toBe('18');
    expect(record!.properties.get('RETRY_TOPIC')).toBe('FirstTopic');
    expect(record!.properties.get('ORIGIN_MESSAGE_ID')).toBe('FIRST');
  });

  it('sends a message that used up its 16 retries to %DLQ%<group> queue 0 without delay', async () => {
    const { store, send, ctx } = await startBroker();
    const offset = await putOriginal(store, 16, { DELAY: '3' });
    expect((await send({ offset, group: GROUP, delayLevel: 0 })).code).toBe(ResponseCode.SUCCESS);
    expect(ctx.topics.get('%DLQ%cg')).toMatchObject({ readQueueNums: 1, writeQueueNums: 1 });
    const [record] = await readRecords(store, { topic: '%DLQ%cg', queueId: 0 });
    expect(record!.reconsumeTimes).toBe(17);
    expect(record!.properties.has('DELAY')).toBe(false);
    expect(record!.properties.get('RETRY_TOPIC')).toBe(TOPIC);
    expect(store.getMaxOffsetInQueue(SCHEDULE_TOPIC, 2)).toBe(0);
  });

  it('sends a message straight to the DLQ for delay level -1', async () => {
    const { store, send } = await startBroker();
    const offset = await putOriginal(store, 0);
    expect((await send({ offset, group: GROUP, delayLevel: -1 })).code).toBe(ResponseCode.SUCCESS);
    expect(await readRecords(store, { topic: '%DLQ%cg', queueId: 0 })).toHaveLength(1);
  });

  it('honours the header maxReconsumeTimes only from request version 121', async () => {
    const { store, send } = await startBroker();
    const offset = await putOriginal(store, 2);
    await send({ offset, group: GROUP, delayLevel: 0, maxReconsumeTimes: 2 }, 120);
    expect(store.getMaxOffsetInQueue('%DLQ%cg', 0)).toBe(0);
    expect(store.getMaxOffsetInQueue(SCHEDULE_TOPIC, 4)).toBe(1);
    await send({ offset, group: GROUP, delayLevel: 0, maxReconsumeTimes: 2 }, 121);
    expect(store.getMaxOffsetInQueue('%DLQ%cg', 0)).toBe(1);
  });

  it('answers SYSTEM_ERROR when no message starts at the offset', async () => {
    const { store, send } = await startBroker();
    const offset = await putOriginal(store, 0);
    for (const bad of [999_999, offset + 4]) {
      const response = await send({ offset: bad, group: GROUP, delayLevel: 0 });
      expect(response.code).toBe(ResponseCode.SYSTEM_ERROR);
      expect(response.remark).toBe(`look message by offset failed, ${bad}`);
    }
  });

  it('answers SYSTEM_ERROR with the put status when the store refuses the retry', async () => {
    const { store, send, disk } = await startBroker();
    const offset = await putOriginal(store, 0);
    disk.usedPercent = 95;
    await store.cleanExpiredFiles();
    const response = await send({ offset, group: GROUP, delayLevel: 0 });
    expect(response.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(response.remark).toBe('SERVICE_NOT_AVAILABLE');
  });

  it('refuses an unknown group, a read-only broker, and stores nothing for retryQueueNums 0', async () => {
    const noAuto = await startBroker({ autoCreateSubscriptionGroup: false });
    const offset = await putOriginal(noAuto.store, 0);
    expect((await noAuto.send({ offset, group: GROUP, delayLevel: 0 })).code).toBe(
      ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
    );

    const { store, send, ctx } = await startBroker();
    const at = await putOriginal(store, 0);
    ctx.runtimeConfig.brokerPermission = 4;
    expect((await send({ offset: at, group: GROUP, delayLevel: 0 })).code).toBe(
      ResponseCode.NO_PERMISSION,
    );
    ctx.runtimeConfig.brokerPermission = 6;
    await ctx.subscriptionGroups.createOrUpdate({ ...defaultGroupConfig('g0'), retryQueueNums: 0 });
    expect((await send({ offset: at, group: 'g0', delayLevel: 0 })).code).toBe(
      ResponseCode.SUCCESS,
    );
    expect(ctx.topics.get('%RETRY%g0')).toBeUndefined();
    expect(store.getMaxOffsetInQueue(SCHEDULE_TOPIC, 2)).toBe(0);
  });
});
