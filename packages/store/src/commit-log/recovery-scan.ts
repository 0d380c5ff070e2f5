import { ProtocolError, decodeMessageRecord } from '@rocketmq-ts/protocol';
import type { MessageRecord } from '@rocketmq-ts/protocol';
import { tornRecordCut } from './torn-record.js';
import type { CommitLog } from './commit-log.js';

const SCAN_CHUNK_BYTES = 4 * 1024 * 1024;

/** Where a commit-log scan stopped and why. */
export interface ScanResult {
  /** End of the last valid record (or filler): where the data ends. */
  readonly endOffset: number;
  /** Records validated and handed to `onRecord`. */
  readonly records: number;
  /** Why the scan stopped at `endOffset`: zeros (a clean end), or bytes that are not a valid record. */
  readonly stop: 'end-of-data' | 'invalid-record' | 'end-of-segments';
  /** For 'invalid-record': what was wrong. */
  readonly reason?: string;
}

/**
 * Walks the commit log from `fromOffset` (a record boundary), validating every record (magic code, lengths,
 * total size and, with `checkCrc`, the body CRC — CommitLog.checkMessageAndReturnSize) and following end-of-file
 * fillers into the next segment, up to the first bytes that are not a valid record. Each valid record goes to
 * `onRecord` (recovery re-dispatches it).
 */
export async function scanCommitLog(
  log: CommitLog,
  options: {
    fromOffset: number;
    checkCrc: boolean;
    onRecord?: (record: MessageRecord, size: number) => void;
  },
): Promise<ScanResult> {
  let offset = options.fromOffset;
  let records = 0;
  for (;;) {
    const segment = log.segmentAt(offset);
    if (!segment) return { endOffset: offset, records, stop: 'end-of-segments' };
    let chunkStart = offset;
    let chunk = await segment.read(offset - segment.startOffset, SCAN_CHUNK_BYTES);
    for (;;) {
      const at = offset - chunkStart;
      if (chunk.length - at < 8) {
        if (offset >= segment.endOffset) break; // next segment
        chunkStart = offset;
        chunk = await segment.read(offset - segment.startOffset, SCAN_CHUNK_BYTES);
        if (chunk.length < 8) return { endOffset: offset, records, stop: 'end-of-data' };
        continue;
      }
      const totalSize = chunk.readInt32BE(at);
      const magic = chunk.readInt32BE(at + 4);
      if (totalSize === 0 && magic === 0)
        return { endOffset: offset, records, stop: 'end-of-data' };
      if (
        totalSize > chunk.length - at &&
        offset + totalSize <= segment.endOffset &&
        totalSize > 0
      ) {
        // The record continues past this chunk: read again from its start.
        chunkStart = offset;
        chunk = await segment.read(
          offset - segment.startOffset,
          Math.max(SCAN_CHUNK_BYTES, totalSize),
        );
        continue;
      }
      let decoded;
      try {
        decoded = decodeMessageRecord(chunk, at, { verifyBodyCrc: options.checkCrc });
      } catch (error) {
        const reason = error instanceof ProtocolError ? error.message : String(error);
        return { endOffset: offset, records, stop: 'invalid-record', reason };
      }
      if (decoded.kind === 'blank') {
        if (offset + decoded.size !== segment.endOffset) {
          return {
            endOffset: offset,
            records,
            stop: 'invalid-record',
            reason: `end-of-file filler at ${offset} does not reach the segment end ${segment.endOffset}`,
          };
        }
        offset = segment.endOffset;
        break;
      }
      if (decoded.record.phyOffset !== offset) {
        return {
          endOffset: offset,
          records,
          stop: 'invalid-record',
          reason: `record at ${offset} says it lives at ${decoded.record.phyOffset}`,
        };
      }
      const cut = tornRecordCut(chunk, {
        start: at,
        size: decoded.size,
        filePosition: offset - segment.startOffset,
      });
      if (cut !== undefined) {
        return {
          endOffset: offset,
          records,
          stop: 'invalid-record',
          reason: `record at ${offset} was cut short: zeros from file position ${cut} on (a write interrupted by a crash)`,
        };
      }
      options.onRecord?.(decoded.record, decoded.size);
      records++;
      offset += decoded.size;
    }
  }
}
