import type { HostAddress } from '@rocketmq-ts/protocol';

/**
 * The BORNHOST of a message: the client socket's address as the transport formats it (`ip:port`, or `[v6]:port`).
 * An IPv4-mapped IPv6 address (`::ffff:10.0.0.5`, seen on dual-stack listeners) is stored as plain IPv4, as Java's
 * InetSocketAddress would report it; an address that cannot be read becomes `0.0.0.0:0` rather than failing the send.
 */
export function parseRemoteAddr(remoteAddr: string): HostAddress {
  const colon = remoteAddr.lastIndexOf(':');
  if (colon <= 0) return { host: '0.0.0.0', port: 0 };
  let host = remoteAddr.slice(0, colon);
  const port = Number(remoteAddr.slice(colon + 1));
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host.toLowerCase().startsWith('::ffff:') && host.includes('.')) host = host.slice(7);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || host === '') {
    return { host: '0.0.0.0', port: 0 };
  }
  return { host, port };
}
