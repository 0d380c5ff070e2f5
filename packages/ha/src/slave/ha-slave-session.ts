/**
 * One connection from a slave to its master (RocketMQ's `HAClient` between connect and close): reports the store's
 * max offset, appends every received frame strictly in order, reports again after each burst and on a heartbeat
 * interval, and closes on silence, a bad frame or divergence. Reconnecting is the owner's job ({@link HAClient}).
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { Logger } from '@rocketmq-ts/protocol';
import { StoreError } from '@rocketmq-ts/store';
import type { ResolvedHAClientOptions } from '../config.js';
import { HADivergenceError } from '../errors.js';
import { TransferFrameDecoder, encodeReport } from '../ha-frame.js';
import type { TransferFrame } from '../ha-frame.js';
import type { CommitLogBytes } from '../record-walk.js';
import { RecordAligner } from './record-aligner.js';

/** Received bytes not yet applied past which the socket is paused (Java's slave reads into a 4 MiB buffer). */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;
/** RocketMQ's default `maxMessageSize`, for stores that do not say. */
const DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;
/** Whole records gathered from buffered frames before they are appended (in one append per segment). */
const APPEND_BATCH_BYTES = 4 * 1024 * 1024;
/** Paused reading resumes once the backlog is below this. */
const RESUME_PENDING_BYTES = 1024 * 1024;

/** What a session shares with its client: progress it updates, and where divergence goes. */
export interface SlaveSessionHooks {
  /** Largest `phyOffset + bodySize` seen in frames, bytes; updated by the session. */
  masterMaxOffset: number;
  /** Epoch ms of the last read from a master; updated by the session. */
  lastReadTimestampMs: number;
  /** The master's stream does not continue this slave's log; the session closes after calling this. */
  onDiverged(error: HADivergenceError): void;
  /** A frame with data was appended. */
  onApplied(): void;
}

/** Where and how a session connects. */
export interface SlaveSessionOptions {
  readonly host: string;
  readonly port: number;
  readonly client: ResolvedHAClientOptions;
  readonly log: Logger;
  readonly hooks: SlaveSessionHooks;
}

