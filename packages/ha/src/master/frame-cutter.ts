/**
 * Cuts a chunk of the master's commit log into frame bodies of at most `maxBodyBytes` that end at record
 * boundaries whenever a record fits in one frame. Java cuts every 32 KiB regardless; cutting at boundaries means a
 * slave (ours or Java's) that loses its connection holds whole records only, so its next report is a record
 * boundary the master can verify. A record larger than a frame is still split.
 *
 * Cost: one header read (size, magic) per record, no copies: bodies are views of the chunk.
 */
import { stepRecord } from '../record-walk.js';

/** Input of {@link cutFrames}. */
export interface FrameCutInput {
  /** Commit-log bytes from the transfer position; never crosses a segment end. */
  readonly chunk: Buffer;
  /** Offset of `chunk[0]` (the transfer position). */
  readonly phyOffset: number;
  /** First record boundary at or after `phyOffset`, or undefined when unknown (then cuts are plain). */
  readonly nextBoundary: number | undefined;
  readonly maxBodyBytes: number;
  readonly segmentBytes: number;
  /**
   * True when nothing follows the chunk for now (it ends at the written end or a segment end): its last partial
   * record is sent rather than kept for the next chunk.
   */
  readonly chunkIsTail: boolean;
}

/** Result of {@link cutFrames}. */
export interface FrameCutResult {
  /** Lengths of consecutive frame bodies from `phyOffset`; their sum may be less than the chunk. */
  readonly bodyLengths: number[];
  /** First record boundary at or after the end of the last body, or undefined when unknown. */
  readonly nextBoundary: number | undefined;
}

/** See the module comment. */
export function cutFrames(input: FrameCutInput): FrameCutResult {
  const { chunk, phyOffset, maxBodyBytes, segmentBytes, chunkIsTail } = input;
  const chunkEnd = phyOffset + chunk.length;
  // Record boundaries after phyOffset up to the chunk end, from the headers inside the chunk.
  const boundaries: number[] = [];
  let boundary = input.nextBoundary;
  if (boundary !== undefined && boundary < phyOffset) boundary = undefined;
  while (boundary !== undefined && boundary < chunkEnd) {
    if (boundary > phyOffset) boundaries.push(boundary);
    const step = stepRecord({ bytes: chunk, phyOffset }, boundary, segmentBytes);
    if (step.kind === 'short') break;
    // Bytes that are no record: cut plainly from here (the store validated them; this only picks cut points).
    boundary = step.kind === 'invalid' ? undefined : step.end;
  }
  if (boundary === chunkEnd) boundaries.push(boundary);

  const bodyLengths: number[] = [];
  let cut = phyOffset;
  let next = 0; // index of the first boundary after `cut`
  while (cut < chunkEnd) {
    const limit = cut + maxBodyBytes;
    let best = cut;
    while (next < boundaries.length && boundaries[next]! <= limit) best = boundaries[next++]!;
    let end: number;
    if (best > cut) {
      end = best;
    } else if (chunkEnd > limit) {
      end = limit; // a record larger than a frame
    } else if (chunkIsTail || boundary === undefined || cut === phyOffset) {
      end = chunkEnd;
    } else {
      break; // a partial record at the chunk end: it goes with the next chunk
    }
    bodyLengths.push(end - cut);
    cut = end;
  }
  let nextBoundary: number | undefined;
  if (cut % segmentBytes === 0) nextBoundary = cut;
  else if (boundary !== undefined && boundary >= cut) {
    nextBoundary = boundaries.find((b) => b >= cut) ?? boundary;
  }
  return { bodyLengths, nextBoundary };
}
