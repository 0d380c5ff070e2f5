/**
 * The classic HA wire format (RocketMQ 4.9.8 `HAService` / `HAConnection`), both directions on one plain TCP
 * connection, no remoting frames:
 *
 * slave → master, a report:  [maxPhyOffset:int64]                     (REPORT_HEADER_SIZE = 8)
 * master → slave, a frame:   [phyOffset:int64][bodySize:int32][body]  (TRANSFER_HEADER_SIZE = 8 + 4)
 *
 * All integers are big-endian. A frame with bodySize 0 is a heartbeat whose phyOffset is the master's current
 * transfer position. Offsets are carried as JS numbers, exact up to 2^53 (8 PiB of commit log).
 */
import { ProtocolError } from '@rocketmq-ts/protocol';

/** Size of a slave's offset report, bytes. */
export const HA_REPORT_BYTES = 8;
/** Size of a master frame header (phyOffset + bodySize), bytes. */
export const HA_TRANSFER_HEADER_BYTES = 12;
/**
 * Largest frame body a slave accepts, bytes. Java's slave reads into a 4 MiB buffer and can never complete a frame
 * that does not fit, so a master must stay below this too (it sends `haTransferBatchSize`, 32 KiB, by default).
 */
export const HA_MAX_FRAME_BODY_BYTES = 4 * 1024 * 1024 - HA_TRANSFER_HEADER_BYTES;

const TWO_POW_32 = 2 ** 32;

function writeOffset(target: Buffer, value: number, at: number): void {
  const hi = Math.floor(value / TWO_POW_32);
  target.writeInt32BE(hi, at);
  target.writeUInt32BE(value - hi * TWO_POW_32, at + 4);
}

function readOffset(source: Buffer, at: number, what: string): number {
  const hi = source.readInt32BE(at);
  const value = hi * TWO_POW_32 + source.readUInt32BE(at + 4);
  // A negative or unsafe offset is no position in any commit log: the peer does not speak this protocol.
  if (hi < 0 || !Number.isSafeInteger(value)) {
    throw new ProtocolError(`${what} ${hi < 0 ? 'is negative' : 'exceeds 2^53'}`, { offset: at });
  }
  return value;
}

