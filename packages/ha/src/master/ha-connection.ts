/**
 * One slave connection on the master (RocketMQ's `HAConnection`: its ReadSocketService and WriteSocketService as
 * one object). Reads 8-byte reports; after the first one is accepted, streams commit-log frames from the start
 * offset, coalescing several frames per wake-up and stopping while the socket does not drain.
 */
import type { Socket } from 'node:net';
import type { Logger } from '@rocketmq-ts/protocol';
import type { ResolvedHAMasterOptions } from '../config.js';
import { HADivergenceError } from '../errors.js';
import { HA_TRANSFER_HEADER_BYTES, ReportReader, encodeTransferHeader } from '../ha-frame.js';
import { cutFrames } from './frame-cutter.js';
import { resolveStartOffset } from './start-offset.js';

/** Bytes read and written per wake-up at most: keeps the socket busy without holding much memory. */
const MAX_ROUND_BYTES = 1024 * 1024;
/**
 * Write buffer of a slave socket (its writableHighWaterMark): two rounds, so the next chunk is read from the store
 * while the previous one is still leaving; past it the writer waits for 'drain'.
 */
export const SLAVE_SOCKET_BUFFER_BYTES = 2 * MAX_ROUND_BYTES;

/** What a connection reports to its master service. */
export interface HAConnectionEvents {
  /** The first report was accepted; streaming starts. */
  onAccepted(connection: HAConnection): void;
  /** The slave acknowledged `connection.ackOffset`. */
  onAck(connection: HAConnection): void;
  /** The socket closed. */
  onClosed(connection: HAConnection): void;
}

/** Status of one connected slave, as {@link HAMasterService.slaves} returns it. */
export interface HASlaveConnectionStatus {
  /** The slave's address, `'host:port'`. */
  remoteAddress: string;
  /** The slave's last reported commit-log end (0 before its first report is accepted), bytes. */
  ackOffset: number;
  /** How far the slave's ack is behind the master's commit-log end, bytes. */
  behindBytes: number;
  /** When the slave connected, epoch ms. */
  connectedAtMs: number;
  /** Commit-log bytes sent to this slave (frame bodies), bytes. */
  transferredBytes: number;
}

type State = 'awaiting-report' | 'validating' | 'streaming' | 'closed';

/** See the module comment. Created by the master service for each accepted socket. */
export class HAConnection {
  /** `'host:port'` of the slave. */
  readonly remoteAddress: string;
  /** Epoch ms of the accept. */
  readonly connectedAtMs = Date.now();
  /** Resolves once the socket has closed and the writer loop has stopped. */
  readonly closed: Promise<void>;
  /** Last report of an accepted slave, bytes; -1 before. */
  ackOffset = -1;
  private state: State = 'awaiting-report';
  private readonly reader = new ReportReader();
  private readonly log: Logger;
  private transferPos = 0;
  /** First record boundary at or after transferPos (frames are cut there); undefined when unknown. */
  private nextBoundary: number | undefined;
  private transferredBytes = 0;
  private lastReadAtMs = Date.now();
  private lastWriteAtMs = Date.now();
  private pendingAck: number | undefined;
  /** The chunk being read for the next round, started while this round's bytes leave. */
  private readAhead: { phyOffset: number; chunk: Promise<Buffer | undefined> } | undefined;
  private readonly roundBytes: number;
  private wakeWriter: (() => void) | undefined;
  private writerDone: Promise<void> = Promise.resolve();
  private socketClosed!: () => void;

