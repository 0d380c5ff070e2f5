import {
  HASH_BYTE,
  KEY_HEADER_BYTES,
  KEY_TRAILER_BYTES,
  MAX_INLINE_KEY_BYTES,
  putU64,
  SEGMENT_HEADER_BYTES,
  TRUNCATED_LEN,
} from './index-codec.js';

/** A batch ready for the writer thread (see message-index.ts for the row layout). */
export interface IndexBatch {
  /** `([segmentLen:u16][index-by-key key])...`; a view at offset 0 of an ArrayBuffer it owns (transferable). */
  row: Buffer;
  /** Full `topic#key` of each truncated key, in row order. */
  longValues: Buffer[] | undefined;
  minPhyOffset: number;
  maxPhyOffset: number;
  /** Entries in the row. */
  entries: number;
}

/** The message an entry points to (a dispatch request or an index entry: no object per entry). */
export interface IndexedRecord {
  readonly topic: string;
  /** Store time, ms since the epoch. */
  readonly storeTimestamp: number;
  /** Byte position of the message in the commit log. */
  readonly phyOffset: number;
}

/** First capacity of a row buffer; later rows start at the size the previous one reached. */
const INITIAL_ROW_BYTES = 64 * 1024;
/** Fixed bytes per entry around its `topic#key` text. */
const ENTRY_OVERHEAD_BYTES = SEGMENT_HEADER_BYTES + KEY_HEADER_BYTES + KEY_TRAILER_BYTES;
/** A UTF-16 unit becomes at most 3 UTF-8 bytes. */
const MAX_UTF8_BYTES_PER_UNIT = 3;

/**
 * Gathers index entries straight into the batch row, as they are dispatched: no object per entry, and nothing that
 * outlives a scavenge but the row's bytes. (Entry objects queued for up to 100 ms survived several scavenges and were
 * promoted with the properties strings their keys were cut from.)
 */
export class IndexBatchBuilder {
  private row = newRow(INITIAL_ROW_BYTES);
  private used = 0;
  private count = 0;
  private minPhy = Number.POSITIVE_INFINITY;
  private maxPhy = -1;
  private longValues: Buffer[] | undefined;

  /** Entries gathered since the last {@link take}. */
  get entries(): number {
    return this.count;
  }

  /**
   * Adds the entry `topic#key` → (storeTimestamp, phyOffset) of `record`; an empty key is skipped.
   * @returns false, adding nothing, when the store time or position is negative or not a safe integer (such a
   *   record cannot be indexed; the dispatcher skips it rather than fail the writes it is part of).
   */
  append(key: string, record: IndexedRecord): boolean {
    if (key.length === 0) return true;
    const { topic, storeTimestamp, phyOffset } = record;
    if (!isU64(storeTimestamp) || !isU64(phyOffset)) return false;
    const worst = ENTRY_OVERHEAD_BYTES + (topic.length + 1 + key.length) * MAX_UTF8_BYTES_PER_UNIT;
    if (this.used + worst > this.row.length) this.grow(this.used + worst);
    const row = this.row;
    const segmentStart = this.used;
    const keyStart = segmentStart + SEGMENT_HEADER_BYTES;
    const textStart = keyStart + KEY_HEADER_BYTES;
    const topicEnd = writeUtf8(row, textStart, topic);
    row[topicEnd] = HASH_BYTE;
    const textEnd = writeUtf8(row, topicEnd + 1, key);
    let textBytes = textEnd - textStart;
    if (textBytes <= MAX_INLINE_KEY_BYTES) {
      row.writeUInt16BE(textBytes, keyStart);
    } else {
      // Too long for an lmdb key: keep its first bytes (already in place) and the full text beside the row.
      (this.longValues ??= []).push(Buffer.from(row.subarray(textStart, textEnd)));
      row.writeUInt16BE(TRUNCATED_LEN, keyStart);
      textBytes = MAX_INLINE_KEY_BYTES;
    }
    const keyEnd = textStart + textBytes + KEY_TRAILER_BYTES;
    putU64(row, keyEnd - 16, storeTimestamp);
    putU64(row, keyEnd - 8, phyOffset);
    row.writeUInt16BE(keyEnd - keyStart, segmentStart);
    this.used = keyEnd;
    this.count++;
    if (phyOffset < this.minPhy) this.minPhy = phyOffset;
    if (phyOffset > this.maxPhy) this.maxPhy = phyOffset;
    return true;
  }

  /** Hands out what was gathered (undefined when nothing was) and starts a new row. */
  take(): IndexBatch | undefined {
    if (this.count === 0) return undefined;
    const batch: IndexBatch = {
      row: this.row.subarray(0, this.used),
      longValues: this.longValues,
      minPhyOffset: this.minPhy,
      maxPhyOffset: this.maxPhy,
      entries: this.count,
    };
    // The row's memory goes to the writer thread; the next row starts at the size this one needed.
    this.row = newRow(Math.max(INITIAL_ROW_BYTES, this.used));
    this.used = 0;
    this.count = 0;
    this.minPhy = Number.POSITIVE_INFINITY;
    this.maxPhy = -1;
    this.longValues = undefined;
    return batch;
  }

  private grow(needed: number): void {
    const bigger = newRow(Math.max(needed, this.row.length * 2));
    this.row.copy(bigger, 0, 0, this.used);
    this.row = bigger;
  }
}

/** Longest text copied unit by unit when it is ASCII; longer text, or any other, goes through Buffer#write. */
const SHORT_TEXT_UNITS = 64;

/**
 * Writes `text` as UTF-8 at `offset` (room checked by the caller); returns the offset after it. Topics and keys are
 * mostly short ASCII: a loop here costs less than a call into Buffer#write's native code, twice per entry.
 */
function writeUtf8(row: Buffer, offset: number, text: string): number {
  const length = text.length;
  if (length <= SHORT_TEXT_UNITS) {
    let i = 0;
    for (; i < length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0x80) break;
      row[offset + i] = unit;
    }
    if (i === length) return offset + length;
  }
  return offset + row.write(text, offset, 'utf8');
}

function isU64(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** A row buffer that owns its ArrayBuffer (Buffer.allocUnsafe may hand out a slice of Node's shared pool). */
function newRow(bytes: number): Buffer {
  return Buffer.from(new ArrayBuffer(bytes));
}
