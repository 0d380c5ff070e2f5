import type { ConsumerOffsetCommit } from '../offset/consumer-offset-manager.js';

/** One offset a client committed to a slave, not yet known to the master. */
export interface JournaledOffset {
  group: string;
  topic: string;
  queueId: number;
  /** The last committed queue offset. */
  offset: number;
}

/**
 * The consumer offsets clients committed to a slave since its master last confirmed them (the latest per queue).
 * The slave's metadata sync reads it to send these offsets to the master instead of overwriting them with the
 * master's older ones, and forgets an entry only once the master holds it (and no newer commit arrived meanwhile).
 * In memory only: commits made while the master is down are not remembered across a slave restart.
 */
export class ClientOffsetJournal {
  /** `topic@group` → queueId → entry. */
  private readonly entries = new Map<string, Map<number, JournaledOffset>>();

  /** Records a client commit; a later commit of the same queue replaces an earlier one. */
  record(commit: Readonly<ConsumerOffsetCommit>): void {
    const key = offsetTableKey(commit.topic, commit.group);
    let queues = this.entries.get(key);
    if (queues === undefined) {
      queues = new Map();
      this.entries.set(key, queues);
    }
    queues.set(commit.queueId, {
      group: commit.group,
      topic: commit.topic,
      queueId: commit.queueId,
      offset: commit.offset,
    });
  }

  /** A copy of every entry. */
  list(): JournaledOffset[] {
    const out: JournaledOffset[] = [];
    for (const queues of this.entries.values()) {
      for (const entry of queues.values()) out.push({ ...entry });
    }
    return out;
  }

  /** Number of queues with an unconfirmed commit. */
  get size(): number {
    let n = 0;
    for (const queues of this.entries.values()) n += queues.size;
    return n;
  }

  /** Drops `entry` unless its queue was committed again (with another offset) since it was listed. */
  forget(entry: Readonly<JournaledOffset>): void {
    const key = offsetTableKey(entry.topic, entry.group);
    const queues = this.entries.get(key);
    if (queues?.get(entry.queueId)?.offset !== entry.offset) return;
    queues.delete(entry.queueId);
    if (queues.size === 0) this.entries.delete(key);
  }
}

/** The key of a consumer offset table (Java `ConsumerOffsetManager`, `TOPIC_GROUP_SEPARATOR`): `topic@group`. */
export function offsetTableKey(topic: string, group: string): string {
  return `${topic}@${group}`;
}
