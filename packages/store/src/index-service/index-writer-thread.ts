import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { IntKeyTable } from '@rocketmq-ts/protocol';
import { StoreError } from '../errors.js';
import { META_DB_NAMES, META_MAX_DBS } from '../metadata/meta-env.js';
import { createBatchRows } from './batch-rows.js';
import { createIndexCodec } from './index-codec.js';
import { indexWriterBody } from './index-writer-body.js';
import type {
  IndexWriterData,
  IndexWriterReply,
  IndexWriterRequest,
} from './index-writer-protocol.js';

/*
 * The main-thread end of the index writer thread: posts one request per call and settles its promise from the one
 * reply. The thread runs index-writer-body.ts from source text (`eval: true`): unit tests run the TypeScript sources,
 * where no .js file exists to point a Worker at and Node 20 cannot load .ts, while the built package has no
 * TypeScript loader. Source text of self-contained functions works in both; the body gets the codec and batch-row
 * factories as source text too, so both threads run one implementation, and it `require`s lmdb by resolved path.
 */

/** Options of {@link IndexWriterThread}. */
export interface IndexWriterThreadOptions {
  /** Directory of the meta environment (already opened by the main thread, so the thread shares it). */
  dir: string;
  /** Called on the main thread after each successful reply, before the caller's promise settles. */
  onCommitted: () => void;
}

/** One batch for {@link IndexWriterThread.add}. */
export interface IndexWriterBatch {
  /** Packed index-by-key keys; must own its whole ArrayBuffer, which is transferred (unusable afterwards). */
  row: Uint8Array;
  /** Full `topic#key` of each truncated key, in row order. */
  longValues: Uint8Array[] | undefined;
  minPhyOffset: number;
  maxPhyOffset: number;
}

interface Pending {
  id: number;
  resolve: (removed: number) => void;
  reject: (error: StoreError) => void;
}

/** Distributes the request types over their fields minus `id` (the thread wrapper assigns ids). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** A worker thread that owns the index's lmdb writes; see index-writer-body.ts for ordering and durability. */
export class IndexWriterThread {
  private readonly worker: Worker;
  /** Requests waiting for their reply, by id (not a Map: see IntKeyTable). */
  private readonly pending = new IntKeyTable<Pending>();
  private readonly onCommitted: () => void;
  private nextId = 1;
  /** Set once the thread failed or exited unasked: every later call rejects with it. */
  private failure: StoreError | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: IndexWriterThreadOptions) {
    this.onCommitted = options.onCommitted;
    const workerData: IndexWriterData = {
      lmdbPath: createRequire(import.meta.url).resolve('lmdb'),
      dir: options.dir,
      maxDbs: META_MAX_DBS,
      indexByKeyName: META_DB_NAMES.indexByKey,
      indexBatchesName: META_DB_NAMES.indexBatches,
    };
    const source = `(${indexWriterBody.toString()})(require, ${createIndexCodec.toString()}, ${createBatchRows.toString()});`;
    this.worker = new Worker(source, { eval: true, workerData });
    // Only a thread with requests in flight keeps the process alive (see track()).
    this.worker.unref();
    this.worker.on('message', (reply: IndexWriterReply) => this.settle(reply));
    this.worker.on('error', (err) => {
      this.fail(new StoreError('io', `index writer thread failed: ${err.message}`, { cause: err }));
    });
    this.worker.on('exit', (code) => {
      this.fail(new StoreError('io', `index writer thread exited (code ${code})`));
    });
  }

  /** Indexes one batch; resolves when it is committed and flushed. */
  add(batch: IndexWriterBatch): Promise<void> {
    const transfer = [batch.row.buffer as ArrayBuffer];
    return this.request({ op: 'add', ...batch }, transfer).then(toVoid);
  }

  /** Drops entries at or past `phyOffset`; resolves with how many. */
  removeFrom(phyOffset: number): Promise<number> {
    return this.request({ op: 'removeFrom', phyOffset }, []);
  }

  /** Drops entries below `phyOffset`; resolves with how many. */
  removeBelow(phyOffset: number): Promise<number> {
    return this.request({ op: 'removeBelow', phyOffset }, []);
  }

  /**
   * Waits for every earlier request, closes the thread's environment handle and ends the thread. Idempotent.
   * @throws StoreError kind `io` when the thread's environment failed to close (the thread is ended anyway).
   */
  close(): Promise<void> {
    // A failed thread has nothing left to close: its failure was reported to the calls it failed.
    if (this.failure) this.closing ??= this.end();
    this.closing ??= this.request({ op: 'close' }, []).then(
      () => this.end(),
      async (err: unknown) => {
        await this.end();
        throw err;
      },
    );
    return this.closing;
  }

  /** Test hook: ends the thread abruptly, as a crash of the thread would. */
  terminateForTest(): Promise<number> {
    return this.worker.terminate();
  }

  private request(
    message: WithoutId<IndexWriterRequest>,
    transfer: ArrayBuffer[],
  ): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      this.pending.set(id, { id, resolve, reject });
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  private settle(reply: IndexWriterReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.forget(reply.id);
    if (reply.error === undefined) {
      this.onCommitted();
      pending.resolve(reply.removed);
      return;
    }
    const { name, message } = reply.error;
    // RangeErrors of the batch-row code mean a row that does not parse: corrupt data, not an I/O fault.
    const kind = name === 'RangeError' ? 'corrupt' : 'io';
    pending.reject(new StoreError(kind, `index write failed: ${name}: ${message}`));
  }

  private fail(error: StoreError): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) {
      this.forget(pending.id);
      pending.reject(this.failure);
    }
  }

  private forget(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
  }

  private async end(): Promise<void> {
    this.failure ??= new StoreError('closed', 'index writer thread closed');
    await this.worker.terminate();
  }
}

function toVoid(): void {}
