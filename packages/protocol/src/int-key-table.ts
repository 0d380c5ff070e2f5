/**
 * A hash table from integer keys to values, for long-lived tables whose entries come and go thousands of times a
 * second: a connection's calls waiting for a response (keyed by opaque), a consumer's cached messages (keyed by
 * queue offset).
 *
 * Why not a Map: when V8 replaces a Map's backing table (it grows, or it is rebuilt to drop deleted entries, every
 * few hundred deletes), the old table keeps its entries and a link to its successor, for iterators still walking it.
 * Once one table of a long-lived Map has reached the old generation, that garbage table keeps the next one alive
 * through young collections, and that one the next: every table, and every entry any of them held, survives to the
 * old generation until a full GC. A producer at 60k sends/s promoted ~28 MB/s that way, its scavenges took ~10 % of
 * the event loop and full GCs followed every second (docs/benchmarks.md). Here a removed entry is cleared at once
 * and a replaced array is emptied, so nothing stale is kept.
 *
 * Open addressing with linear probing and backward-shift deletion (no tombstones). Keys that come in sequence
 * (opaques, offsets) land in consecutive slots. Keys are integers up to 2^53 in magnitude.
 */

const MIN_CAPACITY = 16;

export class IntKeyTable<V> {
  private keys: Float64Array;
  private slots: (V | undefined)[];
  private mask: number;
  private count = 0;

  constructor(initialCapacity = MIN_CAPACITY) {
    const capacity = capacityFor(initialCapacity);
    this.keys = new Float64Array(capacity);
    this.slots = new Array<V | undefined>(capacity).fill(undefined);
    this.mask = capacity - 1;
  }

  /** Entries held. */
  get size(): number {
    return this.count;
  }

  get(key: number): V | undefined {
    const { keys, slots, mask } = this;
    for (let i = key & mask; ; i = (i + 1) & mask) {
      const value = slots[i];
      if (value === undefined || keys[i] === key) return value;
    }
  }

  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  /** Adds or replaces the entry of `key`. @throws RangeError for a non-integer key or an undefined value. */
  set(key: number, value: V): void {
    if (value === undefined) throw new RangeError('IntKeyTable values cannot be undefined');
    if (!Number.isSafeInteger(key))
      throw new RangeError(`IntKeyTable key ${key} is not a safe integer`);
    if ((this.count + 1) * 2 > this.slots.length) this.resize(this.slots.length * 2);
    const { keys, slots, mask } = this;
    let i = key & mask;
    for (; slots[i] !== undefined; i = (i + 1) & mask) {
      if (keys[i] === key) {
        slots[i] = value;
        return;
      }
    }
    keys[i] = key;
    slots[i] = value;
    this.count++;
  }

  /** Removes the entry of `key`; false when there was none. */
  delete(key: number): boolean {
    const { keys, slots, mask } = this;
    let hole = key & mask;
    for (; ; hole = (hole + 1) & mask) {
      const value = slots[hole];
      if (value === undefined) return false;
      if (keys[hole] === key) break;
    }
    // Backward shift: move each later entry of the probe run whose home slot is not after the hole into it.
    for (let next = (hole + 1) & mask; slots[next] !== undefined; next = (next + 1) & mask) {
      const home = keys[next]! & mask;
      const stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (stays) continue;
      keys[hole] = keys[next]!;
      slots[hole] = slots[next];
      hole = next;
    }
    slots[hole] = undefined;
    this.count--;
    if (this.count * 8 < this.slots.length && this.slots.length > MIN_CAPACITY) {
      this.resize(this.slots.length / 2);
    }
    return true;
  }

  /** Removes every entry. */
  clear(): void {
    this.slots.fill(undefined);
    this.count = 0;
  }

  /** The values, as a new array (in no particular order): safe to change the table while walking it. */
  values(): V[] {
    const out: V[] = [];
    for (const value of this.slots) if (value !== undefined) out.push(value);
    return out;
  }

  private resize(capacity: number): void {
    const oldKeys = this.keys;
    const oldSlots = this.slots;
    this.keys = new Float64Array(capacity);
    this.slots = new Array<V | undefined>(capacity).fill(undefined);
    this.mask = capacity - 1;
    this.count = 0;
    for (let i = 0; i < oldSlots.length; i++) {
      const value = oldSlots[i];
      if (value !== undefined) this.set(oldKeys[i]!, value);
    }
    // The old array may already sit in the old generation: emptied, it keeps no entry alive.
    oldSlots.fill(undefined);
  }
}

function capacityFor(entries: number): number {
  let capacity = MIN_CAPACITY;
  while (capacity < entries * 2) capacity *= 2;
  return capacity;
}
