import type { DataVersion } from '@rocketmq-ts/protocol';
import type { JournaledOffset } from './client-offset-journal.js';
import { offsetTableKey } from './client-offset-journal.js';

/*
 * Pure helpers of the slave's metadata sync: comparing a master's tables with the slave's and merging consumer
 * offsets. Offset tables are `topic@group` → queueId → queue offset (consumerOffset.json's shape).
 */

/** Consumer offsets as GET_ALL_CONSUMER_OFFSET carries them: `topic@group` → queueId → queue offset. */
export type ConsumerOffsetTableMap = Map<string, Map<number, number>>;

/** Whether two DataVersions are the same (Java `DataVersion.equals`: counter, timestamp and 5.x stateVersion). */
export function sameDataVersion(a: DataVersion, b: DataVersion): boolean {
  return (
    a.counter === b.counter &&
    a.timestamp === b.timestamp &&
    (a.stateVersion ?? 0) === (b.stateVersion ?? 0)
  );
}

/** Whether two number → number maps hold the same entries. */
export function sameNumberMap(
  a: ReadonlyMap<number, number>,
  b: ReadonlyMap<number, number>,
): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** Whether two consumer offset tables hold the same offsets (empty per-key maps count as absent). */
export function sameOffsetTable(a: ConsumerOffsetTableMap, b: ConsumerOffsetTableMap): boolean {
  const nonEmpty = (t: ConsumerOffsetTableMap) => [...t].filter(([, queues]) => queues.size > 0);
  const left = nonEmpty(a);
  if (left.length !== nonEmpty(b).length) return false;
  for (const [key, queues] of left) {
    const other = b.get(key);
    if (other === undefined || !sameNumberMap(queues, other)) return false;
  }
  return true;
}

/** The master's offset of a journaled queue, or undefined when it has none. */
export function masterOffsetOf(
  master: ConsumerOffsetTableMap,
  entry: Pick<JournaledOffset, 'topic' | 'group' | 'queueId'>,
): number | undefined {
  return master.get(offsetTableKey(entry.topic, entry.group))?.get(entry.queueId);
}

/**
 * The table a slave keeps after a sync: the master's offsets, except that each queue a client committed to the slave
 * (and the master has not confirmed) keeps the larger of the two, so progress made on the slave is never rolled back.
 */
export function mergeConsumerOffsets(
  master: ConsumerOffsetTableMap,
  journaled: readonly JournaledOffset[],
): ConsumerOffsetTableMap {
  const merged: ConsumerOffsetTableMap = new Map(
    [...master].map(([key, queues]) => [key, new Map(queues)] as const),
  );
  for (const entry of journaled) {
    const key = offsetTableKey(entry.topic, entry.group);
    let queues = merged.get(key);
    if (queues === undefined) {
      queues = new Map();
      merged.set(key, queues);
    }
    const current = queues.get(entry.queueId);
    if (current === undefined || entry.offset > current) queues.set(entry.queueId, entry.offset);
  }
  return merged;
}
