import { formatJavaDouble } from '@rocketmq-ts/protocol';
import type { StoreStats } from '@rocketmq-ts/store';

/*
 * Rates and daily totals for GET_BROKER_RUNTIME_INFO, sampled from the store's counters the way Java's
 * StoreStatsService (TPS over the last 10, 60 and 600 one-second samples) and BrokerStats (totals recorded at each
 * local midnight) do.
 */

/** Java StoreStatsService FREQUENCY_OF_SAMPLING, in ms. */
export const RUNTIME_STATS_SAMPLE_INTERVAL_MS = 1000;
/** Windows of the TPS triples, in samples (seconds): `"<10s> <60s> <600s>"`. */
const TPS_WINDOWS = [10, 60, 600] as const;
/** Samples kept: the largest window plus one. */
const MAX_SAMPLES = 601;

/** Options of {@link BrokerRuntimeStats}. */
export interface BrokerRuntimeStatsOptions {
  /** The store whose counters are sampled. */
  store: { getStats(): Readonly<StoreStats> };
  /** Sampling period, in ms. Default {@link RUNTIME_STATS_SAMPLE_INTERVAL_MS}. */
  intervalMs?: number;
  /** Clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** Daily message totals as Java's BrokerStats reports them (counts since boot at each point). */
export interface DailyTotals {
  msgPutTotalYesterdayMorning: number;
  msgPutTotalTodayMorning: number;
  msgPutTotalTodayNow: number;
  msgGetTotalYesterdayMorning: number;
  msgGetTotalTodayMorning: number;
  msgGetTotalTodayNow: number;
}

/** The rates GET_BROKER_RUNTIME_INFO reports, each `"<10s> <60s> <600s>"` in Java double text. */
export interface RuntimeTps {
  putTps: string;
  getFoundTps: string;
  getMissTps: string;
  getTotalTps: string;
  getTransferedTps: string;
}

interface Sample {
  atMs: number;
  put: number;
  getFound: number;
  getMiss: number;
  getTransfered: number;
}

type Counter = Exclude<keyof Sample, 'atMs'>;

/**
 * Samples the store's put/get counters every second (timer unref'd) to answer TPS over recent windows and the
 * yesterday/today totals of mqadmin `clusterList -m`. Until a window is full, its rate covers the samples taken so
 * far (Java prints an empty value then, which its own clusterList cannot parse). `start()` / `close()` own the
 * timer; `close()` is idempotent.
 */
export class BrokerRuntimeStats {
  private readonly store: BrokerRuntimeStatsOptions['store'];
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private day: string | undefined;
  private putMorning = { yesterday: 0, today: 0 };
  private getMorning = { yesterday: 0, today: 0 };

  constructor(options: BrokerRuntimeStatsOptions) {
    this.store = options.store;
    this.intervalMs = options.intervalMs ?? RUNTIME_STATS_SAMPLE_INTERVAL_MS;
    this.now = options.now ?? Date.now;
  }

  /** Takes a first sample and starts sampling every `intervalMs`. Calling it twice has no effect. */
  start(): void {
    if (this.timer !== undefined) return;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops sampling. Idempotent. */
  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Records the store's counters now; at the first sample of a new local day, shifts the morning totals. */
  sample(): void {
    const stats = this.store.getStats();
    const atMs = this.now();
    const s: Sample = {
      atMs,
      put: stats.putMessageTimesTotal,
      getFound: stats.getMessageTimesTotalFound,
      getMiss: stats.getMessageTimesTotalMiss,
      getTransfered: stats.getMessageTransferedMsgCount,
    };
    const day = new Date(atMs).toDateString();
    if (this.day !== undefined && day !== this.day) {
      // Java BrokerStats.record() at midnight: yesterday takes today's morning value, today takes the current total.
      this.putMorning = { yesterday: this.putMorning.today, today: s.put };
      this.getMorning = { yesterday: this.getMorning.today, today: s.getTransfered };
    }
    this.day = day;
    this.samples.push(s);
    if (this.samples.length > MAX_SAMPLES) this.samples.shift();
  }

  /** Rates over the last 10, 60 and 600 samples. */
  tps(): RuntimeTps {
    const triple = (rate: (from: Sample, to: Sample) => number) =>
      TPS_WINDOWS.map((w) => formatJavaDouble(this.windowRate(w, rate))).join(' ');
    const of = (counter: Counter) => (from: Sample, to: Sample) => to[counter] - from[counter];
    return {
      putTps: triple(of('put')),
      getFoundTps: triple(of('getFound')),
      getMissTps: triple(of('getMiss')),
      getTotalTps: triple((from, to) => of('getFound')(from, to) + of('getMiss')(from, to)),
      getTransferedTps: triple(of('getTransfered')),
    };
  }

  /** Put and get totals now and at the last two local midnights (0 before the first midnight seen). */
  dailyTotals(): DailyTotals {
    const stats = this.store.getStats();
    return {
      msgPutTotalYesterdayMorning: this.putMorning.yesterday,
      msgPutTotalTodayMorning: this.putMorning.today,
      msgPutTotalTodayNow: stats.putMessageTimesTotal,
      msgGetTotalYesterdayMorning: this.getMorning.yesterday,
      msgGetTotalTodayMorning: this.getMorning.today,
      msgGetTotalTodayNow: stats.getMessageTransferedMsgCount,
    };
  }

  private windowRate(window: number, delta: (from: Sample, to: Sample) => number): number {
    const last = this.samples[this.samples.length - 1];
    const first = this.samples[Math.max(0, this.samples.length - 1 - window)];
    if (last === undefined || first === undefined || last.atMs <= first.atMs) return 0;
    return (delta(first, last) * 1000) / (last.atMs - first.atMs);
  }
}
