import {
  createMemoryLogger,
  decodeMessageRecord,
  encodeMessageProperties,
} from '@rocketmq-ts/protocol';
import type { LogLine, MessageRecord } from '@rocketmq-ts/protocol';
import type { MessageStore, PutMessageInput } from '@rocketmq-ts/store';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  makeTempDir,
  onTestCleanup,
  openTestStore,
  waitFor,
} from '../../test/broker-test-context.js';
import { keyedTestMessage } from '../../test/test-messages.js';
import { loadTimerCheckpoint } from './timer-checkpoint.js';
import { TimerMessageService } from './timer-message-service.js';
import type { TimerMessageServiceOptions } from './timer-message-service.js';
import { TIMER_TOPIC, toTimerMessage } from './to-timer-message.js';

const STORE_HOST = { host: '127.0.0.2', port: 10911 };
const TOPIC = 'TopicTest';

let dir: string;

beforeEach(async () => {
  dir = await makeTempDir();
});

async function openStore(): Promise<MessageStore> {
  return (await openTestStore({ storePathRootDir: dir, mappedFileSizeCommitLog: 1024 * 1024 }))
    .store;
}

function startService(
  store: MessageStore,
  options: Partial<TimerMessageServiceOptions> = {},
): TimerMessageService {
  const service = new TimerMessageService({
    store,
    storeHost: () => STORE_HOST,
    precisionMs: 100,
    ...options,
  });
  onTestCleanup(() => service.close());
  service.start();
  return service;
}

function timer(key: string, deliverAtMs: number): PutMessageInput {
  return toTimerMessage(
    keyedTestMessage({
      topic: TOPIC,
      queueId: 1,
      key,
      flag: 3,
      reconsumeTimes: 1,
      extraProperties: [['TIMER_DELIVER_MS', String(deliverAtMs)]],
    }),
    deliverAtMs,
  );
}

async function put(store: MessageStore, input: PutMessageInput): Promise<void> {
  expect((await store.putMessage(input)).status).toBe('PUT_OK');
}

async function delivered(store: MessageStore): Promise<MessageRecord[]> {
  const out: MessageRecord[] = [];
  for (let offset = 0; offset < store.getMaxOffsetInQueue(TOPIC, 1);) {
    const got = await store.getMessage({ topic: TOPIC, queueId: 1, queueOffset: offset });
    if (got.messages.length === 0) break;
    for (const buffer of got.messages) {
      const decoded = decodeMessageRecord(buffer);
      if (decoded.kind === 'message') out.push(decoded.record);
    }
    offset += got.messages.length;
  }
  return out;
}

function waitForCount(store: MessageStore, count: number, timeoutMs = 10_000): Promise<void> {
  return waitFor(() => store.getMaxOffsetInQueue(TOPIC, 1) >= count, {
    timeoutMs,
    intervalMs: 10,
  });
}

