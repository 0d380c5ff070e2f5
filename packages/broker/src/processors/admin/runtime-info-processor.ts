import { statfs } from 'node:fs/promises';
import {
  DEFAULT_MQ_VERSION,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  encodeKVTable,
  formatJavaDouble,
  readRecordStoreTimestamp,
} from '@rocketmq-ts/protocol';
import type { RequestProcessor } from '@rocketmq-ts/remoting';
import type { BrokerContext } from '../../broker-context.js';
import { notHandledBy } from './admin-request-guards.js';
import type { BrokerRuntimeStats } from './broker-runtime-stats.js';

/** The codes {@link RuntimeInfoProcessor} answers. */
export const RUNTIME_INFO_CODES: readonly number[] = [RequestCode.GET_BROKER_RUNTIME_INFO];

/** The version this broker reports: Java `MQVersion` V4_9_8, the protocol it speaks. */
const BROKER_VERSION = DEFAULT_MQ_VERSION;
const BROKER_VERSION_DESC = 'V4_9_8';

/** Space of the filesystem holding a directory, in bytes. */
interface DiskSpace {
  total: number;
  free: number;
  usable: number;
}

/**
 * GET_BROKER_RUNTIME_INFO (28): a KVTable of the keys Java 4.9.8 writes (remoting-protocol.md §5.10) that this broker
 * can compute truthfully:
 * brokerVersionDesc/brokerVersion; msgPutTotal{Yesterday,Today}Morning, msgPutTotalTodayNow and the msgGet…
 * equivalents (messages delivered by pulls) and putTps/getFoundTps/getMissTps/getTotalTps/getTransferedTps from
 * {@link BrokerRuntimeStats}; bootTimestamp, runtime, putMessageTimesTotal, putMessageFailedTimes,
 * putMessageSizeTotal, putMessageAverageSize, dispatchBehindBytes, commitLogMinOffset, commitLogMaxOffset,
 * earliestMessageTimeStamp (store time of the oldest stored record, -1 when empty) from the store;
 * commitLogDiskRatio, consumeQueueDiskRatio (both files live under storePathRootDir) and commitLogDirCapacity from
 * the filesystem; startAcceptSendRequestTimeStamp 0 (Java's default, no send delay here).
 * The send/pull/query `ThreadPoolQueueSize` and `…HeadWaitTimeMills` keys are 0 and pageCacheLockTimeMills is 0:
 * requests do not wait in thread-pool queues and appends hold no page-cache lock in this broker. Keys without a
 * counterpart here (putMessageEntireTimeMax, putMessageDistributeTime, putLatency99/999, dispatchMaxBuffer,
 * getMessageEntireTimeMax, thread-pool capacities, transient store pool keys) are left out.
 *
 * Extension keys (not in Java; docs/broker.md): `brokerRole` (ASYNC_MASTER, SYNC_MASTER or SLAVE) always;
 * `haBehindBytes` always ("0" without an HA status source); `haConnectedSlaveCount` on masters; `haMasterAddress` on
 * slaves (the HA service's, else `haMasterAddress`, else the master's haServerAddr from registration, else empty).
 */
export class RuntimeInfoProcessor implements RequestProcessor {
  /** Codes to register this processor for. */
  static readonly CODES = RUNTIME_INFO_CODES;

  constructor(
    private readonly ctx: BrokerContext,
    private readonly runtimeStats: BrokerRuntimeStats,
  ) {}

