/** A pull parked until its queue grows past `queueOffset` or its deadline passes. */
interface ParkedPull {
  queueOffset: number;
  channelId: number | undefined;
  timer: NodeJS.Timeout;
  wake: (reason: WakeReason) => void;
}

/** Why a parked pull resumed. */
export type WakeReason = 'arrived' | 'timeout' | 'shutdown' | 'closed';

/** A pull to park. */
export interface ParkRequest {
  topic: string;
  queueId: number;
  /** The offset the pull asked for; a message landing at or past it wakes the pull. */
  queueOffset: number;
  /** Longest the pull stays parked, in ms. */
  holdMs: number;
  /** The connection it came on: {@link PullRequestHoldService.releaseChannel} wakes it (`closed`) when that closes. */
  channelId?: number;
}

/**
 * Parked long-poll pulls by queue (Java `PullRequestHoldService`). A pull that found nothing waits here until a
 * message is dispatched to its queue at or past the offset it asked for, or until its hold time ends; the caller
 * then runs the lookup once more and answers. No polling loop: the store's arrival notification wakes pulls, and
 * each parked pull has one timer for its deadline. `close()` wakes everything with reason `shutdown`.
 */
export class PullRequestHoldService {
  private readonly parked = new Map<string, Set<ParkedPull>>();
  private readonly byChannel = new Map<number, Set<ParkedPull>>();
  private closed = false;

  /** Pulls currently parked. */
  get size(): number {
    let n = 0;
    for (const set of this.parked.values()) n += set.size;
    return n;
  }

  /** Parks a pull; resolves with why it woke. Resolves `shutdown` at once after `close()`. */
  park(request: ParkRequest): Promise<WakeReason> {
    if (this.closed) return Promise.resolve('shutdown');
    const key = queueKey(request.topic, request.queueId);
    let set = this.parked.get(key);
    if (set === undefined) {
      set = new Set();
      this.parked.set(key, set);
    }
    const queueSet = set;
    return new Promise<WakeReason>((resolve) => {
      const { channelId } = request;
      const entry: ParkedPull = {
        queueOffset: request.queueOffset,
        channelId,
        timer: setTimeout(() => entry.wake('timeout'), Math.max(0, request.holdMs)),
        wake: (reason) => {
          clearTimeout(entry.timer);
          queueSet.delete(entry);
          if (queueSet.size === 0 && this.parked.get(key) === queueSet) this.parked.delete(key);
          if (channelId !== undefined) {
            const ofChannel = this.byChannel.get(channelId);
            ofChannel?.delete(entry);
            if (ofChannel?.size === 0) this.byChannel.delete(channelId);
          }
          resolve(reason);
        },
      };
      queueSet.add(entry);
      if (channelId !== undefined) {
        let ofChannel = this.byChannel.get(channelId);
        if (ofChannel === undefined) this.byChannel.set(channelId, (ofChannel = new Set()));
        ofChannel.add(entry);
      }
    });
  }

  /**
   * A message was dispatched to a queue: wakes the pulls parked on it that asked for an offset below `maxOffset`
   * (one past the newest message).
   */
  notifyMessageArriving(topic: string, queueId: number, maxOffset: number): void {
    const set = this.parked.get(queueKey(topic, queueId));
    if (set === undefined) return;
    for (const entry of [...set]) {
      if (entry.queueOffset < maxOffset) entry.wake('arrived');
    }
  }

  /**
   * A connection closed: wakes its parked pulls (`closed`) at once, so they hold no timer or memory until their hold
   * time ends (nobody is left to answer).
   */
  releaseChannel(channelId: number): void {
    const ofChannel = this.byChannel.get(channelId);
    if (ofChannel === undefined) return;
    for (const entry of [...ofChannel]) entry.wake('closed');
  }

  /** Wakes every parked pull (`shutdown`) and refuses new ones. */
  close(): void {
    this.closed = true;
    for (const set of [...this.parked.values()]) {
      for (const entry of [...set]) entry.wake('shutdown');
    }
    this.parked.clear();
  }
}

function queueKey(topic: string, queueId: number): string {
  return `${topic}@${queueId}`;
}