describe('TimerMessageService', () => {
  it('delivers a timer message to its real topic once due, not before, with its fields', async () => {
    const store = await openStore();
    startService(store);
    const deliverAtMs = Date.now() + 400;
    await put(store, timer('k1', deliverAtMs));
    await waitForCount(store, 1);
    const [record] = await delivered(store);
    expect(record!.storeTimestamp).toBeGreaterThanOrEqual(deliverAtMs);
    // Within precision plus a generous margin for a busy machine.
    expect(record!.storeTimestamp - deliverAtMs).toBeLessThan(1000);
    expect(record).toMatchObject({
      topic: TOPIC,
      queueId: 1,
      flag: 3,
      bornTimestamp: 1_700_000_000_000,
      storeHost: STORE_HOST,
      reconsumeTimes: 1,
    });
    expect(record!.body.toString()).toBe('body-k1');
    const props = record!.properties;
    expect(props.get('UNIQ_KEY')).toBe('UNIQ-k1');
    expect(props.get('TIMER_OUT_MS')).toBe(String(deliverAtMs));
    expect(props.has('REAL_TOPIC')).toBe(false);
    expect(props.has('REAL_QID')).toBe(false);
    expect(Number(props.get('TIMER_DEQUEUE_MS'))).toBeGreaterThanOrEqual(deliverAtMs);
    expect(props.has('TIMER_ENQUEUE_MS')).toBe(true);
  });

  it('delivers many timers in order of their delivery time', async () => {
    const store = await openStore();
    const base = Date.now() + 300;
    const count = 300;
    // Enqueued in a scrambled order, due over about 1.5 s.
    for (let i = 0; i < count; i++) {
      const slot = (i * 7919) % count;
      await put(store, timer(`k${slot}`, base + slot * 5));
    }
    const deliveries: Array<[number, number]> = [];
    startService(store, { onDelivered: (at, stored) => deliveries.push([at, stored]) });
    await waitForCount(store, count);
    const keys = (await delivered(store)).map((r) => Number(r.properties.get('KEYS')!.slice(1)));
    expect(keys).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(deliveries).toHaveLength(count);
    for (const [at, stored] of deliveries) expect(stored).toBeGreaterThanOrEqual(at);
  });

  it('delivers every remaining timer after a restart, none twice', async () => {
    let store = await openStore();
    let service = startService(store);
    const base = Date.now();
    await put(store, timer('early', base + 200));
    await put(store, timer('late-1', base + 1500));
    await put(store, timer('late-2', base + 1800));
    await put(store, timer('middle', base + 700));
    await waitForCount(store, 2);
    await waitFor(() => service.stats().checkpoint.deliveredUntilMs >= base + 700, {
      timeoutMs: 5000,
    });
    await service.close();
    await store.close();
    const checkpoint = loadTimerCheckpoint((store = await openStore()).metadata);
    expect(checkpoint).toMatchObject({ lowOffset: 0, scanOffset: 4 });
    expect(store.getMaxOffsetInQueue(TOPIC, 1)).toBe(2);
    service = startService(store);
    await waitForCount(store, 4);
    await waitFor(() => service.stats().delivered === 2);
    // Give a would-be duplicate time to show up.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const keys = (await delivered(store)).map((r) => r.properties.get('KEYS'));
    expect(keys).toEqual(['early', 'middle', 'late-1', 'late-2']);
  });

  it('delivers overdue timers at once after a restart that came too late', async () => {
    let store = await openStore();
    const base = Date.now();
    await put(store, timer('a', base + 100));
    await put(store, timer('b', base + 150));
    await store.close();
    store = await openStore();
    await new Promise((resolve) => setTimeout(resolve, 300));
    startService(store);
    await waitForCount(store, 2);
    expect((await delivered(store)).map((r) => r.properties.get('KEYS'))).toEqual(['a', 'b']);
  });

  it('keeps a far timer in the overflow and delivers it when due', async () => {
    const store = await openStore();
    const service = startService(store, { precisionMs: 100, slotCount: 4 });
    const deliverAtMs = Date.now() + 1200;
    await put(store, timer('far', deliverAtMs));
    await waitFor(() => service.stats().overflow === 1, { timeoutMs: 5000 });
    expect(service.stats().pending).toBe(1);
    await waitForCount(store, 1);
    const [record] = await delivered(store);
    expect(record!.storeTimestamp).toBeGreaterThanOrEqual(deliverAtMs);
    expect(service.stats()).toMatchObject({ pending: 0, overflow: 0, delivered: 1 });
  });

  it('skips a timer record without a real destination and goes on', async () => {
    const store = await openStore();
    const lines: LogLine[] = [];
    const now = Date.now();
    await put(store, {
      ...timer('broken', now),
      properties: encodeMessageProperties(new Map([['TIMER_OUT_MS', String(now)]])),
    });
    await put(store, timer('ok', now + 50));
    startService(store, { logger: createMemoryLogger(lines) });
    await waitForCount(store, 1);
    expect((await delivered(store))[0]!.properties.get('KEYS')).toBe('ok');
    expect(lines.find((l) => l.level === 'error')).toMatchObject({
      message: 'dropped a timer message that cannot be delivered',
    });
    expect(store.getMaxOffsetInQueue(TIMER_TOPIC, 0)).toBe(2);
  });
});
