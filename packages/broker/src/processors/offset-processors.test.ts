import { readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  SerializeType,
  decodeGetEarliestMsgStoretimeResponseHeader,
  decodeGetMaxOffsetResponseHeader,
  decodeGetMinOffsetResponseHeader,
  decodeQueryConsumerOffsetResponseHeader,
  decodeSearchOffsetResponseHeader,
  encodeGetEarliestMsgStoretimeRequestHeader,
  encodeGetMaxOffsetRequestHeader,
  encodeGetMinOffsetRequestHeader,
  encodeQueryConsumerOffsetRequestHeader,
  encodeSearchOffsetRequestHeader,
  encodeUpdateConsumerOffsetRequestHeader,
} from '@rocketmq-ts/protocol';
import { ProcessorTable } from '@rocketmq-ts/remoting';
import type { MessageStore, OpenMessageStoreOptions, PutMessageResult } from '@rocketmq-ts/store';
import { describe, expect, it } from 'vitest';
import { openTestStore, startTestServer, waitFor } from '../../test/broker-test-context.js';
import type { TestServer, TestStore } from '../../test/broker-test-context.js';
import { ConsumerOffsetManager } from '../offset/consumer-offset-manager.js';
import {
  ConsumerManageProcessor,
  QUERY_OFFSET_NOT_FOUND_REMARK,
} from './consumer-manage-processor.js';
import { QueueOffsetProcessor } from './queue-offset-processor.js';

const TOPIC = 'TopicTest';
const TIMEOUT = { timeoutMs: 3000 };

/** The offset processors over a real store, behind a real server. */
type Broker = TestStore & TestServer;

async function startBroker(options: Partial<OpenMessageStoreOptions> = {}): Promise<Broker> {
  const { store, dir } = await openTestStore(options);
  const processors = new ProcessorTable()
    .on(
      [RequestCode.QUERY_CONSUMER_OFFSET, RequestCode.UPDATE_CONSUMER_OFFSET],
      new ConsumerManageProcessor(new ConsumerOffsetManager({ store })),
    )
    .on(
      [
        RequestCode.SEARCH_OFFSET_BY_TIMESTAMP,
        RequestCode.GET_MAX_OFFSET,
        RequestCode.GET_MIN_OFFSET,
        RequestCode.GET_EARLIEST_MSG_STORETIME,
      ],
      new QueueOffsetProcessor(store),
    );
  return { store, dir, ...(await startTestServer(processors, TIMEOUT)) };
}

async function putMessages(store: MessageStore, count: number): Promise<PutMessageResult[]> {
  const results: PutMessageResult[] = [];
  for (let i = 0; i < count; i++) {
    results.push(
      await store.putMessage({
        topic: TOPIC,
        queueId: 0,
        body: Buffer.from(`message-${i}-${'x'.repeat(500)}`),
        properties: '',
        bornTimestamp: Date.now(),
        bornHost: { host: '127.0.0.1', port: 50000 },
        storeHost: { host: '127.0.0.1', port: 10911 },
      }),
    );
  }
  return results;
}

function queryOffset(group: string, queueId = 0): RemotingCommand {
  return RemotingCommand.request(
    RequestCode.QUERY_CONSUMER_OFFSET,
    encodeQueryConsumerOffsetRequestHeader({ consumerGroup: group, topic: TOPIC, queueId }),
  );
}

function updateOffset(group: string, commitOffset: number): RemotingCommand {
  return RemotingCommand.request(
    RequestCode.UPDATE_CONSUMER_OFFSET,
    encodeUpdateConsumerOffsetRequestHeader({
      consumerGroup: group,
      topic: TOPIC,
      queueId: 0,
      commitOffset,
    }),
  );
}

async function queueOffsets(broker: Broker): Promise<{ min: number; max: number }> {
  const header = { topic: TOPIC, queueId: 0 };
  const min = await broker.call(
    RemotingCommand.request(RequestCode.GET_MIN_OFFSET, encodeGetMinOffsetRequestHeader(header)),
  );
  const max = await broker.call(
    RemotingCommand.request(RequestCode.GET_MAX_OFFSET, encodeGetMaxOffsetRequestHeader(header)),
  );
  expect([min.code, max.code]).toEqual([ResponseCode.SUCCESS, ResponseCode.SUCCESS]);
  return {
    min: decodeGetMinOffsetResponseHeader(min.extFields ?? {}).offset,
    max: decodeGetMaxOffsetResponseHeader(max.extFields ?? {}).offset,
  };
}

