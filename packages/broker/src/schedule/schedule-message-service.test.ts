import {
  createMemoryLogger,
  encodeMessageProperties,
  tagsString2tagsCode,
} from '@rocketmq-ts/protocol';
import type { LogLine, MessageRecord } from '@rocketmq-ts/protocol';
import { parseMessageDelayLevel } from '@rocketmq-ts/store';
import type { MessageStore, PutMessageInput, PutMessageResult } from '@rocketmq-ts/store';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  makeTempDir,
  onTestCleanup,
  openTestStore,
  readRecords,
  waitFor,
} from '../../test/broker-test-context.js';
import { keyedTestMessage } from '../../test/test-messages.js';
import { SCHEDULE_TOPIC } from '../topic/topic-validator.js';
import { ScheduleMessageService } from './schedule-message-service.js';
import type { ScheduleMessageStore } from './schedule-message-service.js';
import { toScheduleMessage } from './to-schedule-message.js';

const DELAY_LEVELS = '1s 2s';
const LEVELS = parseMessageDelayLevel(DELAY_LEVELS);
const STORE_HOST = { host: '127.0.0.2', port: 10911 };
const TOPIC = 'TopicTest';

let dir: string;
let store: MessageStore | undefined;
let service: ScheduleMessageService | undefined;

beforeEach(async () => {
  dir = await makeTempDir();
});

/** Opens (or, later in a test, reopens) the store in this test's directory; closed after the test. */
async function openStore(): Promise<MessageStore> {
  const opened = await openTestStore({ storePathRootDir: dir, messageDelayLevel: DELAY_LEVELS });
  store = opened.store;
  return opened.store;
}

/** Starts a service over `target`, closed after the test. */
function startService(target: ScheduleMessageStore, lines: LogLine[] = []): ScheduleMessageService {
  const started = new ScheduleMessageService({
    store: target,
    levels: LEVELS,
    storeHost: () => STORE_HOST,
    logger: createMemoryLogger(lines),
  });
  onTestCleanup(() => started.close());
  started.start();
  service = started;
  return started;
}

function delayed(level: number, key: string): PutMessageInput {
  return toScheduleMessage(
    keyedTestMessage({
      topic: TOPIC,
      queueId: 2,
      key,
      flag: 7,
      reconsumeTimes: 2,
      extraProperties: [['DELAY', String(level)]],
    }),
    LEVELS.length,
  );
}

async function put(target: MessageStore, input: PutMessageInput): Promise<PutMessageResult> {
  const result = await target.putMessage(input);
  expect(result.status).toBe('PUT_OK');
  return result;
}

/** Deliveries wait for real delays of up to 2 s. */
function waitForDelivery(check: () => boolean): Promise<void> {
  return waitFor(check, { timeoutMs: 8000, intervalMs: 20 });
}

function delivered(target: MessageStore): Promise<MessageRecord[]> {
  return readRecords(target, { topic: TOPIC, queueId: 2 });
}

