import { formatJavaFixed, formatRow } from '../text-columns.js';

/*
 * clusterList's two tables as RocketMQ 4.9.8 prints them (Java `ClusterListSubCommand`, mqadmin-and-config.md §1.3,
 * §1.10, §1.11): the 4.x 10-column base view, not 5.x's 12 columns (no #Timer(Progress), no #ACTIVATED), because the
 * protocol target is 4.x and 4.x brokers report nothing for those columns. Our extension: the base view appends
 * `#Role` and `#Behind(B)` after #SPACE, so the 4.9.8 columns keep their positions for scripts that split rows.
 */

/** What one broker contributes to the base view; KV values as the broker reported them (null when missing). */
export interface ClusterBaseRow {
  clusterName: string;
  brokerName: string;
  /** 0 for the master. */
  brokerId: number;
  brokerAddr: string;
  /** `brokerVersionDesc`, e.g. `V4_9_8`. */
  version: string | null;
  /** First of the `putTps` windows, messages per second. */
  inTps: number;
  /** First of the `getTransferedTps` windows, messages per second. */
  outTps: number;
  sendThreadPoolQueueSize: string | null;
  sendThreadPoolQueueHeadWaitTimeMills: string | null;
  pullThreadPoolQueueSize: string | null;
  pullThreadPoolQueueHeadWaitTimeMills: string | null;
  pageCacheLockTimeMills: string | null;
  /** Hours since the earliest stored message; 0 when the broker stores none. */
  hour: number;
  /** `commitLogDiskRatio`: used share of the commit-log disk, 0..1. */
  space: number;
  /** `brokerRole`: ASYNC_MASTER, SYNC_MASTER or SLAVE; null when the broker does not report it (Java brokers). */
  brokerRole: string | null;
  /**
   * `haBehindBytes`, as the broker reported it: for a slave, the bytes of commit log it lacks from its master; for a
   * master, the most any connected slave lacks. Null when the broker does not report it.
   */
  haBehindBytes: string | null;
  /** Why the broker's runtime info could not be read; the KV columns are then empty, as in Java. */
  error?: string;
}

/** What one broker contributes to the `-m` view: message counts from its `msgPutTotal*` / `msgGetTotal*` keys. */
export interface ClusterMoreStatsRow {
  clusterName: string;
  brokerName: string;
  brokerId: number;
  brokerAddr: string;
  inTotalYest: number;
  outTotalYest: number;
  inTotalToday: number;
  outTotalToday: number;
  error?: string;
}

/**
 * The base view's columns (Java `ClusterListSubCommand.printClusterBaseInfo`), then our two: role and bytes behind.
 * The last column is not padded.
 */
const BASE_FORMAT = '%-16s  %-22s  %-4s  %-22s %-16s %19s %19s %10s %5s %6s  %-12s  %s';

/** A replication column's value: `-` when the broker does not report it, nothing when the fetch failed. */
function replication(row: ClusterBaseRow, value: string | null): string {
  if (row.error !== undefined) return '';
  return value ?? '-';
}

/** A KV value as Java's `%s` prints it: null as `null`, and nothing at all when the fetch failed. */
function kv(row: ClusterBaseRow, value: string | null): string {
  if (row.error !== undefined) return '';
  return value ?? 'null';
}

/**
 * The base view: header, then one row per broker address. Rows end with `#Role` and `#Behind(B)`, `-` where the
 * broker does not report them; a broker that could not be read leaves those cells empty. Rows never end in spaces.
 */
export function formatClusterBase(rows: readonly ClusterBaseRow[]): string[] {
  return [
    formatRow(BASE_FORMAT, [
      '#Cluster Name',
      '#Broker Name',
      '#BID',
      '#Addr',
      '#Version',
      '#InTPS(LOAD)',
      '#OutTPS(LOAD)',
      '#PCWait(ms)',
      '#Hour',
      '#SPACE',
      '#Role',
      '#Behind(B)',
    ]),
    ...rows.map((r) =>
      formatRow(BASE_FORMAT, [
        r.clusterName,
        r.brokerName,
        r.brokerId,
        r.brokerAddr,
        r.error !== undefined ? '' : (r.version ?? 'null'),
        formatRow('%9s(%s,%sms)', [
          formatJavaFixed(r.inTps, 2),
          kv(r, r.sendThreadPoolQueueSize),
          kv(r, r.sendThreadPoolQueueHeadWaitTimeMills),
        ]),
        formatRow('%9s(%s,%sms)', [
          formatJavaFixed(r.outTps, 2),
          kv(r, r.pullThreadPoolQueueSize),
          kv(r, r.pullThreadPoolQueueHeadWaitTimeMills),
        ]),
        kv(r, r.pageCacheLockTimeMills),
        formatJavaFixed(r.hour, 2),
        formatJavaFixed(r.space, 4),
        replication(r, r.brokerRole),
        replication(r, r.haBehindBytes),
      ]).trimEnd(),
    ),
  ];
}

