/**
 * Buffers that getMessage copies records into, given back with `GetMessageResult.release()` and used again by later
 * reads (RocketMQ's broker releases each GetMessageResult the same way once it has sent it).
 *
 * Why: a pull copies ~37 KB (32 records of 1 KiB) into a buffer of its own, outside the V8 heap. A reader that pulls
 * fast allocates tens of MB of such buffers per second while its heap barely grows, so V8 runs full GCs for
 * "external memory pressure", and the freed memory comes back from the kernel page by page: pulls served from
 * memory ran at a fifth of their speed. Released buffers avoid both. Results that are never released are simply
 * garbage, as before.
 */

/** Smallest buffer made for a body, so that one pooled buffer serves the usual pull sizes. */
const MIN_BODY_BYTES = 64 * 1024;

export class BodyPool {
  private readonly free: Buffer[] = [];

  constructor(
    private readonly limits: {
      /** Buffers kept at most. */
      maxPooled: number;
      /** Larger buffers are not kept (rare big pulls do not pin memory). */
      maxBufferBytes: number;
    },
  ) {}

  /** A buffer of at least `bytes`: a released one when the most recent fits, else a new one. */
  take(bytes: number): Buffer {
    const pooled = this.free.pop();
    if (pooled !== undefined && pooled.length >= bytes) return pooled;
    // A pooled buffer too small for this body is dropped: bodies of one store are mostly alike.
    return Buffer.allocUnsafeSlow(Math.max(bytes, MIN_BODY_BYTES));
  }

  /** Takes `buffer` back; its contents may be overwritten by the next read. */
  give(buffer: Buffer): void {
    if (this.free.length >= this.limits.maxPooled || buffer.length > this.limits.maxBufferBytes) {
      return;
    }
    this.free.push(buffer);
  }

  /** Buffers held for reuse. */
  get size(): number {
    return this.free.length;
  }
}
