import { ProtocolError } from '../errors.js';

/**
 * An IP address literal and a port, as stored in a message record (BORNHOST, STOREHOST) and in offset message
 * ids. `host` is a dotted IPv4 literal (`'10.0.0.1'`) or an IPv6 literal (`'fe80::1'`); host names are not
 * accepted.
 */
export interface HostAddress {
  /** IPv4 dotted quad or IPv6 literal (RFC 5952 form when decoded). */
  readonly host: string;
  /** TCP port; stored as an int32. */
  readonly port: number;
}

/**
 * The address part of a record's host field: an IPv4 literal (or an IPv4-mapped IPv6 one) as a uint32, which takes
 * 4 bytes, otherwise the 16 bytes of the IPv6 address.
 *
 * @param host - an IP literal.
 * @returns the uint32 or the 16 bytes.
 * @throws ProtocolError when `host` is not an IP literal.
 */
export function parseHostAddressBytes(host: string): number | Uint8Array {
  const v4 = parseIPv4ToUint32(host);
  if (v4 >= 0) return v4;
  const bytes = parseIpAddress(host);
  if (bytes.length === 16) return bytes;
  // an IPv4-mapped IPv6 literal, already reduced to 4 bytes
  return Buffer.from(bytes.buffer, bytes.byteOffset, 4).readUInt32BE(0);
}

/**
 * Parses a dotted-quad IPv4 literal into an unsigned 32-bit integer without allocating.
 *
 * @param host - text such as `'192.168.0.1'`.
 * @returns the address as a uint32, or -1 when `host` is not exactly four decimal parts 0..255.
 */
export function parseIPv4ToUint32(host: string): number {
  return parseIPv4Range(host, 0, host.length);
}

function parseIPv4Range(s: string, start: number, end: number): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0) return -1;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      part = part * 10 + (c - 0x30);
      digits++;
      if (digits > 3 || part > 255) return -1;
    } else {
      return -1;
    }
  }
  if (digits === 0 || parts !== 3) return -1;
  return value * 256 + part;
}

function invalidIp(host: string): ProtocolError {
  return new ProtocolError(`invalid ip address literal ${JSON.stringify(host)}`);
}

/** Parses one side of an IPv6 literal (groups separated by ':') into the start of `out`; returns groups written. */
function parseIPv6Groups(text: string, host: string, out: Uint8Array): number {
  if (text.length === 0) return 0;
  const groups = text.split(':');
  let pos = 0;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g] ?? '';
    if (g === groups.length - 1 && group.includes('.')) {
      const v4 = parseIPv4ToUint32(group);
      if (v4 < 0 || pos + 4 > 16) throw invalidIp(host);
      out[pos] = v4 >>> 24;
      out[pos + 1] = (v4 >>> 16) & 0xff;
      out[pos + 2] = (v4 >>> 8) & 0xff;
      out[pos + 3] = v4 & 0xff;
      pos += 4;
      continue;
    }
    if (group.length === 0 || group.length > 4 || !/^[0-9a-fA-F]+$/.test(group) || pos + 2 > 16) {
      throw invalidIp(host);
    }
    const v = parseInt(group, 16);
    out[pos] = v >>> 8;
    out[pos + 1] = v & 0xff;
    pos += 2;
  }
  return pos / 2;
}

function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/**
 * Parses an IP literal into its address bytes. IPv4-mapped IPv6 literals (`::ffff:10.0.0.1`, as Node reports
 * peers on dual-stack sockets) become the 4-byte IPv4 address, as Java's `InetAddress` does, so records written
 * for such peers keep the IPv4 layout that ali-ons requires. A zone id (`%eth0`) and surrounding brackets are
 * ignored.
 *
 * @param host - an IPv4 dotted quad or an IPv6 literal.
 * @returns 4 bytes for IPv4 (and IPv4-mapped IPv6), 16 bytes for IPv6.
 * @throws ProtocolError when `host` is not an IP literal.
 */
export function parseIpAddress(host: string): Uint8Array {
  const v4 = parseIPv4ToUint32(host);
  if (v4 >= 0) {
    return Uint8Array.of(v4 >>> 24, (v4 >>> 16) & 0xff, (v4 >>> 8) & 0xff, v4 & 0xff);
  }
  let text = host;
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (!text.includes(':')) throw invalidIp(host);
  const out = new Uint8Array(16);
  const gap = text.indexOf('::');
  if (gap < 0) {
    if (parseIPv6Groups(text, host, out) !== 8) throw invalidIp(host);
  } else {
    if (text.indexOf('::', gap + 1) >= 0) throw invalidIp(host);
    const head = text.slice(0, gap);
    const tail = text.slice(gap + 2);
    const scratch = new Uint8Array(16);
    const headGroups = parseIPv6Groups(head, host, out);
    const tailGroups = parseIPv6Groups(tail, host, scratch);
    // '::' stands for at least one zero group
    if (headGroups + tailGroups > 7) throw invalidIp(host);
    out.set(scratch.subarray(0, tailGroups * 2), 16 - tailGroups * 2);
  }
  return isV4Mapped(out) ? out.slice(12) : out;
}

/**
 * Formats address bytes read from a record or message id: IPv4 as a dotted quad, IPv6 in RFC 5952 form
 * (lower-case, longest run of two or more zero groups as `::`, IPv4-mapped as `::ffff:a.b.c.d`).
 *
 * @param buf - source bytes.
 * @param offset - position of the first address byte; the caller has checked that `length` bytes are there.
 * @param length - 4 (IPv4) or 16 (IPv6).
 * @returns the address literal.
 */
export function formatIpAddress(buf: Uint8Array, offset: number, length: 4 | 16): string {
  if (length === 4) {
    return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push(((buf[offset + i] ?? 0) << 8) | (buf[offset + i + 1] ?? 0));
  if (isV4Mapped(buf.subarray(offset, offset + 16))) {
    return `::ffff:${formatIpAddress(buf, offset + 12, 4)}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number | undefined): string => (g ?? 0).toString(16);
  if (bestLen < 2) return groups.map(hex).join(':');
  const head = groups.slice(0, bestStart).map(hex).join(':');
  const tail = groups
    .slice(bestStart + bestLen)
    .map(hex)
    .join(':');
  return `${head}::${tail}`;
}
