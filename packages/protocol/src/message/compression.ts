import { deflateSync, inflateSync } from 'node:zlib';
import { ProtocolError } from '../errors.js';
import { CompressionType, MessageSysFlag, getCompressionType } from './message-sys-flag.js';

/** Java producer default `compressMsgBodyOverHowmuch`: bodies of at least this many bytes are compressed. */
export const COMPRESS_MSG_BODY_OVER_HOWMUCH_DEFAULT = 4096;

/** Java producer default zlib level (`rocketmq.message.compressLevel`, default 5). */
export const COMPRESS_LEVEL_DEFAULT = 5;

/** Options of {@link compressBody}. */
export interface CompressBodyOptions {
  /** zlib level 0..9; default {@link COMPRESS_LEVEL_DEFAULT} (5). */
  readonly level?: number;
  /**
   * Also set the zlib type bits (0x300) as Java clients since 4.9.4 do; default false: only `COMPRESSED_FLAG`,
   * as older Java clients and ali-ons do. Every consumer reads both as zlib.
   */
  readonly typeBits?: boolean;
  /** Bodies shorter than this are returned untouched; default {@link COMPRESS_MSG_BODY_OVER_HOWMUCH_DEFAULT}. */
  readonly thresholdBytes?: number;
}

/** A body and the sysFlag that describes it. */
export interface CompressedBody {
  /** The body to send: deflated when the sysFlag has `COMPRESSED_FLAG`, else the input itself. */
  readonly body: Buffer;
  /** The input sysFlag, with `COMPRESSED_FLAG` (and type bits if asked) set when the body was compressed. */
  readonly sysFlag: number;
}

/**
 * Compresses a single message's body the way the Java producer does (`tryToCompressMessage`): bodies of at least
 * `thresholdBytes` are deflated with zlib (RFC 1950, as `java.util.zip.Deflater`) and the sysFlag marks it.
 * Batches are never compressed by Java clients; do not call this for them.
 *
 * @param body - the body as the user gave it.
 * @param sysFlag - the message's sysFlag so far (int32).
 * @param options - level, type bits and threshold; see {@link CompressBodyOptions}.
 * @returns the body to send and its sysFlag.
 */
export function compressBody(
  body: Buffer,
  sysFlag: number,
  options?: CompressBodyOptions,
): CompressedBody {
  const threshold = options?.thresholdBytes ?? COMPRESS_MSG_BODY_OVER_HOWMUCH_DEFAULT;
  if (body.length < threshold) return { body, sysFlag };
  const compressed = deflateSync(body, { level: options?.level ?? COMPRESS_LEVEL_DEFAULT });
  let flag = sysFlag | MessageSysFlag.COMPRESSED_FLAG;
  if (options?.typeBits === true) {
    flag =
      (flag & ~MessageSysFlag.COMPRESSION_TYPE_COMPARATOR) | MessageSysFlag.COMPRESSION_ZLIB_TYPE;
  }
  return { body: compressed, sysFlag: flag };
}

/** Options of {@link decompressBody}. */
export interface DecompressBodyOptions {
  /** Refuse to inflate beyond this many bytes (a guard against zip bombs); default: no limit but Node's. */
  readonly maxBytes?: number;
}

/**
 * Returns a stored body as the user sent it: inflated when the sysFlag has `COMPRESSED_FLAG`, else the input.
 * Compression type bits 0 and 3 mean zlib.
 *
 * @param body - the body as stored in the record.
 * @param sysFlag - the record's sysFlag (int32).
 * @param options - see {@link DecompressBodyOptions}.
 * @returns the plain body (the input buffer itself when not compressed).
 * @throws ProtocolError for LZ4 (1), ZSTD (2) or an unknown type (4–7), which are not supported, and when the
 *   bytes are not a valid zlib stream or inflate beyond `maxBytes`.
 */
export function decompressBody(
  body: Buffer,
  sysFlag: number,
  options?: DecompressBodyOptions,
): Buffer {
  if ((sysFlag & MessageSysFlag.COMPRESSED_FLAG) === 0) return body;
  const type = getCompressionType(sysFlag);
  switch (type) {
    case CompressionType.UNSPECIFIED:
    case CompressionType.ZLIB:
      break;
    case CompressionType.LZ4:
      throw new ProtocolError(`lz4 body compression (sysFlag type 1) is not supported`);
    case CompressionType.ZSTD:
      throw new ProtocolError(`zstd body compression (sysFlag type 2) is not supported`);
    default:
      throw new ProtocolError(
        `unknown body compression type ${type} in sysFlag 0x${(sysFlag >>> 0).toString(16)}`,
      );
  }
  try {
    return options?.maxBytes === undefined
      ? inflateSync(body)
      : inflateSync(body, { maxOutputLength: options.maxBytes });
  } catch (cause) {
    throw new ProtocolError(`compressed body of ${body.length} bytes does not inflate`, { cause });
  }
}