async function searchOffset(broker: Broker, timestamp: number): Promise<number> {
  const response = await broker.call(
    RemotingCommand.request(
      RequestCode.SEARCH_OFFSET_BY_TIMESTAMP,
      encodeSearchOffsetRequestHeader({ topic: TOPIC, queueId: 0, timestamp }),
    ),
  );
  expect(response.code).toBe(ResponseCode.SUCCESS);
  return decodeSearchOffsetResponseHeader(response.extFields ?? {}).offset;
}

describe('QueueOffsetProcessor', () => {
  it('reports 0/0 for a fresh queue and max = message count after puts', async () => {
    const broker = await startBroker();
    expect(await queueOffsets(broker)).toEqual({ min: 0, max: 0 });
    await putMessages(broker.store, 5);
    expect(await queueOffsets(broker)).toEqual({ min: 0, max: 5 });
  });

  it('answers the store time of the first message, and -1 for an empty queue', async () => {
    const broker = await startBroker();
    const earliest = async (): Promise<number> => {
      const response = await broker.call(
        RemotingCommand.request(
          RequestCode.GET_EARLIEST_MSG_STORETIME,
          encodeGetEarliestMsgStoretimeRequestHeader({ topic: TOPIC, queueId: 0 }),
        ),
      );
      expect(response.code).toBe(ResponseCode.SUCCESS);
      return decodeGetEarliestMsgStoretimeResponseHeader(response.extFields ?? {}).timestamp;
    };
    expect(await earliest()).toBe(-1);
    const puts = await putMessages(broker.store, 3);
    expect(await earliest()).toBe(puts[0]!.storeTimestamp);
  });

  it('searches offsets by store time: nearest entry, clamped to the first and last message', async () => {
    const broker = await startBroker();
    const puts = await putMessages(broker.store, 20);
    expect(await searchOffset(broker, 0)).toBe(0);
    expect(await searchOffset(broker, puts[19]!.storeTimestamp + 3_600_000)).toBe(19);
    const middle = puts[10]!.storeTimestamp;
    const found = await searchOffset(broker, middle);
    expect(found).toBe(await broker.store.getOffsetInQueueByTime(TOPIC, 0, middle));
    expect(puts[found]!.storeTimestamp).toBe(middle);
  });

  it('answers REQUEST_CODE_NOT_SUPPORTED for a code it does not handle', async () => {
    const processor = new QueueOffsetProcessor((await startBroker()).store);
    await expect(
      processor.process(RemotingCommand.request(RequestCode.QUERY_CONSUMER_OFFSET, {})),
    ).rejects.toMatchObject({ code: ResponseCode.REQUEST_CODE_NOT_SUPPORTED });
  });
});

