import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { ConfigError, createMemoryLogger } from '@rocketmq-ts/protocol';
import type { LogLine } from '@rocketmq-ts/protocol';
import type { MessageStore } from '@rocketmq-ts/store';
import { describe, expect, it } from 'vitest';
import {
  fillStore,
  onTestCleanup,
  openTestStore,
  startTestClient,
  transferFrame,
  waitFor,
} from '../../test/ha-test-stores.js';
import { ReportReader } from '../ha-frame.js';
import { HAClient } from './ha-client.js';

/** Puts `count` small messages one after another on one queue; message i's body is `slave-i`. */
function fill(store: MessageStore, count: number): Promise<void> {
  return fillStore(store, { count }, (i) => ({
    topic: 'HaSlave',
    queueId: 0,
    body: `slave-${i}`,
    uniqKey: `S${i}`,
  }));
}

/** A hand-driven master: records each connection's reports and lets the test answer them. */
interface RawMaster {
  port: number;
  connections: { socket: Socket; reports: number[]; closed: boolean }[];
}

interface RawMasterHandlers {
  onConnection?: (socket: Socket) => void;
  onReport?: (event: {
    socket: Socket;
    report: number;
    connectionIndex: number;
    reportIndex: number;
  }) => void;
}

async function rawMaster(handlers: RawMasterHandlers = {}): Promise<RawMaster> {
  const master: RawMaster = { port: 0, connections: [] };
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const entry = { socket, reports: [] as number[], closed: false };
    const connectionIndex = master.connections.push(entry) - 1;
    const reader = new ReportReader();
    socket.on('data', (chunk: Buffer) => {
      const report = reader.push(chunk);
      if (report === undefined) return;
      entry.reports.push(report);
      handlers.onReport?.({
        socket,
        report,
        connectionIndex,
        reportIndex: entry.reports.length - 1,
      });
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      entry.closed = true;
      sockets.delete(socket);
    });
    handlers.onConnection?.(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  master.port = (server.address() as { port: number }).port;
  onTestCleanup(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return master;
}

describe('HAClient', () => {
  it('reports its store max offset as soon as it connects, and on every heartbeat', async () => {
    const store = await openTestStore('slave');
    await fill(store, 3);
    const master = await rawMaster();
    startTestClient({ store, masterAddress: `127.0.0.1:${master.port}`, heartbeatIntervalMs: 50 });
    await waitFor('three reports', () => (master.connections[0]?.reports.length ?? 0) >= 3);
    expect(new Set(master.connections[0]!.reports)).toEqual(new Set([store.getMaxPhyOffset()]));
  });

  it('stops on a frame for another offset, logs the reason once across reconnects, writes nothing', async () => {
    const lines: LogLine[] = [];
    const store = await openTestStore('slave');
    await fill(store, 2);
    const end = store.getMaxPhyOffset();
    const master = await rawMaster({
      onConnection: (socket) => socket.write(transferFrame(end + 64, Buffer.alloc(40, 1))),
    });
    const client = startTestClient({
      store,
      masterAddress: `127.0.0.1:${master.port}`,
      logger: createMemoryLogger(lines),
    });
    await waitFor('three attempts', () => master.connections.filter((c) => c.closed).length >= 3);
    expect(client.status().diverged).toMatch(
      /master sent data at \d+ but the slave commit log ends at \d+/,
    );
    expect(lines.filter((l) => l.level === 'error')).toHaveLength(1);
    expect(lines.find((l) => l.level === 'error')?.fields).toMatchObject({
      reason: 'offset-mismatch',
      masterPhyOffset: end + 64,
      slavePhyOffset: end,
    });
    expect(store.getMaxPhyOffset()).toBe(end);
  });

  it('stops before writing anything when the master sends bytes that are not records', async () => {
    const store = await openTestStore('slave');
    await fill(store, 1);
    const end = store.getMaxPhyOffset();
    const master = await rawMaster({
      onConnection: (socket) => socket.write(transferFrame(end, Buffer.alloc(200, 0x5a))),
    });
    const client = startTestClient({ store, masterAddress: `127.0.0.1:${master.port}` });
    await waitFor('diverged', () => client.status().diverged !== undefined);
    expect(client.status().diverged).toContain('not records');
    expect(store.getMaxPhyOffset()).toBe(end);
    await waitFor('closed', () => master.connections[0]!.closed);
  });

  it('stops when its store refuses a record that only looks right (bad body CRC)', async () => {
    const origin = await openTestStore('origin');
    await fill(origin, 2);
    const store = await openTestStore('slave');
    await fill(store, 1);
    const end = store.getMaxPhyOffset();
    const second = Buffer.from((await origin.readRaw(end, 1 << 16))!);
    const bodyAt = second.indexOf('slave-1');
    expect(bodyAt).toBeGreaterThan(0);
    second[bodyAt] = 0x53; // same headers, wrong body CRC
    const master = await rawMaster({
      onConnection: (socket) => socket.write(transferFrame(end, second)),
    });
    const client = startTestClient({ store, masterAddress: `127.0.0.1:${master.port}` });
    await waitFor('diverged', () => client.status().diverged !== undefined);
    expect(client.status().diverged).toContain('refused');
    await waitFor('closed', () => master.connections[0]!.closed);
  });

  it('appends only whole records from a master that splits anywhere, and resumes at a boundary', async () => {
    const origin = await openTestStore('origin');
    await fill(origin, 30);
    const log = (await origin.readRaw(0, 1 << 20))!;
    const store = await openTestStore('slave');
    const sendPieces = (socket: Socket, from: number, to: number): void => {
      for (let at = from; at < to; at += 333) {
        socket.write(transferFrame(at, log.subarray(at, Math.min(to, at + 333))));
      }
    };
    const master = await rawMaster({
      onReport: ({ socket, report, connectionIndex, reportIndex }) => {
        if (reportIndex !== 0) return;
        if (connectionIndex === 0) {
          sendPieces(socket, report, 1000); // 1000 is inside a record
          setTimeout(() => socket.destroy(), 100);
        } else {
          sendPieces(socket, report, log.length);
        }
      },
    });
    startTestClient({ store, masterAddress: `127.0.0.1:${master.port}` });
    await waitFor(
      'second connection reported',
      () => (master.connections[1]?.reports.length ?? 0) > 0,
    );
    const resumedAt = master.connections[1]!.reports[0]!;
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThan(1000);
    expect(log.readInt32BE(resumedAt + 28) * 2 ** 32 + log.readUInt32BE(resumedAt + 32)).toBe(
      resumedAt,
    );
    await waitFor('caught up', () => store.getMaxPhyOffset() === log.length);
    expect((await store.readRaw(0, 1 << 20))!.equals(log)).toBe(true);
  });

  it('closes a silent master connection after housekeepingIntervalMs and reconnects', async () => {
    const store = await openTestStore('slave');
    const master = await rawMaster();
    const client = startTestClient({
      store,
      masterAddress: `127.0.0.1:${master.port}`,
      housekeepingIntervalMs: 200,
      heartbeatIntervalMs: 50,
    });
    await waitFor('a second connection', () => master.connections.length >= 2);
    expect(master.connections[0]!.closed).toBe(true);
    expect(client.status().diverged).toBeUndefined();
  });

  it('tracks the master offset from frames and heartbeats, and stays idle without an address', async () => {
    const origin = await openTestStore('origin');
    await fill(origin, 4);
    const bytes = (await origin.readRaw(0, 1 << 20))!;
    const store = await openTestStore('slave');
    const master = await rawMaster({
      onConnection: (socket) => {
        socket.write(transferFrame(0, bytes.subarray(0, 50)));
        socket.write(transferFrame(50, bytes.subarray(50)));
        socket.write(transferFrame(bytes.length, Buffer.alloc(0)));
      },
    });
    const client = startTestClient({ store });
    expect(client.connected).toBe(false);
    expect(client.status().masterAddress).toBeUndefined();
    client.setMasterAddress(`127.0.0.1:${master.port}`);
    await waitFor('caught up', () => store.getMaxPhyOffset() === bytes.length);
    await waitFor('acked', () => master.connections[0]!.reports.includes(bytes.length));
    expect(client.status()).toMatchObject({
      connected: true,
      masterMaxOffset: bytes.length,
      maxOffset: bytes.length,
      behindBytes: 0,
    });
    await client.close();
    await client.close();
    await waitFor('closed', () => master.connections[0]!.closed);
    expect(client.connected).toBe(false);
  });

  it('rejects a master address that is not host:port', async () => {
    const store = await openTestStore('slave');
    expect(() => new HAClient({ store, masterAddress: 'no-port' })).toThrow(ConfigError);
    const client = new HAClient({ store });
    expect(() => client.setMasterAddress('host:99999')).toThrow(ConfigError);
    await client.close();
  });
});
