/**
 * The master side of classic HA (RocketMQ's `HAService` acceptor + `GroupTransferService`): listens on the HA port,
 * runs one {@link HAConnection} per slave, tracks the best slave ack and answers SYNC_MASTER waits.
 */
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { RocketMQError } from '@rocketmq-ts/protocol';
import type { Logger } from '@rocketmq-ts/protocol';
import { resolveHAMasterOptions } from '../config.js';
import type { HAMasterOptions, ResolvedHAMasterOptions } from '../config.js';
import { HAConnection, SLAVE_SOCKET_BUFFER_BYTES } from './ha-connection.js';
import type { HAConnectionEvents, HASlaveConnectionStatus } from './ha-connection.js';
import { ReplicaWaiters } from './replica-waiters.js';
import type { ReplicaWaitResult } from './replica-waiters.js';

/**
 * Streams the store's commit log to every slave that connects to the HA port, byte for byte, and lets a
 * SYNC_MASTER wait until a slave holds a record ({@link HAMasterService.waitForReplica}). Wire-compatible with
 * RocketMQ 4.9.8 slaves; see the package README for where it deliberately differs.
 */
export class HAMasterService {
  private readonly options: ResolvedHAMasterOptions;
  private readonly log: Logger;
  private readonly connections = new Set<HAConnection>();
  private readonly waiters = new ReplicaWaiters();
  private readonly events: HAConnectionEvents;
  private server: Server | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private listenerRegistered = false;
  private bestAck = 0;
  private streamingCount = 0;
  private closing: Promise<void> | undefined;

  /** Throws ConfigError when an option is out of range. */
  constructor(options: HAMasterOptions) {
    this.options = resolveHAMasterOptions(options);
    this.log = this.options.logger.child({ component: 'ha-master' });
    this.events = {
      onAccepted: () => this.streamingCount++,
      onAck: () => this.recomputeBestAck(),
      onClosed: (connection) => this.onConnectionClosed(connection),
    };
  }

  /**
   * Starts listening on `host:port`; resolves once bound. Rejects with the listen error (e.g. EADDRINUSE), or when
   * called twice or after close.
   */
  async start(): Promise<void> {
    if (this.server || this.closing) {
      throw new RocketMQError('ha master service already started or closed');
    }
    if (!this.listenerRegistered) {
      // One listener for all connections: the store has no unregister, so per-connection listeners would leak.
      this.options.store.onCommitLogWritten(() => this.wakeAll());
      this.listenerRegistered = true;
    }
    const server = createServer({ highWaterMark: SLAVE_SOCKET_BUFFER_BYTES }, (socket) =>
      this.accept(socket),
    );
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => this.log.error('ha listener error', { error: error.message }));
    const { heartbeatIntervalMs, housekeepingIntervalMs } = this.options;
    const tickMs = Math.min(
      1000,
      Math.max(10, Math.min(heartbeatIntervalMs, housekeepingIntervalMs) / 4),
    );
    this.tickTimer = setInterval(() => this.tick(), tickMs).unref();
    this.log.info('ha master listening', { host: this.options.host, port: this.port });
  }

  /** The bound port once started (useful with port 0); 0 before start. */
  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** Largest ack offset over connected slaves whose stream started (0 when none), bytes. */
  get push2SlaveMaxOffset(): number {
    return this.bestAck;
  }

  /**
   * SYNC_MASTER: waits until a slave acked at least `endPhyOffset` (the end of the record just written).
   * Resolves `'SLAVE_NOT_AVAILABLE'` at once when no slave is streaming or the best slave is
   * `slaveFallbehindMaxBytes` or more behind `endPhyOffset`; `'PUT_OK'` once acked; `'FLUSH_SLAVE_TIMEOUT'`
   * after `timeoutMs` or when the service closes. Never rejects.
   */
  waitForReplica(endPhyOffset: number, timeoutMs: number): Promise<ReplicaWaitResult> {
    if (this.streamingCount === 0) return Promise.resolve('SLAVE_NOT_AVAILABLE');
    if (this.bestAck >= endPhyOffset) return Promise.resolve('PUT_OK');
    if (endPhyOffset - this.bestAck >= this.options.slaveFallbehindMaxBytes) {
      return Promise.resolve('SLAVE_NOT_AVAILABLE');
    }
    if (this.closing) return Promise.resolve('FLUSH_SLAVE_TIMEOUT');
    return this.waiters.add(endPhyOffset, timeoutMs);
  }

  /** One entry per connected slave (including ones whose first report is still being checked). */
  slaves(): HASlaveConnectionStatus[] {
    return [...this.connections].map((connection) => connection.status());
  }

  /**
   * Stops listening, closes every slave connection and resolves pending waits with FLUSH_SLAVE_TIMEOUT. Resolves
   * once sockets and timers are released. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.tickTimer = undefined;
    const server = this.server;
    const serverClosed = server?.listening
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : Promise.resolve();
    this.waiters.settleAll('FLUSH_SLAVE_TIMEOUT');
    await Promise.all([...this.connections].map((connection) => connection.close()));
    await serverClosed;
    this.log.info('ha master closed');
  }

  private accept(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.connections.add(new HAConnection(socket, this.options, this.events));
  }

  private wakeAll(): void {
    for (const connection of this.connections) connection.wake();
  }

  private tick(): void {
    const now = Date.now();
    for (const connection of this.connections) connection.tick(now);
  }

  private onConnectionClosed(connection: HAConnection): void {
    if (!this.connections.delete(connection)) return;
    if (connection.ackOffset >= 0) this.streamingCount--;
    this.recomputeBestAck();
  }

  private recomputeBestAck(): void {
    let best = 0;
    for (const connection of this.connections) {
      if (connection.streaming) best = Math.max(best, connection.ackOffset);
    }
    this.bestAck = best;
    if (this.waiters.pending > 0) this.waiters.ack(best);
  }
}
