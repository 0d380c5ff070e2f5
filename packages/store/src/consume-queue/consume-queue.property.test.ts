import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsumeQueue } from './consume-queue.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rmq-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

type Op =
  | { kind: 'append'; count: number }
  | { kind: 'flush'; sync: boolean }
  | { kind: 'reopen' }
  | { kind: 'truncate'; keep: number }
  | { kind: 'retain'; below: number }
  | { kind: 'read'; at: number; max: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 25 }) }),
  fc.record({ kind: fc.constant('flush' as const), sync: fc.boolean() }),
  fc.record({ kind: fc.constant('reopen' as const) }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ kind: fc.constant('retain' as const), below: fc.integer({ min: 0, max: 100 }) }),
  fc.record({
    kind: fc.constant('read' as const),
    at: fc.integer({ min: 0, max: 100 }),
    max: fc.integer({ min: 1, max: 40 }),
  }),
);

describe('ConsumeQueue regression cases found by the property below', () => {
  it('has no last entry after retention and truncation removed them all, and appends continue at the same offset', async () => {
    const dir = await mkdtemp(join(root, 'r-'));
    const options = { rootDir: dir, topic: 'T', queueId: 0, segmentBytes: 140, cacheBytes: 60 };
    let queue = await ConsumeQueue.open(options);
    try {
      for (let n = 0; n < 22; n++)
        queue.append({ queueOffset: n, phyOffset: n * 10, size: 10, tagsCode: -n });
      await queue.close();
      queue = await ConsumeQueue.open(options);
      await queue.deleteSegmentsBelowPhyOffset(210);
      expect(queue.minOffset).toBe(21);
      const keep = Math.max(0, queue.minOffset);
      expect(await queue.truncateFromPhyOffset(keep * 10)).toBe(22 - keep);
      expect(queue.maxOffset).toBe(keep);
      // Every entry is gone (retention took 0..20, truncation took 21): there is no last entry, and offsets go on.
      expect(queue.lastPhyOffsetEnd()).toBe(-1);
      expect(queue.append({ queueOffset: keep, phyOffset: keep * 10, size: 10, tagsCode: 0 })).toBe(
        true,
      );
      expect(queue.lastPhyOffsetEnd()).toBe(keep * 10 + 10);
    } finally {
      await queue.close();
    }
  });
});

describe('ConsumeQueue against an array model', () => {
  it('keeps the same entries as a plain array through appends, flushes, reopens, truncation and retention', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
        const dir = await mkdtemp(join(root, 'q-'));
        // 7 entries per segment, 3 cached: reads cross memory, files and segment ends.
        const options = { rootDir: dir, topic: 'T', queueId: 0, segmentBytes: 140, cacheBytes: 60 };
        let queue = await ConsumeQueue.open(options);
        const model: number[] = []; // phyOffset of entry i; size 10; tagsCode -i
        try {
          for (const o of ops) {
            switch (o.kind) {
              case 'append':
                for (let i = 0; i < o.count; i++) {
                  const n = model.length;
                  queue.append({ queueOffset: n, phyOffset: n * 10, size: 10, tagsCode: -n });
                  model.push(n * 10);
                }
                break;
              case 'flush':
                await queue.flush({ sync: o.sync });
                break;
              case 'reopen':
                await queue.close();
                queue = await ConsumeQueue.open(options);
                break;
              case 'truncate': {
                // The commit log never ends below its own minimum: cuts stay at or above minOffset.
                const keep = Math.min(Math.max(o.keep, queue.minOffset), model.length);
                const dropped = await queue.truncateFromPhyOffset(keep * 10);
                expect(dropped).toBe(model.length - keep);
                model.length = keep;
                break;
              }
              case 'retain': {
                const before = queue.minOffset;
                await queue.deleteSegmentsBelowPhyOffset(o.below * 10);
                expect(queue.minOffset).toBe(Math.max(before, Math.min(o.below, model.length)));
                break;
              }
              case 'read': {
                const got = await queue.read(o.at, o.max);
                if (o.at < queue.minOffset) {
                  expect(got.count).toBe(0);
                  break;
                }
                const segEnd = (Math.floor(o.at / 7) + 1) * 7;
                const want = model.slice(o.at, Math.min(o.at + o.max, segEnd));
                expect(got.phyOffsets).toEqual(want);
                expect(got.tagsCodes).toEqual(want.map((p) => 0 - p / 10));
                break;
              }
            }
            expect(queue.maxOffset).toBe(model.length);
            if (queue.minOffset < model.length) {
              expect(queue.lastPhyOffsetEnd()).toBe(model.length * 10);
            } else if (model.length > 0) {
              // Nothing retained: the answer depends on whether retention already deleted the segment holding the
              // last entry (-1) or only moved minOffset past it; either way it never points past the end.
              expect([-1, model.length * 10]).toContain(queue.lastPhyOffsetEnd());
            } else {
              expect(queue.lastPhyOffsetEnd()).toBe(-1);
            }
          }
        } finally {
          await queue.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
