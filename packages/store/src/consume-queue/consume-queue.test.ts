import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger } from '@rocketmq-ts/protocol';
import type { LogLine } from '@rocketmq-ts/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../errors.js';
import { ConsumeQueue, consumeQueueDir } from './consume-queue.js';
import type { ConsumeQueueOptions } from './consume-queue.js';
import { CQ_FILLER_SIZE, CQ_STORE_UNIT_SIZE, segmentFileName } from './entry-codec.js';

/** 10 entries per segment. */
const SEGMENT_BYTES = 200;

let root: string;
const opened: ConsumeQueue[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rmq-'));
});

afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((q) => q.close()));
  await rm(root, { recursive: true, force: true });
});

function options(extra?: Partial<ConsumeQueueOptions>): ConsumeQueueOptions {
  return { rootDir: root, topic: 'TopicTest', queueId: 3, segmentBytes: SEGMENT_BYTES, ...extra };
}

async function openQueue(extra?: Partial<ConsumeQueueOptions>): Promise<ConsumeQueue> {
  const queue = await ConsumeQueue.open(options(extra));
  opened.push(queue);
  return queue;
}

function queueDir(): string {
  return consumeQueueDir({ rootDir: root, topic: 'TopicTest', queueId: 3 });
}

/** Entry i points at commit-log bytes [i*100, i*100+100) with tags code i-5 (some negative). */
function appendSeries(queue: ConsumeQueue, range: { from: number; to: number }): void {
  for (let i = range.from; i < range.to; i++) {
    expect(queue.append({ queueOffset: i, phyOffset: i * 100, size: 100, tagsCode: i - 5 })).toBe(
      true,
    );
  }
}

