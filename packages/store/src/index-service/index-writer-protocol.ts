/*
 * Messages between MessageIndex (main thread) and its writer thread. One request per call, one reply per request,
 * matched by `id`. The writer applies requests strictly in the order it receives them.
 */

/** Sent once as `workerData`: where the environment is and how to open it like meta-env.ts does. */
export interface IndexWriterData {
  /** Resolved path of the lmdb package (the writer `require`s it: it cannot import modules of this package). */
  lmdbPath: string;
  /** Directory of the meta environment. */
  dir: string;
  /** lmdb `maxDbs` of the meta environment (META_MAX_DBS: must match the main thread's open). */
  maxDbs: number;
  /** Names of the index sub-databases. */
  indexByKeyName: string;
  indexBatchesName: string;
}

/** Index one batch: `row` is its packed index-by-key keys (transferred, never touched again by the sender). */
export interface AddRequest {
  op: 'add';
  id: number;
  row: Uint8Array;
  /** Full `topic#key` of each truncated key in row order, or undefined when none is truncated. */
  longValues: Uint8Array[] | undefined;
  /** Smallest and largest phyOffset of the row's entries. */
  minPhyOffset: number;
  maxPhyOffset: number;
}

/** Drop entries at or past (`from`) or below (`below`) `phyOffset`. */
export interface RemoveRequest {
  op: 'removeFrom' | 'removeBelow';
  id: number;
  phyOffset: number;
}

/** Finish every earlier request, then close the writer's environment handle. */
export interface CloseRequest {
  op: 'close';
  id: number;
}

export type IndexWriterRequest = AddRequest | RemoveRequest | CloseRequest;

/** Reply to one request: `removed` for removals; `error` when it failed (nothing else is reported). */
export interface IndexWriterReply {
  id: number;
  removed: number;
  error: { name: string; message: string } | undefined;
}
