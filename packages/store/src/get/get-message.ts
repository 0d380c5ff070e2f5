/**
 * getMessage: from a consume-queue slot, up to `maxMsgNums` raw records that pass the tag filter, with RocketMQ's
 * statuses and next-offset rules (DefaultMessageStore.getMessage, remoting-protocol.md §4.3 table).
 */
import type { CommitLog } from '../commit-log/commit-log.js';
import type { BodyPool } from './body-pool.js';
import { CQ_FILLER_SIZE } from '../consume-queue/entry-codec.js';
import type { MessageStoreConfig } from '../config.js';
import type { ConsumeQueueTable } from '../consume-queue/consume-queue-table.js';
import type {
  GetMessageRequest,
  GetMessageResult,
  GetMessageStatus,
  StoreStats,
} from '../store-types.js';

/** Consume-queue entries examined per call at most, matched or not (RocketMQ's maxFilterMessageCount). */
const MAX_FILTER_MESSAGE_COUNT = 16_000;

/** The release of a result that holds no store memory. */
const NOTHING_TO_RELEASE = (): void => undefined;

/** A release that gives `buffer` back to `bodies` the first time it is called. */
function releaseOf(bodies: BodyPool, buffer: Buffer): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    bodies.give(buffer);
  };
}

function empty(
  status: GetMessageStatus,
  nextBeginOffset: number,
  bounds: { minOffset: number; maxOffset: number },
): GetMessageResult {
  return {
    status,
    messages: [],
    bufferTotalSize: 0,
    recordBytes: undefined,
    nextBeginOffset,
    ...bounds,
    maxPhyOffsetPulled: 0,
    release: NOTHING_TO_RELEASE,
  };
}

export async function getMessage(
  deps: {
    config: Readonly<MessageStoreConfig>;
    commitLog: CommitLog;
    queues: ConsumeQueueTable;
    stats: StoreStats;
    bodies: BodyPool;
  },
  request: GetMessageRequest,
): Promise<GetMessageResult> {
  const { commitLog, config, stats } = deps;
  const queue = deps.queues.get(request.topic, request.queueId);
  const offset = request.queueOffset;
  if (!queue) {
    stats.getMessageTimesTotalMiss++;
    return empty('NO_MATCHED_LOGIC_QUEUE', 0, { minOffset: 0, maxOffset: 0 });
  }
  const minOffset = queue.minOffset;
  const maxOffset = queue.maxOffset;
  const bounds = { minOffset, maxOffset };
  if (maxOffset === 0) return miss(stats, empty('NO_MESSAGE_IN_QUEUE', 0, bounds));
  if (offset < minOffset) return miss(stats, empty('OFFSET_TOO_SMALL', minOffset, bounds));
  if (offset === maxOffset) return miss(stats, empty('OFFSET_OVERFLOW_ONE', offset, bounds));
  if (offset > maxOffset) {
    // Java: back to the min offset when the queue starts at 0, else to the max.
    return miss(
      stats,
      empty('OFFSET_OVERFLOW_BADLY', minOffset === 0 ? minOffset : maxOffset, bounds),
    );
  }
  const maxMsgNums = Math.max(1, request.maxMsgNums ?? 32);
  const maxBytes = request.maxBytes ?? config.maxTransferBytesOnMessageInMemory;
  // Pick entries batch by batch (a filter may skip many), then read the records.
  const picked: { phyOffset: number; size: number }[] = [];
  let pickedBytes = 0;
  let scanned = 0;
  let status: GetMessageStatus = 'NO_MATCHED_MESSAGE';
  let maxPhyOffsetPulled = 0;
  const commitLogMin = commitLog.minOffset;
  const batchSize = request.filter ? Math.max(256, maxMsgNums) : maxMsgNums;
  scan: while (scanned < MAX_FILTER_MESSAGE_COUNT && offset + scanned < maxOffset) {
    const entries = await queue.read(
      offset + scanned,
      Math.min(batchSize, MAX_FILTER_MESSAGE_COUNT - scanned, maxOffset - offset - scanned),
    );
    if (entries.count === 0) {
      if (scanned > 0) break;
      // The consume-queue file holding `offset` is gone: continue at the next file.
      const perFile = config.mappedFileSizeConsumeQueue / 20;
      return miss(
        stats,
        empty('OFFSET_FOUND_NULL', (Math.floor(offset / perFile) + 1) * perFile, bounds),
      );
    }
    for (let i = 0; i < entries.count; i++) {
      const phyOffset = entries.phyOffsets[i]!;
      const size = entries.sizes[i]!;
      if (picked.length >= maxMsgNums) break scan;
      if (size === CQ_FILLER_SIZE) {
        // A filler slot (queue recreated after its files were deleted): nothing to read, move past it.
        scanned++;
        continue;
      }
      if (picked.length > 0 && pickedBytes + size > maxBytes) break scan;
      scanned++;
      maxPhyOffsetPulled = phyOffset + size;
      if (phyOffset < commitLogMin) {
        status = 'MESSAGE_WAS_REMOVING';
        continue;
      }
      if (request.filter && !request.filter(entries.tagsCodes[i]!)) continue;
      picked.push({ phyOffset, size });
      pickedBytes += size;
    }
  }
  const body = pickedBytes > 0 ? deps.bodies.take(pickedBytes) : undefined;
  const messages = body === undefined ? [] : await readRecords(commitLog, picked, body);
  let bytes = 0;
  for (const message of messages) bytes += message.length;
  if (messages.length < picked.length) status = 'MESSAGE_WAS_REMOVING';
  if (messages.length > 0) status = 'FOUND';
  const result: GetMessageResult = {
    status,
    messages,
    bufferTotalSize: bytes,
    // readRecords packs the records from the body's start.
    recordBytes: body !== undefined && bytes > 0 ? body.subarray(0, bytes) : undefined,
    nextBeginOffset: offset + scanned,
    minOffset,
    maxOffset,
    maxPhyOffsetPulled,
    release: body === undefined ? NOTHING_TO_RELEASE : releaseOf(deps.bodies, body),
  };
  if (status === 'FOUND') {
    stats.getMessageTimesTotalFound++;
    stats.getMessageTransferedMsgCount += messages.length;
  } else {
    stats.getMessageTimesTotalMiss++;
  }
  return result;
}

