/**
 * Older commit-log data read in aligned blocks and kept for a while, for pulls.
 *
 * Why: the records of one queue are interleaved with every other queue's in the commit log, so the 32 records of
 * a pull of one of 8 queues lie spread over ~300 KB. Reading each pull's span on its own read the same bytes once
 * per queue (8× the data, and as many buffers for the GC); consumers pull all queues at about the same pace, so a
 * block read for one queue's pull serves the next pulls of the others.
 *
 * Blocks are `blockBytes` aligned on commit-log offsets and cut at segment starts and ends (a block never spans two
 * files); only blocks wholly written are kept. Least recently used blocks go first past `maxBlocks`.
 */
export class BlockCache {
  /** Blocks by start offset; Map order is use order (a hit moves its block to the end). */
  private readonly blocks = new Map<number, Buffer>();

  constructor(
    readonly blockBytes: number,
    private readonly maxBlocks: number,
  ) {}

  /**
   * The start and end of the block holding `phyOffset` in the segment [segmentStart, segmentEnd).
   * The result object is reused: read it before the next call.
   */
  blockAt(
    phyOffset: number,
    segmentStart: number,
    segmentEnd: number,
  ): { start: number; end: number } {
    const aligned = phyOffset - (phyOffset % this.blockBytes);
    BLOCK_RANGE.start = Math.max(aligned, segmentStart);
    BLOCK_RANGE.end = Math.min(aligned + this.blockBytes, segmentEnd);
    return BLOCK_RANGE;
  }

  /** A view of [phyOffset, phyOffset + size) when the cached block starting at `blockStart` holds all of it. */
  get(blockStart: number, phyOffset: number, size: number): Buffer | undefined {
    const block = this.blocks.get(blockStart);
    if (block === undefined) return undefined;
    const from = phyOffset - blockStart;
    if (from < 0 || from + size > block.length) return undefined;
    this.blocks.delete(blockStart);
    this.blocks.set(blockStart, block);
    return block.subarray(from, from + size);
  }

  /** Keeps `bytes` as the block starting at `blockStart`, evicting the least recently used past the limit. */
  add(blockStart: number, bytes: Buffer): void {
    if (this.maxBlocks === 0) return;
    this.blocks.delete(blockStart);
    this.blocks.set(blockStart, bytes);
    while (this.blocks.size > this.maxBlocks) {
      const oldest = this.blocks.keys().next().value as number;
      this.blocks.delete(oldest);
    }
  }

  /** Forgets every block that holds bytes at or after `phyOffset` (the log was cut there). */
  dropFrom(phyOffset: number): void {
    for (const [start, block] of this.blocks) {
      if (start + block.length > phyOffset) this.blocks.delete(start);
    }
  }

  /** Forgets every block that ends at or before `phyOffset` (their segments were deleted). */
  dropBelow(phyOffset: number): void {
    for (const [start, block] of this.blocks) {
      if (start + block.length <= phyOffset) this.blocks.delete(start);
    }
  }
}

const BLOCK_RANGE = { start: 0, end: 0 };
