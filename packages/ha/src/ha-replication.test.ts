import { createMemoryLogger } from '@rocketmq-ts/protocol';
import type { LogLine } from '@rocketmq-ts/protocol';
import type { MessageStore } from '@rocketmq-ts/store';
import { describe, expect, it } from 'vitest';
import {
  TEST_SEGMENT_BYTES,
  copyCommitLog,
  fillStore,
  openTestStore,
  readCommitLogSegments,
  startTestClient,
  startTestMaster,
  waitFor,
} from '../test/ha-test-stores.js';

/** Puts messages `from` … `from + count - 1` at once, over three topics and two queues, bodies up to ~900 bytes. */
function fill(store: MessageStore, count: number, from = 0): Promise<void> {
  return fillStore(store, { count, from, concurrent: true }, (i) => ({
    topic: `Ha${i % 3}`,
    queueId: i % 2,
    body: `body-${i}-${'h'.repeat((i * 37) % 900)}`,
    uniqKey: `U${i}`,
  }));
}

async function expectSameCommitLog(masterDir: string, slaveDir: string): Promise<number> {
  const masterSegments = await readCommitLogSegments(masterDir);
  const slaveSegments = await readCommitLogSegments(slaveDir);
  expect(slaveSegments.map((s) => s.name)).toEqual(masterSegments.map((s) => s.name));
  for (const [i, { name, bytes }] of masterSegments.entries()) {
    expect(slaveSegments[i]!.bytes.equals(bytes), `segment ${name}`).toBe(true);
  }
  return masterSegments.length;
}

const caughtUp = (master: MessageStore, slave: MessageStore) => () =>
  slave.getMaxPhyOffset() === master.getMaxPhyOffset();

