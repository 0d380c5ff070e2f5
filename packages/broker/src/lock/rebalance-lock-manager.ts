import { ConfigError, NOOP_LOGGER, messageQueueKey } from '@rocketmq-ts/protocol';
import type { Logger, MessageQueue } from '@rocketmq-ts/protocol';

/**
 * How long a queue lock lives after its last renewal, in ms: Java's `rocketmq.broker.rebalance.lockMaxLiveTime`
 * (default 60000). Java clients renew every 20 s.
 */
export const REBALANCE_LOCK_MAX_LIVE_TIME_MS = 60_000;

/** Options of {@link RebalanceLockManager}. */
export interface RebalanceLockManagerOptions {
  /** Lock lifetime after its last renewal, ms; default {@link REBALANCE_LOCK_MAX_LIVE_TIME_MS}. */
  lockMaxLiveTimeMs?: number;
  /** Receives info lines for expired locks taken over and debug lines for refusals. Default no-op. */
  logger?: Logger;
}

/** One batch of queues to lock or unlock for a client of a consumer group. */
export interface RebalanceLockRequest {
  /** Consumer group the locks belong to. */
  group: string;
  /** Client id (`ip@instance`) asking. */
  clientId: string;
  /** Queues; duplicates count once. */
  mqs: readonly MessageQueue[];
  /** Current time, ms since the epoch; default `Date.now()`. */
  nowMs?: number;
}

function mqFields(mq: MessageQueue): { topic: string; brokerName: string; queueId: number } {
  return { topic: mq.topic, brokerName: mq.brokerName, queueId: mq.queueId };
}

interface LockEntry {
  clientId: string;
  lastUpdateTimestamp: number;
}

/**
 * Per consumer group, per message queue locks for orderly consumption (Java
 * `broker/client/rebalance/RebalanceLockManager`, remoting-protocol.md §4.9). A lock is held by one client id and
 * expires `lockMaxLiveTimeMs` after its last renewal (strictly later than that, as in Java's `LockEntry.isExpired`).
 * Locks live in memory only: a restarted broker starts with none, as Java's does. Expired entries stay in the table
 * until taken over or unlocked (bounded by groups × queues), as in Java.
 */
export class RebalanceLockManager {
  private readonly lockMaxLiveTimeMs: number;
  private readonly logger: Logger;
  private readonly byGroup = new Map<string, Map<string, LockEntry>>();

  /** @throws ConfigError when `lockMaxLiveTimeMs` is not a finite number ≥ 0. */
  constructor(options: RebalanceLockManagerOptions = {}) {
    const live = options.lockMaxLiveTimeMs ?? REBALANCE_LOCK_MAX_LIVE_TIME_MS;
    if (!Number.isFinite(live) || live < 0) {
      throw new ConfigError('lockMaxLiveTimeMs', live, 'must be a finite number of ms >= 0');
    }
    this.lockMaxLiveTimeMs = live;
    this.logger = options.logger ?? NOOP_LOGGER;
  }

  /**
   * Locks what it can of `mqs` for `clientId` (Java `tryLockBatch`): a queue already held by that client is renewed,
   * a free queue or one whose lock expired is taken, a queue held by another live client is left out.
   * @returns the queues now held by the client, in request order, each once.
   */
  tryLockBatch(request: RebalanceLockRequest): MessageQueue[] {
    const { group, clientId } = request;
    const nowMs = request.nowMs ?? Date.now();
    let table = this.byGroup.get(group);
    if (table === undefined) {
      table = new Map();
      this.byGroup.set(group, table);
    }
    const locked: MessageQueue[] = [];
    const seen = new Set<string>();
    for (const mq of request.mqs) {
      const key = messageQueueKey(mq);
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = table.get(key);
      if (entry === undefined) {
        table.set(key, { clientId, lastUpdateTimestamp: nowMs });
        locked.push(mq);
      } else if (entry.clientId === clientId) {
        entry.lastUpdateTimestamp = nowMs;
        locked.push(mq);
      } else if (this.isExpired(entry, nowMs)) {
        this.logger.info('queue lock expired, taken over', {
          group,
          ...mqFields(mq),
          oldClientId: entry.clientId,
          clientId,
        });
        entry.clientId = clientId;
        entry.lastUpdateTimestamp = nowMs;
        locked.push(mq);
      } else {
        this.logger.debug('queue locked by another client', {
          group,
          ...mqFields(mq),
          holderClientId: entry.clientId,
          clientId,
        });
      }
    }
    if (table.size === 0) this.byGroup.delete(group);
    return locked;
  }

  /**
   * Releases the locks of `mqs` that `clientId` holds (Java `unlockBatch`; expired or not); locks of other clients
   * and unlocked queues are left alone.
   * @returns the queues released, in request order, each once.
   */
  unlockBatch(request: Omit<RebalanceLockRequest, 'nowMs'>): MessageQueue[] {
    const table = this.byGroup.get(request.group);
    if (table === undefined) return [];
    const released: MessageQueue[] = [];
    for (const mq of request.mqs) {
      const key = messageQueueKey(mq);
      const entry = table.get(key);
      if (entry === undefined) continue;
      if (entry.clientId === request.clientId) {
        table.delete(key);
        released.push(mq);
      } else {
        this.logger.debug('unlock of a queue locked by another client ignored', {
          group: request.group,
          ...mqFields(mq),
          holderClientId: entry.clientId,
          clientId: request.clientId,
        });
      }
    }
    if (table.size === 0) this.byGroup.delete(request.group);
    return released;
  }

  /**
   * The client holding a live lock on `mq` in `group` at `nowMs` (default `Date.now()`), or undefined when the queue
   * is free or its lock expired.
   */
  lockHolder(group: string, mq: MessageQueue, nowMs = Date.now()): string | undefined {
    const entry = this.byGroup.get(group)?.get(messageQueueKey(mq));
    return entry === undefined || this.isExpired(entry, nowMs) ? undefined : entry.clientId;
  }

  private isExpired(entry: LockEntry, nowMs: number): boolean {
    return nowMs - entry.lastUpdateTimestamp > this.lockMaxLiveTimeMs;
  }
}
