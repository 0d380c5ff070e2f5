import * as zlib from 'node:zlib';

/** CRC-32 lookup table for the reflected IEEE polynomial 0xEDB88320, built on first use. */
let table: Int32Array | undefined;

function crcTable(): Int32Array {
  if (table) return table;
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  table = t;
  return t;
}

/**
 * CRC-32 (IEEE 802.3, as `java.util.zip.CRC32` and zlib) computed in JavaScript with a 256-entry table. Used
 * when `zlib.crc32` is missing (Node < 20.15); exported so tests can check both agree.
 *
 * @param data - the bytes.
 * @returns the CRC as an unsigned 32-bit integer.
 */
export function crc32Js(data: Uint8Array): number {
  const t = crcTable();
  let c = -1;
  for (let i = 0; i < data.length; i++) {
    c = (t[(c ^ (data[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  }
  return (c ^ -1) >>> 0;
}

const nativeCrc32: ((data: Uint8Array) => number) | undefined =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (data: Uint8Array) => zlib.crc32(data)
    : undefined;

/**
 * CRC-32 (IEEE, as `java.util.zip.CRC32`): `zlib.crc32` when the runtime has it (Node ≥ 20.15), otherwise
 * {@link crc32Js}.
 *
 * @param data - the bytes.
 * @returns the CRC as an unsigned 32-bit integer.
 */
export function crc32(data: Uint8Array): number {
  return nativeCrc32 ? nativeCrc32(data) : crc32Js(data);
}

/**
 * The BODYCRC of a message record: CRC-32 of the stored (possibly compressed) body `& 0x7FFFFFFF`, as Java's
 * `UtilAll.crc32(byte[])` computes it.
 *
 * @param body - the body bytes as stored.
 * @returns a non-negative int32.
 */
export function messageBodyCrc(body: Uint8Array): number {
  return crc32(body) & 0x7fffffff;
}
