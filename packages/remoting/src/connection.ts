import type { Socket } from 'node:net';
import {
  FrameDecoder,
  FrameOutbox,
  IntKeyTable,
  ProtocolError,
  RemotingCommand,
  ResponseCode,
} from '@rocketmq-ts/protocol';
import type { Logger } from '@rocketmq-ts/protocol';
import { dispatchRequest } from './dispatch.js';
import {
  ConnectionClosedError,
  RemotingAbortedError,
  RemotingTimeoutError,
  RemotingTooManyRequestsError,
} from './errors.js';
import { ProcessorTable } from './processor-table.js';
import type { InvokeOptions, RemotingChannel, RequestContext } from './processor-table.js';

/** Tuning of one connection; the server and client fill it from their options. */
export interface ConnectionOptions {
  readonly logger: Logger;
  /** Largest frame accepted or sent, length field included. */
  readonly maxFrameBytes: number;
  /** Outgoing requests waiting for a response; one more rejects with RemotingTooManyRequestsError. */
  readonly maxInFlight: number;
  /** Incoming requests processed at once; past it the socket stops being read until one finishes. */
  readonly maxConcurrentRequests: number;
  /** Close after this long without traffic in either direction; 0 disables. */
  readonly idleTimeoutMs: number;
  /** How long a graceful close waits for written bytes to leave before destroying the socket. */
  readonly closeGraceMs: number;
  /** Handlers for requests the peer sends us; without one every request gets REQUEST_CODE_NOT_SUPPORTED. */
  readonly processors: ProcessorTable | undefined;
}

interface PendingCall {
  readonly opaque: number;
  readonly resolve: (response: RemotingCommand) => void;
  readonly reject: (error: Error) => void;
  readonly deadline: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
}

/**
 * Outbox size that is written at once instead of at the end of the turn: a large burst starts leaving while the
 * rest of it is still being produced, so the peer can work on the first part in parallel.
 */
const EAGER_FLUSH_BYTES = 64 * 1024;
const EMPTY_TABLE = new ProcessorTable();
let nextConnectionId = 1;

/**
 * One TCP connection speaking RocketMQ remoting in both directions: requests out (matched to responses by
 * opaque, each with a deadline), requests in (dispatched to a processor table, answered in order of completion).
 *
 * Backpressure: writes are queued per event-loop turn and written as one buffer; while the socket reports a full
 * buffer, or `maxConcurrentRequests` incoming requests are running, the connection stops reading from the peer,
 * so a client whose replies do not drain cannot make the server buffer without bound.
 */
export class Connection implements RemotingChannel {
  readonly id = nextConnectionId++;
  readonly remoteAddr: string;
  /** Resolves once the socket has closed and every pending call was rejected. */
  readonly closed: Promise<void>;

  private readonly decoder: FrameDecoder;
  /** Calls waiting for a response, by opaque (not a Map: see IntKeyTable). */
  private readonly pending = new IntKeyTable<PendingCall>();
  private readonly ctx: RequestContext & { logger: Logger };
  private readonly table: ProcessorTable;
  private nextOpaque = 1;
  private readonly outbox = new FrameOutbox();
  /** `onWritten` of the commands in the outbox, run once the write that carries them completes. */
  private writtenCallbacks: (() => void)[] = [];
  private flushScheduled = false;
  private writeBlocked = false;
  private inbox: RemotingCommand[] = [];
  private inboxHead = 0;
  private running = 0;
  private paused = false;
  private timer: NodeJS.Timeout | undefined;
  private timerDeadline = Infinity;
  private closing = false;
  private isClosedFlag = false;
  private closeCause: Error | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private resolveClosed!: () => void;

  /**
   * `reads`: `'data'` reads the socket through its 'data' events (accepted sockets); `'onread'` means the socket
   * was opened with `onread` into one reused buffer and its owner passes each read to {@link receive}.
   */
  constructor(
    private readonly socket: Socket,
    private readonly options: ConnectionOptions,
    reads: 'data' | 'onread' = 'data',
  ) {
    this.remoteAddr = formatAddr(socket.remoteAddress, socket.remotePort);
    this.decoder = new FrameDecoder({
      maxFrameBytes: options.maxFrameBytes,
      reusedChunks: reads === 'onread',
    });
    this.table = options.processors ?? EMPTY_TABLE;
    this.ctx = { remoteAddr: this.remoteAddr, channel: this, logger: options.logger };
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    socket.setNoDelay(true);
    if (options.idleTimeoutMs > 0) socket.setTimeout(options.idleTimeoutMs);
    if (reads === 'data') socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('drain', () => {
      this.writeBlocked = false;
      this.pump();
    });
    socket.on('timeout', () => {
      options.logger.info('closing idle connection', {
        remoteAddr: this.remoteAddr,
        idleTimeoutMs: options.idleTimeoutMs,
      });
      void this.close();
    });
    socket.on('error', (error) => {
      this.closeCause ??= error;
      options.logger.debug('connection error', {
        remoteAddr: this.remoteAddr,
        error: error.message,
      });
    });
    socket.on('close', () => this.onClosed());
  }

