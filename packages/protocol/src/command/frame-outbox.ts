/**
 * Frames waiting to be written on one connection, encoded straight into write memory that every outbox of the
 * process shares: a chunk of {@link CHUNK_BYTES} is filled front to back, frame after frame, and a new one is taken
 * when it is full. Frames one outbox adds back to back form one run (one contiguous view to write); a run ends when
 * another outbox writes into the chunk in between, or the chunk is full.
 *
 * Why: a frame encoded into its own buffer, then copied again into one buffer per write (to write it with the
 * frames of the same turn), costs an allocation and two copies per frame; buffers above a few KiB are each an
 * ArrayBuffer, which V8 allocates and frees through malloc with a backing-store record per buffer. Here a send
 * frame is written once, and one ArrayBuffer serves dozens of frames.
 *
 * Bytes handed out by {@link FrameOutbox.take} are never written again (the chunk only grows), so a socket may keep
 * them until its write completes; the chunk is freed once no view of it is left.
 */
import { DEFAULT_MAX_FRAME_BYTES, measureFrame, writeFrameHead } from './frame-codec.js';
import type { RemotingCommand } from './remoting-command.js';

/**
 * Size of each shared chunk; a frame head larger than this gets a chunk of its own size. A chunk stays in memory
 * while any socket still holds a view of it: small chunks bound what stalled peers keep alive (about one chunk each).
 */
const CHUNK_BYTES = 64 * 1024;

/** The chunk frames are written into now, and how much of it is taken. */
let chunk: Buffer = Buffer.allocUnsafeSlow(0);
let chunkUsed = 0;

export class FrameOutbox {
  private parts: Buffer[] = [];
  /** The open run: bytes [runStart, runEnd) of `runChunk`, written by this outbox. */
  private runChunk: Buffer | undefined;
  private runStart = 0;
  private runEnd = 0;
  private queuedBytes = 0;

  /** Bytes queued (frames added since the last {@link FrameOutbox.take}). */
  get bytes(): number {
    return this.queuedBytes;
  }

  /**
   * Encodes `cmd`'s frame at the end of the queue. Throws ProtocolError (and queues nothing) when the frame would
   * exceed `maxFrameBytes` or the code does not fit a binary header.
   */
  add(cmd: RemotingCommand, maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES): void {
    const layout = measureFrame(cmd, maxFrameBytes);
    const at = this.reserve(layout.headBytes);
    writeFrameHead(cmd, chunk, at);
    if (layout.bodyLength > 0 && !layout.inlineBody) {
      // A large body is written from its own buffer, not copied: the run so far goes first.
      this.closeRun();
      this.parts.push(cmd.body!);
    }
    this.queuedBytes += layout.frameBytes;
  }

  /** The queued bytes as buffers to write in order; the outbox is empty afterwards. */
  take(): Buffer[] {
    this.closeRun();
    const parts = this.parts;
    this.parts = [];
    this.queuedBytes = 0;
    return parts;
  }

  /** Takes `bytes` of the shared chunk (a fresh chunk when it has no room) and returns where they start. */
  private reserve(bytes: number): number {
    if (chunk.length - chunkUsed < bytes) {
      chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, bytes));
      chunkUsed = 0;
    }
    if (this.runChunk !== chunk || this.runEnd !== chunkUsed) {
      this.closeRun();
      this.runChunk = chunk;
      this.runStart = chunkUsed;
    }
    const at = chunkUsed;
    chunkUsed += bytes;
    this.runEnd = chunkUsed;
    return at;
  }

  private closeRun(): void {
    if (this.runChunk !== undefined && this.runEnd > this.runStart) {
      this.parts.push(this.runChunk.subarray(this.runStart, this.runEnd));
    }
    this.runChunk = undefined;
  }
}
