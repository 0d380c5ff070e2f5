import {
  ConfigError,
  HeaderFieldError,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeMessageRecord,
  decodeMessageRecords,
  decodeQueryMessageResponseHeader,
  encodeQueryMessageRequestHeader,
  encodeViewMessageRequestHeader,
} from '@rocketmq-ts/protocol';
import type { MessageRecord, QueryMessageRequestHeader } from '@rocketmq-ts/protocol';
import type { MessageStore, PutMessageResult } from '@rocketmq-ts/store';
import { describe, expect, it } from 'vitest';
import { TEST_STORE_OPTIONS, openTestStore } from '../../test/broker-test-context.js';
import {
  QUERY_MESSAGE_NOT_FOUND_REMARK,
  QueryMessageProcessor,
} from './query-message-processor.js';
import type { QueryMessageProcessorOptions } from './query-message-processor.js';

const TOPIC = 'TopicTest';
const SEGMENT_BYTES = TEST_STORE_OPTIONS.mappedFileSizeCommitLog;

async function setup(
  options: Omit<QueryMessageProcessorOptions, 'store'> = {},
): Promise<{ store: MessageStore; processor: QueryMessageProcessor }> {
  const { store } = await openTestStore();
  return { store, processor: new QueryMessageProcessor({ store, ...options }) };
}

async function put(
  store: MessageStore,
  properties: Record<string, string>,
  body = 'hello',
): Promise<PutMessageResult> {
  const result = await store.putMessage({
    topic: TOPIC,
    queueId: 0,
    body: Buffer.from(body),
    properties,
    bornTimestamp: Date.now(),
    bornHost: { host: '127.0.0.1', port: 50000 },
    storeHost: { host: '127.0.0.1', port: 10911 },
  });
  expect(result.status).toBe('PUT_OK');
  return result;
}

function queryRequest(
  header: Partial<QueryMessageRequestHeader> & { key: string },
  extra: Record<string, string> = {},
): RemotingCommand {
  return RemotingCommand.request(RequestCode.QUERY_MESSAGE, {
    ...encodeQueryMessageRequestHeader({
      topic: TOPIC,
      maxNum: 32,
      beginTimestamp: 0,
      endTimestamp: Number.MAX_SAFE_INTEGER,
      ...header,
    }),
    ...extra,
  });
}

async function queryRecords(
  processor: QueryMessageProcessor,
  request: RemotingCommand,
): Promise<MessageRecord[]> {
  const response = await processor.process(request);
  expect(response.code).toBe(ResponseCode.SUCCESS);
  return decodeMessageRecords(response.body!);
}

function viewRequest(offset: number): RemotingCommand {
  return RemotingCommand.request(
    RequestCode.VIEW_MESSAGE_BY_ID,
    encodeViewMessageRequestHeader({ offset }),
  );
}

describe('QueryMessageProcessor QUERY_MESSAGE', () => {
  it('returns every message indexed under a key, back to back in commit-log order', async () => {
    const { store, processor } = await setup();
    const a = await put(store, { KEYS: 'order-1', UNIQ_KEY: 'U1' }, 'a');
    await put(store, { KEYS: 'order-2', UNIQ_KEY: 'U2' }, 'b');
    const c = await put(store, { KEYS: 'first order-1', UNIQ_KEY: 'U3' }, 'c');

    const response = await processor.process(queryRequest({ key: 'order-1' }));
    expect(response.code).toBe(ResponseCode.SUCCESS);
    const records = decodeMessageRecords(response.body!);
    expect(records.map((r) => r.body.toString())).toEqual(['a', 'c']);
    expect(records.map((r) => r.phyOffset)).toEqual([a.phyOffsets[0], c.phyOffsets[0]]);
    expect(records[0]!.properties.get('KEYS')).toBe('order-1');

    const header = decodeQueryMessageResponseHeader(response.extFields ?? {});
    expect(header.indexLastUpdatePhyoffset).toBe(store.getMaxPhyOffset());
    expect(header.indexLastUpdateTimestamp).toBe(c.storeTimestamp);
  });

  it('finds a message by any space-separated word of KEYS', async () => {
    const { store, processor } = await setup();
    await put(store, { KEYS: 'alpha beta', UNIQ_KEY: 'U1' }, 'x');
    const records = await queryRecords(processor, queryRequest({ key: 'beta' }));
    expect(records.map((r) => r.body.toString())).toEqual(['x']);
  });

  it('returns the newest maxNum matches', async () => {
    const { store, processor } = await setup();
    for (let i = 0; i < 5; i++) await put(store, { KEYS: 'k', UNIQ_KEY: `U${i}` }, `m${i}`);
    const records = await queryRecords(processor, queryRequest({ key: 'k', maxNum: 2 }));
    expect(records.map((r) => r.body.toString())).toEqual(['m3', 'm4']);
  });

  it('caps maxNum at maxMsgsNumBatch', async () => {
    const { store, processor } = await setup({ maxMsgsNumBatch: 3 });
    for (let i = 0; i < 5; i++) await put(store, { KEYS: 'k', UNIQ_KEY: `U${i}` }, `m${i}`);
    const records = await queryRecords(processor, queryRequest({ key: 'k', maxNum: 1000 }));
    expect(records.map((r) => r.body.toString())).toEqual(['m2', 'm3', 'm4']);
  });

  it('uses defaultQueryMaxNum for a unique-key query, whatever maxNum says', async () => {
    const { store, processor } = await setup({ defaultQueryMaxNum: 2 });
    // A producer retry stores the same UNIQ_KEY more than once.
    for (let i = 0; i < 3; i++) await put(store, { UNIQ_KEY: 'DUP' }, `try${i}`);
    const unique = await queryRecords(
      processor,
      queryRequest({ key: 'DUP', maxNum: 1 }, { _UNIQUE_KEY_QUERY: 'true' }),
    );
    expect(unique.map((r) => r.body.toString())).toEqual(['try1', 'try2']);
    // The flag is compared with "true" case-sensitively, as Java does.
    const plain = await queryRecords(
      processor,
      queryRequest({ key: 'DUP', maxNum: 1 }, { _UNIQUE_KEY_QUERY: 'TRUE' }),
    );
    expect(plain.map((r) => r.body.toString())).toEqual(['try2']);
  });

  it('defaults a unique-key query to 32 results', async () => {
    const { store, processor } = await setup();
    for (let i = 0; i < 34; i++) await put(store, { UNIQ_KEY: 'DUP' }, `try${i}`);
    const records = await queryRecords(
      processor,
      queryRequest({ key: 'DUP', maxNum: 1 }, { _UNIQUE_KEY_QUERY: 'true' }),
    );
    expect(records).toHaveLength(32);
    expect(records[31]!.body.toString()).toBe('try33');
  });

  it('answers QUERY_NOT_FOUND with the index header for an unknown key or a time range without matches', async () => {
    const { store, processor } = await setup();
    const put1 = await put(store, { KEYS: 'k', UNIQ_KEY: 'U1' });
    for (const request of [
      queryRequest({ key: 'missing' }),
      queryRequest({ key: 'k', beginTimestamp: put1.storeTimestamp + 1 }),
      queryRequest({ key: 'k', endTimestamp: put1.storeTimestamp - 1 }),
      queryRequest({ key: 'k', topic: 'OtherTopic' }),
    ]) {
      const response = await processor.process(request);
      expect(response.code).toBe(ResponseCode.QUERY_NOT_FOUND);
      expect(response.remark).toBe(QUERY_MESSAGE_NOT_FOUND_REMARK);
      expect(response.body).toBeUndefined();
      expect(
        decodeQueryMessageResponseHeader(response.extFields ?? {}).indexLastUpdatePhyoffset,
      ).toBe(store.getMaxPhyOffset());
    }
    const inRange = await queryRecords(
      processor,
      queryRequest({
        key: 'k',
        beginTimestamp: put1.storeTimestamp,
        endTimestamp: put1.storeTimestamp,
      }),
    );
    expect(inRange).toHaveLength(1);
  });

  it('rejects a header without a required field with HeaderFieldError', async () => {
    const { processor } = await setup();
    await expect(
      processor.process(
        RemotingCommand.request(RequestCode.QUERY_MESSAGE, { topic: TOPIC, key: 'k' }),
      ),
    ).rejects.toBeInstanceOf(HeaderFieldError);
  });
});

