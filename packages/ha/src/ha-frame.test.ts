import { ProtocolError } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import {
  HA_REPORT_BYTES,
  HA_TRANSFER_HEADER_BYTES,
  ReportReader,
  TransferFrameDecoder,
  decodeReport,
  decodeTransferHeader,
  encodeReport,
  encodeTransferHeader,
} from './ha-frame.js';

function frame(phyOffset: number, body: Buffer): Buffer {
  return Buffer.concat([encodeTransferHeader({ phyOffset, bodySize: body.length }), body]);
}

describe('report encoding', () => {
  it('writes the offset as an 8-byte big-endian int64', () => {
    expect(encodeReport(0x0102030405).toString('hex')).toBe('0000000102030405');
    expect(encodeReport(0).toString('hex')).toBe('0000000000000000');
    const big = 2 ** 40 + 77;
    expect(encodeReport(big).readBigInt64BE(0)).toBe(BigInt(big));
    expect(decodeReport(encodeReport(big))).toBe(big);
  });

  it('refuses negative offsets both ways', () => {
    expect(() => encodeReport(-1)).toThrow(RangeError);
    const negative = Buffer.alloc(8);
    negative.writeBigInt64BE(-5n);
    expect(() => decodeReport(negative)).toThrow(ProtocolError);
  });
});

describe('transfer header', () => {
  it('is phyOffset int64 then bodySize int32, big-endian', () => {
    const header = encodeTransferHeader({ phyOffset: 65536 + 12, bodySize: 32768 });
    expect(header.length).toBe(HA_TRANSFER_HEADER_BYTES);
    expect(header.toString('hex')).toBe('000000000001000c' + '00008000');
    expect(decodeTransferHeader(header)).toEqual({ phyOffset: 65548, bodySize: 32768 });
  });

  it('writes into a target at an offset and decodes from one', () => {
    const target = Buffer.alloc(20, 0xff);
    encodeTransferHeader({ phyOffset: 7, bodySize: 0 }, target, 4);
    expect(target.subarray(0, 4).toString('hex')).toBe('ffffffff');
    expect(decodeTransferHeader(target, 4)).toEqual({ phyOffset: 7, bodySize: 0 });
    expect(target.subarray(16).toString('hex')).toBe('ffffffff');
  });

  it('refuses a negative body size', () => {
    const header = encodeTransferHeader({ phyOffset: 0, bodySize: 0 });
    header.writeInt32BE(-1, 8);
    expect(() => decodeTransferHeader(header)).toThrow(ProtocolError);
    expect(() => encodeTransferHeader({ phyOffset: 0, bodySize: -1 })).toThrow(RangeError);
  });
});

describe('ReportReader', () => {
  it('returns only the last complete report of a chunk', () => {
    const reader = new ReportReader();
    const chunk = Buffer.concat([encodeReport(10), encodeReport(20), encodeReport(30)]);
    expect(reader.push(chunk)).toBe(30);
  });

  it('joins reports split across chunks, byte by byte', () => {
    const reader = new ReportReader();
    const bytes = Buffer.concat([encodeReport(1000), encodeReport(2 ** 33 + 5)]);
    const seen: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const report = reader.push(bytes.subarray(i, i + 1));
      if (report !== undefined) seen.push(report);
    }
    expect(seen).toEqual([1000, 2 ** 33 + 5]);
  });

  it('keeps a partial tail and completes it with the next chunk', () => {
    const reader = new ReportReader();
    const bytes = Buffer.concat([encodeReport(1), encodeReport(2), encodeReport(3)]);
    expect(reader.push(bytes.subarray(0, 13))).toBe(1);
    expect(reader.push(bytes.subarray(13, 20))).toBe(2);
    expect(reader.push(bytes.subarray(20))).toBe(3);
    expect(reader.push(Buffer.alloc(0))).toBeUndefined();
    expect(HA_REPORT_BYTES).toBe(8);
  });
});

describe('TransferFrameDecoder', () => {
  it('decodes frames and heartbeats from one chunk, bodies as views', () => {
    const decoder = new TransferFrameDecoder();
    const stream = Buffer.concat([
      frame(100, Buffer.from('hello')),
      frame(105, Buffer.alloc(0)),
      frame(105, Buffer.from('world!')),
    ]);
    decoder.push(stream);
    const first = decoder.next()!;
    expect(first.phyOffset).toBe(100);
    expect(first.body.toString()).toBe('hello');
    expect(first.body.buffer).toBe(stream.buffer);
    expect(decoder.next()).toMatchObject({ phyOffset: 105, bodySize: 0 });
    expect(decoder.next()!.body.toString()).toBe('world!');
    expect(decoder.next()).toBeUndefined();
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('reassembles frames split at every byte boundary', () => {
    const bodies = [Buffer.from('a'.repeat(50)), Buffer.alloc(0), Buffer.from('bcdefgh')];
    let at = 0;
    const stream = Buffer.concat(
      bodies.map((body) => {
        const f = frame(at, body);
        at += body.length;
        return f;
      }),
    );
    for (const pieceBytes of [1, 3, 11, 12, 13, 61]) {
      const decoder = new TransferFrameDecoder();
      const got: string[] = [];
      for (let i = 0; i < stream.length; i += pieceBytes) {
        decoder.push(stream.subarray(i, i + pieceBytes));
        for (let f = decoder.next(); f; f = decoder.next())
          got.push(`${f.phyOffset}:${f.body.toString()}`);
      }
      expect(got, `pieces of ${pieceBytes}`).toEqual([`0:${'a'.repeat(50)}`, '50:', '50:bcdefgh']);
      expect(decoder.bufferedBytes).toBe(0);
    }
  });

  it('counts buffered bytes until a frame completes', () => {
    const decoder = new TransferFrameDecoder();
    const f = frame(0, Buffer.alloc(100, 1));
    decoder.push(f.subarray(0, 60));
    expect(decoder.next()).toBeUndefined();
    expect(decoder.bufferedBytes).toBe(48);
    decoder.push(f.subarray(60));
    expect(decoder.next()!.bodySize).toBe(100);
  });

  it('throws ProtocolError on a body larger than its limit', () => {
    const decoder = new TransferFrameDecoder(64);
    decoder.push(encodeTransferHeader({ phyOffset: 0, bodySize: 65 }));
    expect(() => decoder.next()).toThrow(ProtocolError);
  });
});
