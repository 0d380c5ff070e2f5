import type { RemotingCommand } from '@rocketmq-ts/protocol';

/**
 * What a processor sees of the connection a request came in on. Processors never touch sockets; they answer by
 * returning a command, and reach the peer (server-initiated requests such as NOTIFY_CONSUMER_IDS_CHANGED) through
 * `channel`.
 */
export interface RequestContext {
  /** The peer's `ip:port`. */
  readonly remoteAddr: string;
  /** The connection, for server-initiated calls to this peer. */
  readonly channel: RemotingChannel;
}

/** A live connection seen from above the transport: send requests to the peer and watch it close. */
export interface RemotingChannel {
  /** Stable id of this connection within its process. */
  readonly id: number;
  /** The peer's `ip:port`. */
  readonly remoteAddr: string;
  /** True once the connection has closed. */
  readonly isClosed: boolean;
  /** Sends a request and resolves with the peer's response. */
  invoke(request: RemotingCommand, options: InvokeOptions): Promise<RemotingCommand>;
  /** Sends a oneway request (the oneway bit is set; no response is expected). */
  invokeOneway(request: RemotingCommand): void;
}

/** Options of one request. */
export interface InvokeOptions {
  /** Time to wait for the response, in ms. Required: no call waits forever. */
  timeoutMs: number;
  /** Aborts the wait; the call rejects with RemotingAbortedError. */
  signal?: AbortSignal;
}

/** Handles the requests of one or more codes. */
export interface RequestProcessor {
  /**
   * Returns the response, or null when there is none (oneway handling, a parked long poll answered later).
   * Throw a RocketMQError to answer with its code and message.
   */
  process(request: RemotingCommand, ctx: RequestContext): Promise<RemotingCommand | null>;
  /** While true, new requests for this processor get SYSTEM_BUSY instead of running. */
  isOverloaded?(): boolean;
}

/** The one place where request codes meet their processors (STYLE.md §6). */
export class ProcessorTable {
  private readonly byCode = new Map<number, RequestProcessor>();

  /** Routes `codes` to `processor`. A code registered twice throws: one code, one handler. */
  on(codes: number | readonly number[], processor: RequestProcessor): this {
    for (const code of typeof codes === 'number' ? [codes] : codes) {
      if (this.byCode.has(code)) throw new Error(`request code ${code} already has a processor`);
      this.byCode.set(code, processor);
    }
    return this;
  }

  /** The processor for `code`, if any. */
  get(code: number): RequestProcessor | undefined {
    return this.byCode.get(code);
  }

  /** Registered codes, ascending. */
  codes(): number[] {
    return [...this.byCode.keys()].sort((a, b) => a - b);
  }
}
