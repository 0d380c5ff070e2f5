/**
 * Retention (store-format.md §2.6): commit-log segments whose last write is older than `fileReservedTime` hours are
 * deleted at the `deleteWhen` hour, or at any hour once the disk is fuller than `diskMaxUsedSpaceRatio`; above
 * `diskSpaceCleanForciblyRatio` the oldest segments go regardless of age. The segment being written is never
 * deleted. Consume queues and the index are trimmed to the new commit-log minimum afterwards.
 */
import { stat, statfs } from 'node:fs/promises';
import type { Logger } from '@rocketmq-ts/protocol';
import type { CommitLog } from '../commit-log/commit-log.js';
import type { MessageStoreConfig } from '../config.js';
import type { ConsumeQueueTable } from '../consume-queue/consume-queue-table.js';
import type { MessageIndex } from '../index-service/message-index.js';

/** What one cleaning pass did. */
export interface CleanReport {
  deletedSegments: string[];
  /** Disk usage percent seen by this pass. */
  diskUsedRatio: number;
  /** Why files were eligible: the deleteWhen hour, a full disk, forced cleaning, or a caller's request. */
  reason: 'none' | 'time' | 'disk' | 'forced' | 'manual';
}

/** Used space of the filesystem holding `dir`, in percent. */
export async function diskUsedRatio(dir: string): Promise<number> {
  const fs = await statfs(dir);
  if (fs.blocks === 0) return 0;
  return ((fs.blocks - fs.bavail) / fs.blocks) * 100;
}

/** True when the local hour of `nowMs` is one of `deleteWhen`'s hours (`04`, `04;16`). */
export function isDeleteHour(deleteWhen: string, nowMs: number): boolean {
  const hour = new Date(nowMs).getHours();
  return deleteWhen.split(';').some((h) => Number(h) === hour);
}

export async function cleanExpiredFiles(
  deps: {
    config: Readonly<MessageStoreConfig>;
    commitLog: CommitLog;
    queues: ConsumeQueueTable;
    index: MessageIndex | undefined;
    logger: Logger;
    usedRatio: number;
  },
  options: { nowMs: number; manual?: boolean },
): Promise<CleanReport> {
  const { config, commitLog, usedRatio } = deps;
  const forced = usedRatio > config.diskSpaceCleanForciblyRatio;
  let reason: CleanReport['reason'] = 'none';
  if (forced) reason = 'forced';
  else if (usedRatio > config.diskMaxUsedSpaceRatio) reason = 'disk';
  else if (isDeleteHour(config.deleteWhen, options.nowMs)) reason = 'time';
  if (options.manual && reason === 'none') reason = 'manual';
  if (reason === 'none') return { deletedSegments: [], diskUsedRatio: usedRatio, reason };
  const reservedMs = config.fileReservedTime * 3600_000;
  const lastWrite = new Map<string, number>();
  for (const segment of commitLog.segmentFiles) {
    lastWrite.set(segment.path, (await stat(segment.path)).mtimeMs);
  }
  const deletedSegments = await commitLog.deleteOldestSegments(
    (segment) =>
      forced || options.nowMs - (lastWrite.get(segment.path) ?? options.nowMs) > reservedMs,
  );
  if (deletedSegments.length > 0) {
    const minPhyOffset = commitLog.minOffset;
    await deps.queues.deleteAllBelowPhyOffset(minPhyOffset);
    if (deps.index) await deps.index.removeBelowPhyOffset(minPhyOffset);
    deps.logger.info('deleted expired commit-log segments', {
      deleted: deletedSegments,
      reason,
      diskUsedRatio: usedRatio,
      minPhyOffset,
    });
  }
  return { deletedSegments, diskUsedRatio: usedRatio, reason };
}
