import type { MessageStore } from '@rocketmq-ts/store';
import { TIMER_TOPIC } from './to-timer-message.js';

/** Group under which the timer service keeps its progress in the consumer-offset table of {@link TIMER_TOPIC}. */
export const TIMER_CHECKPOINT_GROUP = 'CID_RMQ_SYS_TIMER_CHECKPOINT';

/**
 * Progress of the timer service. What it promises: every timer at a queue offset below `lowOffset` is delivered,
 * and every timer in [`lowOffset`, `scanOffset`) whose delivery time is ≤ `deliveredUntilMs` is delivered. A
 * restart re-reads the timer queue from `lowOffset`, skips the timers the promise covers, and waits for the rest.
 */
export interface TimerCheckpoint {
  /** Queue offset of the timer queue at or below the first timer not yet delivered. */
  lowOffset: number;
  /** Next queue offset of the timer queue not yet read. */
  scanOffset: number;
  /** Delivery time up to which every read timer is delivered, ms since the epoch. */
  deliveredUntilMs: number;
}

// Stored as three "consumer offsets" (queue ids 0–2) of a system group on the timer topic: the metadata store's
// offset table is lmdb-backed, written in one batch per event turn, and needs no new table. Any mix of an old and
// a new checkpoint still keeps the promise (each value only grows the set of timers it covers... or shrinks it,
// which only means a timer may be delivered again), so the three writes need not be atomic.
const LOW = 0;
const SCAN = 1;
const UNTIL = 2;

/** Reads the checkpoint, or undefined when the service never ran on this store. */
export function loadTimerCheckpoint(
  metadata: MessageStore['metadata'],
): TimerCheckpoint | undefined {
  const values = metadata.getConsumerOffsets({ topic: TIMER_TOPIC, group: TIMER_CHECKPOINT_GROUP });
  const low = values.get(LOW);
  const scan = values.get(SCAN);
  const until = values.get(UNTIL);
  if (low === undefined || scan === undefined || until === undefined) return undefined;
  return { lowOffset: low, scanOffset: scan, deliveredUntilMs: until };
}

/** Writes the checkpoint; resolves once lmdb committed it. @throws StoreError 'closed'. */
export async function saveTimerCheckpoint(
  metadata: MessageStore['metadata'],
  checkpoint: TimerCheckpoint,
): Promise<void> {
  const ref = { topic: TIMER_TOPIC, group: TIMER_CHECKPOINT_GROUP };
  await Promise.all([
    metadata.setConsumerOffset({ ...ref, queueId: LOW, offset: checkpoint.lowOffset }),
    metadata.setConsumerOffset({ ...ref, queueId: SCAN, offset: checkpoint.scanOffset }),
    metadata.setConsumerOffset({ ...ref, queueId: UNTIL, offset: checkpoint.deliveredUntilMs }),
  ]);
}
