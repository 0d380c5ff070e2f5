import type * as Lmdb from 'lmdb';
import type * as WorkerThreads from 'node:worker_threads';
import type { createBatchRows, IndexDbs, PruneChunk } from './batch-rows.js';
import type { createIndexCodec, RowSegment } from './index-codec.js';
import type {
  AddRequest,
  IndexWriterData,
  IndexWriterReply,
  IndexWriterRequest,
} from './index-writer-protocol.js';

/*
 * The body of the index writer thread (index-writer-thread.ts starts it). It runs from its source text, so it refers
 * to nothing of this module's scope: only its arguments, globals and what it `require`s. Imports above are types
 * only, erased at compile time.
 *
 * Ordering: requests run strictly in arrival order. Each one starts once the previous one has issued its writes (an
 * add: its transaction is queued; a removal: all its chunks committed), and lmdb-js runs queued transactions in the
 * order they were issued, so adds and removals apply in call order.
 *
 * Atomicity: every add, and every removal chunk, runs in one root.transaction callback. An add whose entries all lie
 * past every row just puts them (no row to look up); its keys are cut from the row inside the callback, so nothing
 * per entry waits for the transaction. (Key views and put promises queued per entry outlived young collections: this
 * thread promoted 27–42 MB per 400k stored messages that way, ~20 MB now, and the store put ~10 % faster.)
 *
 * Durability: a reply is sent once the request's writes are committed AND flushed (`root.flushed` of this thread's
 * handle), because the main thread's `root.flushed` does not cover commits made here.
 */

/** Runs the writer; `req` is the thread's `require`, the factories are the main thread's codec and batch-row code. */
export function indexWriterBody(
  req: (id: string) => unknown,
  makeCodec: typeof createIndexCodec,
  makeBatchRows: typeof createBatchRows,
): void {
  /** Entries deleted per lmdb transaction, so retention never holds the write lock long. */
  const REMOVE_CHUNK = 10_000;
  const threads = req('node:worker_threads') as typeof WorkerThreads;
  const parentPort = threads.parentPort;
  if (!parentPort) throw new Error('the index writer must run in a worker thread');
  const port = parentPort;
  const data = threads.workerData as IndexWriterData;
  const { open } = req(data.lmdbPath) as typeof Lmdb;
  // The same options as meta-env.ts: lmdb-js shares one native environment per path within the process.
  const root = open({ path: data.dir, maxDbs: data.maxDbs });
  const binary = { keyEncoding: 'binary', encoding: 'binary' } as const;
  const indexByKey: IndexDbs['indexByKey'] = root.openDB({ name: data.indexByKeyName, ...binary });
  const indexBatches: IndexDbs['indexBatches'] = root.openDB({
    name: data.indexBatchesName,
    ...binary,
  });
  const dbs: IndexDbs = { indexByKey, indexBatches };
  const codec = makeCodec();
  const rows = makeBatchRows(codec);
  const EMPTY = Buffer.alloc(0);
  /**
   * At least the largest row key written or queued: an add entirely past it cannot overlap a row, so it takes the
   * put-only path. Exact after a removal (requests run in order, so none was queued during it); raised per add.
   */
  let rowKeyCeiling = rows.lastRowKey(indexBatches);
  /** Settles once the last received request has issued its writes. */
  let issued: Promise<unknown> = Promise.resolve();
  /** Requests other than `close` not yet replied to, and what waits for that count to reach zero. */
  let unfinished = 0;
  let onAllFinished: (() => void)[] = [];

  /** What a request leaves running once its writes are issued: the count it replies with, when durable. */
  interface Issued {
    result: Promise<number>;
  }

  port.on('message', (request: IndexWriterRequest) => {
    const counted = request.op !== 'close';
    if (counted) unfinished++;
    const step = issued.then(() => issue(request));
    issued = step.then(ignore, ignore);
    step
      .then((s) => s.result)
      .then(
        (removed) => reply({ id: request.id, removed, error: undefined }),
        (err: unknown) => reply({ id: request.id, removed: 0, error: describe(err) }),
      )
      .finally(() => {
        if (counted && --unfinished === 0) {
          const waiting = onAllFinished;
          onAllFinished = [];
          for (const wake of waiting) wake();
        }
      })
      .catch(ignore);
  });

  /** Resolves once every request received before it has been replied to. */
  function allFinished(): Promise<void> {
    return unfinished === 0
      ? Promise.resolve()
      : new Promise((resolve) => onAllFinished.push(resolve));
  }

  async function issue(request: IndexWriterRequest): Promise<Issued> {
    switch (request.op) {
      case 'add':
        return { result: add(request).then(() => durable(0)) };
      case 'removeFrom': {
        const from = request.phyOffset;
        const removed = await removeInChunks((budget) => rows.pruneFromInTxn(dbs, from, budget));
        return { result: durable(removed) };
      }
      case 'removeBelow': {
        const below = request.phyOffset;
        const removed = await removeInChunks((budget) => rows.pruneBelowInTxn(dbs, below, budget));
        return { result: durable(removed) };
      }
      case 'close':
        await allFinished();
        await root.close();
        return { result: Promise.resolve(0) };
    }
  }

  function add(request: AddRequest): Promise<unknown> {
    const row = toBuffer(request.row);
    const longValues = (request.longValues ?? []).map(toBuffer);
    const direct = request.minPhyOffset > rowKeyCeiling;
    if (request.maxPhyOffset > rowKeyCeiling) rowKeyCeiling = request.maxPhyOffset;
    if (!direct) return root.transaction(() => rows.linkBatchInTxn(dbs, row, longValues));
    return root.transaction(() => {
      // Checked whole before the first put: a throw here does not undo puts already made in the transaction.
      const segments = codec.rowSegments(row);
      const isTruncated = (s: RowSegment) => codec.readU16(row, s.start) === codec.TRUNCATED_LEN;
      let truncated = 0;
      for (const s of segments) if (isTruncated(s)) truncated++;
      if (truncated > longValues.length) {
        throw new RangeError('index batch lacks the full key of a truncated key');
      }
      let nextLong = 0;
      for (const s of segments) {
        const value = isTruncated(s) ? longValues[nextLong++]! : EMPTY;
        void indexByKey.put(row.subarray(s.start, s.end), value);
      }
      void indexBatches.put(codec.u64(request.maxPhyOffset), row);
    });
  }

  /** Runs `chunk` in one transaction per REMOVE_CHUNK entries until it reports no more work. */
  async function removeInChunks(chunk: (budget: number) => PruneChunk): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await root.transaction(() => {
        const done = chunk(REMOVE_CHUNK);
        return { ...done, lastKey: done.more ? -1 : rows.lastRowKey(indexBatches) };
      });
      total += result.removed;
      if (!result.more) {
        rowKeyCeiling = result.lastKey;
        return total;
      }
    }
  }

  async function durable(n: number): Promise<number> {
    await root.flushed;
    return n;
  }

  function reply(message: IndexWriterReply): void {
    port.postMessage(message);
  }

  function toBuffer(bytes: Uint8Array): Buffer {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  function describe(err: unknown): { name: string; message: string } {
    return err instanceof Error
      ? { name: err.name, message: err.message }
      : { name: 'Error', message: String(err) };
  }

  function ignore(): void {}
}