describe('ScheduleMessageService', () => {
  it('delivers a delayed message to its real topic and queue once due, with its fields and properties', async () => {
    const s = await openStore();
    const scheduled = await put(s, delayed(1, 'k1'));
    startService(s);
    await waitForDelivery(() => s.getMaxOffsetInQueue(TOPIC, 2) === 1);
    const [record] = await delivered(s);
    expect(record!.storeTimestamp).toBeGreaterThanOrEqual(scheduled.storeTimestamp + LEVELS[0]!);
    expect(record).toMatchObject({
      topic: TOPIC,
      queueId: 2,
      queueOffset: 0,
      flag: 7,
      sysFlag: 0,
      bornTimestamp: 1_700_000_000_000,
      bornHost: { host: '10.0.0.9', port: 50000 },
      storeHost: STORE_HOST,
      reconsumeTimes: 2,
    });
    expect(record!.body.toString()).toBe('body-k1');
    expect(record!.properties).toEqual(
      new Map([
        ['TAGS', 'TagA'],
        ['KEYS', 'k1'],
        ['UNIQ_KEY', 'UNIQ-k1'],
        ['REAL_TOPIC', TOPIC],
        ['REAL_QID', '2'],
      ]),
    );
    const [entry] = await s.readConsumeQueue({ topic: TOPIC, queueId: 2, queueOffset: 0 });
    expect(entry!.tagsCode).toBe(tagsString2tagsCode('TagA'));
    await waitForDelivery(() => s.metadata.getDelayOffset(1) === 1);
    expect(service!.offsetTable()).toEqual(
      new Map([
        [1, 1],
        [2, 0],
      ]),
    );
  });

  it('delivers messages of each level in order, each after its own delay', async () => {
    const s = await openStore();
    startService(s);
    const slow = await put(s, delayed(2, 'slow'));
    const fast = await put(s, delayed(1, 'fast'));
    const capped = await put(s, delayed(9, 'capped'));
    expect(capped.queueOffsets[0]).toBe(1);
    await waitForDelivery(() => s.getMaxOffsetInQueue(TOPIC, 2) === 3);
    const records = await delivered(s);
    expect(records.map((r) => r.properties.get('KEYS'))).toEqual(['fast', 'slow', 'capped']);
    expect(records[0]!.storeTimestamp).toBeGreaterThanOrEqual(fast.storeTimestamp + 1000);
    expect(records[1]!.storeTimestamp).toBeGreaterThanOrEqual(slow.storeTimestamp + 2000);
    expect(records[2]!.storeTimestamp).toBeGreaterThanOrEqual(capped.storeTimestamp + 2000);
    await waitForDelivery(() => s.metadata.getDelayOffset(2) === 2);
  });

  it('survives a restart mid-delay and delivers every message exactly once', async () => {
    let s = await openStore();
    startService(s);
    await put(s, delayed(1, 'first'));
    await waitForDelivery(() => s.getMaxOffsetInQueue(TOPIC, 2) === 1);
    await put(s, delayed(2, 'second'));
    await service!.close();
    await s.close();
    expect((await openStore()).getMaxOffsetInQueue(TOPIC, 2)).toBe(1);
    s = store!;
    expect(s.getMaxOffsetInQueue(SCHEDULE_TOPIC, 1)).toBe(1);
    startService(s);
    await waitForDelivery(() => s.getMaxOffsetInQueue(TOPIC, 2) === 2);
    await service!.close();
    expect((await delivered(s)).map((r) => r.properties.get('KEYS'))).toEqual(['first', 'second']);
    expect(s.metadata.delayOffsetTable()).toEqual(
      new Map([
        [1, 1],
        [2, 1],
      ]),
    );
  });

  it('keeps the offset on a refused put and delivers the message once the store accepts it', async () => {
    const s = await openStore();
    let refuse = true;
    const refusing: ScheduleMessageStore = {
      metadata: s.metadata,
      lookMessageByOffset: (phyOffset) => s.lookMessageByOffset(phyOffset),
      readConsumeQueue: (request) => s.readConsumeQueue(request),
      getMinOffsetInQueue: (topic, queueId) => s.getMinOffsetInQueue(topic, queueId),
      getMaxOffsetInQueue: (topic, queueId) => s.getMaxOffsetInQueue(topic, queueId),
      onMessageArrived: (listener) => s.onMessageArrived(listener),
      putMessage: (input) =>
        refuse
          ? Promise.resolve({
              status: 'SERVICE_NOT_AVAILABLE',
              remark: 'refused by the test',
              phyOffsets: [],
              queueOffsets: [],
              msgIds: [],
              storeTimestamp: 0,
              wroteBytes: 0,
              endPhyOffset: 0,
            })
          : s.putMessage(input),
    };
    await put(s, delayed(1, 'k1'));
    const lines: LogLine[] = [];
    startService(refusing, lines);
    await waitForDelivery(() =>
      lines.some((l) => l.message === 'delayed message put refused; will retry'),
    );
    expect(s.metadata.getDelayOffset(1)).toBeUndefined();
    expect(service!.offsetTable().get(1)).toBe(0);
    expect(s.getMaxOffsetInQueue(TOPIC, 2)).toBe(0);
    refuse = false;
    await waitForDelivery(() => s.getMaxOffsetInQueue(TOPIC, 2) === 1);
    await waitForDelivery(() => s.metadata.getDelayOffset(1) === 1);
    await service!.close();
    expect(s.getMaxOffsetInQueue(TOPIC, 2)).toBe(1);
  });

  it('skips a schedule record without a real destination and goes on with the next', async () => {
    const s = await openStore();
    const broken = delayed(1, 'broken');
    const properties = new Map([['DELAY', '1']]);
    await put(s, { ...broken, properties: encodeMessageProperties(properties) });
    await put(s, delayed(1, 'ok'));
    const lines: LogLine[] = [];
    startService(s, lines);
    await waitForDelivery(() => s.getMaxOffsetInQueue(TOPIC, 2) === 1);
    expect((await delivered(s))[0]!.properties.get('KEYS')).toBe('ok');
    expect(lines.find((l) => l.level === 'error')).toMatchObject({
      message: 'dropped a delayed message that cannot be delivered',
      fields: { level: 1, queueOffset: 0 },
    });
  });

  it('closes idempotently and does not start again after close', async () => {
    const s = await openStore();
    const svc = startService(s);
    await svc.close();
    await svc.close();
    svc.start();
    await put(s, delayed(1, 'late'));
    expect(s.getMaxOffsetInQueue(SCHEDULE_TOPIC, 0)).toBe(1);
    expect(s.getMaxOffsetInQueue(TOPIC, 2)).toBe(0);
  });
});