describe('QueryMessageProcessor VIEW_MESSAGE_BY_ID', () => {
  it('returns the record stored at the offset', async () => {
    const { store, processor } = await setup();
    await put(store, { UNIQ_KEY: 'U0' }, 'first');
    const second = await put(store, { KEYS: 'k', UNIQ_KEY: 'U1' }, 'second');
    const response = await processor.process(viewRequest(second.phyOffsets[0]!));
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(response.body).toEqual(await store.lookMessageByOffset(second.phyOffsets[0]!));
    const entry = decodeMessageRecord(response.body!);
    expect(entry).toMatchObject({ kind: 'message', size: response.body!.length });
    const record = decodeMessageRecords(response.body!)[0]!;
    expect(record.body.toString()).toBe('second');
    expect(record.phyOffset).toBe(second.phyOffsets[0]);
    expect(record.properties.get('UNIQ_KEY')).toBe('U1');
  });

  it('answers SYSTEM_ERROR for an offset that does not start a message', async () => {
    const { store, processor } = await setup();
    const puts: PutMessageResult[] = [];
    while (puts.length === 0 || puts[puts.length - 1]!.phyOffsets[0]! < SEGMENT_BYTES) {
      puts.push(await put(store, { UNIQ_KEY: `U${puts.length}` }, 'x'.repeat(8000)));
    }
    const lastInFirstSegment = puts[puts.length - 2]!;
    const blankFiller = lastInFirstSegment.phyOffsets[0]! + lastInFirstSegment.wroteBytes;
    expect(blankFiller).toBeLessThan(SEGMENT_BYTES);
    const end = store.getMaxPhyOffset();
    for (const offset of [end, end + 1000, puts[0]!.phyOffsets[0]! + 1, blankFiller, -1]) {
      const response = await processor.process(viewRequest(offset));
      expect(response.code).toBe(ResponseCode.SYSTEM_ERROR);
      expect(response.remark).toBe(`can not find message by the offset, ${offset}`);
      expect(response.body).toBeUndefined();
    }
  });

  it('rejects a header without offset with HeaderFieldError', async () => {
    const { processor } = await setup();
    await expect(
      processor.process(RemotingCommand.request(RequestCode.VIEW_MESSAGE_BY_ID, {})),
    ).rejects.toBeInstanceOf(HeaderFieldError);
  });
});

describe('QueryMessageProcessor', () => {
  it('answers REQUEST_CODE_NOT_SUPPORTED for a code it does not handle', async () => {
    const { processor } = await setup();
    await expect(
      processor.process(RemotingCommand.request(RequestCode.LOCK_BATCH_MQ, {})),
    ).rejects.toMatchObject({ code: ResponseCode.REQUEST_CODE_NOT_SUPPORTED });
  });

  it('refuses a non-positive defaultQueryMaxNum or maxMsgsNumBatch', async () => {
    const { store } = await openTestStore();
    expect(() => new QueryMessageProcessor({ store, defaultQueryMaxNum: 0 })).toThrow(ConfigError);
    expect(() => new QueryMessageProcessor({ store, maxMsgsNumBatch: 1.5 })).toThrow(ConfigError);
  });
});