function assertOffset(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative safe integer, got ${value}`);
  }
}

/** The 8-byte report a slave sends: its commit-log max phy offset. Throws RangeError on a negative offset. */
export function encodeReport(maxPhyOffset: number): Buffer {
  assertOffset(maxPhyOffset, 'maxPhyOffset');
  const report = Buffer.allocUnsafe(HA_REPORT_BYTES);
  writeOffset(report, maxPhyOffset, 0);
  return report;
}

/** Reads one report at `offset` (8 bytes must be there). Throws ProtocolError on a negative offset. */
export function decodeReport(source: Buffer, offset = 0): number {
  return readOffset(source, offset, 'reported offset');
}

/** A master frame header. */
export interface TransferHeader {
  /** Commit-log offset of the first body byte (for a heartbeat: the master's transfer position). */
  readonly phyOffset: number;
  /** Body length in bytes; 0 for a heartbeat. */
  readonly bodySize: number;
}

/**
 * Writes a frame header at `offset` of `target` (12 bytes), or into a new buffer when no target is given.
 * Throws RangeError on a negative offset or size.
 */
export function encodeTransferHeader(
  header: TransferHeader,
  target: Buffer = Buffer.allocUnsafe(HA_TRANSFER_HEADER_BYTES),
  offset = 0,
): Buffer {
  assertOffset(header.phyOffset, 'phyOffset');
  if (!Number.isInteger(header.bodySize) || header.bodySize < 0 || header.bodySize > 0x7fffffff) {
    throw new RangeError(`bodySize must be an int32 >= 0, got ${header.bodySize}`);
  }
  writeOffset(target, header.phyOffset, offset);
  target.writeInt32BE(header.bodySize, offset + 8);
  return target;
}

/** Reads a frame header at `offset` (12 bytes must be there). Throws ProtocolError on negative fields. */
export function decodeTransferHeader(source: Buffer, offset = 0): TransferHeader {
  const phyOffset = readOffset(source, offset, 'frame phyOffset');
  const bodySize = source.readInt32BE(offset + 8);
  if (bodySize < 0) {
    throw new ProtocolError(`frame bodySize ${bodySize} is negative`, { offset: offset + 8 });
  }
  return { phyOffset, bodySize };
}

/**
 * Master side: collects report bytes from the socket. Like `HAConnection.ReadSocketService`, only the last complete
 * report of what has arrived counts (older ones are superseded); a partial report waits for its remaining bytes.
 */
export class ReportReader {
  private readonly partial = Buffer.alloc(HA_REPORT_BYTES);
  private partialBytes = 0;

  /** Feeds socket bytes; returns the newest complete report, or undefined. Throws ProtocolError on a negative one. */
  push(chunk: Buffer): number | undefined {
    let at = 0;
    let latest: number | undefined;
    if (this.partialBytes > 0) {
      const take = Math.min(HA_REPORT_BYTES - this.partialBytes, chunk.length);
      chunk.copy(this.partial, this.partialBytes, 0, take);
      this.partialBytes += take;
      at = take;
      if (this.partialBytes < HA_REPORT_BYTES) return undefined;
      this.partialBytes = 0;
      latest = decodeReport(this.partial);
    }
    const complete = Math.floor((chunk.length - at) / HA_REPORT_BYTES);
    if (complete > 0) {
      const last = at + (complete - 1) * HA_REPORT_BYTES;
      latest = decodeReport(chunk, last);
      at += complete * HA_REPORT_BYTES;
    }
    if (at < chunk.length) {
      chunk.copy(this.partial, 0, at);
      this.partialBytes = chunk.length - at;
    }
    return latest;
  }
}

/** One master frame as received by a slave. */
export interface TransferFrame extends TransferHeader {
  /** `bodySize` bytes of commit log; may be a view into a socket chunk (copy before keeping it). */
  readonly body: Buffer;
}

/**
 * Slave side: an incremental decoder of master frames that keeps socket chunks as they arrived and hands out one
 * complete frame at a time, so the reader can apply frames strictly in order and stop reading while
 * `bufferedBytes` is high. A body inside one chunk is returned as a view, without copying.
 */
export class TransferFrameDecoder {
  private chunks: Buffer[] = [];
  private head = 0; // bytes of chunks[0] already consumed
  private buffered = 0;
  private header: TransferHeader | undefined;

  /** @param maxBodyBytes largest accepted bodySize; a larger one throws ProtocolError from {@link next}. */
  constructor(private readonly maxBodyBytes: number = HA_MAX_FRAME_BODY_BYTES) {}

  /** Bytes received and not yet returned in a frame. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Adds socket bytes. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** The next complete frame, or undefined until more bytes arrive. Throws ProtocolError on a bad header. */
  next(): TransferFrame | undefined {
    if (!this.header) {
      if (this.buffered < HA_TRANSFER_HEADER_BYTES) return undefined;
      const header = decodeTransferHeader(this.take(HA_TRANSFER_HEADER_BYTES));
      if (header.bodySize > this.maxBodyBytes) {
        throw new ProtocolError(
          `frame bodySize ${header.bodySize} exceeds the ${this.maxBodyBytes}-byte limit`,
        );
      }
      this.header = header;
    }
    if (this.buffered < this.header.bodySize) return undefined;
    const { phyOffset, bodySize } = this.header;
    this.header = undefined;
    return { phyOffset, bodySize, body: this.take(bodySize) };
  }

  /** Removes `size` buffered bytes (size <= buffered): a view when they lie in one chunk, else a copy. */
  private take(size: number): Buffer {
    this.buffered -= size;
    const first = this.chunks[0];
    if (size === 0 || first === undefined) return Buffer.alloc(0);
    if (first.length - this.head >= size) {
      const view = first.subarray(this.head, this.head + size);
      this.advance(first, size);
      return view;
    }
    const out = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const chunk = this.chunks[0]!;
      const n = Math.min(chunk.length - this.head, size - filled);
      chunk.copy(out, filled, this.head, this.head + n);
      filled += n;
      this.advance(chunk, n);
    }
    return out;
  }

  private advance(chunk: Buffer, n: number): void {
    this.head += n;
    if (this.head === chunk.length) {
      this.chunks.shift();
      this.head = 0;
    }
  }
}
