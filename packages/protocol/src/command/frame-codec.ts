/**
 * Remoting frames (big-endian), remoting-protocol.md §1.2:
 *
 *   [length:int32][serializeType:uint8 | headerLength:uint24][header][body]
 *
 * `length` counts everything after itself (4 + header + body); the body length is implied. RocketMQ's Netty
 * decoder refuses frames over 16 MiB (length field included); so do we by default.
 */
import { ProtocolError } from '../errors.js';
import { binaryHeaderLength, decodeBinaryHeader, writeBinaryHeader } from './binary-header.js';
import { decodeJsonHeader, encodeJsonHeader } from './json-header.js';
import { SerializeType } from './remoting-command.js';
import type { RemotingCommand } from './remoting-command.js';

/** RocketMQ's default `com.rocketmq.remoting.frameMaxLength`: 16 MiB, length field included. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Bodies at least this large are not copied into the frame buffer by {@link encodeFrameParts}. */
const COPY_BODY_MAX_BYTES = 16 * 1024;

/**
 * Encodes `cmd` as frame parts to write in order: the length prefix and header, then (for large bodies) the
 * body itself, so big payloads are not copied. Throws ProtocolError when the frame would exceed `maxFrameBytes`
 * or the code does not fit a binary header.
 */
export function encodeFrameParts(
  cmd: RemotingCommand,
  maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES,
): Buffer[] {
  const bodyLength = cmd.body?.length ?? 0;
  let headerText: string | undefined;
  let headerLength: number;
  if (cmd.serializeType === SerializeType.ROCKETMQ) {
    headerLength = binaryHeaderLength(cmd);
  } else {
    headerText = encodeJsonHeader(cmd);
    headerLength = Buffer.byteLength(headerText, 'utf8');
  }
  if (headerLength > 0xffffff) {
    throw new ProtocolError(
      `header of ${headerLength} bytes does not fit the 24-bit header length`,
    );
  }
  const frameBytes = 8 + headerLength + bodyLength;
  if (frameBytes > maxFrameBytes) {
    throw new ProtocolError(`frame of ${frameBytes} bytes exceeds the ${maxFrameBytes}-byte limit`);
  }
  const inlineBody = bodyLength > 0 && bodyLength < COPY_BODY_MAX_BYTES;
  const head = Buffer.allocUnsafe(8 + headerLength + (inlineBody ? bodyLength : 0));
  head.writeInt32BE(frameBytes - 4, 0);
  head.writeInt32BE(((cmd.serializeType & 0xff) << 24) | headerLength, 4);
  if (headerText === undefined) writeBinaryHeader(cmd, head, 8);
  else head.write(headerText, 8, 'utf8');
  if (inlineBody) {
    cmd.body!.copy(head, 8 + headerLength);
    return [head];
  }
  return bodyLength > 0 ? [head, cmd.body!] : [head];
}

/** Encodes `cmd` as one contiguous frame buffer. See {@link encodeFrameParts}. */
export function encodeFrame(cmd: RemotingCommand, maxFrameBytes?: number): Buffer {
  const parts = encodeFrameParts(cmd, maxFrameBytes);
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/**
 * Decodes one frame given the bytes after the length field (`[headerField][header][body]`). The body is a view
 * into `frame`, not a copy. Throws ProtocolError on an unknown serialize type or an impossible header length.
 */
export function decodeFrameContent(frame: Buffer): RemotingCommand {
  if (frame.length < 4) {
    throw new ProtocolError(`frame of ${frame.length} bytes has no header length`);
  }
  const headerField = frame.readUInt32BE(0);
  const serializeType = headerField >>> 24;
  const headerLength = headerField & 0xffffff;
  if (headerLength > frame.length - 4) {
    throw new ProtocolError(
      `header length ${headerLength} exceeds the ${frame.length - 4} bytes left in the frame`,
      { offset: 4 },
    );
  }
  const header = frame.subarray(4, 4 + headerLength);
  const body = frame.length > 4 + headerLength ? frame.subarray(4 + headerLength) : undefined;
  if (serializeType === SerializeType.JSON) return decodeJsonHeader(header, body);
  if (serializeType === SerializeType.ROCKETMQ) return decodeBinaryHeader(header, body);
  throw new ProtocolError(`unknown serialize type ${serializeType}`, { offset: 4 });
}

/** Options of {@link FrameDecoder}. */
export interface FrameDecoderOptions {
  /** Largest frame accepted, length field included; default 16 MiB (RocketMQ's `frameMaxLength`). */
  maxFrameBytes?: number;
}

/**
 * Incremental frame decoder: feed it socket chunks, get back every complete command. Never trusts a length:
 * a length below 4 or above the limit throws ProtocolError before anything is buffered for it, so memory stays
 * bounded by one frame. After an error the decoder stays failed; close the connection.
 */
export class FrameDecoder {
  private readonly maxFrameBytes: number;
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  /** Total bytes (length field included) needed before the buffered frame can complete; 4 when unknown. */
  private neededBytes = 4;
  private failure: ProtocolError | undefined;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isInteger(this.maxFrameBytes) || this.maxFrameBytes < 8) {
      throw new RangeError(`maxFrameBytes must be an integer ≥ 8, got ${this.maxFrameBytes}`);
    }
  }

  /** Bytes received but not yet part of a complete frame. */
  get pendingBytes(): number {
    return this.bufferedBytes;
  }

  /** Feeds socket bytes; returns every command completed by them. Throws ProtocolError on bad input. */
  push(chunk: Buffer): RemotingCommand[] {
    if (this.failure) throw this.failure;
    let data: Buffer;
    if (this.bufferedBytes === 0) {
      data = chunk;
    } else {
      this.chunks.push(chunk);
      this.bufferedBytes += chunk.length;
      if (this.bufferedBytes < this.neededBytes) return [];
      data = Buffer.concat(this.chunks, this.bufferedBytes);
    }
    this.chunks = [];
    this.bufferedBytes = 0;
    this.neededBytes = 4;
    try {
      return this.drain(data);
    } catch (error) {
      this.failure =
        error instanceof ProtocolError
          ? error
          : new ProtocolError('undecodable frame', { cause: error });
      this.chunks = [];
      this.bufferedBytes = 0;
      throw this.failure;
    }
  }

  private drain(data: Buffer): RemotingCommand[] {
    const commands: RemotingCommand[] = [];
    let offset = 0;
    while (data.length - offset >= 4) {
      const length = data.readInt32BE(offset);
      if (length < 4 || length > this.maxFrameBytes - 4) {
        throw new ProtocolError(
          `frame length ${length} is outside 4..${this.maxFrameBytes - 4} (max frame ${this.maxFrameBytes} bytes)`,
          { offset },
        );
      }
      if (data.length - offset < length + 4) {
        this.neededBytes = length + 4;
        break;
      }
      commands.push(decodeFrameContent(data.subarray(offset + 4, offset + 4 + length)));
      offset += length + 4;
    }
    if (offset < data.length) {
      const rest = data.subarray(offset);
      this.chunks.push(rest);
      this.bufferedBytes = rest.length;
    }
    return commands;
  }
}
