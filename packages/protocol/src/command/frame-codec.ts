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
import { writeJavaStyleHeader } from './json-header-writer.js';
import { SerializeType } from './remoting-command.js';
import type { RemotingCommand } from './remoting-command.js';

/** RocketMQ's default `com.rocketmq.remoting.frameMaxLength`: 16 MiB, length field included. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Bodies at least this large are not copied into the frame buffer by {@link encodeFrameParts}. */
const COPY_BODY_MAX_BYTES = 16 * 1024;

/**
 * How one command's frame is laid out: filled by {@link measureFrame}, valid until the next call (one module-owned
 * object, and a JSON header is held in the writer's scratch buffer).
 */
export interface FrameLayout {
  /** Bytes of the header. */
  headerLength: number;
  /** The Java-style JSON header's bytes (the first `headerLength`), when the header is written that way. */
  headerBytes: Buffer | undefined;
  /** The JSON header text of a decoded, re-encoded command (its shape kept). */
  headerText: string | undefined;
  bodyLength: number;
  /** The whole frame, length field included. */
  frameBytes: number;
  /** The body is copied right after the header (small bodies); else it is written as its own part. */
  inlineBody: boolean;
  /** Bytes written by {@link writeFrameHead}: length field, header field, header and an inline body. */
  headBytes: number;
}

const LAYOUT: FrameLayout = {
  headerLength: 0,
  headerBytes: undefined,
  headerText: undefined,
  bodyLength: 0,
  frameBytes: 0,
  inlineBody: false,
  headBytes: 0,
};

/**
 * Lays out `cmd`'s frame (see {@link FrameLayout}); nothing is written yet. Throws ProtocolError when the frame would
 * exceed `maxFrameBytes` or the code does not fit a binary header.
 */
export function measureFrame(
  cmd: RemotingCommand,
  maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES,
): FrameLayout {
  const layout = LAYOUT;
  const bodyLength = cmd.body?.length ?? 0;
  layout.headerBytes = undefined;
  layout.headerText = undefined;
  if (cmd.serializeType === SerializeType.ROCKETMQ) {
    layout.headerLength = binaryHeaderLength(cmd);
  } else if (cmd.jsonShape === undefined) {
    // The hot path (every request we build, every response): bytes written straight, no header string.
    const written = writeJavaStyleHeader(cmd);
    layout.headerBytes = written.bytes;
    layout.headerLength = written.length;
  } else {
    layout.headerText = encodeJsonHeader(cmd);
    layout.headerLength = Buffer.byteLength(layout.headerText, 'utf8');
  }
  if (layout.headerLength > 0xffffff) {
    throw new ProtocolError(
      `header of ${layout.headerLength} bytes does not fit the 24-bit header length`,
    );
  }
  const frameBytes = 8 + layout.headerLength + bodyLength;
  if (frameBytes > maxFrameBytes) {
    throw new ProtocolError(`frame of ${frameBytes} bytes exceeds the ${maxFrameBytes}-byte limit`);
  }
  layout.bodyLength = bodyLength;
  layout.frameBytes = frameBytes;
  layout.inlineBody = bodyLength > 0 && bodyLength < COPY_BODY_MAX_BYTES;
  layout.headBytes = 8 + layout.headerLength + (layout.inlineBody ? bodyLength : 0);
  return layout;
}

/**
 * Writes the frame of `cmd` as laid out by the {@link measureFrame} call just before it (nothing else measured or
 * encoded in between) at `offset` of `target`, which has `headBytes` of room. A body that is not inline is left to the
 * caller, to write right after.
 */
export function writeFrameHead(cmd: RemotingCommand, target: Buffer, offset: number): void {
  const layout = LAYOUT;
  const { headerLength } = layout;
  target.writeInt32BE(layout.frameBytes - 4, offset);
  target.writeInt32BE(((cmd.serializeType & 0xff) << 24) | headerLength, offset + 4);
  if (layout.headerBytes !== undefined)
    layout.headerBytes.copy(target, offset + 8, 0, headerLength);
  else if (layout.headerText === undefined) writeBinaryHeader(cmd, target, offset + 8);
  else target.write(layout.headerText, offset + 8, 'utf8');
  if (layout.inlineBody) cmd.body!.copy(target, offset + 8 + headerLength);
}

/**
 * Encodes `cmd` as frame parts to write in order: the length prefix and header, then (for large bodies) the
 * body itself, so big payloads are not copied. Throws ProtocolError when the frame would exceed `maxFrameBytes`
 * or the code does not fit a binary header.
 */
export function encodeFrameParts(
  cmd: RemotingCommand,
  maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES,
): Buffer[] {
  const layout = measureFrame(cmd, maxFrameBytes);
  const head = Buffer.allocUnsafe(layout.headBytes);
  writeFrameHead(cmd, head, 0);
  return layout.bodyLength > 0 && !layout.inlineBody ? [head, cmd.body!] : [head];
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
  /**
   * The caller reuses each chunk's memory once `push` returns (a socket `onread` buffer): the decoder then copies
   * every body it hands out and every byte it keeps for a later chunk. Default false: bodies are views into the
   * pushed chunks, which must stay untouched.
   */
  reusedChunks?: boolean;
}

/**
 * Frames up to this size get their whole buffer as soon as the length is known, so later chunks are copied
 * once into place; larger ones are collected chunk by chunk and joined at the end, so a peer announcing a big
 * frame cannot make us allocate it before sending it.
 */