  /** True once the socket has closed. */
  get isClosed(): boolean {
    return this.isClosedFlag;
  }

  /** Requests sent on this connection still waiting for a response. */
  get inFlight(): number {
    return this.pending.size;
  }

  invoke(request: RemotingCommand, options: InvokeOptions): Promise<RemotingCommand> {
    if (this.closing || this.isClosedFlag) {
      return Promise.reject(new ConnectionClosedError(this.remoteAddr, { cause: this.closeCause }));
    }
    if (this.pending.size >= this.options.maxInFlight) {
      return Promise.reject(
        new RemotingTooManyRequestsError(this.remoteAddr, this.options.maxInFlight),
      );
    }
    const { timeoutMs, signal } = options;
    const opaque = this.allocateOpaque();
    if (signal?.aborted) {
      return Promise.reject(
        new RemotingAbortedError(this.remoteAddr, opaque, { cause: signal.reason }),
      );
    }
    request.opaque = opaque;
    request.flag &= ~0x1;
    try {
      this.write(request);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    // The call is registered just below, in this same turn: its response is read in a later one even when write()
    // sent the frame at once (past EAGER_FLUSH_BYTES).
    return new Promise<RemotingCommand>((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const onAbort = signal ? () => this.abortCall(opaque, signal) : undefined;
      if (signal && onAbort) signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(opaque, { opaque, resolve, reject, deadline, timeoutMs, signal, onAbort });
      this.armTimer(deadline);
    });
  }

  invokeOneway(request: RemotingCommand): void {
    if (this.closing || this.isClosedFlag) {
      throw new ConnectionClosedError(this.remoteAddr, { cause: this.closeCause });
    }
    request.opaque = this.allocateOpaque();
    request.flag = (request.flag & ~0x1) | 0x2;
    this.write(request);
  }

  /**
   * Graceful close: stops taking new calls, writes what is queued, ends the socket and destroys it after
   * `closeGraceMs` if the peer does not close its side. Pending calls reject with ConnectionClosedError.
   * Idempotent; resolves when the socket has closed.
   */
  close(): Promise<void> {
    if (!this.closing && !this.isClosedFlag) {
      this.closing = true;
      this.flush();
      this.socket.end();
      this.graceTimer = setTimeout(() => this.socket.destroy(), this.options.closeGraceMs);
      this.graceTimer.unref();
    }
    return this.closed;
  }

  /** Closes at once, dropping queued writes; `cause` becomes the pending calls' cause. */
  destroy(cause?: Error): void {
    this.closeCause ??= cause;
    this.socket.destroy();
  }

  private allocateOpaque(): number {
    const opaque = this.nextOpaque;
    this.nextOpaque = opaque >= 0x7fffffff ? 1 : opaque + 1;
    return opaque;
  }

  /**
   * Takes bytes read from the socket. With `reads: 'onread'` the chunk's memory is reused after this returns;
   * the decoder copies what it keeps.
   */
  receive(chunk: Buffer): void {
    if (this.isClosedFlag) return;
    let commands: RemotingCommand[];
    try {
      commands = this.decoder.push(chunk);
    } catch (error) {
      // One log line per bad connection; every other connection keeps being served.
      this.options.logger.warn('closing connection after a malformed frame', {
        remoteAddr: this.remoteAddr,
        error: error instanceof Error ? error.message : String(error),
      });
      this.destroy(error instanceof Error ? error : new ProtocolError(String(error)));
      return;
    }
    for (const command of commands) {
      if (command.isResponse) this.completeCall(command);
      else this.inbox.push(command);
    }
    this.pump();
  }

  private completeCall(response: RemotingCommand): void {
    const call = this.pending.get(response.opaque);
    if (call === undefined) {
      this.options.logger.debug('dropping response with unknown opaque', {
        remoteAddr: this.remoteAddr,
        opaque: response.opaque,
        code: response.code,
      });
      return;
    }
    this.pending.delete(response.opaque);
    if (call.onAbort) call.signal?.removeEventListener('abort', call.onAbort);
    call.resolve(response);
  }

  private abortCall(opaque: number, signal: AbortSignal): void {
    const call = this.pending.get(opaque);
    if (call === undefined) return;
    this.pending.delete(opaque);
    call.reject(new RemotingAbortedError(this.remoteAddr, opaque, { cause: signal.reason }));
  }

  /** Starts queued incoming requests while under the concurrency bound; pauses reading otherwise. */
  private pump(): void {
    while (
      this.inboxHead < this.inbox.length &&
      this.running < this.options.maxConcurrentRequests
    ) {
      const request = this.inbox[this.inboxHead]!;
      this.inbox[this.inboxHead++] = undefined as unknown as RemotingCommand;
      this.startRequest(request);
    }
    if (this.inboxHead === this.inbox.length && this.inboxHead > 0) {
      this.inbox = [];
      this.inboxHead = 0;
    }
    const mustPause = this.writeBlocked || this.inboxHead < this.inbox.length;
    if (mustPause && !this.paused) {
      this.paused = true;
      this.socket.pause();
    } else if (!mustPause && this.paused && !this.isClosedFlag) {
      this.paused = false;
      this.socket.resume();
    }
  }

  private startRequest(request: RemotingCommand): void {
    this.running++;
    dispatchRequest(this.table, request, this.ctx).then(
      (response) => {
        this.running--;
        if (response !== null) this.writeResponse(response);
        this.pump();
      },
      (error: unknown) => {
        this.running--;
        this.options.logger.error('dispatch failed', {
          remoteAddr: this.remoteAddr,
          error: String(error),
        });
        this.pump();
      },
    );
  }

  private writeResponse(response: RemotingCommand): void {
    try {
      this.write(response);
    } catch (error) {
      this.options.logger.error('cannot encode response', {
        remoteAddr: this.remoteAddr,
        code: response.code,
        error: error instanceof Error ? error.message : String(error),
      });
      const fallback = RemotingCommand.responseTo(response, ResponseCode.SYSTEM_ERROR, {
        remark: `response could not be encoded: ${error instanceof Error ? error.message : String(error)}`,
      });
      this.write(fallback);
    }
  }

  /**
   * Queues `cmd`'s frame; throws ProtocolError (nothing queued) when it cannot be encoded. Frames queued in one turn
   * leave together at its end, or at once past EAGER_FLUSH_BYTES. `cmd.onWritten` runs once in every case.
   */
  private write(cmd: RemotingCommand): void {
    if (this.isClosedFlag) {
      cmd.onWritten?.();
      return;
    }
    try {
      this.outbox.add(cmd, this.options.maxFrameBytes);
    } catch (error) {
      cmd.onWritten?.();
      throw error;
    }
    if (cmd.onWritten !== undefined) this.writtenCallbacks.push(cmd.onWritten);
    if (this.outbox.bytes >= EAGER_FLUSH_BYTES) {
      this.flush();
      return;
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // nextTick: it runs once this callback's promise continuations have all settled (Node drains the microtask
      // queue before ticks queued from it), so responses completed together still leave as one write, but each read
      // is answered before the next one is processed: with setImmediate every read of a poll phase was processed
      // first, and the peer idled until the whole burst was answered.
      process.nextTick(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  private flush(): void {
    const parts = this.outbox.take();
    const written = this.takeWrittenCallbacks();
    if (parts.length === 0 || this.isClosedFlag || this.socket.destroyed) {
      written?.();
      return;
    }
    let accepted: boolean;
    if (parts.length === 1) {
      accepted = this.socket.write(parts[0]!, written);
    } else {
      // Several runs (large bodies, another connection's frames in between): one writev. Writes complete in order,
      // so the last one's callback comes after every part was written.
      this.socket.cork();
      accepted = true;
      const last = parts.length - 1;
      for (let i = 0; i <= last; i++) {
        accepted = this.socket.write(parts[i]!, i === last ? written : undefined) && accepted;
      }
      this.socket.uncork();
    }
    if (!accepted && !this.writeBlocked) {
      this.writeBlocked = true;
      this.pump();
    }
  }

  /** One callback running the `onWritten` of every command queued since the last flush; undefined when none. */
  private takeWrittenCallbacks(): (() => void) | undefined {
    if (this.writtenCallbacks.length === 0) return undefined;
    const callbacks = this.writtenCallbacks;
    this.writtenCallbacks = [];
    // Called with an error too when the socket is destroyed first: the bytes are released either way.
    return () => {
      for (const callback of callbacks) callback();
    };
  }

  private armTimer(deadline: number): void {
    if (this.timer !== undefined && deadline >= this.timerDeadline) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerDeadline = deadline;
    this.timer = setTimeout(() => this.expireCalls(), Math.max(0, deadline - Date.now()));
    this.timer.unref();
  }

  private expireCalls(): void {
    this.timer = undefined;
    this.timerDeadline = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const call of this.pending.values()) {
      if (call.deadline <= now) {
        this.pending.delete(call.opaque);
        if (call.onAbort) call.signal?.removeEventListener('abort', call.onAbort);
        call.reject(new RemotingTimeoutError(this.remoteAddr, call.opaque, call.timeoutMs));
      } else if (call.deadline < next) {
        next = call.deadline;
      }
    }
    if (next !== Infinity) this.armTimer(next);
  }

  private onClosed(): void {
    if (this.isClosedFlag) return;
    this.isClosedFlag = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.graceTimer !== undefined) clearTimeout(this.graceTimer);
    this.timer = undefined;
    this.outbox.take();
    this.takeWrittenCallbacks()?.();
    this.inbox = [];
    this.inboxHead = 0;
    const calls = this.pending.values();
    this.pending.clear();
    for (const call of calls) {
      if (call.onAbort) call.signal?.removeEventListener('abort', call.onAbort);
      call.reject(new ConnectionClosedError(this.remoteAddr, { cause: this.closeCause }));
    }
    this.resolveClosed();
  }
}

/** `ip:port` as RocketMQ prints addresses; IPv4-mapped IPv6 addresses lose their `::ffff:` prefix. */
export function formatAddr(address: string | undefined, port: number | undefined): string {
  const host = address?.startsWith('::ffff:') ? address.slice(7) : (address ?? 'unknown');
  return `${host}:${port ?? 0}`;
}