  /** Answers GET_BROKER_RUNTIME_INFO. */
  async process(request: RemotingCommand): Promise<RemotingCommand> {
    if (request.code !== RequestCode.GET_BROKER_RUNTIME_INFO) {
      throw notHandledBy(request, 'RuntimeInfoProcessor');
    }
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
      body: encodeKVTable({ table: await this.runtimeInfo() }),
    });
  }

  /** The runtime table, key → value text. */
  async runtimeInfo(): Promise<Map<string, string>> {
    const { store } = this.ctx;
    const stats = store.getStats();
    const table = new Map<string, string>();
    const put = (key: string, value: number | string) => table.set(key, String(value));
    put('brokerVersionDesc', BROKER_VERSION_DESC);
    put('brokerVersion', BROKER_VERSION);
    this.putHaKeys(put);
    const daily: Record<string, number> = { ...this.runtimeStats.dailyTotals() };
    for (const [key, value] of Object.entries(daily)) put(key, value);
    const tps: Record<string, string> = { ...this.runtimeStats.tps() };
    for (const [key, value] of Object.entries(tps)) put(key, value);
    for (const pool of ['send', 'pull', 'query']) {
      put(`${pool}ThreadPoolQueueSize`, 0);
      put(`${pool}ThreadPoolQueueHeadWaitTimeMills`, 0);
    }
    put('dispatchBehindBytes', stats.dispatchBehindBytes);
    put('pageCacheLockTimeMills', 0);
    put('earliestMessageTimeStamp', await this.earliestMessageTime());
    put('startAcceptSendRequestTimeStamp', 0);
    put('bootTimestamp', stats.bootTimestamp);
    put('runtime', formatRuntime(Date.now() - stats.bootTimestamp));
    put('putMessageTimesTotal', stats.putMessageTimesTotal);
    put('putMessageFailedTimes', stats.putMessageFailedTimes);
    put('putMessageSizeTotal', stats.putMessageSizeTotal);
    put(
      'putMessageAverageSize',
      formatJavaDouble(
        stats.putMessageTimesTotal === 0
          ? 0
          : stats.putMessageSizeTotal / stats.putMessageTimesTotal,
      ),
    );
    put('commitLogMinOffset', store.getMinPhyOffset());
    put('commitLogMaxOffset', store.getMaxPhyOffset());
    const disk = await this.diskSpace();
    if (disk !== undefined) {
      const ratio = formatJavaDouble(usedRatio(disk));
      put('commitLogDiskRatio', ratio);
      put('consumeQueueDiskRatio', ratio);
      put(
        'commitLogDirCapacity',
        `Total : ${humanReadableByteCount(disk.total)}, Free : ${humanReadableByteCount(disk.usable)}.`,
      );
    } else {
      // Java's value when the path cannot be measured.
      put('commitLogDiskRatio', formatJavaDouble(-1));
      put('consumeQueueDiskRatio', formatJavaDouble(-1));
    }
    return table;
  }

  /** The master/slave extension keys (see the class comment). */
  private putHaKeys(put: (key: string, value: number | string) => void): void {
    const { config } = this.ctx;
    const status = this.ctx.haStatus();
    put('brokerRole', config.brokerRole);
    put('haBehindBytes', status?.behindBytes ?? 0);
    if (config.brokerRole === 'SLAVE') {
      const configured = config.haMasterAddress === '' ? undefined : config.haMasterAddress;
      put(
        'haMasterAddress',
        status?.masterAddress ?? configured ?? this.ctx.haServerAddrOfMaster() ?? '',
      );
    } else {
      put('haConnectedSlaveCount', status?.connectedSlaveCount ?? 0);
    }
  }

  /** Store time of the oldest record in the commit log (Java `getEarliestMessageTime()`), or -1. */
  private async earliestMessageTime(): Promise<number> {
    const { store } = this.ctx;
    if (store.getMaxPhyOffset() <= store.getMinPhyOffset()) return -1;
    const record = await store.lookMessageByOffset(store.getMinPhyOffset());
    return record === undefined ? -1 : readRecordStoreTimestamp(record, 0);
  }

  private async diskSpace(): Promise<DiskSpace | undefined> {
    try {
      const fs = await statfs(this.ctx.store.config.storePathRootDir);
      return {
        total: fs.blocks * fs.bsize,
        free: fs.bfree * fs.bsize,
        usable: fs.bavail * fs.bsize,
      };
    } catch (error) {
      this.ctx.logger.warn('cannot measure the store disk', { error: String(error) });
      return undefined;
    }
  }
}

/** Java `UtilAll.getDiskPartitionSpaceUsedPercent`: used share in 0..1, rounded up to whole percent. */
function usedRatio(disk: DiskSpace): number {
  const used = disk.total - disk.free;
  const entire = used + disk.usable;
  if (disk.total <= 0 || entire <= 0) return -1;
  const percent = Math.floor((used * 100) / entire) + ((used * 100) % entire !== 0 ? 1 : 0);
  return percent / 100;
}

/** Java `MixAll.humanReadableByteCount(bytes, false)`: `512 B`, `1.5 KiB`, `20.0 GiB`. */
export function humanReadableByteCount(bytes: number): string {
  const unit = 1024;
  if (bytes < unit) return `${bytes} B`;
  const exp = Math.min(6, Math.floor(Math.log(bytes) / Math.log(unit)));
  return `${(bytes / unit ** exp).toFixed(1)} ${'KMGTPE'.charAt(exp - 1)}iB`;
}

/** Java StoreStatsService.getFormatRuntime: `[ 0 days, 1 hours, 2 minutes, 3 seconds ]`. */
export function formatRuntime(elapsedMs: number): string {
  const second = 1000;
  const minute = 60 * second;
  const hour = 60 * minute;
  const day = 24 * hour;
  const t = Math.max(0, elapsedMs);
  const days = Math.floor(t / day);
  const hours = Math.floor((t % day) / hour);
  const minutes = Math.floor((t % hour) / minute);
  const seconds = Math.floor((t % minute) / second);
  return `[ ${days} days, ${hours} hours, ${minutes} minutes, ${seconds} seconds ]`;
}