describe('ConsumerManageProcessor', () => {
  it('answers 0 for a new group while the queue still starts at offset 0', async () => {
    const broker = await startBroker();
    const fresh = await broker.call(queryOffset('new-group'));
    expect(fresh.code).toBe(ResponseCode.SUCCESS);
    expect(decodeQueryConsumerOffsetResponseHeader(fresh.extFields ?? {}).offset).toBe(0);
    await putMessages(broker.store, 3);
    const afterPuts = await broker.call(queryOffset('new-group'));
    expect(decodeQueryConsumerOffsetResponseHeader(afterPuts.extFields ?? {}).offset).toBe(0);
  });

  it('returns the committed offset after an update, and -1 commits fall back like no offset', async () => {
    const broker = await startBroker();
    await putMessages(broker.store, 10);
    const update = await broker.call(updateOffset('g1', 7));
    expect(update.code).toBe(ResponseCode.SUCCESS);
    expect(update.extFields ?? {}).toEqual({});
    const query = await broker.call(queryOffset('g1'));
    expect(query.code).toBe(ResponseCode.SUCCESS);
    expect(decodeQueryConsumerOffsetResponseHeader(query.extFields ?? {}).offset).toBe(7);

    await broker.call(updateOffset('g1', -1));
    expect(broker.store.metadata.getConsumerOffset({ topic: TOPIC, group: 'g1', queueId: 0 })).toBe(
      -1,
    );
    const fallback = await broker.call(queryOffset('g1'));
    expect(decodeQueryConsumerOffsetResponseHeader(fallback.extFields ?? {}).offset).toBe(0);
  });

  it('stores a oneway update as a Java client sends it', async () => {
    const broker = await startBroker();
    await broker.oneway(
      RemotingCommand.oneway(
        RequestCode.UPDATE_CONSUMER_OFFSET,
        encodeUpdateConsumerOffsetRequestHeader({
          consumerGroup: 'java-group',
          topic: TOPIC,
          queueId: 0,
          commitOffset: 4,
        }),
      ),
    );
    await waitFor(async () => {
      const response = await broker.call(queryOffset('java-group'));
      return decodeQueryConsumerOffsetResponseHeader(response.extFields ?? {}).offset === 4;
    });
  });

  it('answers an ali-ons style update and query with string ext fields and no oneway bit', async () => {
    const broker = await startBroker();
    const update = await broker.call(
      new RemotingCommand({
        code: RequestCode.UPDATE_CONSUMER_OFFSET,
        language: 'JAVA',
        serializeType: SerializeType.JSON,
        extFields: { consumerGroup: 'ons-group', topic: TOPIC, queueId: '0', commitOffset: '12' },
      }),
    );
    expect(update.code).toBe(ResponseCode.SUCCESS);
    const query = await broker.call(
      new RemotingCommand({
        code: RequestCode.QUERY_CONSUMER_OFFSET,
        serializeType: SerializeType.JSON,
        extFields: { consumerGroup: 'ons-group', topic: TOPIC, queueId: '0' },
      }),
    );
    expect(query.code).toBe(ResponseCode.SUCCESS);
    expect(query.extFields?.offset).toBe('12');
  });

  it('answers QUERY_NOT_FOUND for a group without an offset once the queue no longer starts at 0', async () => {
    const broker = await startBroker({ fileReservedTime: 1 });
    await putMessages(broker.store, 300);
    const segments = (await readdir(join(broker.dir, 'commitlog'))).sort();
    const old = Date.now() / 1000 - 2 * 3600;
    for (const name of segments.slice(0, 2)) {
      await utimes(join(broker.dir, 'commitlog', name), old, old);
    }
    await broker.store.cleanExpiredFiles({ manual: true });
    const { min } = await queueOffsets(broker);
    expect(min).toBeGreaterThan(0);

    const missing = await broker.call(queryOffset('late-group'));
    expect(missing.code).toBe(ResponseCode.QUERY_NOT_FOUND);
    expect(missing.remark).toBe(QUERY_OFFSET_NOT_FOUND_REMARK);

    await broker.call(updateOffset('late-group', min + 1));
    const committed = await broker.call(queryOffset('late-group'));
    expect(committed.code).toBe(ResponseCode.SUCCESS);
    expect(decodeQueryConsumerOffsetResponseHeader(committed.extFields ?? {}).offset).toBe(min + 1);
  });

  it('answers QUERY_NOT_FOUND when a 5.x client sets setZeroIfNotFound=false', async () => {
    const broker = await startBroker();
    const response = await broker.call(
      RemotingCommand.request(
        RequestCode.QUERY_CONSUMER_OFFSET,
        encodeQueryConsumerOffsetRequestHeader({
          consumerGroup: 'g5',
          topic: TOPIC,
          queueId: 0,
          setZeroIfNotFound: false,
        }),
      ),
    );
    expect(response.code).toBe(ResponseCode.QUERY_NOT_FOUND);
  });

  it('answers SYSTEM_ERROR for a query missing a required header field', async () => {
    const broker = await startBroker();
    const response = await broker.call(
      RemotingCommand.request(RequestCode.QUERY_CONSUMER_OFFSET, { topic: TOPIC, queueId: '0' }),
    );
    expect(response.code).toBe(ResponseCode.SYSTEM_ERROR);
  });
});