/**
 * Records not in memory are read in windows of the log of this size, aligned to it (clipped to their segment and to
 * what is written): the pulls of every queue read the same windows, so each byte of older data is read from the file
 * once while the window stays cached (see CommitLog.readSpan). A span starting at each pull's first record instead
 * overlapped the others' only partly: a drain of 8 queues read the log ~5 times over.
 */
const SPAN_WINDOW_BYTES = 1024 * 1024;

/**
 * The records at `picked`, in order, skipping any no longer stored, copied into `body` (room for all of them: the
 * pull response body) and returned as views into it. Records in memory are copied from there, or from a span
 * another pull read lately (the queues of a topic share the commit log, and consumers pull them at about the same
 * place); the others are read in spans (one read covering several records of the same segment), kept for those
 * next pulls.
 */
async function readRecords(
  commitLog: CommitLog,
  picked: readonly { phyOffset: number; size: number }[],
  body: Buffer,
): Promise<Buffer[]> {
  const out: Buffer[] = [];
  let at = 0;
  const put = (record: Buffer) => {
    record.copy(body, at);
    out.push(body.subarray(at, at + record.length));
    at += record.length;
  };
  let i = 0;
  while (i < picked.length) {
    const first = picked[i]!;
    const inMemory =
      commitLog.readCached(first.phyOffset, first.size) ??
      commitLog.spanView(first.phyOffset, first.size);
    if (inMemory) {
      put(inMemory);
      i++;
      continue;
    }
    // Only after a miss, so this copy of the rest is not on the common path.
    i += await readSpan(commitLog, picked.slice(i), put);
  }
  return out;
}

/**
 * Reads the window of the log holding the first record of `rest` and hands `put` each leading record of `rest` that
 * lies in it; a record that does not fit in one window is read on its own. Returns how many records it took.
 */
async function readSpan(
  commitLog: CommitLog,
  rest: readonly { phyOffset: number; size: number }[],
  put: (record: Buffer) => void,
): Promise<number> {
  const first = rest[0]!;
  const segment = commitLog.segmentAt(first.phyOffset);
  const windowStart = Math.max(
    segment?.startOffset ?? first.phyOffset,
    first.phyOffset - (first.phyOffset % SPAN_WINDOW_BYTES),
  );
  const windowEnd = Math.min(
    windowStart + SPAN_WINDOW_BYTES,
    segment?.endOffset ?? 0,
    commitLog.writtenOffset,
  );
  if (first.phyOffset + first.size > windowEnd) {
    const record = await commitLog.read(first.phyOffset, first.size);
    if (record) put(record);
    return 1;
  }
  let j = 1;
  while (j < rest.length) {
    const next = rest[j]!;
    if (next.phyOffset < windowStart || next.phyOffset + next.size > windowEnd) break;
    j++;
  }
  const span = await commitLog.readSpan(windowStart, windowEnd - windowStart);
  for (let k = 0; k < j; k++) {
    const entry = rest[k]!;
    const record = span
      ? span.subarray(entry.phyOffset - windowStart, entry.phyOffset - windowStart + entry.size)
      : await commitLog.read(entry.phyOffset, entry.size);
    if (record) put(record);
  }
  return j;
}

function miss(stats: StoreStats, result: GetMessageResult): GetMessageResult {
  stats.getMessageTimesTotalMiss++;
  return result;
}
