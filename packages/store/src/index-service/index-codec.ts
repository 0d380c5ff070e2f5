/*
 * Byte layouts of the key index (message-index.ts describes the sub-databases). Integers are big-endian so byte order
 * is numeric order; JS numbers are safe integers < 2^53, so hi = n / 2^32 fits in 32 bits.
 *
 *   index-by-key key   [len:u16][key bytes][storeTimestamp:u64][phyOffset:u64]
 *   batch row value    ([keyLen:u16][index-by-key key])...   keyLen = byte length of the index-by-key key that follows
 */

/** One index-by-key key inside a batch row (or a packed batch): bytes [start, end) of the packed buffer. */
export interface RowSegment {
  /** First byte of the index-by-key key (after its `[keyLen:u16]`). */
  start: number;
  /** One past its last byte. */
  end: number;
  /** Its phyOffset. */
  phyOffset: number;
}

/**
 * Builds the codec. Self-contained on purpose: it refers to nothing but globals (Buffer, Math, Number, RangeError), so
 * the index writer thread can be started from its source text (index-writer-thread.ts) and use the very same code.
 */
export function createIndexCodec() {
  const U32 = 0x1_0000_0000;
  /** `len` of an index-by-key key whose key bytes were cut to {@link MAX_INLINE_KEY_BYTES}. */
  const TRUNCATED_LEN = 0xffff;
  /** Keys up to this many UTF-8 bytes are stored whole; 2 + 1024 + 16 stays far below lmdb's 1978-byte key limit. */
  const MAX_INLINE_KEY_BYTES = 1024;
  /** `[keyLen:u16]` before each index-by-key key inside a batch row. */
  const SEGMENT_HEADER_BYTES = 2;
  /** `[len:u16]` at the start of an index-by-key key. */
  const KEY_HEADER_BYTES = 2;
  /** `[storeTimestamp:u64][phyOffset:u64]` at the end of an index-by-key key. */
  const KEY_TRAILER_BYTES = 16;
  /** Byte `#` between topic and key. */
  const HASH_BYTE = 0x23;

  /** Throws RangeError unless `n` can be stored as a u64 field (a non-negative safe integer). */
  function checkU64(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`index value ${n} is not a non-negative safe integer`);
    }
  }

  /** Writes a checked non-negative safe integer as u64 big-endian; no validation (call {@link checkU64} first). */
  function putU64(buf: Buffer, offset: number, n: number): void {
    buf.writeUInt32BE(Math.floor(n / U32), offset);
    buf.writeUInt32BE(n % U32, offset + 4);
  }

  /** `n` as a fresh 8-byte u64 big-endian buffer. @throws RangeError on a negative or unsafe integer. */
  function u64(n: number): Buffer {
    checkU64(n);
    const out = Buffer.allocUnsafe(8);
    putU64(out, 0, n);
    return out;
  }

  /** Reads a u64 big-endian at `offset` of any Uint8Array (lmdb may hand out plain Uint8Arrays). */
  function readU64(buf: Uint8Array, offset: number): number {
    const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    return b.readUInt32BE(offset) * U32 + b.readUInt32BE(offset + 4);
  }

  /** Reads a u16 big-endian at `offset`. */
  function readU16(buf: Uint8Array, offset: number): number {
    return ((buf[offset] ?? 0) << 8) | (buf[offset + 1] ?? 0);
  }

  /** phyOffset of an index-by-key key (its last 8 bytes). */
  function keyPhyOffset(indexKey: Uint8Array): number {
    return readU64(indexKey, indexKey.length - 8);
  }

  /** True when the index-by-key key holds only the first MAX_INLINE_KEY_BYTES bytes (its value is the full key). */
  function isTruncatedKey(indexKey: Uint8Array): boolean {
    return readU16(indexKey, 0) === TRUNCATED_LEN;
  }

  /** `[len:u16][key bytes]` of a full `topic#key`, truncated with len = TRUNCATED_LEN for keys too long for lmdb. */
  function keyPrefix(full: Buffer): Buffer {
    const truncated = full.length > MAX_INLINE_KEY_BYTES;
    const n = truncated ? MAX_INLINE_KEY_BYTES : full.length;
    const out = Buffer.allocUnsafe(KEY_HEADER_BYTES + n);
    out.writeUInt16BE(truncated ? TRUNCATED_LEN : n, 0);
    full.copy(out, KEY_HEADER_BYTES, 0, n);
    return out;
  }

  /**
   * The segments of a packed row, in stored order.
   * @throws RangeError when a segment runs past the end (a corrupt row).
   */
  function rowSegments(row: Buffer): RowSegment[] {
    const out: RowSegment[] = [];
    let off = 0;
    while (off < row.length) {
      const keyLen = readU16(row, off);
      const start = off + SEGMENT_HEADER_BYTES;
      const end = start + keyLen;
      if (keyLen < KEY_HEADER_BYTES + KEY_TRAILER_BYTES || end > row.length) {
        throw new RangeError(
          `corrupt index batch row: segment at byte ${off} runs past ${row.length}`,
        );
      }
      out.push({ start, end, phyOffset: readU64(row, end - 8) });
      off = end;
    }
    return out;
  }

  /** Packs the given segments of `source` (each with its `[keyLen:u16]` header) into a new row buffer. */
  function packSegments(source: Buffer, segments: readonly RowSegment[]): Buffer {
    let total = 0;
    for (const s of segments) total += SEGMENT_HEADER_BYTES + s.end - s.start;
    const out = Buffer.allocUnsafe(total);
    let off = 0;
    for (const s of segments) off += source.copy(out, off, s.start - SEGMENT_HEADER_BYTES, s.end);
    return out;
  }

  /** Wraps lmdb's returned bytes as a Buffer without copying. */
  function asBuffer(bytes: Uint8Array): Buffer {
    return Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  return {
    U32,
    TRUNCATED_LEN,
    MAX_INLINE_KEY_BYTES,
    SEGMENT_HEADER_BYTES,
    KEY_HEADER_BYTES,
    KEY_TRAILER_BYTES,
    HASH_BYTE,
    checkU64,
    putU64,
    u64,
    readU64,
    readU16,
    keyPhyOffset,
    isTruncatedKey,
    keyPrefix,
    rowSegments,
    packSegments,
    asBuffer,
  };
}

/** The codec functions and constants (see {@link createIndexCodec}). */
export type IndexCodec = ReturnType<typeof createIndexCodec>;

export const {
  U32,
  TRUNCATED_LEN,
  MAX_INLINE_KEY_BYTES,
  SEGMENT_HEADER_BYTES,
  KEY_HEADER_BYTES,
  KEY_TRAILER_BYTES,
  HASH_BYTE,
  checkU64,
  putU64,
  u64,
  readU64,
  readU16,
  keyPhyOffset,
  isTruncatedKey,
  keyPrefix,
  rowSegments,
  packSegments,
  asBuffer,
} = createIndexCodec();
