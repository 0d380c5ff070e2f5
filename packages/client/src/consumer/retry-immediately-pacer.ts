import type { PullResult } from './pull-api.js';

/** Pause after the second PULL_RETRY_IMMEDIATELY answer in a row that moved no offset, ms; doubles from there. */
export const PULL_RETRY_IMMEDIATELY_FIRST_DELAY_MS = 50;
/** Longest pause between PULL_RETRY_IMMEDIATELY answers that move no offset, ms. */
export const PULL_RETRY_IMMEDIATELY_MAX_DELAY_MS = 1_000;

/**
 * Paces one queue's pulls after PULL_RETRY_IMMEDIATELY (20, status NO_MATCHED_MSG) answers. Java pulls again at once
 * after every such answer, which is right when the broker skipped filtered-out entries (`nextBeginOffset` moved on)
 * or sent the client to another broker of the set (`suggestWhichBrokerId`). But a slave that does not serve reads
 * answers 20 with "go to the master" and the offset unchanged, and while the master is out of the routes the next
 * pull lands on that slave again: Java spins there. So: the first answer that moves no offset is followed at once
 * (honoring the new suggestion), each further one in a row waits 50 ms, doubling up to 1 s; any other answer, or
 * one that moves the offset, resets the pace.
 */
export class RetryImmediatelyPacer {
  private stalled = 0;

  /**
   * The pause before the next pull of the queue, ms.
   * @param result - the answer to the pull that just returned.
   * @param requestedOffset - the queue offset that pull asked for.
   */
  delayAfter(
    result: Pick<PullResult, 'pullStatus' | 'nextBeginOffset'>,
    requestedOffset: number,
  ): number {
    if (result.pullStatus !== 'NO_MATCHED_MSG' || result.nextBeginOffset > requestedOffset) {
      this.stalled = 0;
      return 0;
    }
    this.stalled++;
    if (this.stalled === 1) return 0;
    // Capped before shifting, so a long outage cannot overflow the exponent.
    const doublings = Math.min(this.stalled - 2, 16);
    return Math.min(
      PULL_RETRY_IMMEDIATELY_FIRST_DELAY_MS * 2 ** doublings,
      PULL_RETRY_IMMEDIATELY_MAX_DELAY_MS,
    );
  }
}
