/**
 * getMessage: from a consume-queue slot, up to `maxMsgNums` raw records that pass the tag filter, with RocketMQ's
 * statuses and next-offset rules (DefaultMessageStore.getMessage, remoting-protocol.md §4.3 table).
 */
import type { CommitLog } from '../commit-log/commit-log.js';
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

function empty(
  status: GetMessageStatus,
  nextBeginOffset: number,
  bounds: { minOffset: number; maxOffset: number },
): GetMessageResult {
  return {
    status,
    messages: [],
    bufferTotalSize: 0,
    nextBeginOffset,
    ...bounds,
    maxPhyOffsetPulled: 0,
  };
}

export async function getMessage(
  deps: {
    config: Readonly<MessageStoreConfig>;
    commitLog: CommitLog;
    queues: ConsumeQueueTable;
    stats: StoreStats;
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
  const entries = await queue.read(offset, Math.min(MAX_FILTER_MESSAGE_COUNT, maxOffset - offset));
  if (entries.count === 0) {
    // The consume-queue file holding `offset` is gone: continue at the next file.
    const perFile = config.mappedFileSizeConsumeQueue / 20;
    return miss(
      stats,
      empty('OFFSET_FOUND_NULL', (Math.floor(offset / perFile) + 1) * perFile, bounds),
    );
  }
  const messages: Buffer[] = [];
  let bytes = 0;
  let scanned = 0;
  let status: GetMessageStatus = 'NO_MATCHED_MESSAGE';
  let maxPhyOffsetPulled = 0;
  const commitLogMin = commitLog.minOffset;
  for (let i = 0; i < entries.count; i++) {
    const phyOffset = entries.phyOffsets[i]!;
    const size = entries.sizes[i]!;
    if (messages.length >= maxMsgNums) break;
    if (size === CQ_FILLER_SIZE) {
      // A filler slot (queue recreated after its files were deleted): nothing to read, move past it.
      scanned++;
      continue;
    }
    if (messages.length > 0 && bytes + size > maxBytes) break;
    scanned++;
    maxPhyOffsetPulled = phyOffset + size;
    if (phyOffset < commitLogMin) {
      status = 'MESSAGE_WAS_REMOVING';
      continue;
    }
    if (request.filter && !request.filter(entries.tagsCodes[i]!)) continue;
    const record = commitLog.readCached(phyOffset, size) ?? (await commitLog.read(phyOffset, size));
    if (!record) {
      status = 'MESSAGE_WAS_REMOVING';
      continue;
    }
    messages.push(record);
    bytes += size;
  }
  if (messages.length > 0) status = 'FOUND';
  const result: GetMessageResult = {
    status,
    messages,
    bufferTotalSize: bytes,
    nextBeginOffset: offset + scanned,
    minOffset,
    maxOffset,
    maxPhyOffsetPulled,
  };
  if (status === 'FOUND') {
    stats.getMessageTimesTotalFound++;
    stats.getMessageTransferedMsgCount += messages.length;
  } else {
    stats.getMessageTimesTotalMiss++;
  }
  return result;
}

function miss(stats: StoreStats, result: GetMessageResult): GetMessageResult {
  stats.getMessageTimesTotalMiss++;
  return result;
}
