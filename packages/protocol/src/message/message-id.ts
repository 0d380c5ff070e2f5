import { networkInterfaces } from 'node:os';
import { ProtocolError } from '../errors.js';
import { formatIpAddress, parseIpAddress } from './host-address.js';
import type { HostAddress } from './host-address.js';
import { checkInt32, readInt64, writeInt64 } from './int64.js';

/**
 * Message ids (remoting-protocol.md §6.7), rendered as upper-case hex (Java `UtilAll.bytes2string`).
 *
 * Offset message id (broker-made; Java `MessageDecoder.createMessageId` / `decodeMessageId`):
 * ```
 * store host address  4 (IPv4) | 16 (IPv6)
 * store host port     int32
 * commit-log offset   int64          → 32 or 56 hex characters
 * ```
 *
 * Unique key UNIQ_KEY (client-made; Java `MessageClientIDSetter`):
 * ```
 * client ip           4 | 16
 * pid                 int16 (low 16 bits)
 * process hash        int32 (Java: the class loader's hash code; random per process)
 * ms since month start int32 (local time, day 1 00:00; wraps after ~24.8 days, read back as uint32)
 * counter             int16, wrapping  → 32 or 56 hex characters
 * ```
 */

function isHex(text: string): boolean {
  return /^[0-9A-Fa-f]*$/.test(text);
}

function idBytes(id: string, kind: string): Buffer {
  if ((id.length !== 32 && id.length !== 56) || !isHex(id)) {
    throw new ProtocolError(`${kind} ${JSON.stringify(id)} is not 32 or 56 hex characters`);
  }
  return Buffer.from(id, 'hex');
}

/**
 * Creates the offset message id of a stored record: store host address + port + commit-log offset as upper-case
 * hex, 32 characters for an IPv4 store host, 56 for IPv6.
 *
 * @param storeHost - the broker address written in the record's STOREHOST.
 * @param phyOffset - the record's commit-log offset (a safe integer).
 * @returns the id, e.g. `0A00000100002A9F0000000000001F40` for 10.0.0.1:10911 at offset 8000.
 * @throws ProtocolError when the host is not an IP literal; RocketMQError when the port or offset is out of range.
 */
export function createOffsetMessageId(storeHost: HostAddress, phyOffset: number): string {
  checkInt32('storeHost port', storeHost.port);
  const addr = parseIpAddress(storeHost.host);
  const buf = Buffer.allocUnsafe(addr.length + 12);
  buf.set(addr, 0);
  buf.writeInt32BE(storeHost.port, addr.length);
  writeInt64(buf, phyOffset, addr.length + 4);
  return buf.toString('hex').toUpperCase();
}

/** The parts of an offset message id. */
export interface OffsetMessageId {
  /** The broker that stored the message. */
  readonly storeHost: HostAddress;
  /** Commit-log offset of the record on that broker. */
  readonly phyOffset: number;
}

/**
 * Parses an offset message id (Java `MessageDecoder.decodeMessageId`): 32 characters mean an IPv4 store host,
 * 56 an IPv6 one. Case-insensitive.
 *
 * @param id - the hex id.
 * @returns the store host and commit-log offset.
 * @throws ProtocolError when the id is not 32 or 56 hex characters.
 */
export function parseOffsetMessageId(id: string): OffsetMessageId {
  const buf = idBytes(id, 'offset message id');
  const ipLength = buf.length === 16 ? 4 : 16;
  return {
    storeHost: { host: formatIpAddress(buf, 0, ipLength), port: buf.readInt32BE(ipLength) },
    phyOffset: readInt64(buf, ipLength + 4),
  };
}

/** Options of {@link createUniqIdGenerator}; every field has a default for real use and is injectable for tests. */
export interface UniqIdGeneratorOptions {
  /** Client IP literal; default: this machine's first public IPv4, else global IPv6, else private IPv4, else a
   * pseudo address from the clock (as Java `createFakeIP`). */
  readonly ip?: string;
  /** Process id, of which the low 16 bits are used; default `process.pid`. */
  readonly pid?: number;
  /** int32 that tells processes apart; default: one random value per process, shared by every generator. */
  readonly processHash?: number;
  /** Clock in ms since the epoch; default `Date.now`. */
  readonly clock?: () => number;
}

/** Makes UNIQ_KEY values. Create one per process and share it, as Java keeps one static counter. */
export interface UniqIdGenerator {
  /** The fixed hex prefix: ip + pid + process hash (20 or 44 characters). */
  readonly prefix: string;
  /** The next id: 32 characters for an IPv4 client ip, 56 for IPv6. */
  next(): string;
}

let defaultProcessHash: number | undefined;

function processHashOfThisProcess(): number {
  defaultProcessHash ??= Math.floor(Math.random() * 2 ** 32) | 0;
  return defaultProcessHash;
}

function isPrivateV4(b: Uint8Array): boolean {
  const [a = 0, c = 0] = b;
  return a === 10 || (a === 172 && c >= 16 && c <= 31) || (a === 192 && c === 168);
}

/** Java `UtilAll.getIP` order: a public IPv4, else a global IPv6, else a private IPv4. */
function localIpBytes(): Uint8Array | undefined {
  let privateV4: Uint8Array | undefined;
  let globalV6: Uint8Array | undefined;
  const interfaces = networkInterfaces();
  for (const name of Object.keys(interfaces)) {
    for (const info of interfaces[name] ?? []) {
      if (info.internal) continue;
      let bytes: Uint8Array;
      try {
        bytes = parseIpAddress(info.address);
      } catch {
        continue;
      }
      if (bytes.length === 4) {
        if (bytes[0] === 127 || bytes[0] === 0 || (bytes[0] === 169 && bytes[1] === 254)) continue;
        if (!isPrivateV4(bytes)) return bytes;
        privateV4 ??= bytes;
      } else if (((bytes[0] ?? 0) & 0xe0) === 0x20) {
        globalV6 ??= bytes; // 2000::/3, global unicast
      }
    }
  }
  return globalV6 ?? privateV4;
}

