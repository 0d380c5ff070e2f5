import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, encodeMessageProperties, tagsString2tagsCode } from '@rocketmq-ts/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMessageStore } from '../message-store.js';
import type { MessageStore, OpenMessageStoreOptions } from '../message-store.js';
import type { PutMessageInput } from '../store-types.js';
import {
  DEFAULT_MESSAGE_DELAY_LEVEL,
  SCHEDULE_TOPIC,
  deliverTimestamp,
  parseMessageDelayLevel,
  scheduleDelayLevel,
} from './delay-tags-code.js';

describe('parseMessageDelayLevel', () => {
  it('parses the default into RocketMQ’s 18 levels in ms', () => {
    const levels = parseMessageDelayLevel(DEFAULT_MESSAGE_DELAY_LEVEL);
    expect(levels).toHaveLength(18);
    expect(levels.slice(0, 5)).toEqual([1000, 5000, 10_000, 30_000, 60_000]);
    expect(levels.at(-1)).toBe(2 * 3600 * 1000);
  });

  it('accepts every unit and extra blanks', () => {
    expect(parseMessageDelayLevel(' 2s  3m 1h\t1d ')).toEqual([
      2000, 180_000, 3_600_000, 86_400_000,
    ]);
  });

  it('throws a ConfigError naming the key and value for a bad delay or an empty list', () => {
    for (const bad of ['', '   ', '1s 5x', '1.5s', 's', '5', '-1s']) {
      let thrown: unknown;
      try {
        parseMessageDelayLevel(bad);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect(thrown).toMatchObject({ key: 'messageDelayLevel', value: bad });
    }
  });
});

describe('delayed tags code', () => {
  it('reads DELAY only for the schedule topic, as a positive integer', () => {
    expect(scheduleDelayLevel(SCHEDULE_TOPIC, '3')).toBe(3);
    expect(scheduleDelayLevel('TopicTest', '3')).toBe(0);
    expect(scheduleDelayLevel(SCHEDULE_TOPIC, undefined)).toBe(0);
    expect(scheduleDelayLevel(SCHEDULE_TOPIC, '0')).toBe(0);
    expect(scheduleDelayLevel(SCHEDULE_TOPIC, 'x')).toBe(0);
  });

  it('adds the level’s delay to the store time, capping the level at the highest', () => {
    const levels = [1000, 5000];
    expect(deliverTimestamp(levels, 1, 100)).toBe(1100);
    expect(deliverTimestamp(levels, 2, 100)).toBe(5100);
    expect(deliverTimestamp(levels, 9, 100)).toBe(5100);
  });
});

describe('message store: schedule-topic consume-queue entries', () => {
  let dir: string;
  const opened: MessageStore[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmq-store-'));
  });
  afterEach(async () => {
    while (opened.length > 0) await opened.pop()!.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function open(options: Partial<OpenMessageStoreOptions> = {}): Promise<MessageStore> {
    const store = await openMessageStore({
      storePathRootDir: dir,
      mappedFileSizeCommitLog: 64 * 1024,
      mappedFileSizeConsumeQueue: 20 * 100,
      maxMessageSize: 16 * 1024,
      diskUsageProbe: () => Promise.resolve(10),
      messageDelayLevel: '1s 2s',
      ...options,
    });
    opened.push(store);
    return store;
  }

  function message(topic: string, queueId: number, delay?: string): PutMessageInput {
    const properties = new Map([['TAGS', 'TagA']]);
    if (delay !== undefined) properties.set('DELAY', delay);
    return {
      topic,
      queueId,
      body: Buffer.from('hello'),
      properties: encodeMessageProperties(properties),
      bornTimestamp: Date.now(),
      bornHost: { host: '127.0.0.1', port: 50000 },
      storeHost: { host: '127.0.0.1', port: 10911 },
    };
  }

  async function putThree(store: MessageStore): Promise<number[]> {
    const results = [
      await store.putMessage(message(SCHEDULE_TOPIC, 0, '1')),
      await store.putMessage(message(SCHEDULE_TOPIC, 1, '7')),
      await store.putMessage(message('TopicTest', 0, '2')),
    ];
    expect(results.map((r) => r.status)).toEqual(['PUT_OK', 'PUT_OK', 'PUT_OK']);
    return results.map((r) => r.storeTimestamp);
  }

  async function tagsCodes(store: MessageStore): Promise<number[]> {
    const read = async (topic: string, queueId: number) =>
      (await store.readConsumeQueue({ topic, queueId, queueOffset: 0 })).map((e) => e.tagsCode);
    return [
      ...(await read(SCHEDULE_TOPIC, 0)),
      ...(await read(SCHEDULE_TOPIC, 1)),
      ...(await read('TopicTest', 0)),
    ];
  }

  it('stores the delivery time instead of the tag hash for delayed records', async () => {
    const store = await open();
    const [t0, t1] = await putThree(store);
    // Level 7 is capped at the highest configured level (2 → 2 s); other topics keep the tag hash.
    expect(await tagsCodes(store)).toEqual([t0! + 1000, t1! + 2000, tagsString2tagsCode('TagA')]);
  });

  it('rebuilds the same entries from the commit log after a crash', async () => {
    let store = await open();
    const [t0, t1] = await putThree(store);
    await store.close();
    opened.pop();
    await rm(join(dir, 'consumequeue'), { recursive: true });
    await rm(join(dir, 'checkpoint'));
    await writeFile(join(dir, 'abort'), '');
    store = await open();
    expect(store.recovery.redispatched).toBe(3);
    expect(await tagsCodes(store)).toEqual([t0! + 1000, t1! + 2000, tagsString2tagsCode('TagA')]);
  });

  it('reads raw consume-queue entries, empty outside the queue', async () => {
    const store = await open();
    const first = await store.putMessage(message('TopicTest', 0));
    const second = await store.putMessage(message('TopicTest', 0));
    const entries = await store.readConsumeQueue({
      topic: 'TopicTest',
      queueId: 0,
      queueOffset: 0,
    });
    expect(entries.map((e) => e.phyOffset)).toEqual([first.phyOffsets[0], second.phyOffsets[0]]);
    expect(entries[0]!.size).toBe(first.wroteBytes);
    expect(
      await store.readConsumeQueue({
        topic: 'TopicTest',
        queueId: 0,
        queueOffset: 1,
        maxEntries: 5,
      }),
    ).toHaveLength(1);
    expect(
      await store.readConsumeQueue({ topic: 'TopicTest', queueId: 0, queueOffset: 2 }),
    ).toEqual([]);
    expect(await store.readConsumeQueue({ topic: 'Nope', queueId: 0, queueOffset: 0 })).toEqual([]);
  });

  it('refuses to open with a bad messageDelayLevel', async () => {
    await expect(open({ messageDelayLevel: '1s 2q' })).rejects.toMatchObject({
      name: 'ConfigError',
      key: 'messageDelayLevel',
      value: '1s 2q',
    });
  });
});
