import { NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type { Logger } from '@rocketmq-ts/protocol';
import type { NameServerResult } from '../registration/name-server-registrar.js';

/**
 * Replication status as the HA service reports it, for GET_BROKER_RUNTIME_INFO (`haConnectedSlaveCount`,
 * `haBehindBytes`, `haMasterAddress`). The broker defines the shape; the HA service (packages/ha) fills it in through
 * {@link BrokerHaState.setHaStatusSource}.
 */
export interface BrokerHaStatus {
  /** Master: slaves connected to the HA port now. Ignored on a slave. */
  connectedSlaveCount?: number;
  /**
   * Bytes of commit log not yet replicated: on a master, its max offset minus the best slave's acknowledged offset;
   * on a slave, the master's max offset (as last heard) minus its own. 0 when in sync or unknown.
   */
  behindBytes: number;
  /** Slave: the HA address (`host:port`) it replicates from, when connected or connecting. */
  masterAddress?: string;
}

/** Options of {@link BrokerHaState}. */
export interface BrokerHaStateOptions {
  /**
   * Period of the slave's metadata sync, in ms: a successful sync older than two periods no longer counts as "master
   * reachable". Default 10 000.
   */
  syncIntervalMs?: number;
  /** Clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Default no-op. */
  logger?: Logger;
}

/** Default period of a slave's metadata sync, in ms (Java `BrokerController`: every 10 s). */
export const SLAVE_SYNC_INTERVAL_MS = 10_000;

/**
 * What a broker knows about its replication partner, outside the replication stream: the master's remoting and HA
 * addresses learned from REGISTER_BROKER answers (latest non-empty value from any name server, so a name server that
 * lost the master does not erase it), whether the last metadata sync with the master succeeded, an optional probe
 * for the HA link and an optional HA status source. Owned by the BrokerController; the BrokerContext exposes it.
 */
export class BrokerHaState {
  private readonly syncIntervalMs: number;
  private readonly now: () => number;
  private readonly logger: Logger;
  private master: string | undefined;
  private haServer: string | undefined;
  private lastSync: { ok: boolean; atMs: number } | undefined;
  private linkProbe: (() => boolean) | undefined;
  private statusSource: (() => BrokerHaStatus) | undefined;

  constructor(options: BrokerHaStateOptions = {}) {
    this.syncIntervalMs = options.syncIntervalMs ?? SLAVE_SYNC_INTERVAL_MS;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? NOOP_LOGGER;
  }

  /**
   * Takes `masterAddr` and `haServerAddr` from one round of REGISTER_BROKER results (name servers answer them to
   * slaves whose master is registered). Empty or missing values keep what was known.
   */
  updateFromRegistration(results: readonly NameServerResult[]): void {
    for (const r of results) {
      if (!r.ok) continue;
      const masterAddr = r.masterAddr?.trim();
      if (masterAddr !== undefined && masterAddr !== '' && masterAddr !== this.master) {
        this.logger.info('master address learned from name server', {
          masterAddr,
          previous: this.master,
          namesrvAddr: r.namesrvAddr,
        });
        this.master = masterAddr;
      }
      const haServerAddr = r.haServerAddr?.trim();
      if (haServerAddr !== undefined && haServerAddr !== '') this.haServer = haServerAddr;
    }
  }

  /** Remoting address (`host:port`) of the master, once a name server told it; undefined on a master. */
  masterAddr(): string | undefined {
    return this.master;
  }

  /** HA address of the master from registration answers: where a slave replicates from when haMasterAddress is empty. */
  haServerAddrOfMaster(): string | undefined {
    return this.haServer;
  }

  /** Records the outcome of one metadata sync round trip with the master. */
  recordSync(ok: boolean): void {
    this.lastSync = { ok, atMs: this.now() };
  }

  /**
   * Whether the master answers: its address is known and the last metadata sync with it succeeded within two sync
   * periods, or the link probe (the HA connection state) says so. A probe that throws counts as false.
   */
  masterAvailable(): boolean {
    const sync = this.lastSync;
    if (
      this.master !== undefined &&
      sync !== undefined &&
      sync.ok &&
      this.now() - sync.atMs <= 2 * this.syncIntervalMs
    ) {
      return true;
    }
    if (this.linkProbe === undefined) return false;
    try {
      return this.linkProbe();
    } catch (error) {
      this.logger.warn('master link probe failed', { error: String(error) });
      return false;
    }
  }

  /** Adds a probe ORed into {@link BrokerHaState.masterAvailable} (the HA client's "connected" state); undefined removes it. */
  setMasterLinkProbe(probe: (() => boolean) | undefined): void {
    this.linkProbe = probe;
  }

  /** Sets where {@link BrokerHaState.haStatus} reads from (the HA service); undefined removes it. */
  setHaStatusSource(source: (() => BrokerHaStatus) | undefined): void {
    this.statusSource = source;
  }

  /** The HA service's current status, or undefined without a source (or when it throws). */
  haStatus(): BrokerHaStatus | undefined {
    if (this.statusSource === undefined) return undefined;
    try {
      return this.statusSource();
    } catch (error) {
      this.logger.warn('HA status source failed', { error: String(error) });
      return undefined;
    }
  }
}
