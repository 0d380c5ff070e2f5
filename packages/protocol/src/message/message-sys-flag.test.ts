import { describe, expect, it } from 'vitest';
import {
  CompressionType,
  MessageSysFlag,
  clearCompressedFlag,
  getCompressionType,
  getTransactionValue,
  resetTransactionValue,
  setCompressionType,
} from './message-sys-flag.js';

describe('MessageSysFlag', () => {
  it('has the bit values of the Java MessageSysFlag class', () => {
    expect(MessageSysFlag).toMatchObject({
      COMPRESSED_FLAG: 0x1,
      MULTI_TAGS_FLAG: 0x2,
      TRANSACTION_NOT_TYPE: 0,
      TRANSACTION_PREPARED_TYPE: 0x4,
      TRANSACTION_COMMIT_TYPE: 0x8,
      TRANSACTION_ROLLBACK_TYPE: 0xc,
      BORNHOST_V6_FLAG: 0x10,
      STOREHOSTADDRESS_V6_FLAG: 0x20,
      NEED_UNWRAP_FLAG: 0x40,
      INNER_BATCH_FLAG: 0x80,
      COMPRESSION_TYPE_COMPARATOR: 0x700,
    });
  });

  it('extracts the transaction type and leaves the other bits out', () => {
    const flag = MessageSysFlag.COMPRESSED_FLAG | MessageSysFlag.TRANSACTION_COMMIT_TYPE | 0x30;
    expect(getTransactionValue(flag)).toBe(MessageSysFlag.TRANSACTION_COMMIT_TYPE);
    expect(getTransactionValue(0x33)).toBe(MessageSysFlag.TRANSACTION_NOT_TYPE);
  });

  it('replaces the transaction type while keeping every other bit', () => {
    const flag = MessageSysFlag.COMPRESSED_FLAG | MessageSysFlag.TRANSACTION_PREPARED_TYPE | 0x20;
    const committed = resetTransactionValue(flag, MessageSysFlag.TRANSACTION_COMMIT_TYPE);
    expect(committed).toBe(
      MessageSysFlag.COMPRESSED_FLAG | MessageSysFlag.TRANSACTION_COMMIT_TYPE | 0x20,
    );
    expect(resetTransactionValue(committed, MessageSysFlag.TRANSACTION_NOT_TYPE)).toBe(0x21);
  });

  it('clears the compressed bit but keeps the compression type bits', () => {
    expect(clearCompressedFlag(0x301)).toBe(0x300);
    expect(clearCompressedFlag(0x4)).toBe(0x4);
  });

  it('reads and writes the compression type in bits 8 to 10', () => {
    expect(getCompressionType(MessageSysFlag.COMPRESSED_FLAG)).toBe(CompressionType.UNSPECIFIED);
    expect(getCompressionType(0x101)).toBe(CompressionType.LZ4);
    expect(getCompressionType(0x201)).toBe(CompressionType.ZSTD);
    expect(getCompressionType(0x301)).toBe(CompressionType.ZLIB);
    expect(setCompressionType(0x1101, CompressionType.ZSTD)).toBe(0x1201);
    expect(getCompressionType(setCompressionType(-1, CompressionType.ZLIB))).toBe(3);
  });
});
