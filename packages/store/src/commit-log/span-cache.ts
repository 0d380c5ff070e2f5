/**
 * The spans of older commit-log data that pulls read lately, kept for the next pulls.
 *
 * Why: the records of one queue are interleaved with every other queue's in the commit log, so the 32 records of a
 * pull of one of 8 queues lie spread over ~300 KB. Consumers pull all their queues at about the same pace, so the
 * span one queue's pull read holds most of what the other queues' next pulls ask for: without this each of them read
 * the same bytes again (8× the data, and as many buffers for the GC). A pull that finds none of its records here
 * reads its own span, as before, so a lone sequential reader pays nothing more.
 *
 * Spans are whole reads, kept as they are (the caller only stores fully written data); the least recently used go
 * first past `maxSpans`.
 */
export class SpanCache {
  /** Most recently used last. */
  private readonly spans: { start: number; bytes: Buffer }[] = [];

  constructor(private readonly maxSpans: number) {}

  /** A view of [phyOffset, phyOffset + size) when one cached span holds all of it. */
  get(phyOffset: number, size: number): Buffer | undefined {
    const spans = this.spans;
    for (let i = spans.length - 1; i >= 0; i--) {
      const span = spans[i]!;
      const from = phyOffset - span.start;
      if (from < 0 || from + size > span.bytes.length) continue;
      if (i !== spans.length - 1) {
        spans.splice(i, 1);
        spans.push(span);
      }
      return span.bytes.subarray(from, from + size);
    }
    return undefined;
  }

  /**
   * Keeps the span read at `start`, dropping the least recently used past the limit.
   * @returns the bytes of the span dropped to make room (no longer handed out: the caller may reuse its memory).
   */
  add(start: number, bytes: Buffer): Buffer | undefined {
    if (this.maxSpans === 0 || bytes.length === 0) return undefined;
    this.spans.push({ start, bytes });
    return this.spans.length > this.maxSpans ? this.spans.shift()!.bytes : undefined;
  }

  /** Forgets every span that holds bytes at or after `phyOffset` (the log was cut there). */
  dropFrom(phyOffset: number): void {
    this.keep((span) => span.start + span.bytes.length <= phyOffset);
  }

  /** Forgets every span that starts before `phyOffset` (its segment was deleted). */
  dropBelow(phyOffset: number): void {
    this.keep((span) => span.start >= phyOffset);
  }

  private keep(wanted: (span: { start: number; bytes: Buffer }) => boolean): void {
    const kept = this.spans.filter(wanted);
    this.spans.length = 0;
    this.spans.push(...kept);
  }
}
