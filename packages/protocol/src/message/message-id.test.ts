import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import {
  createOffsetMessageId,
  createUniqIdGenerator,
  parseOffsetMessageId,
  parseUniqId,
} from './message-id.js';

describe('offset message id', () => {
  it('renders 10.0.0.1:10911 at offset 8000 as the reference example', () => {
    const id = createOffsetMessageId({ host: '10.0.0.1', port: 10911 }, 8000);
    expect(id).toBe('0A00000100002A9F0000000000001F40');
    expect(parseOffsetMessageId(id)).toEqual({
      storeHost: { host: '10.0.0.1', port: 10911 },
      phyOffset: 8000,
    });
  });

  it('uses 56 characters for an IPv6 store host and parses lower-case ids', () => {
    const id = createOffsetMessageId({ host: '2001:db8::7', port: 10911 }, 2 ** 50);
    expect(id).toHaveLength(56);
    expect(id).toBe('20010DB80000000000000000000000070000' + '2A9F' + '0004000000000000');
    expect(parseOffsetMessageId(id.toLowerCase())).toEqual({
      storeHost: { host: '2001:db8::7', port: 10911 },
      phyOffset: 2 ** 50,
    });
  });

  it('round-trips any IPv4 store host, port and offset', () => {
    fc.assert(
      fc.property(
        fc.ipV4(),
        fc.integer({ min: 0, max: 65535 }),
        fc.maxSafeNat(),
        (host, port, phyOffset) => {
          const normalized = host
            .split('.')
            .map((p) => String(Number(p)))
            .join('.');
          const id = createOffsetMessageId({ host: normalized, port }, phyOffset);
          expect(id).toMatch(/^[0-9A-F]{32}$/);
          expect(parseOffsetMessageId(id)).toEqual({
            storeHost: { host: normalized, port },
            phyOffset,
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses ids of another length or with non-hex characters', () => {
    expect(() => parseOffsetMessageId('0A000001')).toThrow(ProtocolError);
    expect(() => parseOffsetMessageId('0A00000100002A9F0000000000001F4G')).toThrow(
      /not 32 or 56 hex/,
    );
  });
});

describe('unique message id (UNIQ_KEY)', () => {
  // 2024-03-05 10:20:30.400 local time
  const now = new Date(2024, 2, 5, 10, 20, 30, 400).getTime();
  const monthStart = new Date(2024, 2, 1).getTime();

  it('lays out ip, pid, process hash, ms since the month start and a counter', () => {
    const gen = createUniqIdGenerator({
      ip: '192.168.0.1',
      pid: 0x12345,
      processHash: -2,
      clock: () => now,
    });
    expect(gen.prefix).toBe('C0A80001' + '2345' + 'FFFFFFFE');
    const diff = (now - monthStart).toString(16).toUpperCase().padStart(8, '0');
    expect(gen.next()).toBe(gen.prefix + diff + '0000');
    expect(gen.next()).toBe(gen.prefix + diff + '0001');
  });

  it('writes every id as the ip, pid, hash, 8 hex digits of ms and 4 of the counter, across counter and ms changes', () => {
    let t = now;
    const gen = createUniqIdGenerator({ ip: '10.0.0.1', pid: 1, processHash: 1, clock: () => t });
    const hex = (value: number, digits: number): string =>
      (value >>> 0)
        .toString(16)
        .toUpperCase()
        .padStart(8, '0')
        .slice(8 - digits);
    for (let i = 0; i < 70_000; i++) {
      // The clock moves every 300 ids, so the cached head is rebuilt both by the ms and by the counter's high byte.
      if (i % 300 === 0) t += 1;
      const id = gen.next();
      const expected = gen.prefix + hex(t - monthStart, 8) + hex(i & 0xffff, 4);
      if (id !== expected) expect(id).toBe(expected);
    }
  });

  it('wraps the counter after 65535', () => {
    const gen = createUniqIdGenerator({ ip: '10.0.0.1', pid: 1, processHash: 1, clock: () => now });
    let last = '';
    for (let i = 0; i < 65537; i++) last = gen.next();
    expect(last.slice(-4)).toBe('0000');
  });

  it('restarts the time part when the clock enters the next month', () => {
    let t = new Date(2024, 2, 31, 23, 59, 59, 999).getTime();
    const gen = createUniqIdGenerator({ ip: '10.0.0.1', pid: 1, processHash: 1, clock: () => t });
    const march = gen.next();
    expect(parseUniqId(march, t + 1).timestamp).toBe(t);
    // Java getNearlyTimeFromID: a time equal to "now" is taken to be from the previous month
    expect(parseUniqId(march, t).timestamp).toBe(
      new Date(2024, 1, 1).getTime() + (t - new Date(2024, 2, 1).getTime()),
    );
    t = new Date(2024, 3, 1, 0, 0, 0, 5).getTime();
    const id = gen.next();
    expect(id.slice(20, 28)).toBe('00000005');
    expect(parseUniqId(id, t + 1000).timestamp).toBe(t);
  });

  it('writes the ms of a month past 2^31 as int32 bits and reads them back unsigned', () => {
    const t = new Date(2024, 0, 31, 12).getTime(); // about 2.63e9 ms after January 1st
    const gen = createUniqIdGenerator({ ip: '10.0.0.1', pid: 1, processHash: 1, clock: () => t });
    const info = parseUniqId(gen.next(), t + 10);
    expect(info.timestamp).toBe(t);
  });

  it('uses 56 characters for an IPv6 client and parses every part back', () => {
    const gen = createUniqIdGenerator({
      ip: 'fe80::1',
      pid: 4242,
      processHash: 123456789,
      clock: () => now,
    });
    const id = gen.next();
    expect(id).toHaveLength(56);
    expect(parseUniqId(id, now + 1)).toEqual({
      ip: 'fe80::1',
      pid: 4242,
      processHash: 123456789,
      timestamp: now,
      counter: 0,
    });
  });

  it('places an id that would lie in the future into the previous month', () => {
    const gen = createUniqIdGenerator({ ip: '10.0.0.1', pid: 1, processHash: 1, clock: () => now });
    const id = gen.next();
    // read on March 2nd, an id with 4 days and 10 hours into "the month" must be from February
    const readAt = new Date(2024, 2, 2).getTime();
    expect(parseUniqId(id, readAt).timestamp).toBe(
      new Date(2024, 1, 1).getTime() + (now - monthStart),
    );
  });

  it('defaults to a machine address, the process id and one hash per process', () => {
    const a = createUniqIdGenerator();
    const b = createUniqIdGenerator();
    expect(a.prefix).toBe(b.prefix);
    expect(a.next()).toMatch(/^([0-9A-F]{32}|[0-9A-F]{56})$/);
    expect(parseUniqId(a.next()).pid).toBe(process.pid & 0xffff);
  });

  it('refuses malformed ids', () => {
    expect(() => parseUniqId('XYZ')).toThrow(ProtocolError);
  });
});
