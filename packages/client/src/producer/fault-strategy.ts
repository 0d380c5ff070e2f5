import type { MessageQueue } from '@rocketmq-ts/protocol';
import type { PublishQueues } from './publish-queues.js';

/*
 * Broker fault avoidance for sends (Java 4.9.8 `MQFaultStrategy` and `LatencyFaultToleranceImpl`). With
 * `sendLatencyFaultEnable`, every attempt's latency marks its broker unavailable for a while (a failure counts as
 * 30 s of latency, i.e. 600 s), and queue selection skips unavailable brokers. Without it, a retry only avoids the
 * broker of the attempt that just failed.
 */

/** Latency thresholds, ms (4.x `latencyMax`). */
export const LATENCY_MAX_MS: readonly number[] = [50, 100, 550, 1000, 2000, 3000, 15000];

/** Unavailability for a latency at or over the threshold of the same index, ms (4.x `notAvailableDuration`). */
export const NOT_AVAILABLE_DURATION_MS: readonly number[] = [
  0, 0, 30_000, 60_000, 120_000, 180_000, 600_000,
];

/** The latency a failed attempt is counted as, ms (Java `updateFaultItem(…, isolation = true)`). */
export const ISOLATION_LATENCY_MS = 30_000;

/** How long a broker is avoided after an attempt that took `latencyMs` (Java `computeNotAvailableDuration`). */
export function computeNotAvailableDuration(latencyMs: number): number {
  for (let i = LATENCY_MAX_MS.length - 1; i >= 0; i--) {
    if (latencyMs >= (LATENCY_MAX_MS[i] as number)) return NOT_AVAILABLE_DURATION_MS[i] as number;
  }
  return 0;
}

interface FaultItem {
  readonly name: string;
  currentLatencyMs: number;
  /** Available again from this time on, ms since the epoch. */
  startTimestamp: number;
}

/** Per-broker latency and unavailability (Java `LatencyFaultToleranceImpl`). */
export class LatencyFaultTolerance {
  private readonly items = new Map<string, FaultItem>();
  private readonly clock: () => number;
  private whichItemWorst = Math.floor(Math.random() * 0x7fffffff);

  constructor(clock: () => number = Date.now) {
    this.clock = clock;
  }

  /** Records a broker's latest latency and makes it unavailable for `notAvailableDurationMs`. */
  updateFaultItem(name: string, currentLatencyMs: number, notAvailableDurationMs: number): void {
    const startTimestamp = this.clock() + notAvailableDurationMs;
    const item = this.items.get(name);
    if (item === undefined) {
      this.items.set(name, { name, currentLatencyMs, startTimestamp });
    } else {
      item.currentLatencyMs = currentLatencyMs;
      item.startTimestamp = startTimestamp;
    }
  }

  /** False while a broker is in its unavailability window. */
  isAvailable(name: string): boolean {
    const item = this.items.get(name);
    return item === undefined || this.clock() >= item.startTimestamp;
  }

  /** Forgets a broker. */
  remove(name: string): void {
    this.items.delete(name);
  }

  /**
   * A broker to fall back on when every queue's broker is unavailable (Java `pickOneAtLeast`): the items sorted
   * available first, then by latency, then by when they recover; one of the better half in turn (the best when
   * there is only one or two). Undefined when no broker has an item.
   */
  pickOneAtLeast(): string | undefined {
    if (this.items.size === 0) return undefined;
    const now = this.clock();
    const sorted = [...this.items.values()].sort((a, b) => {
      const availableA = now >= a.startTimestamp;
      const availableB = now >= b.startTimestamp;
      if (availableA !== availableB) return availableA ? -1 : 1;
      if (a.currentLatencyMs !== b.currentLatencyMs) return a.currentLatencyMs - b.currentLatencyMs;
      return a.startTimestamp - b.startTimestamp;
    });
    const half = Math.floor(sorted.length / 2);
    if (half <= 0) return sorted[0]?.name;
    this.whichItemWorst = (this.whichItemWorst + 1) & 0x7fffffff;
    return sorted[this.whichItemWorst % half]?.name;
  }
}

/** Options of {@link FaultStrategy}. */
export interface FaultStrategyOptions {
  /** Java `sendLatencyFaultEnable`. */
  readonly sendLatencyFaultEnable: boolean;
  /** Clock, ms since the epoch; default `Date.now` (injectable for tests). */
  readonly clock?: () => number;
}

/** Chooses the queue of each send attempt and learns from the outcome (Java `MQFaultStrategy`). */
export class FaultStrategy {
  readonly sendLatencyFaultEnable: boolean;
  readonly tolerance: LatencyFaultTolerance;

  constructor(options: FaultStrategyOptions) {
    this.sendLatencyFaultEnable = options.sendLatencyFaultEnable;
    this.tolerance = new LatencyFaultTolerance(options.clock);
  }

  /**
   * The queue for the next attempt. Without latency fault avoidance: round-robin, skipping `lastBrokerName` (the
   * broker of the failed previous attempt). With it: round-robin over queues whose broker is available; when none
   * is, a queue on the least bad broker (`pickOneAtLeast`), else plain round-robin.
   */
  selectOneMessageQueue(
    queues: PublishQueues,
    lastBrokerName: string | undefined,
  ): MessageQueue | undefined {
    if (!this.sendLatencyFaultEnable) return queues.selectOneAvoiding(lastBrokerName);
    const list = queues.messageQueues;
    if (list.length === 0) return undefined;
    let index = queues.nextIndex();
    for (let i = 0; i < list.length; i++) {
      const mq = list[index % list.length] as MessageQueue;
      index = (index + 1) & 0x7fffffff;
      if (this.tolerance.isAvailable(mq.brokerName)) return mq;
    }
    const notBestBroker = this.tolerance.pickOneAtLeast();
    if (notBestBroker !== undefined) {
      const writeQueueNums = queues.writeQueueNumsOf(notBestBroker);
      if (writeQueueNums > 0) {
        const mq = queues.selectOne() as MessageQueue;
        return {
          topic: mq.topic,
          brokerName: notBestBroker,
          queueId: queues.nextIndex() % writeQueueNums,
        };
      }
      this.tolerance.remove(notBestBroker);
    }
    return queues.selectOne();
  }

  /**
   * Records an attempt's outcome (no-op unless `sendLatencyFaultEnable`): its latency, or for a failure
   * (`isolation`) a latency of 30 s, which keeps the broker out for 600 s.
   */
  updateFaultItem(brokerName: string, latencyMs: number, isolation: boolean): void {
    if (!this.sendLatencyFaultEnable) return;
    const duration = computeNotAvailableDuration(isolation ? ISOLATION_LATENCY_MS : latencyMs);
    this.tolerance.updateFaultItem(brokerName, latencyMs, duration);
  }
}
