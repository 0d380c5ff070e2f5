import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { DEFAULT_MAX_FRAME_BYTES, NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type { Logger } from '@rocketmq-ts/protocol';
import { Connection } from './connection.js';
import type { ConnectionOptions } from './connection.js';
import type { ProcessorTable, RemotingChannel } from './processor-table.js';

/** Options of {@link RemotingServer}. */
export interface RemotingServerOptions {
  /** TCP port; 0 picks a free one (tests). */
  listenPort: number;
  /** Address to bind; default `0.0.0.0` as RocketMQ does. Tests pass `127.0.0.1`. */
  host?: string;
  /** The server's one processor table. */
  processors: ProcessorTable;
  /** Default: no-op. */
  logger?: Logger;
  /** Largest frame accepted, length field included. Default 16 MiB (RocketMQ's frameMaxLength). */
  maxFrameBytes?: number;
  /** Close a connection silent this long, in ms. Default 120 000 (serverChannelMaxIdleTimeSeconds). 0 = never. */
  idleTimeoutMs?: number;
  /** Requests of one connection processed at once before the server stops reading it. Default 1024. */
  maxConcurrentRequestsPerConnection?: number;
  /** Server-initiated requests in flight per connection. Default 1024. */
  maxInFlightPerConnection?: number;
  /** Graceful-close wait for a peer to take its last bytes, in ms. Default 1000. */
  closeGraceMs?: number;
}

/** Listener for connections opening or closing. */
export type ChannelListener = (channel: RemotingChannel) => void;

/**
 * RocketMQ remoting server: accepts connections, dispatches requests through its processor table and lets
 * processors call connected clients back. `close()` releases every socket and timer.
 */
export class RemotingServer {
  private readonly options: Readonly<RemotingServerOptions>;
  private readonly connectionOptions: ConnectionOptions;
  private readonly connections = new Set<Connection>();
  private readonly openListeners = new Set<ChannelListener>();
  private readonly closeListeners = new Set<ChannelListener>();
  private server: Server | undefined;
  private boundPort = 0;
  private closing: Promise<void> | undefined;

  constructor(options: RemotingServerOptions) {
    this.options = options;
    this.connectionOptions = {
      logger: options.logger ?? NOOP_LOGGER,
      maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      maxInFlight: options.maxInFlightPerConnection ?? 1024,
      maxConcurrentRequests: options.maxConcurrentRequestsPerConnection ?? 1024,
      idleTimeoutMs: options.idleTimeoutMs ?? 120_000,
      closeGraceMs: options.closeGraceMs ?? 1000,
      processors: options.processors,
    };
  }

  /** The bound port (the real one when listenPort was 0). Valid after `start()`. */
  get port(): number {
    return this.boundPort;
  }

  /** Connections currently open. */
  get channels(): readonly RemotingChannel[] {
    return [...this.connections];
  }

  /** Binds and starts accepting. Rejects when the port cannot be bound. */
  async start(): Promise<void> {
    if (this.server) throw new Error('remoting server already started');
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: this.options.listenPort, host: this.options.host ?? '0.0.0.0' }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) =>
      this.connectionOptions.logger.error('remoting server error', { error: error.message }),
    );
    const address = server.address();
    this.boundPort = typeof address === 'object' && address !== null ? address.port : 0;
    this.connectionOptions.logger.info('remoting server listening', { port: this.boundPort });
  }

  /** Calls `listener` for every new connection. Returns a function that removes it. */
  onChannelOpen(listener: ChannelListener): () => void {
    this.openListeners.add(listener);
    return () => this.openListeners.delete(listener);
  }

  /** Calls `listener` when a connection closes (NameServer: drop the broker at once). Returns a remover. */
  onChannelClose(listener: ChannelListener): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Stops accepting, closes every connection gracefully and resolves when all sockets are released. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const server = this.server;
    const stopped = server
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : Promise.resolve();
    await Promise.all([...this.connections].map((connection) => connection.close()));
    await stopped;
    this.connectionOptions.logger.info('remoting server closed', { port: this.boundPort });
  }

  private accept(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const connection = new Connection(socket, this.connectionOptions);
    this.connections.add(connection);
    this.connectionOptions.logger.debug('connection opened', { remoteAddr: connection.remoteAddr });
    for (const listener of this.openListeners) listener(connection);
    void connection.closed.then(() => {
      this.connections.delete(connection);
      for (const listener of this.closeListeners) listener(connection);
    });
  }
}
