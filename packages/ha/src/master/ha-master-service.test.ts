import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { BLANK_MAGIC_CODE, createMemoryLogger } from '@rocketmq-ts/protocol';
import type { LogLine } from '@rocketmq-ts/protocol';
import type { MessageStore } from '@rocketmq-ts/store';
import { describe, expect, it } from 'vitest';
import {
  TEST_SEGMENT_BYTES,
  commitLogBytes,
  copyCommitLog,
  fillStore,
  onTestCleanup,
  openTestStore,
  startTestMaster,
  waitFor,
} from '../../test/ha-test-stores.js';
import { HA_TRANSFER_HEADER_BYTES, TransferFrameDecoder, encodeReport } from '../ha-frame.js';
import type { TransferFrame } from '../ha-frame.js';
import { HAClient } from '../slave/ha-client.js';

/** Puts `count` messages one after another on HaMaster queue 0, bodies `tag-i-` and up to 1500 more bytes. */
function fill(store: MessageStore, count: number, tag = 'm'): Promise<void> {
  return fillStore(store, { count }, (i) => ({
    topic: 'HaMaster',
    queueId: 0,
    body: `${tag}-${i}-${'x'.repeat((i * 53) % 1500)}`,
    uniqKey: `${tag}${i}`,
  }));
}

/** A hand-driven slave: a raw socket that reports what the test says and collects the master's frames. */
interface RawSlave {
  socket: Socket;
  frames: TransferFrame[];
  closed: Promise<void>;
  isClosed: () => boolean;
  report(offset: number): void;
}

