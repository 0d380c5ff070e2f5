/**
 * Opening a store recovers it (store-format.md §6): find where the commit log's valid data ends, cut a torn tail
 * (kept in `quarantine/` and logged, never silently discarded), re-dispatch records whose consume-queue or index
 * entries may be missing, drop entries that point past the end, and rebuild the queue-offset table.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger, MessageRecord } from '@rocketmq-ts/protocol';
import type { CommitLog } from '../commit-log/commit-log.js';
import { scanCommitLog } from '../commit-log/recovery-scan.js';
import type { ConsumeQueueTable } from '../consume-queue/consume-queue-table.js';
import { dispatchRequestOf } from '../dispatcher.js';
import type { Dispatcher } from '../dispatcher.js';
import { StoreError } from '../errors.js';
import type { MessageIndex } from '../index-service/message-index.js';
import type { Checkpoint } from './checkpoint.js';

/** What recovery found and did; also logged. */
export interface RecoveryReport {
  lastExitOk: boolean;
  /** Where the commit log's data ends. */
  endOffset: number;
  /** Where the scan started. */
  scannedFrom: number;
  /** Records validated and re-dispatched. */
  redispatched: number;
  /** Bytes of a torn tail cut off (copied to quarantine first). */
  droppedTailBytes: number;
  /** Consume-queue entries dropped because they pointed past the end. */
  droppedQueueEntries: number;
  /** Index entries dropped for the same reason. */
  droppedIndexEntries: number;
}

const INDEX_FLUSH_EVERY = 10_000;
const TAIL_CHUNK_BYTES = 1024 * 1024;

export async function recoverStore(ctx: {
  rootDir: string;
  lastExitOk: boolean;
  checkCrc: boolean;
  commitLog: CommitLog;
  queues: ConsumeQueueTable;
  index: MessageIndex | undefined;
  dispatcher: Dispatcher;
  checkpoint: Checkpoint;
  logger: Logger;
}): Promise<RecoveryReport> {
  const { commitLog, logger } = ctx;
  const segments = commitLog.segmentFiles;
  const report: RecoveryReport = {
    lastExitOk: ctx.lastExitOk,
    endOffset: commitLog.minOffset,
    scannedFrom: commitLog.minOffset,
    redispatched: 0,
    droppedTailBytes: 0,
    droppedQueueEntries: 0,
    droppedIndexEntries: 0,
  };
  if (segments.length > 0) {
    const last = segments.at(-1)!;
    const cp = ctx.checkpoint.values;
    const remembered = Math.min(cp.flushedPhyOffset, cp.dispatchedPhyOffset);
    const known = remembered >= commitLog.minOffset && remembered <= last.endOffset;
    // After a crash, or without a usable checkpoint, validate from a segment start (always a record boundary).
    let from = known ? remembered : segments[Math.max(0, segments.length - 3)]!.startOffset;
    if (!ctx.lastExitOk && known) from = commitLog.segmentAt(from)?.startOffset ?? from;
    let pendingIndex = 0;
    const onRecord = (record: MessageRecord, size: number): void => {
      ctx.dispatcher.dispatch(dispatchRequestOf(record, size));
      if (++pendingIndex >= INDEX_FLUSH_EVERY) {
        pendingIndex = 0;
        void ctx.dispatcher.flushIndex();
      }
    };
    let scan = await scanCommitLog(commitLog, {
      fromOffset: from,
      checkCrc: ctx.checkCrc || !ctx.lastExitOk,
      onRecord,
    });
    if (scan.stop === 'invalid-record' && scan.endOffset === from && known && ctx.lastExitOk) {
      // The checkpoint did not point at a record: validate the whole segment instead.
      from = commitLog.segmentAt(from)?.startOffset ?? from;
      scan = await scanCommitLog(commitLog, { fromOffset: from, checkCrc: true, onRecord });
    }
    if (
      !ctx.lastExitOk &&
      scan.records === 0 &&
      scan.endOffset === from &&
      from > commitLog.minOffset
    ) {
      // After a crash the scan began at the start of a segment that holds no record (it was created just before, and
      // the checkpoint sat at its start): the records that end the segment before it were not validated. Validate
      // that one too, as RocketMQ backs off to the last segment whose first record is valid.
      from = commitLog.segmentAt(from - 1)?.startOffset ?? from;
      scan = await scanCommitLog(commitLog, { fromOffset: from, checkCrc: true, onRecord });
    }
    await ctx.dispatcher.flushIndex();
    report.scannedFrom = from;
    report.redispatched = scan.records;
    report.endOffset = scan.endOffset;
    if (scan.stop === 'invalid-record') {
      logger.warn('commit log has bytes after its last valid record', {
        phyOffset: scan.endOffset,
        reason: scan.reason,
      });
    }
    report.droppedTailBytes = await cutTail(ctx, scan.endOffset);
  }
  report.droppedQueueEntries = await ctx.queues.truncateAllFromPhyOffset(report.endOffset);
  report.droppedIndexEntries = ctx.index
    ? await ctx.index.removeFromPhyOffset(report.endOffset)
    : 0;
  commitLog.setEndOffset(report.endOffset);
  ctx.dispatcher.dispatchedEnd = report.endOffset;
  const level =
    report.droppedTailBytes + report.droppedQueueEntries + report.droppedIndexEntries > 0
      ? 'warn'
      : 'info';
  logger[level]('store recovered', { ...report });
  return report;
}

