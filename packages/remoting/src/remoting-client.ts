import { connect } from 'node:net';
import { DEFAULT_MAX_FRAME_BYTES, NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type { Logger, RemotingCommand } from '@rocketmq-ts/protocol';
import { Connection } from './connection.js';
import type { ConnectionOptions } from './connection.js';
import { RemotingConnectError } from './errors.js';
import type { InvokeOptions, ProcessorTable, RemotingChannel } from './processor-table.js';

/** Size of each client connection's reused read buffer (what one socket read can return). */
const READ_BUFFER_BYTES = 64 * 1024;

/** Options of {@link RemotingClient}. */
export interface RemotingClientOptions {
  /** Default: no-op. */
  logger?: Logger;
  /** Time allowed to establish a connection, in ms. Default 3000 (connectTimeoutMillis). */
  connectTimeoutMs?: number;
  /** Largest frame accepted or sent, length field included. Default 16 MiB. */
  maxFrameBytes?: number;
  /** Requests waiting for responses per connection. Default 65 535 (Java's async semaphore). */
  maxInFlightPerConnection?: number;
  /** Close a connection silent this long, in ms. Default 120 000 (clientChannelMaxIdleTimeSeconds). 0 = never. */
  idleTimeoutMs?: number;
  /** Handlers for requests servers send to us (NOTIFY_CONSUMER_IDS_CHANGED, …). */
  processors?: ProcessorTable;
  /** Server-initiated requests processed at once per connection. Default 64. */
  maxConcurrentRequestsPerConnection?: number;
  /** Graceful-close wait, in ms. Default 1000. */
  closeGraceMs?: number;
}

/**
 * RocketMQ remoting client: one pooled connection per `host:port`, many concurrent requests on each, matched by
 * opaque. Connections that close are dropped from the pool and re-opened on the next call.
 */
export class RemotingClient {
  private readonly connectTimeoutMs: number;
  private readonly connectionOptions: ConnectionOptions;
  private readonly pool = new Map<string, Promise<Connection>>();
  /** Open connections by address: the fast path of `invoke`, which then skips a promise hop. */
  private readonly ready = new Map<string, Connection>();
  private closed = false;

  constructor(options: RemotingClientOptions = {}) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 3000;
    this.connectionOptions = {
      logger: options.logger ?? NOOP_LOGGER,
      maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      maxInFlight: options.maxInFlightPerConnection ?? 65_535,
      maxConcurrentRequests: options.maxConcurrentRequestsPerConnection ?? 64,
      idleTimeoutMs: options.idleTimeoutMs ?? 120_000,
      closeGraceMs: options.closeGraceMs ?? 1000,
      processors: options.processors,
    };
  }

  /**
   * Sends `request` to `addr` (`host:port`) and resolves with the response, whatever its code. Rejects with
   * RemotingConnectError, RemotingTimeoutError, RemotingTooManyRequestsError, ConnectionClosedError or
   * RemotingAbortedError.
   */
  invoke(addr: string, request: RemotingCommand, options: InvokeOptions): Promise<RemotingCommand> {
    // An open connection takes the request at once: no async frame and no promise hop per call.
    const open = this.closed ? undefined : this.ready.get(addr);
    if (open !== undefined) return open.invoke(request, options);
    return this.getConnection(addr, options.signal).then((connection) =>
      connection.invoke(request, options),
    );
  }

  /** Sends a oneway request (oneway bit set, no response expected). Rejects only if it cannot be sent. */
  async invokeOneway(addr: string, request: RemotingCommand): Promise<void> {
    const connection = await this.getConnection(addr);
    connection.invokeOneway(request);
  }

  /** The pooled connection to `addr`, opened if needed. */
  async getChannel(addr: string, signal?: AbortSignal): Promise<RemotingChannel> {
    return this.getConnection(addr, signal);
  }

  /** Closes the pooled connection to `addr`, if any. */
  async closeChannel(addr: string): Promise<void> {
    const entry = this.pool.get(addr);
    if (!entry) return;
    this.pool.delete(addr);
    this.ready.delete(addr);
    const connection = await entry.catch(() => undefined);
    await connection?.close();
  }

  /** Closes every connection; further calls reject. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.pool.values()];
    this.pool.clear();
    this.ready.clear();
    await Promise.all(
      entries.map(async (entry) => {
        const connection = await entry.catch(() => undefined);
        await connection?.close();
      }),
    );
  }

  private getConnection(addr: string, signal?: AbortSignal): Promise<Connection> {
    if (this.closed) return Promise.reject(new RemotingConnectError(addr, 'client is closed'));
    const existing = this.pool.get(addr);
    if (existing) return existing;
    const opening = this.open(addr, signal);
    this.pool.set(addr, opening);
    opening.then(
      (connection) => {
        if (this.pool.get(addr) === opening) this.ready.set(addr, connection);
        void connection.closed.then(() => {
          if (this.pool.get(addr) === opening) this.pool.delete(addr);
          if (this.ready.get(addr) === connection) this.ready.delete(addr);
        });
      },
      () => {
        if (this.pool.get(addr) === opening) this.pool.delete(addr);
      },
    );
    return opening;
  }

  private open(addr: string, signal?: AbortSignal): Promise<Connection> {
    return new Promise<Connection>((resolve, reject) => {
      // Inside the executor: a bad address becomes a rejection, not a synchronous throw.
      const { host, port } = parseAddr(addr);
      // Reads land in one buffer per connection instead of a fresh chunk per read through the Readable stream;
      // the connection's decoder copies out what outlives the callback (bodies, split frames).
      let connection: Connection | undefined;
      const socket = connect({
        host,
        port,
        noDelay: true,
        onread: {
          buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
          callback: (bytes: number, buffer: Uint8Array) => {
            connection?.receive((buffer as Buffer).subarray(0, bytes));
            return true;
          },
        },
      });
      const fail = (reason: string, cause?: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.destroy();
        reject(new RemotingConnectError(addr, reason, { cause }));
      };
      const onAbort = () => fail('aborted', signal?.reason);
      const timer = setTimeout(
        () => fail(`timed out after ${this.connectTimeoutMs} ms`),
        this.connectTimeoutMs,
      );
      timer.unref();
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('error', (error) => fail(error.message, error));
      socket.once('connect', () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.removeAllListeners('error');
        connection = new Connection(socket, this.connectionOptions, 'onread');
        this.connectionOptions.logger.debug('connected', { addr });
        if (this.closed) {
          void connection.close();
          reject(new RemotingConnectError(addr, 'client is closed'));
          return;
        }
        resolve(connection);
      });
    });
  }
}

/** Splits `host:port` (IPv6 as `[::1]:port` or `::1:port`, split at the last colon). Throws on a bad port. */
export function parseAddr(addr: string): { host: string; port: number } {
  const at = addr.lastIndexOf(':');
  const port = Number(addr.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new RemotingConnectError(addr, 'address is not host:port');
  }
  let host = addr.slice(0, at);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host, port };
}