async function rawSlave(port: number): Promise<RawSlave> {
  const socket = connect({ host: '127.0.0.1', port });
  onTestCleanup(() => void socket.destroy());
  const decoder = new TransferFrameDecoder();
  const frames: TransferFrame[] = [];
  let closedFlag = false;
  socket.on('data', (chunk: Buffer) => {
    decoder.push(chunk);
    for (let f = decoder.next(); f; f = decoder.next()) {
      frames.push({ ...f, body: Buffer.from(f.body) });
    }
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      closedFlag = true;
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    frames,
    closed,
    isClosed: () => closedFlag,
    report: (offset) => void socket.write(encodeReport(offset)),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('HAMasterService wire behaviour', () => {
  it('sends nothing before the first report, then frames within batch and segment limits', async () => {
    const store = await openTestStore('master');
    await fill(store, 120);
    const end = store.getMaxPhyOffset();
    expect(end).toBeGreaterThan(TEST_SEGMENT_BYTES);
    const master = await startTestMaster({
      store,
      transferBatchBytes: 3000,
      heartbeatIntervalMs: 100,
    });
    const slave = await rawSlave(master.port);
    await sleep(150);
    expect(slave.frames).toHaveLength(0);
    slave.report(0);
    await waitFor('data and a heartbeat', () =>
      slave.frames.some((f) => f.bodySize === 0 && f.phyOffset === end),
    );
    const data = slave.frames.filter((f) => f.bodySize > 0);
    let at = 0;
    for (const f of data) {
      expect(f.phyOffset).toBe(at);
      expect(f.bodySize).toBeLessThanOrEqual(3000);
      expect(Math.floor(f.phyOffset / TEST_SEGMENT_BYTES)).toBe(
        Math.floor((f.phyOffset + f.bodySize - 1) / TEST_SEGMENT_BYTES),
      );
      at += f.bodySize;
    }
    expect(at).toBe(end);
    const log = await commitLogBytes('master');
    const sent = Buffer.concat(data.map((f) => f.body));
    expect(sent.equals(log.subarray(0, end))).toBe(true);
    // Records fit in a frame here, so every frame ends where a record (or a segment) starts.
    for (const f of data) {
      const frameEnd = f.phyOffset + f.bodySize;
      if (frameEnd === end || frameEnd % TEST_SEGMENT_BYTES === 0) continue;
      if (log.readInt32BE(frameEnd + 4) === BLANK_MAGIC_CODE) continue;
      expect(Number(log.readBigInt64BE(frameEnd + 28)), `frame ending at ${frameEnd}`).toBe(
        frameEnd,
      );
    }
    expect(HA_TRANSFER_HEADER_BYTES).toBe(12);
  });

  it('stops reading the store while a slave does not read, and continues when it does', async () => {
    const store = await openTestStore('master', 8 * 1024 * 1024);
    const body = Buffer.alloc(1024, 0x42);
    for (let batch = 0; batch < 24; batch++) {
      await fillStore(store, { count: 1000, concurrent: true }, () => ({
        topic: 'HaBulk',
        queueId: 0,
        body,
      }));
    }
    const end = store.getMaxPhyOffset();
    const master = await startTestMaster({ store });
    const socket = connect({ host: '127.0.0.1', port: master.port });
    onTestCleanup(() => void socket.destroy());
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.pause();
    socket.write(encodeReport(0));
    await waitFor('streaming', () => (master.slaves()[0]?.transferredBytes ?? 0) > 0);
    await sleep(500);
    const stalledAt = master.slaves()[0]!.transferredBytes;
    expect(stalledAt).toBeLessThan(end);
    let received = 0;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.resume();
    await waitFor('everything sent', () => master.slaves()[0]?.transferredBytes === end);
    await waitFor('everything received', () => received >= end);
  });

  it('starts at a reported offset that is a record boundary', async () => {
    const store = await openTestStore('master');
    await fill(store, 3);
    const second = (
      await store.getMessage({ topic: 'HaMaster', queueId: 0, queueOffset: 1, maxMsgNums: 1 })
    ).messages[0]!;
    const boundary = Number(second.readBigInt64BE(28));
    const master = await startTestMaster({ store });
    const slave = await rawSlave(master.port);
    slave.report(boundary);
    await waitFor('first frame', () => slave.frames.length > 0);
    expect(slave.frames[0]!.phyOffset).toBe(boundary);
    expect(slave.frames[0]!.body.subarray(0, second.length).equals(second)).toBe(true);
  });

  it('drops a slave that stays silent for housekeepingIntervalMs', async () => {
    const store = await openTestStore('master');
    const master = await startTestMaster({ store, housekeepingIntervalMs: 300 });
    const slave = await rawSlave(master.port);
    slave.report(0);
    await waitFor('listed', () => master.slaves().length === 1);
    await slave.closed;
    await waitFor('unlisted', () => master.slaves().length === 0);
    expect(master.push2SlaveMaxOffset).toBe(0);
  });
});

describe('waitForReplica', () => {
  it('answers SLAVE_NOT_AVAILABLE without a slave and PUT_OK once a slave acked', async () => {
    const store = await openTestStore('master');
    const slaveStore = await openTestStore('slave');
    await fill(store, 5);
    const master = await startTestMaster({ store });
    expect(await master.waitForReplica(store.getMaxPhyOffset(), 1000)).toBe('SLAVE_NOT_AVAILABLE');
    const client = new HAClient({ store: slaveStore, masterAddress: `127.0.0.1:${master.port}` });
    onTestCleanup(() => client.close());
    client.start();
    await waitFor('slave streaming', () => master.slaves().length === 1 && client.connected);
    await fill(store, 3, 'more');
    const results = await Promise.all([
      master.waitForReplica(store.getMaxPhyOffset() - 100, 10_000),
      master.waitForReplica(store.getMaxPhyOffset(), 10_000),
    ]);
    expect(results).toEqual(['PUT_OK', 'PUT_OK']);
    expect(master.push2SlaveMaxOffset).toBeGreaterThanOrEqual(store.getMaxPhyOffset());
    expect(await master.waitForReplica(1, 10)).toBe('PUT_OK');
  });

  it('times out with FLUSH_SLAVE_TIMEOUT when the slave stops acking, and refuses a far-behind wait', async () => {
    const store = await openTestStore('master');
    await fill(store, 5);
    const master = await startTestMaster({ store, slaveFallbehindMaxBytes: 64 * 1024 });
    const slave = await rawSlave(master.port);
    slave.report(store.getMaxPhyOffset());
    await waitFor('ack', () => master.push2SlaveMaxOffset === store.getMaxPhyOffset());
    await fill(store, 1, 'late');
    expect(await master.waitForReplica(store.getMaxPhyOffset(), 200)).toBe('FLUSH_SLAVE_TIMEOUT');
    expect(await master.waitForReplica(master.push2SlaveMaxOffset + 64 * 1024, 200)).toBe(
      'SLAVE_NOT_AVAILABLE',
    );
    expect(master.slaves()[0]!.behindBytes).toBeGreaterThan(0);
  });

  it('resolves pending waits with FLUSH_SLAVE_TIMEOUT when the master closes', async () => {
    const store = await openTestStore('master');
    await fill(store, 2);
    const master = await startTestMaster({ store });
    const slave = await rawSlave(master.port);
    slave.report(store.getMaxPhyOffset());
    await waitFor('ack', () => master.push2SlaveMaxOffset === store.getMaxPhyOffset());
    const pending = master.waitForReplica(store.getMaxPhyOffset() + 500, 60_000);
    await master.close();
    expect(await pending).toBe('FLUSH_SLAVE_TIMEOUT');
    await slave.closed;
    expect(master.slaves()).toHaveLength(0);
    await master.close();
  });
});

describe('divergence policy', () => {
  async function expectRefused(report: number, store: MessageStore, reason: string): Promise<void> {
    const lines: LogLine[] = [];
    const master = await startTestMaster({ store, logger: createMemoryLogger(lines) });
    const slave = await rawSlave(master.port);
    slave.report(report);
    await slave.closed;
    expect(slave.frames).toHaveLength(0);
    const refusal = lines.find((l) => l.message === 'refusing slave: commit logs diverged');
    expect(refusal?.level).toBe('error');
    expect(refusal?.fields).toMatchObject({ reason, slavePhyOffset: report });
    expect(refusal?.fields?.masterPhyOffset).toEqual(expect.any(Number));
    await master.close();
  }

  it('refuses a slave that is ahead of the master', async () => {
    const store = await openTestStore('master');
    await fill(store, 3);
    await expectRefused(store.getMaxPhyOffset() + 1000, store, 'slave-ahead');
  });

  it('refuses a slave whose end is not a record boundary on the master', async () => {
    const store = await openTestStore('master');
    await fill(store, 3);
    await expectRefused(17, store, 'not-a-boundary');
  });

  it('refuses a slave whose end is older than the master retains', async () => {
    const origin = await openTestStore('origin');
    await fill(origin, 150);
    const store = await openTestStore('master');
    await copyCommitLog(origin, store, TEST_SEGMENT_BYTES);
    await expectRefused(100, store, 'history-gone');
  });

  it('refuses a slave store with another history and leaves it untouched', async () => {
    const lines: LogLine[] = [];
    const store = await openTestStore('master');
    const slaveStore = await openTestStore('slave');
    await fill(store, 20, 'master');
    await fill(slaveStore, 1, 'other-history-with-a-longer-body');
    const slaveEnd = slaveStore.getMaxPhyOffset();
    const before = await commitLogBytes('slave');
    const master = await startTestMaster({ store, logger: createMemoryLogger(lines) });
    const client = new HAClient({
      store: slaveStore,
      masterAddress: `127.0.0.1:${master.port}`,
      reconnectIntervalMs: 100,
    });
    onTestCleanup(() => client.close());
    client.start();
    await waitFor(
      'two refusals',
      () => lines.filter((l) => l.message === 'refusing slave: commit logs diverged').length >= 2,
    );
    await client.close();
    expect(slaveStore.getMaxPhyOffset()).toBe(slaveEnd);
    expect((await commitLogBytes('slave')).equals(before)).toBe(true);
    expect(master.push2SlaveMaxOffset).toBe(0);
  });
});
