/**
 * The embeddable store (RocketMQ's DefaultMessageStore): `openMessageStore(config)` recovers the store under
 * `storePathRootDir` and returns it ready for puts and reads. Statuses are return values; exceptions are faults.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BLANK_MAGIC_CODE,
  MessageSysFlag,
  decodeMessageRecord,
  getTransactionValue,
  readRecordStoreTimestamp,
  readRecordTotalSize,
} from '@rocketmq-ts/protocol';
import { CommitLog } from './commit-log/commit-log.js';
import { maxRecordBytes, resolveStoreConfig } from './config.js';
import type { MessageStoreConfig } from './config.js';
import { ConsumeQueueTable } from './consume-queue/consume-queue-table.js';
import type { ConsumeQueueEntry } from './consume-queue/consume-queue.js';
import { Dispatcher, dispatchRequestOf } from './dispatcher.js';
import { StoreError } from './errors.js';
import type { ArrivalListener, DispatchRequest } from './dispatcher.js';
import { BodyPool } from './get/body-pool.js';
import { getMessage } from './get/get-message.js';
import { MessageIndex } from './index-service/message-index.js';
import { Checkpoint } from './lifecycle/checkpoint.js';
import { recoverStore } from './lifecycle/recovery.js';
import type { RecoveryReport } from './lifecycle/recovery.js';
import {
  acquireStoreLock,
  markCleanExit,
  markRunning,
  releaseStoreLock,
} from './lifecycle/store-lock.js';
import { openMetaEnv } from './metadata/meta-env.js';
import type { MetaEnv } from './metadata/meta-env.js';
import { MetadataStore } from './metadata/metadata-store.js';
import { parseMessageDelayLevel } from './put/delay-tags-code.js';
import { PutService, QueueOffsetTable } from './put/put-service.js';
import { cleanExpiredFiles, diskUsedRatio } from './retention/clean-service.js';
import type { CleanReport } from './retention/clean-service.js';
import type {
  GetMessageRequest,
  GetMessageResult,
  PutMessageInput,
  PutMessageResult,
  QueryMessageRequest,
  StoreStats,
} from './store-types.js';

/** Result of a key lookup: the matching records, newest first. */
export interface QueryMessageResult {
  messages: Buffer[];
  /** Store time of the newest indexed message, ms. */
  indexLastUpdateTimestamp: number;
  /** Commit-log end covered by the index. */
  indexLastUpdatePhyoffset: number;
}

/** Store options: RocketMQ's MessageStoreConfig keys (see {@link MessageStoreConfig}) plus test hooks. */
export type OpenMessageStoreOptions = Partial<MessageStoreConfig> & {
  storePathRootDir: string;
  /** Disk usage in percent of the store's filesystem; default: statfs of storePathRootDir. */
  diskUsageProbe?: () => Promise<number>;
};

const CLEAN_INTERVAL_MS = 10_000;

/** RocketMQ's message store, embeddable: see the package README. */
export class MessageStore {
  /** Topic configs, subscription groups, consumer and delay offsets (lmdb). */
  readonly metadata: MetadataStore;
  /** What opening found (crash or clean exit, bytes dropped, records re-dispatched). */
  readonly recovery: RecoveryReport;
  private readonly stats: StoreStats;
  private readonly putService: PutService;
  /** Pull bodies given back by GetMessageResult.release (at most 16 of up to 1 MiB each). */
  private readonly bodies = new BodyPool({ maxPooled: 16, maxBufferBytes: 1024 * 1024 });
  private readonly timers: NodeJS.Timeout[] = [];
  private usedRatio = 0;
  private closing: Promise<void> | undefined;
  private checkpointing: Promise<void> = Promise.resolve();
  /** Commit-log offset up to which replicated (raw-appended) bytes have been dispatched. */
  private rawDispatchedTo: number;