describe('ConsumerOffsetManager', () => {
  it('falls back to 0 only while the min offset is at most 0', () => {
    let minOffset = 0;
    const offsets = new Map<string, number>();
    const manager = new ConsumerOffsetManager({
      store: {
        getMinOffsetInQueue: () => minOffset,
        metadata: {
          getConsumerOffset: (ref: { group: string }) => offsets.get(ref.group),
        },
      } as never,
    });
    const ref = { group: 'g', topic: TOPIC, queueId: 0 };
    expect(manager.queryOffset(ref)).toBe(-1);
    expect(manager.queryForClient(ref)).toBe(0);
    minOffset = 5;
    expect(manager.queryForClient(ref)).toBeUndefined();
    offsets.set('g', 3);
    expect(manager.queryForClient(ref)).toBe(3);
    expect(manager.queryForClient({ ...ref, group: 'other', setZeroIfNotFound: false })).toBe(
      undefined,
    );
  });

  it('shows an offset committed in the background at once, and has it in the metadata store once written', async () => {
    const { store } = await openTestStore();
    const manager = new ConsumerOffsetManager({ store });
    const ref = { group: 'bg', topic: TOPIC, queueId: 2 };
    const errors: unknown[] = [];
    manager.commitOffsetInBackground({ ...ref, offset: 7 }, (error) => errors.push(error));
    manager.commitOffsetInBackground({ ...ref, offset: 9 }, (error) => errors.push(error));
    // Visible to queries before the writes resolve: the latest commit wins.
    expect(manager.queryOffset(ref)).toBe(9);
    await waitFor(() => store.metadata.getConsumerOffset(ref) === 9);
    expect(manager.queryOffset(ref)).toBe(9);
    // A waited commit after background ones is what queries see once it is written.
    await manager.commitOffset({ ...ref, offset: 11 });
    expect(manager.queryOffset(ref)).toBe(11);
    expect(store.metadata.getConsumerOffset(ref)).toBe(11);
    expect(errors).toEqual([]);
  });

  it('coalesces background commits of one queue and lets a later waited commit win', async () => {
    const { store } = await openTestStore();
    let writes = 0;
    const manager = new ConsumerOffsetManager({
      store: {
        getMinOffsetInQueue: (topic: string, queueId: number) =>
          store.getMinOffsetInQueue(topic, queueId),
        metadata: {
          getConsumerOffset: (ref: { topic: string; group: string; queueId: number }) =>
            store.metadata.getConsumerOffset(ref),
          setConsumerOffset: (update: {
            topic: string;
            group: string;
            queueId: number;
            offset: number;
          }) => {
            writes++;
            return store.metadata.setConsumerOffset(update);
          },
        },
      } as never,
    });
    const ref = { group: 'co', topic: TOPIC, queueId: 1 };
    const fail = (error: unknown) => {
      throw error;
    };
    for (let offset = 1; offset <= 100; offset++)
      manager.commitOffsetInBackground({ ...ref, offset }, fail);
    expect(manager.queryOffset(ref)).toBe(100);
    await waitFor(() => store.metadata.getConsumerOffset(ref) === 100);
    // The first write, then only the latest offset once it was done.
    expect(writes).toBe(2);
    // A commit the caller waits for, made while background ones wait, is the one that stays.
    manager.commitOffsetInBackground({ ...ref, offset: 200 }, fail);
    manager.commitOffsetInBackground({ ...ref, offset: 201 }, fail);
    await manager.commitOffset({ ...ref, offset: 150 });
    await waitFor(() => manager.queryOffset(ref) === 150 && writes === 4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.metadata.getConsumerOffset(ref)).toBe(150);
    expect(manager.queryOffset(ref)).toBe(150);
  });

  it('writes every waiting background commit before flush resolves', async () => {
    const { store } = await openTestStore();
    const manager = new ConsumerOffsetManager({ store });
    const fail = (error: unknown) => {
      throw error;
    };
    for (let queueId = 0; queueId < 4; queueId++) {
      for (let offset = 1; offset <= 10; offset++) {
        manager.commitOffsetInBackground({ group: 'fl', topic: TOPIC, queueId, offset }, fail);
      }
    }
    await manager.flush();
    for (let queueId = 0; queueId < 4; queueId++) {
      expect(store.metadata.getConsumerOffset({ group: 'fl', topic: TOPIC, queueId })).toBe(10);
    }
  });

  it('reports a background commit the store refuses instead of throwing into the pull', async () => {
    const { store } = await openTestStore();
    const manager = new ConsumerOffsetManager({ store });
    const errors: unknown[] = [];
    manager.commitOffsetInBackground(
      { group: 'bad\u0000group', topic: TOPIC, queueId: 0, offset: 1 },
      (error) => errors.push(error),
    );
    await waitFor(() => errors.length === 1);
    expect(errors[0]).toBeInstanceOf(RangeError);
  });
});
