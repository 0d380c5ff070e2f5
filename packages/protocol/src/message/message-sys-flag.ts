/**
 * Bits of a message's `sysFlag` (int32), as in `org.apache.rocketmq.common.sysflag.MessageSysFlag`:
 *
 * ```
 * bit  0      0x001  COMPRESSED_FLAG           body is compressed
 * bit  1      0x002  MULTI_TAGS_FLAG           topic filter type MULTI_TAG (set by the broker)
 * bits 2–3    0x00C  transaction type          0x0 none, 0x4 PREPARED, 0x8 COMMIT, 0xC ROLLBACK
 * bit  4      0x010  BORNHOST_V6_FLAG          born host is IPv6 (16 + 4 bytes in the record)
 * bit  5      0x020  STOREHOSTADDRESS_V6_FLAG  store host is IPv6 (16 + 4 bytes in the record)
 * bit  6      0x040  NEED_UNWRAP_FLAG          5.x inner-batch / LMQ internals
 * bit  7      0x080  INNER_BATCH_FLAG          5.x auto-batch: one record holds a batch
 * bits 8–10   0x700  compression type          0 or 3 = zlib, 1 = LZ4, 2 = ZSTD (only read when bit 0 is set)
 * ```
 */
export const MessageSysFlag = {
  COMPRESSED_FLAG: 0x1,
  MULTI_TAGS_FLAG: 0x2,
  TRANSACTION_NOT_TYPE: 0x0,
  TRANSACTION_PREPARED_TYPE: 0x4,
  TRANSACTION_COMMIT_TYPE: 0x8,
  TRANSACTION_ROLLBACK_TYPE: 0xc,
  BORNHOST_V6_FLAG: 0x10,
  STOREHOSTADDRESS_V6_FLAG: 0x20,
  NEED_UNWRAP_FLAG: 0x40,
  INNER_BATCH_FLAG: 0x80,
  COMPRESSION_LZ4_TYPE: 0x100,
  COMPRESSION_ZSTD_TYPE: 0x200,
  COMPRESSION_ZLIB_TYPE: 0x300,
  /** Mask of the compression type bits (Java's `COMPRESSION_TYPE_COMPARATOR`). */
  COMPRESSION_TYPE_COMPARATOR: 0x700,
} as const;

/**
 * Compression type numbers stored in sysFlag bits 8–10 (`org.apache.rocketmq.common.compression.CompressionType`).
 * 0 is what clients before 4.9.4 (and ali-ons) leave there; it means zlib.
 */
export const CompressionType = {
  /** No type bits: zlib, for compatibility with clients that predate the type bits. */
  UNSPECIFIED: 0,
  LZ4: 1,
  ZSTD: 2,
  ZLIB: 3,
} as const;

/**
 * The transaction type bits of a sysFlag (Java `MessageSysFlag.getTransactionValue`).
 *
 * @param sysFlag - a message sysFlag (int32).
 * @returns one of `TRANSACTION_NOT_TYPE` (0), `TRANSACTION_PREPARED_TYPE` (4), `TRANSACTION_COMMIT_TYPE` (8) or
 *   `TRANSACTION_ROLLBACK_TYPE` (12).
 */
export function getTransactionValue(sysFlag: number): number {
  return sysFlag & MessageSysFlag.TRANSACTION_ROLLBACK_TYPE;
}

/**
 * Replaces the transaction type bits of a sysFlag, keeping every other bit (Java
 * `MessageSysFlag.resetTransactionValue`).
 *
 * @param sysFlag - a message sysFlag (int32).
 * @param type - the new transaction type: 0, 4, 8 or 12 (other bits of `type` are ORed in unchanged, as in Java).
 * @returns the new sysFlag (int32).
 */
export function resetTransactionValue(sysFlag: number, type: number): number {
  return (sysFlag & ~MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) | type;
}

/**
 * Clears the compressed bit (Java `MessageSysFlag.clearCompressedFlag`); the type bits are kept.
 *
 * @param sysFlag - a message sysFlag (int32).
 * @returns the sysFlag without `COMPRESSED_FLAG`.
 */
export function clearCompressedFlag(sysFlag: number): number {
  return sysFlag & ~MessageSysFlag.COMPRESSED_FLAG;
}

/**
 * The compression type number in sysFlag bits 8–10 (`(sysFlag & 0x700) >> 8`). Only meaningful when
 * `COMPRESSED_FLAG` is set; 0 and 3 both mean zlib, 1 LZ4, 2 ZSTD, 4–7 are undefined.
 *
 * @param sysFlag - a message sysFlag (int32).
 * @returns an integer 0..7 (see {@link CompressionType}).
 */
export function getCompressionType(sysFlag: number): number {
  return (sysFlag & MessageSysFlag.COMPRESSION_TYPE_COMPARATOR) >> 8;
}

/**
 * Replaces the compression type bits of a sysFlag, keeping every other bit.
 *
 * @param sysFlag - a message sysFlag (int32).
 * @param type - a compression type number 0..7 (see {@link CompressionType}); higher bits are ignored.
 * @returns the new sysFlag (int32).
 */
export function setCompressionType(sysFlag: number, type: number): number {
  return (
    (sysFlag & ~MessageSysFlag.COMPRESSION_TYPE_COMPARATOR) |
    ((type << 8) & MessageSysFlag.COMPRESSION_TYPE_COMPARATOR)
  );
}
