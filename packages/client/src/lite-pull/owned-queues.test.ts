import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type { MessageQueue } from '@rocketmq-ts/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testMessage } from '../../test/test-message.js';
import { LocalFileOffsetStore } from '../consumer/local-file-offset-store.js';
import type { MessageExt } from '../message/message.js';
import type { OwnedQueue } from './owned-queue.js';
import { OwnedQueues } from './owned-queues.js';

const q0: MessageQueue = { topic: 'T', brokerName: 'b', queueId: 0 };
const q1: MessageQueue = { topic: 'T', brokerName: 'b', queueId: 1 };

function message(queueOffset: number): MessageExt {
  return testMessage({
    topic: 'T',
    body: Buffer.from(`m${queueOffset}`),
    msgId: `id${queueOffset}`,
    offsetMsgId: `id${queueOffset}`,
    queueOffset,
    commitLogOffset: queueOffset,
  });
}

describe('OwnedQueues', () => {
  let dir: string;
  let store: LocalFileOffsetStore;
  let started: OwnedQueue[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmq-'));
    store = new LocalFileOffsetStore({
      offsetStoreDir: dir,
      clientId: 'c',
      group: 'g',
      logger: NOOP_LOGGER,
    });
    started = [];
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function owned(autoCommit = true): OwnedQueues {
    const o = new OwnedQueues({ autoCommit, logger: NOOP_LOGGER });
    o.attach({ offsetStore: store, puller: { start: (q) => started.push(q) } });
    return o;
  }

  /** What a pull loop does with a found batch. */
  function pulled(
    o: OwnedQueues,
    queue: OwnedQueue,
    batch: { offsets: number[]; nextBeginOffset: number },
  ): void {
    const messages = batch.offsets.map(message);
    queue.pq.putMessages(messages);
    o.requests.push({ queue, generation: queue.generation, messages });
    queue.pullOffset = batch.nextBeginOffset;
  }

  it('takes queues on and off, starting a pull loop per new queue and persisting the ones given up', async () => {
    const o = owned();
    store.updateOffset(q0, 7, false);
    expect(o.update([q1, q0], () => true).changed).toBe(true);
    expect(o.queues()).toEqual([q0, q1]);
    expect(started.map((q) => q.mq)).toEqual([q1, q0]);
    expect(store.memoryOffset(q0)).toBeUndefined(); // re-read from the store on the first pull
    expect(o.update([q0, q1], () => true).changed).toBe(false);

    const queue1 = o.get(q1)!;
    queue1.consumeOffset = 4;
    const { changed, persisted } = o.update([q0], () => true);
    await persisted;
    expect(changed).toBe(true);
    expect(queue1.pq.dropped).toBe(true);
    expect(o.queues()).toEqual([q0]);
    expect(await store.readOffset(q1, 'READ_FROM_STORE')).toBe(4);
  });

  it('hands batches to poll in order and moves the consumed offset', async () => {
    const o = owned();
    o.update([q0], () => true);
    const queue = o.get(q0)!;
    pulled(o, queue, { offsets: [0, 1], nextBeginOffset: 2 });
    pulled(o, queue, { offsets: [2, 3], nextBeginOffset: 4 });
    expect((await o.take(0)).map((m) => m.queueOffset)).toEqual([0, 1]);
    expect(queue.consumeOffset).toBe(2);
    expect((await o.take(0)).map((m) => m.queueOffset)).toEqual([2, 3]);
    expect(queue.consumeOffset).toBe(4);
    expect(await o.take(0)).toEqual([]);
    o.commitToMemory();
    expect(store.memoryOffset(q0)).toBe(4);
  });

  it('counts messages filtered out after the last batch as consumed once nothing is cached', async () => {
    const o = owned();
    o.update([q0], () => true);
    const queue = o.get(q0)!;
    pulled(o, queue, { offsets: [0, 2], nextBeginOffset: 5 }); // offsets 1, 3 and 4 were filtered out
    await o.take(0);
    expect(queue.consumeOffset).toBe(5);
  });

  it('drops the batches of a queue restarted at an offset', async () => {
    const o = owned();
    o.update([q0], () => true);
    const queue = o.get(q0)!;
    pulled(o, queue, { offsets: [0, 1], nextBeginOffset: 2 });
    o.restartAt(queue, 1);
    expect(queue.seekOffset).toBe(1);
    expect(queue.pq.msgCount).toBe(0);
    expect(started.filter((q) => q === queue)).toHaveLength(2);
    expect(await o.take(0)).toEqual([]);

    expect(
      o.resetTo([
        [q0, 0],
        [q1, 9],
      ]),
    ).toBe(1);
    expect(queue.seekOffset).toBe(0);
    expect(store.memoryOffset(q0)).toBe(0);
  });

  it('closes: wakes waiting polls with nothing and lists what was owned', async () => {
    const o = owned();
    o.update([q0, q1], () => true);
    const waiting = o.take(5000);
    expect(o.close()).toEqual([q0, q1]);
    expect(await waiting).toEqual([]);
    expect(o.queues()).toEqual([]);
  });
});