  private constructor(
    readonly config: Readonly<MessageStoreConfig>,
    private readonly parts: {
      commitLog: CommitLog;
      queues: ConsumeQueueTable;
      index: MessageIndex | undefined;
      meta: MetaEnv;
      dispatcher: Dispatcher;
      checkpoint: Checkpoint;
      offsets: QueueOffsetTable;
      diskUsageProbe: () => Promise<number>;
    },
    recovery: RecoveryReport,
  ) {
    this.recovery = recovery;
    this.rawDispatchedTo = parts.commitLog.maxOffset;
    this.metadata = new MetadataStore({ env: parts.meta, logger: config.logger });
    this.stats = {
      putMessageTimesTotal: 0,
      putMessageSizeTotal: 0,
      putMessageFailedTimes: 0,
      getMessageTimesTotalFound: 0,
      getMessageTimesTotalMiss: 0,
      getMessageTransferedMsgCount: 0,
      commitLogMinOffset: 0,
      commitLogMaxOffset: 0,
      dispatchBehindBytes: 0,
      bootTimestamp: Date.now(),
    };
    this.putService = new PutService({
      config,
      commitLog: parts.commitLog,
      dispatcher: parts.dispatcher,
      offsets: parts.offsets,
      stats: this.stats,
      logger: config.logger,
      writable: () => this.refusalReason(),
    });
  }

  /** @internal Use {@link openMessageStore}. */
  static async open(options: OpenMessageStoreOptions): Promise<MessageStore> {
    const { diskUsageProbe, ...input } = options;
    const config = resolveStoreConfig(input);
    const logger = config.logger;
    const rootDir = config.storePathRootDir;
    await mkdir(rootDir, { recursive: true });
    await acquireStoreLock(rootDir);
    try {
      const { lastExitOk } = await markRunning(rootDir);
      const commitLog = await CommitLog.open({
        dir: config.storePathCommitLog,
        segmentBytes: config.mappedFileSizeCommitLog,
        maxRecordBytes: maxRecordBytes(config.maxMessageSize),
        readCacheBytes: config.readCacheBytes,
        logger,
      });
      const queues = await ConsumeQueueTable.open({
        rootDir,
        segmentBytes: config.mappedFileSizeConsumeQueue,
        logger,
      });
      const meta = openMetaEnv({ dir: join(rootDir, 'meta'), logger });
      const index = config.messageIndexEnable ? new MessageIndex({ env: meta, logger }) : undefined;
      const dispatcher = new Dispatcher(
        queues,
        index,
        parseMessageDelayLevel(config.messageDelayLevel),
      );
      const checkpoint = await Checkpoint.open(rootDir);
      const recovery = await recoverStore({
        rootDir,
        lastExitOk,
        checkCrc: config.checkCRCOnRecover,
        commitLog,
        queues,
        index,
        dispatcher,
        checkpoint,
        logger,
      });
      // Queue min offsets follow the commit log's minimum (retention is not persisted in the queues themselves).
      await queues.deleteAllBelowPhyOffset(commitLog.minOffset);
      const offsets = new QueueOffsetTable();
      for (const queue of queues.queues()) offsets.set(queue.topic, queue.queueId, queue.maxOffset);
      const store = new MessageStore(
        config,
        {
          commitLog,
          queues,
          index,
          meta,
          dispatcher,
          checkpoint,
          offsets,
          diskUsageProbe: diskUsageProbe ?? (() => diskUsedRatio(rootDir)),
        },
        recovery,
      );
      await store.saveCheckpoint();
      await store.refreshDiskUsage();
      store.startServices();
      logger.info('message store open', { rootDir, endOffset: commitLog.maxOffset, lastExitOk });
      return store;
    } catch (error) {
      await releaseStoreLock(rootDir);
      throw error;
    }
  }

  /** Stores one message; resolves per flushDiskType with a status. */
  putMessage(input: PutMessageInput): Promise<PutMessageResult> {
    return this.putService.putMessage(input);
  }

  /** Stores a batch as consecutive records in one segment, with consecutive queue offsets. */
  putMessages(inputs: readonly PutMessageInput[]): Promise<PutMessageResult> {
    return this.putService.putMessages(inputs);
  }