/** The `-m` view (Java `%-16s  %-32s %14s %14s %14s %14s`): header, then one row per broker address. */
export function formatClusterMoreStats(rows: readonly ClusterMoreStatsRow[]): string[] {
  const line = (cells: readonly (string | number)[]): string =>
    formatRow('%-16s  %-32s %14s %14s %14s %14s', cells);
  return [
    line([
      '#Cluster Name',
      '#Broker Name',
      '#InTotalYest',
      '#OutTotalYest',
      '#InTotalToday',
      '#OutTotalToday',
    ]),
    ...rows.map((r) =>
      line([
        r.clusterName,
        r.brokerName,
        r.inTotalYest,
        r.outTotalYest,
        r.inTotalToday,
        r.outTotalToday,
      ]),
    ),
  ];
}

/** The first number of a `"12.5 11.0 10.2"` TPS triple (Java splits on a space), 0 when absent or not a number. */
export function firstTps(value: string | undefined): number {
  const first = Number((value ?? '').split(' ')[0]);
  return Number.isFinite(first) ? first : 0;
}

/** Builds a base-view row from a broker's runtime KV table (`now` for the #Hour column). */
export function clusterBaseRow(
  broker: Pick<ClusterBaseRow, 'clusterName' | 'brokerName' | 'brokerId' | 'brokerAddr'>,
  stats: { table: ReadonlyMap<string, string>; nowMs: number },
): ClusterBaseRow {
  const { table } = stats;
  const get = (key: string): string | null => table.get(key) ?? null;
  const earliest = Number(table.get('earliestMessageTimeStamp') ?? '');
  const space = Number(table.get('commitLogDiskRatio') ?? '');
  return {
    ...broker,
    version: get('brokerVersionDesc'),
    inTps: firstTps(table.get('putTps')),
    outTps: firstTps(table.get('getTransferedTps')),
    sendThreadPoolQueueSize: get('sendThreadPoolQueueSize'),
    sendThreadPoolQueueHeadWaitTimeMills: get('sendThreadPoolQueueHeadWaitTimeMills'),
    pullThreadPoolQueueSize: get('pullThreadPoolQueueSize'),
    pullThreadPoolQueueHeadWaitTimeMills: get('pullThreadPoolQueueHeadWaitTimeMills'),
    pageCacheLockTimeMills: get('pageCacheLockTimeMills'),
    // Java computes from any value, so an empty store (-1) shows ~486 000 hours; 0 says "nothing stored" plainly.
    hour: Number.isFinite(earliest) && earliest > 0 ? (stats.nowMs - earliest) / 3_600_000 : 0,
    space: Number.isFinite(space) ? space : 0,
    brokerRole: get('brokerRole'),
    haBehindBytes: get('haBehindBytes'),
  };
}

/** Builds a `-m` row from a broker's runtime KV table; a missing counter counts as 0. */
export function clusterMoreStatsRow(
  broker: Pick<ClusterMoreStatsRow, 'clusterName' | 'brokerName' | 'brokerId' | 'brokerAddr'>,
  table: ReadonlyMap<string, string>,
): ClusterMoreStatsRow {
  const n = (key: string): number => {
    const value = Number(table.get(key) ?? '0');
    return Number.isSafeInteger(value) ? value : 0;
  };
  return {
    ...broker,
    inTotalYest: n('msgPutTotalTodayMorning') - n('msgPutTotalYesterdayMorning'),
    outTotalYest: n('msgGetTotalTodayMorning') - n('msgGetTotalYesterdayMorning'),
    inTotalToday: n('msgPutTotalTodayNow') - n('msgPutTotalTodayMorning'),
    outTotalToday: n('msgGetTotalTodayNow') - n('msgGetTotalTodayMorning'),
  };
}
