/** Big-endian int64 fields as JS numbers (exact within ±2^53), for the store's own file formats. */

const TWO_POW_32 = 2 ** 32;

/** Writes `value` as a big-endian int64 at `offset`. `value` must be a safe integer. */
export function writeInt64(buf: Buffer, value: number, offset: number): void {
  const hi = Math.floor(value / TWO_POW_32);
  buf.writeInt32BE(hi, offset);
  buf.writeUInt32BE(value - hi * TWO_POW_32, offset + 4);
}

/** Reads a big-endian int64 at `offset` (exact within ±2^53). */
export function readInt64(buf: Buffer, offset: number): number {
  return buf.readInt32BE(offset) * TWO_POW_32 + buf.readUInt32BE(offset + 4);
}