const PREALLOCATE_MAX_BYTES = 64 * 1024;

/**
 * Incremental frame decoder: feed it socket chunks, get back every complete command. Never trusts a length:
 * a length below 4 or above the limit throws ProtocolError before anything is buffered for it, so memory stays
 * bounded by one frame. After an error the decoder stays failed; close the connection.
 *
 * Frames that lie whole inside a chunk are decoded in place (no copy); only a frame split across chunks is
 * assembled, once, into its own buffer.
 */
export class FrameDecoder {
  private readonly maxFrameBytes: number;
  private readonly reusedChunks: boolean;
  /** A split length field: its first 1..3 bytes. */
  private readonly lengthBytes = Buffer.alloc(4);
  private lengthFilled = 0;
  /** Content (after the length field) of the frame being assembled, when preallocated. */
  private frame: Buffer | undefined;
  /** Parts of a large frame being assembled (owned copies when chunks are reused). */
  private frameParts: Buffer[] | undefined;
  /** Content length of the frame being assembled, and how much of it has arrived. */
  private frameLength = 0;
  private frameFilled = 0;
  private failure: ProtocolError | undefined;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.reusedChunks = options.reusedChunks ?? false;
    if (!Number.isInteger(this.maxFrameBytes) || this.maxFrameBytes < 8) {
      throw new RangeError(`maxFrameBytes must be an integer ≥ 8, got ${this.maxFrameBytes}`);
    }
  }

  /** Bytes received but not yet part of a complete frame. */
  get pendingBytes(): number {
    if (this.frame !== undefined || this.frameParts !== undefined) return 4 + this.frameFilled;
    return this.lengthFilled;
  }

  /** Feeds socket bytes; returns every command completed by them. Throws ProtocolError on bad input. */
  push(chunk: Buffer): RemotingCommand[] {
    if (this.failure) throw this.failure;
    try {
      return this.drain(chunk);
    } catch (error) {
      this.failure =
        error instanceof ProtocolError
          ? error
          : new ProtocolError('undecodable frame', { cause: error });
      this.frame = undefined;
      this.frameParts = undefined;
      this.lengthFilled = 0;
      throw this.failure;
    }
  }

  private drain(chunk: Buffer): RemotingCommand[] {
    const commands: RemotingCommand[] = [];
    const end = chunk.length;
    let at = 0;
    if (this.lengthFilled > 0) {
      const take = Math.min(4 - this.lengthFilled, end);
      chunk.copy(this.lengthBytes, this.lengthFilled, 0, take);
      this.lengthFilled += take;
      at = take;
      if (this.lengthFilled < 4) return commands;
      this.lengthFilled = 0;
      this.startFrame(this.checkLength(this.lengthBytes.readInt32BE(0), 0));
    }
    if (this.frame !== undefined || this.frameParts !== undefined) {
      at = this.continueFrame(chunk, at, commands);
    }
    while (at < end) {
      if (end - at < 4) {
        chunk.copy(this.lengthBytes, 0, at, end);
        this.lengthFilled = end - at;
        break;
      }
      const length = this.checkLength(chunk.readInt32BE(at), at);
      if (end - at - 4 >= length) {
        const content = chunk.subarray(at + 4, at + 4 + length);
        commands.push(this.decode(content));
        at += 4 + length;
        continue;
      }
      this.startFrame(length);
      at = this.continueFrame(chunk, at + 4, commands);
    }
    return commands;
  }

  private checkLength(length: number, offset: number): number {
    if (length < 4 || length > this.maxFrameBytes - 4) {
      throw new ProtocolError(
        `frame length ${length} is outside 4..${this.maxFrameBytes - 4} (max frame ${this.maxFrameBytes} bytes)`,
        { offset },
      );
    }
    return length;
  }

  private startFrame(length: number): void {
    this.frameLength = length;
    this.frameFilled = 0;
    if (length <= PREALLOCATE_MAX_BYTES) this.frame = Buffer.allocUnsafe(length);
    else this.frameParts = [];
  }

  /** Adds bytes from `chunk` at `at` to the frame being assembled; returns where the chunk's unused bytes start. */
  private continueFrame(chunk: Buffer, at: number, commands: RemotingCommand[]): number {
    const take = Math.min(this.frameLength - this.frameFilled, chunk.length - at);
    if (this.frame !== undefined) {
      chunk.copy(this.frame, this.frameFilled, at, at + take);
    } else if (take > 0) {
      const part = chunk.subarray(at, at + take);
      this.frameParts!.push(this.reusedChunks ? Buffer.from(part) : part);
    }
    this.frameFilled += take;
    if (this.frameFilled < this.frameLength) return at + take;
    const content = this.frame ?? Buffer.concat(this.frameParts!, this.frameLength);
    this.frame = undefined;
    this.frameParts = undefined;
    // The assembled buffer is ours: its body can be handed out as a view.
    commands.push(decodeFrameContent(content));
    return at + take;
  }

  /** Decodes a frame lying whole in a pushed chunk; copies its body out when the chunk will be reused. */
  private decode(content: Buffer): RemotingCommand {
    const cmd = decodeFrameContent(content);
    if (this.reusedChunks && cmd.body !== undefined) cmd.body = Buffer.from(cmd.body);
    return cmd;
  }
}
