/**
 * Slave side: turns the master's frames (which may split records anywhere: Java cuts every 32 KiB) into appends of
 * whole records, holding back the partial record at the end. Two reasons:
 * - the slave's commit log always ends at a record boundary, so after a reconnect its report is an offset the
 *   master can verify (a master refuses a slave whose end is not a record boundary);
 * - every header (size, magic, own PHYSICALOFFSET) is checked before anything is written, so bytes from a master
 *   with another history are refused without touching the store.
 */
import { HADivergenceError } from '../errors.js';
import type { CommitLogBytes } from '../record-walk.js';
import { stepRecord } from '../record-walk.js';

/** RocketMQ's limit on a whole record beyond the body limit (`maxMessageSize` + 64 KiB, store-format.md §2.2). */
const RECORD_OVERHEAD_MAX_BYTES = 64 * 1024;

/** Limits of the slave's store. */
export interface RecordAlignerOptions {
  /** Where the slave's commit log ends (a record boundary); 0 for an empty store. */
  readonly storeEnd: number;
  readonly segmentBytes: number;
  /** The store's `maxMessageSize`: a record header claiming more is refused. */
  readonly maxMessageSize: number;
}

/** See the module comment. One per connection: held bytes are dropped with it (they are sent again). */
export class RecordAligner {
  private start: number;
  private empty: boolean;
  private parts: Buffer[] = [];
  private heldBytes = 0;
  private heldRecordEnd: number | undefined;
  private readonly maxRecordBytes: number;

  constructor(private readonly options: RecordAlignerOptions) {
    this.start = options.storeEnd;
    this.empty = options.storeEnd === 0;
    this.maxRecordBytes = options.maxMessageSize + RECORD_OVERHEAD_MAX_BYTES;
  }

  /** Where the next frame must start; undefined while an empty store has received nothing (any start). */
  get expectedOffset(): number | undefined {
    return this.empty ? undefined : this.start + this.heldBytes;
  }

  /** Bytes received but not yet appended (the partial record at the end). */
  get held(): number {
    return this.heldBytes;
  }

  /**
   * Adds a frame body that starts at {@link expectedOffset}. Returns the whole records now complete (to append at
   * their `phyOffset`), or undefined. Throws HADivergenceError (`not-a-record`) when the bytes are not records
   * that belong at their offsets.
   */
  push(phyOffset: number, body: Buffer): CommitLogBytes | undefined {
    if (body.length === 0) return undefined;
    if (this.empty) {
      this.start = phyOffset;
      this.empty = false;
    }
    this.parts.push(body);
    this.heldBytes += body.length;
    const end = this.start + this.heldBytes;
    // Inside a large record whose header was already checked: nothing to do until it is complete.
    if (this.heldRecordEnd !== undefined && end < this.heldRecordEnd) return undefined;
    const data = this.parts.length === 1 ? body : Buffer.concat(this.parts, this.heldBytes);
    const view: CommitLogBytes = { bytes: data, phyOffset: this.start };
    let pos = this.start;
    let partialEnd: number | undefined;
    while (pos < end) {
      const step = stepRecord(view, pos, this.options.segmentBytes);
      if (step.kind === 'short') break;
      if (
        step.kind === 'invalid' ||
        (step.kind === 'record' && step.end - pos > this.maxRecordBytes)
      ) {
        throw new HADivergenceError({
          reason: 'not-a-record',
          masterPhyOffset: pos,
          slavePhyOffset: this.start,
          detail:
            step.kind === 'invalid' ? step.why : `record size ${step.end - pos} exceeds the limit`,
        });
      }
      if (step.end > end) {
        partialEnd = step.end;
        break;
      }
      pos = step.end;
    }
    const whole = pos - this.start;
    const rest = data.subarray(whole);
    const out = whole > 0 ? { phyOffset: this.start, bytes: data.subarray(0, whole) } : undefined;
    this.start = pos;
    this.parts = rest.length > 0 ? [rest] : [];
    this.heldBytes = rest.length;
    this.heldRecordEnd = partialEnd;
    return out;
  }
}