function fakeIpBytes(nowMs: number): Uint8Array {
  const low = nowMs % 2 ** 32;
  return Uint8Array.of(low >>> 24, (low >>> 16) & 0xff, (low >>> 8) & 0xff, low & 0xff);
}

function localMonthStart(ms: number, monthDelta: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth() + monthDelta, 1).getTime();
}

/** `HEX_BYTE[b]`: the byte 0..255 as two upper-case hex digits (`UtilAll.bytes2string` per byte). */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) =>
  b.toString(16).toUpperCase().padStart(2, '0'),
);

/** A uint32 (the low 32 bits of `value`) as eight upper-case hex digits. */
function hex8(value: number): string {
  return (
    (HEX_BYTE[(value >>> 24) & 0xff] as string) +
    (HEX_BYTE[(value >>> 16) & 0xff] as string) +
    (HEX_BYTE[(value >>> 8) & 0xff] as string) +
    (HEX_BYTE[value & 0xff] as string)
  );
}

/**
 * Creates a UNIQ_KEY generator with Java `MessageClientIDSetter`'s layout and clock handling: the time part is
 * the ms since the start of the current local month, recomputed when the clock passes into the next month; a
 * small negative difference (clock stepped back over a month boundary, > −1,000,000 ms) is written as 0.
 *
 * @param options - see {@link UniqIdGeneratorOptions}.
 * @returns a generator; ids from one generator are unique as long as fewer than 65536 are made per ms-window.
 * @throws ProtocolError when `options.ip` is not an IP literal; RocketMQError when `processHash` is not an int32.
 */
export function createUniqIdGenerator(options?: UniqIdGeneratorOptions): UniqIdGenerator {
  const clock = options?.clock ?? Date.now;
  const processHash = options?.processHash ?? processHashOfThisProcess();
  checkInt32('processHash', processHash);
  const ip =
    options?.ip !== undefined
      ? parseIpAddress(options.ip)
      : (localIpBytes() ?? fakeIpBytes(clock()));
  const pid = options?.pid ?? process.pid;
  const fixed = Buffer.allocUnsafe(ip.length + 6);
  fixed.set(ip, 0);
  fixed.writeUInt16BE(pid & 0xffff, ip.length);
  fixed.writeInt32BE(processHash, ip.length + 2);
  const prefix = fixed.toString('hex').toUpperCase();
  let startTime = Number.NEGATIVE_INFINITY;
  let nextStartTime = Number.NEGATIVE_INFINITY;
  let counter = 0;
  // Ids share everything but the last two hex digits with the previous one while the ms and the counter's high
  // byte stay the same, so that head is kept: one string concatenation per id instead of a dozen temporaries.
  let headDiff = Number.NaN;
  let headCounterHigh = -1;
  let head = '';
  return {
    prefix,
    next(): string {
      const now = clock();
      if (now >= nextStartTime) {
        startTime = localMonthStart(now, 0);
        nextStartTime = localMonthStart(now, 1);
      }
      let diff = (now - startTime) | 0;
      if (diff < 0 && diff > -1_000_000) diff = 0;
      const counterHigh = counter >>> 8;
      if (diff !== headDiff || counterHigh !== headCounterHigh) {
        head = prefix + hex8(diff) + (HEX_BYTE[counterHigh] as string);
        headDiff = diff;
        headCounterHigh = counterHigh;
      }
      const id = head + (HEX_BYTE[counter & 0xff] as string);
      counter = (counter + 1) & 0xffff;
      return id;
    },
  };
}

/** The parts of a UNIQ_KEY. */
export interface UniqIdInfo {
  /** Client IP literal (or the pseudo address a client without one used). */
  readonly ip: string;
  /** Low 16 bits of the client's process id, 0..65535. */
  readonly pid: number;
  /** The per-process int32. */
  readonly processHash: number;
  /** Approximate creation time, ms since the epoch (Java `getNearlyTimeFromID`). */
  readonly timestamp: number;
  /** The counter, 0..65535. */
  readonly counter: number;
}

/**
 * Parses a UNIQ_KEY (32 characters: IPv4 client, 56: IPv6). The timestamp is placed in the local month of
 * `nowMs`, or the month before when that would put it at or after `nowMs` (Java `getNearlyTimeFromID`).
 *
 * @param id - the hex id; case-insensitive.
 * @param nowMs - the reference time, ms since the epoch; default `Date.now()`.
 * @returns ip, pid, process hash, approximate timestamp and counter.
 * @throws ProtocolError when the id is not 32 or 56 hex characters.
 */
export function parseUniqId(id: string, nowMs: number = Date.now()): UniqIdInfo {
  const buf = idBytes(id, 'unique message id');
  const ipLength = buf.length === 16 ? 4 : 16;
  const span = buf.readUInt32BE(ipLength + 6);
  let monthStart = localMonthStart(nowMs, 0);
  if (monthStart + span >= nowMs) monthStart = localMonthStart(nowMs, -1);
  return {
    ip: formatIpAddress(buf, 0, ipLength),
    pid: buf.readUInt16BE(ipLength),
    processHash: buf.readInt32BE(ipLength + 2),
    timestamp: monthStart + span,
    counter: buf.readUInt16BE(ipLength + 10),
  };
}