  constructor(
    private readonly socket: Socket,
    private readonly options: ResolvedHAMasterOptions,
    private readonly events: HAConnectionEvents,
  ) {
    this.roundBytes = Math.max(MAX_ROUND_BYTES, 2 * options.transferBatchBytes);
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    this.log = options.logger.child({ slave: this.remoteAddress });
    const socketDone = new Promise<void>((resolve) => (this.socketClosed = resolve));
    this.closed = socketDone.then(() => this.writerDone);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.wake());
    socket.on('error', (error) => this.log.debug('ha connection error', { error: error.message }));
    socket.on('close', () => this.onSocketClosed());
  }

  /** True once the first report was accepted and frames flow. */
  get streaming(): boolean {
    return this.state === 'streaming';
  }

  /** Snapshot for {@link HAMasterService.slaves}. */
  status(): HASlaveConnectionStatus {
    const ackOffset = Math.max(0, this.ackOffset);
    return {
      remoteAddress: this.remoteAddress,
      ackOffset,
      behindBytes: Math.max(0, this.options.store.getMaxPhyOffset() - ackOffset),
      connectedAtMs: this.connectedAtMs,
      transferredBytes: this.transferredBytes,
    };
  }

  /** New commit-log bytes, a drained socket or a timer tick: let the writer look again. */
  wake(): void {
    const resume = this.wakeWriter;
    if (resume) {
      this.wakeWriter = undefined;
      resume();
    }
  }

  /** Periodic check by the service: drops a silent slave, prompts a heartbeat when one is due. */
  tick(nowMs: number): void {
    if (this.state === 'closed') return;
    if (nowMs - this.lastReadAtMs >= this.options.housekeepingIntervalMs) {
      this.log.warn('dropping silent slave', {
        silentMs: nowMs - this.lastReadAtMs,
        housekeepingIntervalMs: this.options.housekeepingIntervalMs,
      });
      this.destroy();
      return;
    }
    if (nowMs - this.lastWriteAtMs >= this.options.heartbeatIntervalMs) this.wake();
  }

  /** Closes the socket at once; resolves when it and the writer have stopped. Idempotent. */
  close(): Promise<void> {
    this.destroy();
    return this.closed;
  }

  private destroy(): void {
    this.state = 'closed';
    this.socket.destroy();
    this.wake();
  }

  private onSocketClosed(): void {
    const wasStreaming = this.state === 'streaming';
    this.state = 'closed';
    this.wake();
    this.socketClosed();
    if (wasStreaming) this.log.info('slave disconnected', { ackOffset: this.ackOffset });
    this.events.onClosed(this);
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    this.lastReadAtMs = Date.now();
    let report: number | undefined;
    try {
      report = this.reader.push(chunk);
    } catch (error) {
      this.log.warn('closing slave connection: bad report', { error: String(error) });
      this.destroy();
      return;
    }
    if (report === undefined) return;
    const maxPhyOffset = this.options.store.getMaxPhyOffset();
    if (report > maxPhyOffset) {
      this.refuse(
        new HADivergenceError({
          reason: 'slave-ahead',
          masterPhyOffset: maxPhyOffset,
          slavePhyOffset: report,
        }),
      );
      return;
    }
    switch (this.state) {
      case 'awaiting-report':
        this.state = 'validating';
        this.begin(report).catch((error: unknown) => {
          this.log.error('cannot start streaming to slave', { error: String(error) });
          this.destroy();
        });
        return;
      case 'validating':
        this.pendingAck = report;
        return;
      case 'streaming':
        this.ackOffset = report;
        this.events.onAck(this);
        return;
    }
  }

  private refuse(error: HADivergenceError): void {
    this.log.error('refusing slave: commit logs diverged', {
      reason: error.reason,
      masterPhyOffset: error.masterPhyOffset,
      slavePhyOffset: error.slavePhyOffset,
      error: error.message,
    });
    this.destroy();
  }

  private async begin(firstReport: number): Promise<void> {
    let start: number;
    try {
      start = await resolveStartOffset(this.options.store, firstReport);
    } catch (error) {
      if (!(error instanceof HADivergenceError)) throw error;
      this.refuse(error);
      return;
    }
    if (this.state !== 'validating') return;
    this.state = 'streaming';
    this.transferPos = start;
    this.nextBoundary = start; // a verified boundary, a segment start or the master's end
    this.ackOffset = this.pendingAck ?? firstReport;
    this.pendingAck = undefined;
    this.log.info('slave connected', { reportedOffset: firstReport, transferFromOffset: start });
    this.events.onAccepted(this);
    this.events.onAck(this);
    this.writerDone = this.runWriter().catch((error: unknown) => {
      this.log.error('streaming to slave failed', {
        transferPos: this.transferPos,
        error: String(error),
      });
      this.destroy();
    });
  }

  private async runWriter(): Promise<void> {
    const { store, heartbeatIntervalMs } = this.options;
    while (this.state === 'streaming') {
      if (this.socket.writableNeedDrain) {
        await this.sleep();
        continue;
      }
      const endPhyOffset = store.getMaxPhyOffset();
      if (this.transferPos < endPhyOffset) {
        if (await this.sendRound(endPhyOffset)) continue;
        if (this.transferPos < store.getMinPhyOffset()) {
          this.log.error('slave fell behind the retained commit log', {
            transferPos: this.transferPos,
            minPhyOffset: store.getMinPhyOffset(),
          });
          this.destroy();
          return;
        }
      } else if (Date.now() - this.lastWriteAtMs >= heartbeatIntervalMs) {
        this.socket.write(encodeTransferHeader({ phyOffset: this.transferPos, bodySize: 0 }));
        this.lastWriteAtMs = Date.now();
      }
      await this.sleep();
    }
  }

  /** Waits for {@link wake}: new bytes, drain, a timer tick or close. */
  private sleep(): Promise<void> {
    return new Promise<void>((resolve) => (this.wakeWriter = resolve));
  }

  /**
   * Reads one chunk (up to the round size, never past a segment end) and writes it as frames cut at record
   * boundaries, corked; then starts reading the next chunk so the store read overlaps the socket send. Returns
   * false when nothing could be read at the transfer position.
   */
  private async sendRound(endPhyOffset: number): Promise<boolean> {
    const { store, transferBatchBytes } = this.options;
    const segmentBytes = store.config.mappedFileSizeCommitLog;
    const phyOffset = this.transferPos;
    const ahead = this.readAhead;
    this.readAhead = undefined;
    const chunk = await (ahead?.phyOffset === phyOffset
      ? ahead.chunk
      : store.readRaw(phyOffset, Math.min(this.roundBytes, endPhyOffset - phyOffset)));
    if (this.state !== 'streaming') return true;
    if (!chunk || chunk.length === 0 || phyOffset !== this.transferPos) return false;
    const chunkEnd = phyOffset + chunk.length;
    const { bodyLengths, nextBoundary } = cutFrames({
      chunk,
      phyOffset,
      nextBoundary: this.nextBoundary,
      maxBodyBytes: transferBatchBytes,
      segmentBytes,
      chunkIsTail: chunkEnd >= store.getMaxPhyOffset() || chunkEnd % segmentBytes === 0,
    });
    if (bodyLengths.length === 0) return false;
    const headers = Buffer.allocUnsafe(bodyLengths.length * HA_TRANSFER_HEADER_BYTES);
    let at = 0;
    this.socket.cork();
    for (let i = 0; i < bodyLengths.length; i++) {
      const bodySize = bodyLengths[i]!;
      const header = headers.subarray(
        i * HA_TRANSFER_HEADER_BYTES,
        (i + 1) * HA_TRANSFER_HEADER_BYTES,
      );
      encodeTransferHeader({ phyOffset: phyOffset + at, bodySize }, header);
      this.socket.write(header);
      this.socket.write(chunk.subarray(at, at + bodySize));
      at += bodySize;
    }
    this.socket.uncork();
    this.transferPos = phyOffset + at;
    this.transferredBytes += at;
    this.nextBoundary = nextBoundary;
    this.lastWriteAtMs = Date.now();
    const end = store.getMaxPhyOffset();
    if (this.transferPos < end) {
      const next = this.transferPos;
      // A failed read-ahead only means reading again (and failing visibly) on the next round.
      const promise = store
        .readRaw(next, Math.min(this.roundBytes, end - next))
        .catch(() => undefined);
      this.readAhead = { phyOffset: next, chunk: promise };
    }
    return true;
  }
}
