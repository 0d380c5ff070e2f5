/**
 * Reusable memory chunks for the commit log's write buffers. Fresh memory costs a page fault per 4 KiB on first
 * touch, which at a few hundred MB/s is a large share of the put path; reusing chunks avoids it.
 *
 * A chunk comes back once no written run in it is cached any more. It may cool for `cooldownMs` before it is handed
 * out again, for callers that let readers keep views into chunks (the commit log copies instead and uses 0).
 */
export class ChunkPool {
  private readonly free: Buffer[] = [];
  private readonly cooling: { chunk: Buffer; releasedAt: number }[] = [];

  constructor(
    /** Size of each pooled chunk, in bytes. */
    readonly chunkBytes: number,
    private readonly options: { cooldownMs: number; maxPooled: number },
  ) {}

  /**
   * Allocates and touches `count` chunks now (start-up), so the first minutes of writing do not pay a page fault per
   * 4 KiB of fresh memory.
   */
  prefill(count: number): void {
    for (
      let i = 0;
      i < count && this.free.length + this.cooling.length < this.options.maxPooled;
      i++
    ) {
      this.free.push(Buffer.allocUnsafeSlow(this.chunkBytes).fill(0));
    }
  }

  /** A chunk of at least `minBytes`: a cooled one when possible, else new memory. */
  take(minBytes: number): Buffer {
    if (minBytes > this.chunkBytes) return Buffer.allocUnsafeSlow(minBytes);
    const now = Date.now();
    while (
      this.cooling.length > 0 &&
      now - this.cooling[0]!.releasedAt >= this.options.cooldownMs
    ) {
      this.free.push(this.cooling.shift()!.chunk);
    }
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.chunkBytes);
  }

  /** Gives a chunk back; it is reused after the cooldown. Odd-sized chunks and overflow are left to the GC. */
  release(chunk: Buffer): void {
    if (chunk.length !== this.chunkBytes) return;
    if (this.free.length + this.cooling.length >= this.options.maxPooled) return;
    this.cooling.push({ chunk, releasedAt: Date.now() });
  }
}