  /** Raw records of a queue from `queueOffset`, filtered by tags code; see {@link GetMessageRequest}. */
  getMessage(request: GetMessageRequest): Promise<GetMessageResult> {
    const { commitLog, queues } = this.parts;
    return getMessage(
      { config: this.config, commitLog, queues, stats: this.stats, bodies: this.bodies },
      request,
    );
  }

  /** First consume-queue slot still stored (0 for an unknown queue). */
  getMinOffsetInQueue(topic: string, queueId: number): number {
    return this.parts.queues.get(topic, queueId)?.minOffset ?? 0;
  }

  /** One past the last consume-queue slot (0 for an unknown queue). */
  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return this.parts.queues.get(topic, queueId)?.maxOffset ?? 0;
  }

  /** The slot whose message's store time is nearest `timestampMs` (RocketMQ 4.9.8 semantics; 0 if none). */
  async getOffsetInQueueByTime(
    topic: string,
    queueId: number,
    timestampMs: number,
  ): Promise<number> {
    const queue = this.parts.queues.get(topic, queueId);
    if (!queue) return 0;
    return queue.searchOffsetByTimestamp(timestampMs, (phyOffset, size) =>
      this.storeTimeAt(phyOffset, size),
    );
  }

  /** Store time of the first message still in the queue, or -1. */
  async getEarliestMessageTime(topic: string, queueId: number): Promise<number> {
    const queue = this.parts.queues.get(topic, queueId);
    if (!queue || queue.maxOffset === 0) return -1;
    const entry = await queue.entryAt(queue.minOffset);
    if (!entry) return -1;
    return (await this.storeTimeAt(entry.phyOffset, entry.size)) ?? -1;
  }

  /** Store time of the message in `topic`/`queueId` at `queueOffset`, or -1. */
  async getMessageStoreTimeStamp(
    topic: string,
    queueId: number,
    queueOffset: number,
  ): Promise<number> {
    const entry = await this.parts.queues.get(topic, queueId)?.entryAt(queueOffset);
    if (!entry) return -1;
    return (await this.storeTimeAt(entry.phyOffset, entry.size)) ?? -1;
  }

  /**
   * Raw consume-queue entries of `topic`/`queueId` from `queueOffset`: up to `maxEntries` (default 32), stopping at
   * the queue end or the end of the segment holding `queueOffset`; empty outside [min offset, max offset) or for an
   * unknown queue. Each gives the record's phyOffset, size and tags code — for `SCHEDULE_TOPIC_XXXX` the delivery
   * time (the broker's schedule service reads its queues with this).
   * @throws StoreError 'closed' after close, 'io' on a failed read.
   */
  async readConsumeQueue(request: {
    topic: string;
    queueId: number;
    queueOffset: number;
    maxEntries?: number;
  }): Promise<ConsumeQueueEntry[]> {
    const queue = this.parts.queues.get(request.topic, request.queueId);
    if (!queue) return [];
    const read = await queue.read(request.queueOffset, request.maxEntries ?? 32);
    const entries: ConsumeQueueEntry[] = [];
    for (let i = 0; i < read.count; i++) {
      entries.push({
        phyOffset: read.phyOffsets[i]!,
        size: read.sizes[i]!,
        tagsCode: read.tagsCodes[i]!,
      });
    }
    return entries;
  }

  /** The raw record at a commit-log offset (VIEW_MESSAGE_BY_ID), or undefined. */
  async lookMessageByOffset(phyOffset: number): Promise<Buffer | undefined> {
    const head = await this.parts.commitLog.read(phyOffset, 4);
    if (!head) return undefined;
    const size = readRecordTotalSize(head, 0);
    if (size <= 0 || size > maxRecordBytes(this.config.maxMessageSize)) return undefined;
    return this.parts.commitLog.read(phyOffset, size);
  }

  /** Records indexed under `topic#key` with store time in [begin, end], newest first (QUERY_MESSAGE). */
  async queryMessage(request: QueryMessageRequest): Promise<QueryMessageResult> {
    const index = this.parts.index;
    const messages: Buffer[] = [];
    if (index) {
      await this.parts.dispatcher.indexSettled();
      for (const phyOffset of index.query(request)) {
        const record = await this.lookMessageByOffset(phyOffset);
        if (record) messages.push(record);
      }
    }
    return {
      messages,
      indexLastUpdateTimestamp: this.parts.dispatcher.lastStoreTimestamp,
      indexLastUpdatePhyoffset: this.parts.dispatcher.dispatchedEnd,
    };
  }

  /** The record whose UNIQ_KEY (client message id) is `uniqKey` in `topic`, if indexed. */
  async lookMessageByUniqKey(topic: string, uniqKey: string): Promise<Buffer | undefined> {
    const result = await this.queryMessage({
      topic,
      key: uniqKey,
      maxNum: 1,
      begin: 0,
      end: Number.MAX_SAFE_INTEGER,
    });
    return result.messages[0];
  }

  /** Registers a listener called when a queue grows (broker long polling). */
  onMessageArrived(listener: ArrivalListener): void {
    this.parts.dispatcher.onArrival(listener);
  }

  // ---- replication surface (HA) ----

  /** End of the written commit log: what a slave should have. */
  getMaxPhyOffset(): number {
    return this.parts.commitLog.writtenOffset;
  }

  /** Smallest commit-log offset still stored. */
  getMinPhyOffset(): number {
    return this.parts.commitLog.minOffset;
  }

  /** Up to `maxBytes` of commit-log bytes from `phyOffset`, never crossing a segment end. */
  readRaw(phyOffset: number, maxBytes: number): Promise<Buffer | undefined> {
    return this.parts.commitLog.readRaw(phyOffset, maxBytes);
  }

  /**
   * Replication, slave side: appends bytes received from the master at exactly `phyOffset`, which must equal
   * {@link MessageStore.getMaxPhyOffset} (the commit logs stay byte-identical). The bytes may end in the middle of a
   * record; every record completed so far is validated (magic, sizes, body CRC, its own phyOffset) and dispatched to
   * consume queues and the index. Throws StoreError 'corrupt' when the offset does not continue the log, the bytes
   * cross a segment end, or they hold something that is not a record — the slave's history diverged from the
   * master's, and nothing already stored is changed.
   */
  async appendRaw(phyOffset: number, bytes: Buffer): Promise<void> {
    const { commitLog } = this.parts;
    if (this.closing) throw new StoreError('closed', 'the store is closed');
    const emptyStart = this.startsEmptyAt(phyOffset);
    if (!emptyStart && phyOffset !== commitLog.maxOffset) {
      throw new StoreError(
        'corrupt',
        `raw append at ${phyOffset} does not continue the commit log, which ends at ${commitLog.maxOffset}`,
        { phyOffset },
      );
    }
    // Everything is checked before a byte is written: a refused append leaves the store as it was.
    const parsed = await this.parseRaw(phyOffset, bytes, emptyStart);
    if (emptyStart) {
      // An empty slave of a master whose oldest segments are gone: its log starts where the master's does.
      commitLog.setEndOffset(phyOffset);
    }
    commitLog.appendRaw(phyOffset, bytes);
    await commitLog.drain();
    this.dispatchParsed(parsed);
  }

  /**
   * Validates the records completed by `bytes` (appended at `phyOffset`), together with the start of a record an
   * earlier append left unfinished, and returns their dispatch requests. Throws StoreError 'corrupt' on anything that
   * is not a valid record at its own offset.
   */
  private async parseRaw(
    phyOffset: number,
    bytes: Buffer,
    emptyStart: boolean,
  ): Promise<{ requests: DispatchRequest[]; end: number }> {
    const { commitLog, dispatcher } = this.parts;
    const start = emptyStart ? phyOffset : Math.max(this.rawDispatchedTo, dispatcher.dispatchedEnd);
    const end = phyOffset + bytes.length;
    if (start >= end) return { requests: [], end: start };
    let buf: Buffer;
    if (start > phyOffset) buf = bytes.subarray(start - phyOffset);
    else if (start < phyOffset) {
      const head = await commitLog.read(start, phyOffset - start);
      if (!head) throw new StoreError('io', `cannot re-read the commit log at ${start}`);
      buf = Buffer.concat([head, bytes]);
    } else buf = bytes;
    const requests: DispatchRequest[] = [];
    let at = start;
    while (at + 8 <= end) {
      const pos = at - start;
      const size = buf.readInt32BE(pos);
      const magic = buf.readInt32BE(pos + 4);
      const notARecord = (): StoreError =>
        new StoreError(
          'corrupt',
          `replicated bytes at ${at} are not a record (size ${size}, magic ${magic})`,
          { phyOffset: at },
        );
      if (magic === BLANK_MAGIC_CODE) {
        // End-of-file filler: the rest of the segment holds no records.
        if (size < 8) throw notARecord();
        at += size;
        continue;
      }
      if (size <= 0 || size > maxRecordBytes(this.config.maxMessageSize)) throw notARecord();
      if (at + size > end) break; // the rest of this record arrives with the next bytes
      let decoded;
      try {
        decoded = decodeMessageRecord(buf.subarray(pos, pos + size), 0, { verifyBodyCrc: true });
      } catch (cause) {
        throw new StoreError('corrupt', `replicated record at ${at} is invalid`, {
          cause,
          phyOffset: at,
        });
      }
      if (decoded.kind !== 'message' || decoded.record.phyOffset !== at) {
        throw new StoreError(
          'corrupt',
          `replicated record at ${at} does not belong at that offset`,
          {
            phyOffset: at,
          },
        );
      }
      requests.push(dispatchRequestOf(decoded.record, size));
      at += size;
    }
    return { requests, end: at };
  }

  /** True when nothing was ever stored and `phyOffset` is a segment start, where an empty log may begin. */
  private startsEmptyAt(phyOffset: number): boolean {
    const { commitLog } = this.parts;
    return (
      phyOffset > 0 &&
      commitLog.maxOffset === 0 &&
      commitLog.segmentFiles.length === 0 &&
      phyOffset % commitLog.segmentBytes === 0
    );
  }

  /**
   * Calls `listener(writtenEnd)` each time commit-log bytes become readable (puts and raw appends): what an HA
   * master waits on before streaming more to its slaves.
   */
  onCommitLogWritten(listener: (writtenEnd: number) => void): void {
    this.parts.commitLog.onWritten(listener);
  }

  private dispatchParsed(parsed: { requests: DispatchRequest[]; end: number }): void {
    const { dispatcher, offsets } = this.parts;
    for (const request of parsed.requests) {
      dispatcher.dispatch(request);
      const tranType = getTransactionValue(request.sysFlag);
      if (
        tranType === MessageSysFlag.TRANSACTION_NOT_TYPE ||
        tranType === MessageSysFlag.TRANSACTION_COMMIT_TYPE
      ) {
        const next = request.queueOffset + 1;
        if (next > offsets.next(request.topic, request.queueId))
          offsets.set(request.topic, request.queueId, next);
      }
    }
    this.rawDispatchedTo = parsed.end;
    if (parsed.requests.length > 0) {
      dispatcher.scheduleIndexFlush((error: unknown) =>
        this.config.logger.error('index write failed', { error: String(error) }),
      );
    }
  }

  /** Runtime counters. */
  getStats(): Readonly<StoreStats> {
    const { commitLog, dispatcher } = this.parts;
    this.stats.commitLogMinOffset = commitLog.minOffset;
    this.stats.commitLogMaxOffset = commitLog.maxOffset;
    this.stats.dispatchBehindBytes = Math.max(
      0,
      commitLog.writtenOffset - dispatcher.dispatchedEnd,
    );
    return { ...this.stats };
  }

  /**
   * Runs one retention pass now (normally every 10 s). `manual` deletes expired segments even outside the
   * deleteWhen hour (mqadmin deleteExpiredCommitLog).
   */
  async cleanExpiredFiles(
    options: { nowMs?: number; manual?: boolean } = {},
  ): Promise<CleanReport> {
    await this.refreshDiskUsage();
    const { commitLog, queues, index } = this.parts;
    return cleanExpiredFiles(
      {
        config: this.config,
        commitLog,
        queues,
        index,
        logger: this.config.logger,
        usedRatio: this.usedRatio,
      },
      { nowMs: options.nowMs ?? Date.now(), manual: options.manual },
    );
  }

  /** Writes everything pending, flushes files and the checkpoint, and releases the directory. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    const { commitLog, queues, index, meta, checkpoint } = this.parts;
    await commitLog.drain().catch(() => undefined);
    await commitLog.close();
    await this.saveCheckpoint();
    await queues.closeAll();
    // The index's writer thread holds its own handle on the meta environment: end it first.
    await index?.close();
    await meta.close();
    await checkpoint.close();
    await markCleanExit(this.config.storePathRootDir);
    await releaseStoreLock(this.config.storePathRootDir);
    this.config.logger.info('message store closed', { endOffset: commitLog.maxOffset });
  }

  private refusalReason(): string | undefined {
    if (this.closing) return 'the store is shutting down';
    if (this.parts.commitLog.failure)
      return `the store stopped writing after an I/O error: ${this.parts.commitLog.failure.message}`;
    if (this.usedRatio > this.config.diskSpaceWarningLevelRatio) {
      return `disk is ${this.usedRatio.toFixed(1)}% full (over diskSpaceWarningLevelRatio ${this.config.diskSpaceWarningLevelRatio}); puts are refused until space is freed`;
    }
    return undefined;
  }

  private async refreshDiskUsage(): Promise<void> {
    try {
      this.usedRatio = await this.parts.diskUsageProbe();
    } catch (error) {
      this.config.logger.warn('cannot read disk usage', { error: String(error) });
    }
  }

  private async storeTimeAt(phyOffset: number, size: number): Promise<number | undefined> {
    const record = await this.parts.commitLog.read(phyOffset, size);
    return record ? readRecordStoreTimestamp(record, 0) : undefined;
  }

  /** Flushes consume queues and the index, then records in the checkpoint how far everything is durable. */
  private saveCheckpoint(): Promise<void> {
    this.checkpointing = this.checkpointing.then(async () => {
      const { commitLog, queues, meta, dispatcher, checkpoint } = this.parts;
      const dispatchedEnd = dispatcher.dispatchedEnd;
      const dispatchedTime = dispatcher.lastStoreTimestamp;
      await dispatcher.flushIndex();
      await queues.flushAll({ sync: true });
      await meta.root.flushed;
      const values = checkpoint.values;
      values.dispatchedPhyOffset = dispatchedEnd;
      values.flushedPhyOffset = commitLog.flushedOffset;
      values.logicsMsgTimestamp = dispatchedTime;
      values.indexMsgTimestamp = dispatchedTime;
      values.physicMsgTimestamp = dispatchedTime;
      await checkpoint.save();
    });
    return this.checkpointing;
  }

  private startServices(): void {
    const { config } = this;
    const logger = config.logger;
    const every = (intervalMs: number, task: () => Promise<unknown>, what: string) => {
      let running = false;
      const timer = setInterval(() => {
        if (running || this.closing) return;
        running = true;
        task()
          .catch((error: unknown) => logger.error(`${what} failed`, { error: String(error) }))
          .finally(() => (running = false));
      }, intervalMs);
      timer.unref();
      this.timers.push(timer);
    };
    every(config.flushIntervalCommitLog, () => this.parts.commitLog.flush(), 'commit log flush');
    every(config.flushIntervalConsumeQueue, () => this.saveCheckpoint(), 'consume queue flush');
    every(CLEAN_INTERVAL_MS, () => this.cleanExpiredFiles(), 'retention');
  }
}

/**
 * Opens (and recovers) the store under `options.storePathRootDir`. Throws StoreError when the directory is
 * locked by another process or holds data it cannot explain, ConfigError for bad options.
 */
export function openMessageStore(options: OpenMessageStoreOptions): Promise<MessageStore> {
  return MessageStore.open(options);
}
