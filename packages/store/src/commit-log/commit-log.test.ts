import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageRecordWriter, NOOP_LOGGER, decodeMessageRecord } from '@rocketmq-ts/protocol';
import type { RecordFields } from '@rocketmq-ts/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommitLog } from './commit-log.js';
import { tornRecordCut } from './torn-record.js';

const SEGMENT_BYTES = 16 * 1024;

let dir: string;
let log: CommitLog | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rmq-commit-log-'));
});
afterEach(async () => {
  await log?.close();
  log = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Both write paths: on the event loop's thread (default) and through libuv's pool. */
const WRITE_MODES = [
  { name: 'thread writes', syncWrites: true },
  { name: 'pool writes', syncWrites: false },
] as const;
let syncWrites = true;

async function openLog(segmentBytes = SEGMENT_BYTES): Promise<CommitLog> {
  log = await CommitLog.open({
    dir,
    segmentBytes,
    maxRecordBytes: 4096,
    readCacheBytes: 64 * 1024,
    logger: NOOP_LOGGER,
    syncWrites,
  });
  log.setEndOffset(0);
  return log;
}

function fieldsOf(i: number): RecordFields {
  const properties = `KEYS\u0001k${i}\u0002`;
  return {
    topic: 'LogTopic',
    body: Buffer.from(`body-${i}-${'x'.repeat((i * 37) % 900)}`),
    queueId: i % 3,
    flag: 0,
    queueOffset: i,
    sysFlag: 0,
    bornTimestamp: 1_700_000_000_000 + i,
    bornHost: { host: '127.0.0.1', port: 40000 },
    storeTimestamp: 1_700_000_000_500 + i,
    storeHost: { host: '127.0.0.1', port: 10911 },
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    properties,
    propertiesBytes: Buffer.byteLength(properties),
    phyOffset: 0,
  };
}

/** Every segment file's bytes, concatenated in log order. */
async function fileBytes(): Promise<Buffer> {
  const names = (await readdir(dir)).sort();
  return Buffer.concat(await Promise.all(names.map((name) => readFile(join(dir, name)))));
}

/** Walks the files record by record (skipping fillers) and returns each record's index from its body. */
function walk(bytes: Buffer, end: number): { phyOffset: number; index: number }[] {
  const found: { phyOffset: number; index: number }[] = [];
  for (let at = 0; at < end;) {
    const entry = decodeMessageRecord(bytes, at, { verifyBodyCrc: true });
    if (entry.kind === 'message') {
      expect(entry.record.phyOffset).toBe(at);
      found.push({ phyOffset: at, index: Number(entry.record.body.toString().split('-')[1]) });
    } else {
      // A filler takes the rest of its segment.
      expect((at + entry.size) % SEGMENT_BYTES).toBe(0);
    }
    at += entry.size;
  }
  return found;
}

describe.each(WRITE_MODES)('CommitLog.appendRecord, $name', (mode) => {
  beforeEach(() => {
    syncWrites = mode.syncWrites;
  });

  it('writes records at their phyOffsets, with fillers at segment ends, across many segments', async () => {
    const commitLog = await openLog();
    const writer = new MessageRecordWriter();
    const phyOffsets: number[] = [];
    // Bursts of appends between awaits, so several writes are in flight and later runs coalesce.
    for (let i = 0; i < 400; i++) {
      const fields = fieldsOf(i);
      phyOffsets.push(commitLog.appendRecord(writer.measure(fields), fields, writer));
      if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
    }
    await commitLog.drain();
    expect(commitLog.writtenOffset).toBe(commitLog.maxOffset);
    expect(commitLog.segmentFiles.length).toBeGreaterThan(5);
    const found = walk(await fileBytes(), commitLog.maxOffset);
    expect(found.map((f) => f.index)).toEqual(phyOffsets.map((_, i) => i));
    expect(found.map((f) => f.phyOffset)).toEqual(phyOffsets);
    // Each record is readable back through the log (cache or file) with the bytes the writer produced.
    for (const [i, phyOffset] of phyOffsets.entries()) {
      const fields = fieldsOf(i);
      const size = writer.measure(fields);
      const expected = Buffer.alloc(size);
      fields.phyOffset = phyOffset;
      writer.write(expected, 0, fields);
      expect(await commitLog.read(phyOffset, size)).toEqual(expected);
    }
  });

  it('keeps records appended while writes are running intact after close and reopen', async () => {
    const first = await openLog();
    const writer = new MessageRecordWriter();
    for (let i = 0; i < 120; i++) {
      const fields = fieldsOf(i);
      first.appendRecord(writer.measure(fields), fields, writer);
    }
    const end = first.maxOffset;
    await first.close();
    log = undefined;
    const reopened = await openLog();
    expect(walk(await fileBytes(), end).map((f) => f.index)).toEqual(
      Array.from({ length: 120 }, (_, i) => i),
    );
    expect(reopened.segmentFiles.length).toBeGreaterThan(1);
  });
});

describe.each(WRITE_MODES)('CommitLog.appendRaw, $name', (mode) => {
  beforeEach(() => {
    syncWrites = mode.syncWrites;
  });

  it('never merges raw pieces of two segments into one write', async () => {
    const commitLog = await openLog();
    const first = Buffer.alloc(SEGMENT_BYTES, 0xa1);
    const second = Buffer.alloc(4000, 0xb2);
    // Ends exactly at the segment end; the next piece starts the next segment in the same turn.
    commitLog.appendRaw(0, first.subarray(0, 10_000));
    await commitLog.drain();
    commitLog.appendRaw(10_000, first.subarray(10_000));
    commitLog.appendRaw(SEGMENT_BYTES, second);
    await commitLog.drain();
    const bytes = await fileBytes();
    expect(bytes.length).toBe(2 * SEGMENT_BYTES);
    expect(bytes.subarray(0, SEGMENT_BYTES).equals(first)).toBe(true);
    expect(bytes.subarray(SEGMENT_BYTES, SEGMENT_BYTES + 4000).equals(second)).toBe(true);
    expect(bytes.subarray(SEGMENT_BYTES + 4000).every((b) => b === 0)).toBe(true);
  });
});

describe.each(WRITE_MODES)('CommitLog scheduling and flush, $name', (mode) => {
  beforeEach(() => {
    syncWrites = mode.syncWrites;
  });

  it('lets timers run while a writer appends again as soon as each append is written', async () => {
    // One segment holds every append: a new segment is created through the pool, which would yield by itself.
    const commitLog = await openLog(64 * 1024 * 1024);
    const writer = new MessageRecordWriter();
    let writtenEnd = 0;
    const waiters: (() => void)[] = [];
    commitLog.onWritten((end) => {
      writtenEnd = end;
      for (const wake of waiters.splice(0)) wake();
    });
    // The first write creates the segment (through the pool, which yields by itself).
    const first = fieldsOf(0);
    commitLog.appendRecord(writer.measure(first), first, writer);
    await commitLog.drain();
    let timerFired = false;
    setTimeout(() => (timerFired = true), 0);
    // A closed loop as an embedding application writes it: append, wait for the write, append again.
    let appended = 1;
    const deadline = performance.now() + 5_000;
    while (!timerFired && appended < 20_000 && performance.now() < deadline) {
      const fields = fieldsOf(appended++);
      const size = writer.measure(fields);
      const end = commitLog.appendRecord(size, fields, writer) + size;
      while (writtenEnd < end) await new Promise<void>((resolve) => waiters.push(resolve));
    }
    expect(timerFired).toBe(true);
    expect(appended).toBeLessThan(20_000);
  });

  it('covers everything written when a flush on the thread resolves', async () => {
    const commitLog = await openLog();
    const writer = new MessageRecordWriter();
    for (let i = 0; i < 40; i++) {
      const fields = fieldsOf(i);
      commitLog.appendRecord(writer.measure(fields), fields, writer);
    }
    await commitLog.drain();
    const written = commitLog.maxOffset;
    await commitLog.flush({ onThread: true });
    expect(commitLog.flushedOffset).toBe(written);
    // Nothing new: a second flush resolves at once and changes nothing.
    await commitLog.flush({ onThread: true });
    expect(commitLog.flushedOffset).toBe(written);
  });
});

describe('tornRecordCut', () => {
  /** A record written at `filePosition` of a zero-filled file region, and its size. */
  function recordAt(filePosition: number, withProperties: boolean): { file: Buffer; size: number } {
    const writer = new MessageRecordWriter();
    const fields = withProperties
      ? fieldsOf(42)
      : { ...fieldsOf(42), properties: '', propertiesBytes: 0 };
    const size = writer.measure(fields);
    const file = Buffer.alloc(filePosition + size + 4096);
    fields.phyOffset = filePosition;
    writer.write(file, filePosition, fields);
    return { file, size };
  }

  it('finds no cut in whole records, with or without properties', () => {
    for (const filePosition of [0, 3900, 4090, 8000]) {
      for (const withProperties of [true, false]) {
        const { file, size } = recordAt(filePosition, withProperties);
        expect(tornRecordCut(file, { start: filePosition, size, filePosition })).toBeUndefined();
      }
    }
  });

  it('finds the page boundary of a record whose tail the kill left unwritten', () => {
    const filePosition = 4096 - 300;
    const { file, size } = recordAt(filePosition, true);
    expect(filePosition + size).toBeGreaterThan(4096 + 3);
    file.fill(0, 4096, filePosition + size);
    expect(tornRecordCut(file, { start: filePosition, size, filePosition })).toBe(4096);
  });

  it('accepts trailing zeros that do not reach back to a page boundary', () => {
    const filePosition = 100;
    const { file, size } = recordAt(filePosition, true);
    file.fill(0, filePosition + size - 3, filePosition + size);
    expect(tornRecordCut(file, { start: filePosition, size, filePosition })).toBeUndefined();
  });
});
