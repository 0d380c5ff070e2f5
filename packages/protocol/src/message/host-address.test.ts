import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { formatIpAddress, parseIPv4ToUint32, parseIpAddress } from './host-address.js';

describe('ip address literals', () => {
  it('parses a dotted quad into a uint32 and rejects anything else', () => {
    expect(parseIPv4ToUint32('10.0.0.1')).toBe(0x0a000001);
    expect(parseIPv4ToUint32('255.255.255.255')).toBe(0xffffffff);
    for (const bad of [
      '',
      '1.2.3',
      '1.2.3.4.5',
      '256.0.0.1',
      '1..2.3',
      'a.b.c.d',
      '1.2.3.4 ',
      '1234.1.1.1',
    ]) {
      expect(parseIPv4ToUint32(bad)).toBe(-1);
    }
  });

  it('parses IPv6 literals with and without "::"', () => {
    expect(Buffer.from(parseIpAddress('::1')).toString('hex')).toBe(
      '00000000000000000000000000000001',
    );
    expect(Buffer.from(parseIpAddress('fe80::1:2')).toString('hex')).toBe(
      'fe800000000000000000000000010002',
    );
    expect(Buffer.from(parseIpAddress('1:2:3:4:5:6:7:8')).toString('hex')).toBe(
      '00010002000300040005000600070008',
    );
    expect(Buffer.from(parseIpAddress('::')).toString('hex')).toBe('0'.repeat(32));
    expect(Buffer.from(parseIpAddress('[2001:db8::1%eth0]')).toString('hex')).toBe(
      '20010db8000000000000000000000001',
    );
  });

  it('turns IPv4-mapped IPv6 literals into 4-byte IPv4 addresses as Java does', () => {
    expect([...parseIpAddress('::ffff:127.0.0.1')]).toEqual([127, 0, 0, 1]);
    expect([...parseIpAddress('::ffff:7f00:1')]).toEqual([127, 0, 0, 1]);
  });

  it('refuses host names and malformed IPv6 with a ProtocolError', () => {
    for (const bad of [
      'localhost',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '1::2::3',
      '12345::1',
      'g::1',
      ':1:2:3:4:5:6:7',
      '1:2:3:4::5:6:7:8',
    ]) {
      expect(() => parseIpAddress(bad), bad).toThrow(ProtocolError);
    }
  });

  it('formats IPv6 in RFC 5952 form', () => {
    const fmt = (host: string): string => formatIpAddress(Buffer.from(parseIpAddress(host)), 0, 16);
    expect(fmt('2001:0DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(fmt('1:0:0:2:0:0:0:3')).toBe('1:0:0:2::3');
    expect(fmt('1:0:2:3:4:5:6:7')).toBe('1:0:2:3:4:5:6:7');
    expect(fmt('::')).toBe('::');
    expect(formatIpAddress(Buffer.from('00000000000000000000ffff0a000001', 'hex'), 0, 16)).toBe(
      '::ffff:10.0.0.1',
    );
  });

  it('formats IPv4 as a dotted quad from any offset', () => {
    expect(formatIpAddress(Uint8Array.of(9, 192, 168, 1, 20), 1, 4)).toBe('192.168.1.20');
  });

  it('parses what it formats for every IPv6 address', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const text = formatIpAddress(bytes, 0, 16);
        const back = parseIpAddress(text);
        const mapped = bytes.subarray(0, 12).every((b, i) => (i < 10 ? b === 0 : b === 0xff));
        expect([...back]).toEqual(mapped ? [...bytes.subarray(12)] : [...bytes]);
      }),
      { numRuns: 300 },
    );
  });
});