/** See the module comment. */
export class HASlaveSession {
  /** Resolves once the socket has closed and no append is in flight. Never rejects. */
  readonly closed: Promise<void>;
  private readonly socket: Socket;
  private readonly decoder = new TransferFrameDecoder();
  /** Built once: this session's client is the only writer of the store, and the previous session has ended. */
  private readonly aligner: RecordAligner;
  private connectedFlag = false;
  private closing = false;
  private paused = false;
  private processing = false;
  private processingDone: Promise<void> = Promise.resolve();
  private lastReportAtMs = 0;
  private reportedOffset = -1;
  private connectTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SlaveSessionOptions) {
    const { host, port, client } = options;
    this.aligner = this.newAligner();
    let socketClosed!: () => void;
    this.closed = new Promise<void>((resolve) => (socketClosed = resolve)).then(
      () => this.processingDone,
    );
    this.socket = connect({ host, port });
    this.socket.setNoDelay(true);
    this.connectTimer = setTimeout(() => {
      options.log.warn('ha connect timed out', { connectTimeoutMs: client.connectTimeoutMs });
      this.destroy();
    }, client.connectTimeoutMs).unref();
    this.socket.once('connect', () => this.onConnect());
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (error) =>
      options.log.debug('ha connection error', { error: error.message }),
    );
    this.socket.on('close', () => {
      const wasConnected = this.connectedFlag;
      this.connectedFlag = false;
      this.destroy();
      if (wasConnected) options.log.info('disconnected from ha master');
      socketClosed();
    });
  }

  /** True between connect and close. */
  get connected(): boolean {
    return this.connectedFlag;
  }

  /** Closes at once; resolves like {@link closed}. Idempotent. */
  close(): Promise<void> {
    this.destroy();
    return this.closed;
  }

  private destroy(): void {
    this.closing = true;
    clearTimeout(this.connectTimer);
    clearInterval(this.tickTimer);
    this.socket.destroy();
  }

  private newAligner(): RecordAligner {
    const { store } = this.options.client;
    return new RecordAligner({
      storeEnd: store.getMaxPhyOffset(),
      segmentBytes: store.config.mappedFileSizeCommitLog,
      maxMessageSize: store.config.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE,
    });
  }

  private onConnect(): void {
    clearTimeout(this.connectTimer);
    if (this.closing) return;
    this.connectedFlag = true;
    this.options.hooks.lastReadTimestampMs = Date.now();
    // Report at once (Java waits one heartbeat interval): replication starts without a 5 s pause.
    this.report();
    const { heartbeatIntervalMs, housekeepingIntervalMs } = this.options.client;
    const tickMs = Math.min(
      1000,
      Math.max(10, Math.min(heartbeatIntervalMs, housekeepingIntervalMs) / 4),
    );
    this.tickTimer = setInterval(() => this.tick(), tickMs).unref();
    this.options.log.info('connected to ha master', { reportedOffset: this.reportedOffset });
  }

  private tick(): void {
    const now = Date.now();
    const { heartbeatIntervalMs, housekeepingIntervalMs } = this.options.client;
    const silentMs = now - this.options.hooks.lastReadTimestampMs;
    if (silentMs >= housekeepingIntervalMs) {
      this.options.log.warn('closing silent ha master connection', {
        silentMs,
        housekeepingIntervalMs,
      });
      this.destroy();
    } else if (now - this.lastReportAtMs >= heartbeatIntervalMs) {
      this.report();
    }
  }

  private report(): void {
    if (this.closing) return;
    const offset = this.options.client.store.getMaxPhyOffset();
    this.socket.write(encodeReport(offset));
    this.reportedOffset = offset;
    this.lastReportAtMs = Date.now();
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    this.options.hooks.lastReadTimestampMs = Date.now();
    this.decoder.push(chunk);
    if (!this.paused && this.decoder.bufferedBytes > MAX_PENDING_BYTES) {
      this.paused = true;
      this.socket.pause();
    }
    if (!this.processing) {
      this.processing = true;
      this.processingDone = this.process();
    }
  }

  /**
   * Applies buffered frames in order: checks them, gathers the whole records they complete and appends them in as
   * few appends as possible (one at a time), reporting the new end after each batch of appends.
   */
  private async process(): Promise<void> {
    try {
      for (;;) {
        if (this.closing) return;
        const taken = this.takeFrames();
        if (!taken) return;
        if (taken.pieces.length > 0) {
          if (!(await this.append(taken.pieces))) return;
          // Ack each append batch: under continuous load the loop may not end, and SYNC_MASTER waits on acks.
          this.report();
        }
        if (this.paused && this.decoder.bufferedBytes <= RESUME_PENDING_BYTES) {
          this.paused = false;
          this.socket.resume();
        }
        // Frames that arrived during the append are handled before reporting.
        if (taken.pieces.length === 0 && !taken.more) break;
      }
    } catch (error) {
      this.options.log.error('ha frame processing failed', { error: String(error) });
      this.destroy();
    } finally {
      this.processing = false;
    }
  }

  /**
   * Checks buffered frames (offsets, record headers) until none is complete or APPEND_BATCH_BYTES of whole records
   * are gathered. Undefined when the session must stop (bad frame or divergence: nothing of it is appended).
   */
  private takeFrames(): { pieces: CommitLogBytes[]; more: boolean } | undefined {
    const pieces: CommitLogBytes[] = [];
    let gathered = 0;
    const { hooks } = this.options;
    while (gathered < APPEND_BATCH_BYTES) {
      let frame: TransferFrame | undefined;
      try {
        frame = this.decoder.next();
      } catch (error) {
        this.options.log.warn('closing ha connection: bad frame', { error: String(error) });
        this.destroy();
        return undefined;
      }
      if (!frame) return { pieces, more: false };
      hooks.masterMaxOffset = Math.max(hooks.masterMaxOffset, frame.phyOffset + frame.bodySize);
      const expected = this.aligner.expectedOffset;
      try {
        if (expected !== undefined && expected !== frame.phyOffset) {
          throw new HADivergenceError({
            reason: 'offset-mismatch',
            masterPhyOffset: frame.phyOffset,
            slavePhyOffset: expected,
          });
        }
        const whole = this.aligner.push(frame.phyOffset, frame.body);
        if (whole) {
          pieces.push(whole);
          gathered += whole.bytes.length;
        }
      } catch (error) {
        if (!(error instanceof HADivergenceError)) throw error;
        this.diverge(error);
        return undefined;
      }
    }
    return { pieces, more: true };
  }

  /**
   * Appends consecutive whole-record pieces, joined per segment (an append may not cross a segment end); false
   * when the session must stop (the store refused them, or failed).
   */
  private async append(pieces: CommitLogBytes[]): Promise<boolean> {
    const { store } = this.options.client;
    const segmentBytes = store.config.mappedFileSizeCommitLog;
    for (let i = 0; i < pieces.length;) {
      const first = pieces[i]!;
      const segment = Math.floor(first.phyOffset / segmentBytes);
      let j = i + 1;
      while (j < pieces.length && Math.floor(pieces[j]!.phyOffset / segmentBytes) === segment) j++;
      const bytes =
        j - i === 1 ? first.bytes : Buffer.concat(pieces.slice(i, j).map((p) => p.bytes));
      try {
        await store.appendRaw(first.phyOffset, bytes);
      } catch (error) {
        if (error instanceof StoreError && error.kind === 'corrupt') {
          const fields = { reason: 'store-refused' as const, masterPhyOffset: first.phyOffset };
          this.diverge(
            new HADivergenceError({ ...fields, slavePhyOffset: first.phyOffset }, { cause: error }),
          );
        } else {
          this.options.log.error('ha append failed', {
            phyOffset: first.phyOffset,
            error: String(error),
          });
          this.destroy();
        }
        return false;
      }
      this.options.hooks.onApplied();
      if (this.closing) return false;
      i = j;
    }
    return true;
  }

  private diverge(error: HADivergenceError): void {
    this.options.hooks.onDiverged(error);
    this.destroy();
  }
}
