/**
 * Page size at which a write is cut when its process dies inside write(2): the kernel checks for a fatal signal
 * between pages.
 */
const PAGE_BYTES = 4096;
/** Trailing zero bytes no complete record has (see {@link tornRecordCut}). */
const MIN_TORN_ZEROS = 3;

/** Where a record lies, for {@link tornRecordCut}. */
export interface TornRecordPlace {
  /** Offset of the record in the buffer. */
  start: number;
  /** Record size, bytes. */
  size: number;
  /** Position of the record's first byte within its segment file. */
  filePosition: number;
}

/**
 * Where a record was cut short by a crash, if it was: the file position of the page boundary from which its bytes
 * are zeros. A SIGKILL during a write stops it at a page boundary and leaves the rest of the record as the zeros of
 * the sparse segment file; when the cut falls after the body (in the topic or the properties), the magic code, the
 * sizes and the body CRC all still check out. A complete record never ends in three zero bytes: its topic is not
 * empty and holds no NUL, its properties are text, and without properties it ends in their 2-byte zero length.
 *
 * @param bytes - holds the record at `at.start`, `at.size` bytes long
 * @param at - where the record is in `bytes`, and `filePosition`: where its first byte is within its segment file
 * @returns the page boundary the record was cut at, or undefined for a record that is whole
 */
export function tornRecordCut(bytes: Buffer, at: TornRecordPlace): number | undefined {
  const { start, size, filePosition } = at;
  const end = start + size;
  let zeroFrom = end;
  while (zeroFrom > start && bytes[zeroFrom - 1] === 0) zeroFrom--;
  if (end - zeroFrom < MIN_TORN_ZEROS) return undefined;
  const boundary = Math.ceil((filePosition + zeroFrom - start) / PAGE_BYTES) * PAGE_BYTES;
  return boundary <= filePosition + size - MIN_TORN_ZEROS ? boundary : undefined;
}
