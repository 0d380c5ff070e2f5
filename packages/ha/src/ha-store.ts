/**
 * The part of a message store that replication uses. `MessageStore` from @rocketmq-ts/store satisfies it; it is a
 * structural interface so the HA engine does not depend on the rest of the store.
 */
export interface HAStore {
  /** End of the written, readable commit log (what a slave should have). */
  getMaxPhyOffset(): number;
  /** Smallest commit-log offset still stored. */
  getMinPhyOffset(): number;
  /** Up to `maxBytes` of written commit log from `phyOffset`, never crossing a segment end; undefined if none. */
  readRaw(phyOffset: number, maxBytes: number): Promise<Buffer | undefined>;
  /**
   * Slave side: appends bytes at exactly `phyOffset` (the current max, or a segment start in an empty store).
   * Throws StoreError kind `'corrupt'` when they do not continue the log or are not records.
   */
  appendRaw(phyOffset: number, bytes: Buffer): Promise<void>;
  /** Registers `listener(writtenEnd)`, called whenever new commit-log bytes become readable. No unregister. */
  onCommitLogWritten(listener: (writtenEnd: number) => void): void;
  /**
   * `mappedFileSizeCommitLog`: segment size in bytes (segments start at its multiples); `maxMessageSize`: body
   * limit in bytes (a slave refuses record headers claiming more; default 4 MiB).
   */
  readonly config: { readonly mappedFileSizeCommitLog: number; readonly maxMessageSize?: number };
}