describe('ConsumeQueue', () => {
  it('writes entries across several segments and reads them back after reopening', async () => {
    const queue = await openQueue();
    appendSeries(queue, { from: 0, to: 25 });
    await queue.flush({ sync: true });
    await queue.close();

    expect((await readdir(queueDir())).sort()).toEqual([
      segmentFileName(0),
      segmentFileName(200),
      segmentFileName(400),
    ]);
    for (const name of await readdir(queueDir())) {
      expect((await stat(join(queueDir(), name))).size).toBe(SEGMENT_BYTES);
    }

    const reopened = await openQueue({ cacheBytes: 0 });
    expect(reopened.minOffset).toBe(0);
    expect(reopened.maxOffset).toBe(25);
    expect(reopened.lastPhyOffsetEnd()).toBe(2500);

    const first = await reopened.read(0, 32);
    expect(first.count).toBe(10); // stops at the segment end
    expect(first.phyOffsets).toEqual(Array.from({ length: 10 }, (_, i) => i * 100));
    expect(first.tagsCodes).toEqual(Array.from({ length: 10 }, (_, i) => i - 5));

    const last = await reopened.read(20, 10);
    expect(last.count).toBe(5); // stops at the queue end
    expect(last.queueOffset).toBe(20);
    expect(last.phyOffsets).toEqual([2000, 2100, 2200, 2300, 2400]);
    expect(last.sizes).toEqual([100, 100, 100, 100, 100]);

    expect(await reopened.entryAt(17)).toEqual({ phyOffset: 1700, size: 100, tagsCode: 12 });
    expect(await reopened.entryAt(25)).toBeUndefined();
  });

  it('serves pending entries before they are flushed, and writes no file until flush', async () => {
    const queue = await openQueue();
    appendSeries(queue, { from: 0, to: 4 });

    const pending = await queue.read(1, 10);
    expect(pending.count).toBe(3);
    expect(pending.phyOffsets).toEqual([100, 200, 300]);
    expect(queue.maxOffset).toBe(4);
    expect(queue.flushedQueueOffset).toBe(0);
    await expect(stat(queueDir())).rejects.toMatchObject({ code: 'ENOENT' });

    await queue.flush();
    expect(queue.flushedQueueOffset).toBe(4);
    expect(await readdir(queueDir())).toEqual([segmentFileName(0)]);
  });

  it('reads entries that left the memory cache from the files, continuing into the cache', async () => {
    // 100 entries per segment, cache of 5 entries.
    const queue = await openQueue({ segmentBytes: 2000, cacheBytes: 100 });
    appendSeries(queue, { from: 0, to: 50 });
    await queue.flush();
    appendSeries(queue, { from: 50, to: 70 });

    const all = await queue.read(0, 100);
    expect(all.count).toBe(70);
    expect(all.phyOffsets).toEqual(Array.from({ length: 70 }, (_, i) => i * 100));
  });

  it('stores each entry as 20 big-endian bytes: int64 phyOffset, int32 size, int64 tagsCode', async () => {
    const queue = await openQueue();
    appendSeries(queue, { from: 0, to: 11 });
    const phyOffset = 2 ** 40 + 5;
    const tagsCode = -123_456_789_012;
    queue.append({ queueOffset: 11, phyOffset, size: 321, tagsCode });
    await queue.flush();

    const bytes = await readFile(join(queueDir(), segmentFileName(200)));
    const at = (11 * CQ_STORE_UNIT_SIZE) % SEGMENT_BYTES;
    expect(bytes.readBigInt64BE(at)).toBe(BigInt(phyOffset));
    expect(bytes.readInt32BE(at + 8)).toBe(321);
    expect(bytes.readBigInt64BE(at + 12)).toBe(BigInt(tagsCode));
    // The rest of the sparse segment is zeros: that is how a reopen finds the end.
    expect(bytes.subarray(at + 20).every((b) => b === 0)).toBe(true);

    await queue.close();
    const reopened = await openQueue({ cacheBytes: 0 });
    expect(await reopened.entryAt(11)).toEqual({ phyOffset, size: 321, tagsCode });
    expect(reopened.lastPhyOffsetEnd()).toBe(phyOffset + 321);
  });

  it('ignores a duplicate append and fills a gap with filler entries and a warning', async () => {
    const lines: LogLine[] = [];
    const queue = await openQueue({ logger: createMemoryLogger(lines) });
    appendSeries(queue, { from: 0, to: 3 });

    expect(queue.append({ queueOffset: 1, phyOffset: 999, size: 1, tagsCode: 0 })).toBe(false);
    expect(await queue.entryAt(1)).toEqual({ phyOffset: 100, size: 100, tagsCode: -4 });

    expect(queue.append({ queueOffset: 5, phyOffset: 500, size: 100, tagsCode: 0 })).toBe(true);
    expect(queue.maxOffset).toBe(6);
    expect(lines.some((l) => l.level === 'warn' && l.fields?.queueOffset === 5)).toBe(true);
    const entries = await queue.read(2, 10);
    expect(entries.sizes).toEqual([100, CQ_FILLER_SIZE, CQ_FILLER_SIZE, 100]);
    expect(entries.phyOffsets).toEqual([200, 0, 0, 500]);
    expect(queue.lastPhyOffsetEnd()).toBe(600);
  });

  it('starts a new queue at the segment of its first offset and reopens past the fillers', async () => {
    const queue = await openQueue();
    queue.append({ queueOffset: 13, phyOffset: 7000, size: 50, tagsCode: 1 });
    queue.append({ queueOffset: 14, phyOffset: 7050, size: 50, tagsCode: 1 });
    expect(queue.minOffset).toBe(13);
    await queue.close();

    expect(await readdir(queueDir())).toEqual([segmentFileName(200)]);
    const bytes = await readFile(join(queueDir(), segmentFileName(200)));
    expect(bytes.readInt32BE(8)).toBe(CQ_FILLER_SIZE); // entry 10 is a filler

    const reopened = await openQueue({ cacheBytes: 0 });
    expect(reopened.minOffset).toBe(13);
    expect(reopened.maxOffset).toBe(15);
    expect(reopened.lastPhyOffsetEnd()).toBe(7100);
    expect((await reopened.read(10, 10)).count).toBe(0); // below minOffset
    expect((await reopened.read(13, 10)).phyOffsets).toEqual([7000, 7050]);
  });

  it('finds the end at a segment boundary when the last segment holds only zeros', async () => {
    const queue = await openQueue();
    appendSeries(queue, { from: 0, to: 10 });
    await queue.close();
    // A crash between creating the next segment and writing to it.
    await writeFile(join(queueDir(), segmentFileName(200)), Buffer.alloc(SEGMENT_BYTES));

    const reopened = await openQueue();
    expect(reopened.maxOffset).toBe(10);
    expect(reopened.lastPhyOffsetEnd()).toBe(1000);
    appendSeries(reopened, { from: 10, to: 12 });
    await reopened.close();
    const again = await openQueue({ cacheBytes: 0 });
    expect(again.maxOffset).toBe(12);
    expect((await again.read(10, 5)).phyOffsets).toEqual([1000, 1100]);
  });

  it('deletes a zero-headed segment that follows a partly written one when reopening', async () => {
    const lines: LogLine[] = [];
    const queue = await openQueue();
    appendSeries(queue, { from: 0, to: 4 });
    await queue.close();
    // A torn write: the next segment exists but the current one was never filled.
    const stray = join(queueDir(), segmentFileName(200));
    const strayBytes = Buffer.alloc(SEGMENT_BYTES);
    strayBytes.writeInt32BE(100, 28); // entry 11 looks written, entry 10 does not
    await writeFile(stray, strayBytes);

    const reopened = await openQueue({ logger: createMemoryLogger(lines) });
    expect(reopened.maxOffset).toBe(4);
    expect(await readdir(queueDir())).toEqual([segmentFileName(0)]);
    expect(lines.some((l) => l.level === 'warn' && l.fields?.file === stray)).toBe(true);
  });

  it('truncates exactly the entries at or after a commit-log offset, on disk too', async () => {
    const queue = await openQueue();
    appendSeries(queue, { from: 0, to: 22 });
    await queue.flush();
    appendSeries(queue, { from: 22, to: 25 }); // pending, never flushed

    // Entries 0..12 point below 1250 (entry 12 spans 1200..1300); 13..24 point at or after it.
    expect(await queue.truncateFromPhyOffset(1250)).toBe(12);
    expect(queue.maxOffset).toBe(13);
    expect(queue.lastPhyOffsetEnd()).toBe(1300);
    expect((await queue.read(10, 10)).phyOffsets).toEqual([1000, 1100, 1200]);
    expect(await readdir(queueDir())).toEqual([segmentFileName(0), segmentFileName(200)]);

    // Re-dispatch continues at the new end.
    expect(queue.append({ queueOffset: 13, phyOffset: 1250, size: 10, tagsCode: 0 })).toBe(true);
    await queue.close();

    const bytes = await readFile(join(queueDir(), segmentFileName(200)));
    expect(bytes.subarray(4 * CQ_STORE_UNIT_SIZE).every((b) => b === 0)).toBe(true);
    const reopened = await openQueue({ cacheBytes: 0 });
    expect(reopened.maxOffset).toBe(14);
    expect(await reopened.entryAt(13)).toEqual({ phyOffset: 1250, size: 10, tagsCode: 0 });
    expect(reopened.lastPhyOffsetEnd()).toBe(1260);
  });

  it('truncates a whole queue when every entry is at or after the cut', async () => {
    const queue = await openQueue();
    appendSeries(queue, { from: 0, to: 15 });
    await queue.flush();
    expect(await queue.truncateFromPhyOffset(0)).toBe(15);
    expect(queue.maxOffset).toBe(0);
    expect(queue.lastPhyOffsetEnd()).toBe(-1);
    await queue.close();
    const reopened = await openQueue();
    expect(reopened.maxOffset).toBe(0);
    expect(reopened.minOffset).toBe(0);
  });

  it('deletes segments wholly below a commit-log offset, keeps the last one and corrects minOffset', async () => {
    const queue = await openQueue();
    appendSeries(queue, { from: 0, to: 25 });
    await queue.flush();

    // Segment 0 ends at phyOffset 900 < 1550; segment 1 ends at 1900.
    expect(await queue.deleteSegmentsBelowPhyOffset(1550)).toBe(1);
    expect(await readdir(queueDir())).toEqual([segmentFileName(200), segmentFileName(400)]);
    expect(queue.minOffset).toBe(16);
    expect((await queue.read(15, 1)).count).toBe(0);
    expect((await queue.read(16, 1)).phyOffsets).toEqual([1600]);

    expect(await queue.deleteSegmentsBelowPhyOffset(1_000_000)).toBe(1);
    expect(await readdir(queueDir())).toEqual([segmentFileName(400)]);
    expect(queue.minOffset).toBe(25);
    expect(queue.maxOffset).toBe(25);

    await queue.close();
    const reopened = await openQueue();
    expect(reopened.minOffset).toBe(20);
    expect(reopened.maxOffset).toBe(25);
  });

  describe('searchOffsetByTimestamp', () => {
    // Message i was stored at 1000 + 10 i ms.
    const storeTimeOf = (phyOffset: number): Promise<number | undefined> =>
      Promise.resolve(1000 + (phyOffset / 100) * 10);

    it('returns the entry stored at exactly that time', async () => {
      const queue = await openQueue();
      appendSeries(queue, { from: 0, to: 25 });
      await queue.flush();
      for (const i of [0, 5, 13, 24]) {
        expect(await queue.searchOffsetByTimestamp(1000 + 10 * i, storeTimeOf)).toBe(i);
      }
    });

    it('returns the nearest entry otherwise, the earlier one on a tie', async () => {
      const queue = await openQueue();
      appendSeries(queue, { from: 0, to: 25 });
      expect(await queue.searchOffsetByTimestamp(1053, storeTimeOf)).toBe(5);
      expect(await queue.searchOffsetByTimestamp(1057, storeTimeOf)).toBe(6);
      expect(await queue.searchOffsetByTimestamp(1055, storeTimeOf)).toBe(5);
      expect(await queue.searchOffsetByTimestamp(1, storeTimeOf)).toBe(0);
      expect(await queue.searchOffsetByTimestamp(9_999_999, storeTimeOf)).toBe(24);
    });

    it('skips entries whose time cannot be read and returns 0 when none can', async () => {
      const queue = await openQueue();
      appendSeries(queue, { from: 0, to: 25 });
      // Messages below phyOffset 1000 are gone from the commit log.
      const partly = (phyOffset: number): Promise<number | undefined> =>
        phyOffset < 1000 ? Promise.resolve(undefined) : storeTimeOf(phyOffset);
      expect(await queue.searchOffsetByTimestamp(1000, partly)).toBe(10);
      expect(await queue.searchOffsetByTimestamp(1100, () => Promise.resolve(undefined))).toBe(0);
      const empty = await openQueue({ queueId: 4 });
      expect(await empty.searchOffsetByTimestamp(1100, storeTimeOf)).toBe(0);
    });
  });

  it('refuses a segment of the wrong size as corrupt, naming the file and deleting nothing', async () => {
    await mkdir(queueDir(), { recursive: true });
    const good = join(queueDir(), segmentFileName(0));
    const bad = join(queueDir(), segmentFileName(200));
    await writeFile(good, Buffer.alloc(SEGMENT_BYTES));
    await writeFile(bad, Buffer.alloc(SEGMENT_BYTES - 20));

    const error = await ConsumeQueue.open(options()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ kind: 'corrupt', file: bad });
    expect((error as StoreError).message).toContain(bad);
    expect((await readdir(queueDir())).sort()).toEqual([segmentFileName(0), segmentFileName(200)]);
    expect((await stat(bad)).size).toBe(SEGMENT_BYTES - 20);
  });

  it('runs concurrent flushes one after another so every entry lands once', async () => {
    const queue = await openQueue();
    appendSeries(queue, { from: 0, to: 8 });
    const first = queue.flush();
    appendSeries(queue, { from: 8, to: 16 });
    const second = queue.flush({ sync: true });
    const third = queue.flush();
    await Promise.all([first, second, third]);
    expect(queue.flushedQueueOffset).toBe(16);
    await queue.close();

    const reopened = await openQueue({ cacheBytes: 0 });
    expect(reopened.maxOffset).toBe(16);
    const tail = await reopened.read(10, 10);
    expect(tail.phyOffsets).toEqual([1000, 1100, 1200, 1300, 1400, 1500]);
  });

  it('flushes on close, is idempotent and refuses appends afterwards', async () => {
    const queue = await openQueue();
    appendSeries(queue, { from: 0, to: 3 });
    await Promise.all([queue.close(), queue.close()]);
    await queue.close();
    expect(() => queue.append({ queueOffset: 3, phyOffset: 300, size: 1, tagsCode: 0 })).toThrow(
      StoreError,
    );
    await expect(queue.read(0, 1)).rejects.toMatchObject({ kind: 'closed' });

    const reopened = await openQueue();
    expect(reopened.maxOffset).toBe(3);
  });

  it('rejects entries that would read back as the end of the queue', async () => {
    const queue = await openQueue();
    expect(() => queue.append({ queueOffset: 0, phyOffset: -1, size: 10, tagsCode: 0 })).toThrow(
      RangeError,
    );
    expect(() => queue.append({ queueOffset: 0, phyOffset: 0, size: 0, tagsCode: 0 })).toThrow(
      RangeError,
    );
    expect(queue.maxOffset).toBe(0);
  });

  it('destroy deletes the queue directory', async () => {
    const queue = await openQueue();
    appendSeries(queue, { from: 0, to: 12 });
    await queue.flush();
    await queue.destroy();
    await expect(stat(queueDir())).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(queue.read(0, 1)).rejects.toMatchObject({ kind: 'closed' });
  });
});