/**
 * Makes `endOffset` the end of the data: bytes after it in its segment are copied to quarantine and zeroed;
 * later segments must be empty (they are removed) — a later segment that holds data means the log has a hole we
 * cannot explain, so opening fails instead of deleting it.
 */
async function cutTail(
  ctx: { rootDir: string; lastExitOk: boolean; commitLog: CommitLog; logger: Logger },
  endOffset: number,
): Promise<number> {
  const { commitLog } = ctx;
  let dropped = 0;
  const segment = commitLog.segmentAt(endOffset);
  if (segment) {
    const position = endOffset - segment.startOffset;
    // After a clean exit only the start of the tail can hold stray bytes; after a crash check the whole segment.
    const checkBytes = ctx.lastExitOk
      ? Math.min(TAIL_CHUNK_BYTES, segment.size - position)
      : segment.size - position;
    let lastNonZero = -1;
    for (let at = 0; at < checkBytes; at += TAIL_CHUNK_BYTES) {
      const chunk = await segment.read(position + at, Math.min(TAIL_CHUNK_BYTES, checkBytes - at));
      for (let i = chunk.length - 1; i >= 0; i--) {
        if (chunk[i] !== 0) {
          lastNonZero = at + i;
          break;
        }
      }
    }
    if (lastNonZero >= 0) {
      dropped = lastNonZero + 1;
      const quarantineDir = join(ctx.rootDir, 'quarantine');
      await mkdir(quarantineDir, { recursive: true });
      const file = join(
        quarantineDir,
        `commitlog-${String(endOffset).padStart(20, '0')}-${Date.now()}.bin`,
      );
      for (let at = 0; at < dropped; at += TAIL_CHUNK_BYTES) {
        const length = Math.min(TAIL_CHUNK_BYTES, dropped - at);
        await appendFile(file, await segment.read(position + at, length));
        await segment.write(Buffer.alloc(length), position + at);
      }
      await segment.sync();
      ctx.logger.error('cut a torn commit-log tail; the bytes are kept in quarantine', {
        phyOffset: endOffset,
        bytes: dropped,
        file,
      });
    }
  }
  const nextStart = segment ? segment.endOffset : endOffset;
  for (const later of commitLog.segmentFiles) {
    if (later.startOffset < nextStart) continue;
    const head = await later.read(0, 8);
    if (head.some((byte) => byte !== 0)) {
      throw new StoreError(
        'corrupt',
        `commit log segment ${later.path} holds data after invalid bytes at offset ${endOffset}; refusing to open (nothing was changed there)`,
        { file: later.path, phyOffset: endOffset },
      );
    }
  }
  const removed = await commitLog.deleteSegmentsFrom(nextStart);
  if (removed.length > 0)
    ctx.logger.info('removed empty commit-log segments past the end', { removed });
  return dropped;
}