describe('master → slave streaming', () => {
  it('replicates a byte-identical commit log, before and after the slave connects', async () => {
    const masterStore = await openTestStore('master');
    const slaveStore = await openTestStore('slave');
    await fill(masterStore, 150);
    const master = await startTestMaster({ store: masterStore, transferBatchBytes: 1000 });
    const client = startTestClient({
      store: slaveStore,
      masterAddress: `127.0.0.1:${master.port}`,
    });
    await waitFor('initial catch-up', caughtUp(masterStore, slaveStore));
    await fill(masterStore, 150, 150);
    await waitFor('second catch-up', caughtUp(masterStore, slaveStore));
    expect(masterStore.getMaxPhyOffset()).toBeGreaterThan(2 * TEST_SEGMENT_BYTES);
    expect(await expectSameCommitLog('master', 'slave')).toBeGreaterThan(2);
    // The slave rebuilt its queues from the replicated records.
    expect(slaveStore.getMaxOffsetInQueue('Ha1', 0)).toBe(
      masterStore.getMaxOffsetInQueue('Ha1', 0),
    );
    await waitFor(
      'ack reaches the end',
      () => master.push2SlaveMaxOffset === masterStore.getMaxPhyOffset(),
    );
    const [status] = master.slaves();
    expect(status).toMatchObject({ ackOffset: masterStore.getMaxPhyOffset(), behindBytes: 0 });
    expect(status!.transferredBytes).toBe(masterStore.getMaxPhyOffset());
    expect(client.connected).toBe(true);
    expect(client.status()).toMatchObject({
      connected: true,
      maxOffset: masterStore.getMaxPhyOffset(),
      masterMaxOffset: masterStore.getMaxPhyOffset(),
      behindBytes: 0,
      diverged: undefined,
    });
  });

  it('resumes from the slave store offset after the slave restarts', async () => {
    const masterStore = await openTestStore('master');
    let slaveStore = await openTestStore('slave');
    await fill(masterStore, 80);
    const master = await startTestMaster({ store: masterStore, transferBatchBytes: 4096 });
    const address = `127.0.0.1:${master.port}`;
    let client = startTestClient({ store: slaveStore, masterAddress: address });
    await waitFor('first catch-up', caughtUp(masterStore, slaveStore));
    await client.close();
    await slaveStore.close();
    const resumedFrom = slaveStore.getMaxPhyOffset();
    await fill(masterStore, 120, 80);
    slaveStore = await openTestStore('slave');
    expect(slaveStore.getMaxPhyOffset()).toBe(resumedFrom);
    client = startTestClient({ store: slaveStore, masterAddress: address });
    await waitFor('catch-up after restart', caughtUp(masterStore, slaveStore));
    await expectSameCommitLog('master', 'slave');
    // Only the missing part was sent the second time.
    await waitFor('second connection listed', () => master.slaves().length === 1);
    expect(master.slaves()[0]!.transferredBytes).toBe(masterStore.getMaxPhyOffset() - resumedFrom);
  });

  it('sends an empty slave (report 0) the whole retained history, from the oldest segment', async () => {
    // A master whose log starts at its second segment: itself an empty slave that joined a longer log there.
    const origin = await openTestStore('origin');
    await fill(origin, 300);
    const masterStore = await openTestStore('master');
    await copyCommitLog(origin, masterStore, TEST_SEGMENT_BYTES);
    expect(masterStore.getMinPhyOffset()).toBe(TEST_SEGMENT_BYTES);
    const slaveStore = await openTestStore('slave');
    const master = await startTestMaster({ store: masterStore });
    startTestClient({ store: slaveStore, masterAddress: `127.0.0.1:${master.port}` });
    await waitFor('catch-up', caughtUp(masterStore, slaveStore));
    expect(slaveStore.getMinPhyOffset()).toBe(TEST_SEGMENT_BYTES);
    await expectSameCommitLog('master', 'slave');
  });

  it('reconnects after the master restarts and continues', async () => {
    const masterStore = await openTestStore('master');
    const slaveStore = await openTestStore('slave');
    await fill(masterStore, 40);
    let master = await startTestMaster({ store: masterStore });
    const port = master.port;
    const client = startTestClient({ store: slaveStore, masterAddress: `127.0.0.1:${port}` });
    await waitFor('catch-up', caughtUp(masterStore, slaveStore));
    await master.close();
    await waitFor('slave notices the close', () => !client.connected);
    await fill(masterStore, 40, 40);
    master = await startTestMaster({ store: masterStore, port });
    await waitFor('catch-up after master restart', caughtUp(masterStore, slaveStore));
    expect(client.connected).toBe(true);
    await expectSameCommitLog('master', 'slave');
  });

  it('sends heartbeats so an idle slave is not dropped, and follows a master address change', async () => {
    const lines: LogLine[] = [];
    const masterStore = await openTestStore('master');
    const relayStore = await openTestStore('relay');
    const slaveStore = await openTestStore('slave');
    await fill(masterStore, 60);
    const timing = { heartbeatIntervalMs: 100, housekeepingIntervalMs: 1000 };
    const master = await startTestMaster({ store: masterStore, ...timing });
    // relay: a slave of master that is itself a master (cascading), so it holds the same history.
    startTestClient({ store: relayStore, masterAddress: `127.0.0.1:${master.port}`, ...timing });
    const relay = await startTestMaster({ store: relayStore, ...timing });
    const client = startTestClient({
      store: slaveStore,
      masterAddress: `127.0.0.1:${relay.port}`,
      logger: createMemoryLogger(lines),
      ...timing,
    });
    await waitFor('cascade catch-up', caughtUp(masterStore, slaveStore));
    const readBefore = client.status().lastReadTimestampMs;
    // Idle for several housekeeping intervals: heartbeats in both directions keep the connection.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(client.status().lastReadTimestampMs).toBeGreaterThan(readBefore);
    expect(lines.filter((l) => l.message === 'connected to ha master')).toHaveLength(1);
    client.setMasterAddress(`127.0.0.1:${master.port}`);
    expect(client.masterAddress).toBe(`127.0.0.1:${master.port}`);
    await waitFor('connected to the new master', () => master.slaves().length === 2);
    await fill(masterStore, 30, 60);
    await waitFor('catch-up from the new master', caughtUp(masterStore, slaveStore));
    await expectSameCommitLog('master', 'slave');
    expect(relay.slaves()).toHaveLength(0);
    client.setMasterAddress(undefined);
    await waitFor('disconnected', () => !client.connected && master.slaves().length === 1);
    expect(client.status().masterAddress).toBeUndefined();
  });
});
