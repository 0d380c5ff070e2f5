/**
 * The slave side of classic HA (RocketMQ's `HAService.HAClient`): keeps one connection to the master's HA port,
 * reconnecting every `reconnectIntervalMs`, and follows master address changes.
 */
import type { Logger } from '@rocketmq-ts/protocol';
import { parseHostPort, resolveHAClientOptions } from '../config.js';
import type { HAClientOptions, ResolvedHAClientOptions } from '../config.js';
import type { HADivergenceError } from '../errors.js';
import { HASlaveSession } from './ha-slave-session.js';
import type { SlaveSessionHooks } from './ha-slave-session.js';

/** What {@link HAClient.status} returns. */
export interface HAClientStatus {
  /** The master's HA address, `'host:port'`, if known. */
  masterAddress: string | undefined;
  /** True while connected to the master. */
  connected: boolean;
  /** This slave's commit-log end, bytes. */
  maxOffset: number;
  /** Largest `phyOffset + bodySize` seen in the master's frames, bytes (0 before any). */
  masterMaxOffset: number;
  /** `max(0, masterMaxOffset − maxOffset)`, bytes. */
  behindBytes: number;
  /** Epoch ms of the last read from a master (0 before any). */
  lastReadTimestampMs: number;
  /** Why replication stopped when the two commit logs diverged; undefined otherwise. */
  diverged: string | undefined;
}

/**
 * Replicates a master's commit log into this slave's store. Wire-compatible with RocketMQ 4.9.8 masters; reports
 * its offset as soon as it connects (Java waits one heartbeat interval).
 */
export class HAClient {
  private readonly options: ResolvedHAClientOptions;
  private readonly log: Logger;
  private readonly hooks: SlaveSessionHooks;
  /** The current session plus ones still closing (after an address change): at most one appends at a time. */
  private readonly sessions = new Set<HASlaveSession>();
  private current: HASlaveSession | undefined;
  private address: string | undefined;
  private started = false;
  private closing: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private divergedReason: string | undefined;
  private loggedReason: string | undefined;

  /** Throws ConfigError on a bad option or master address. */
  constructor(options: HAClientOptions) {
    this.options = resolveHAClientOptions(options);
    this.log = this.options.logger.child({ component: 'ha-client' });
    if (options.masterAddress !== undefined) parseHostPort(options.masterAddress);
    this.address = options.masterAddress;
    this.hooks = {
      masterMaxOffset: 0,
      lastReadTimestampMs: 0,
      onDiverged: (error) => this.onDiverged(error),
      onApplied: () => {
        this.divergedReason = undefined;
        this.loggedReason = undefined;
      },
    };
  }

  /** Starts connecting once a master address is known, and keeps reconnecting. Idempotent. */
  start(): void {
    if (this.closing) return;
    this.started = true;
    this.maybeConnect();
  }

  /** The master's HA address, `'host:port'`, if known. */
  get masterAddress(): string | undefined {
    return this.address;
  }

  /** True while connected to the master. */
  get connected(): boolean {
    return this.current?.connected ?? false;
  }

  /**
   * Points the client at another master (`'host:port'`) or none (undefined). A change drops the current
   * connection and connects to the new address once the old connection's last append finished. Throws
   * ConfigError when `address` is not `host:port`.
   */
  setMasterAddress(address: string | undefined): void {
    if (address === this.address) return;
    if (address !== undefined) parseHostPort(address);
    this.log.info('ha master address changed', { from: this.address, to: address });
    this.address = address;
    this.divergedReason = undefined;
    this.loggedReason = undefined;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const old = this.current;
    this.current = undefined;
    // The old session's close handler connects to the new address once it has stopped.
    if (old) void old.close();
    else this.maybeConnect();
  }

  /** A snapshot of the replication state. */
  status(): HAClientStatus {
    const maxOffset = this.options.store.getMaxPhyOffset();
    return {
      masterAddress: this.address,
      connected: this.connected,
      maxOffset,
      masterMaxOffset: this.hooks.masterMaxOffset,
      behindBytes: Math.max(0, this.hooks.masterMaxOffset - maxOffset),
      lastReadTimestampMs: this.hooks.lastReadTimestampMs,
      diverged: this.divergedReason,
    };
  }

  /** Disconnects and stops reconnecting; resolves once no socket, timer or append is left. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = undefined;
      this.current = undefined;
      await Promise.all([...this.sessions].map((session) => session.close()));
    })();
    return this.closing;
  }

  private maybeConnect(): void {
    const address = this.address;
    if (!this.started || this.closing || !address) return;
    if (this.sessions.size > 0 || this.reconnectTimer) return;
    const { host, port } = parseHostPort(address);
    const session = new HASlaveSession({
      host,
      port,
      client: this.options,
      log: this.log.child({ master: address }),
      hooks: this.hooks,
    });
    this.sessions.add(session);
    this.current = session;
    void session.closed.then(() => this.onSessionClosed(session));
  }

  private onSessionClosed(session: HASlaveSession): void {
    this.sessions.delete(session);
    if (this.closing) return;
    if (this.current === session) {
      this.current = undefined;
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = undefined;
        this.maybeConnect();
      }, this.options.reconnectIntervalMs).unref();
    } else {
      this.maybeConnect();
    }
  }

  private onDiverged(error: HADivergenceError): void {
    this.divergedReason = error.message;
    if (this.loggedReason === error.message) return;
    this.loggedReason = error.message;
    this.log.error('replication stopped: commit logs diverged', {
      reason: error.reason,
      masterPhyOffset: error.masterPhyOffset,
      slavePhyOffset: error.slavePhyOffset,
      error: error.message,
      cause: error.cause instanceof Error ? error.cause.message : undefined,
    });
  }
}
