import { describe, expect, it } from 'vitest';
import { IndexBatchBuilder } from './index-batch-builder.js';
import {
  HASH_BYTE,
  KEY_HEADER_BYTES,
  KEY_TRAILER_BYTES,
  MAX_INLINE_KEY_BYTES,
  readU16,
  readU64,
  rowSegments,
  SEGMENT_HEADER_BYTES,
  TRUNCATED_LEN,
} from './index-codec.js';

const at = (phyOffset: number, storeTimestamp = 1_700_000_000_000) => ({
  topic: 'TopicA',
  storeTimestamp,
  phyOffset,
});

/** The `topic#key` text and trailer of each segment of a row. */
function decodeRow(row: Buffer): { text: string; len: number; ts: number; phy: number }[] {
  return rowSegments(row).map((s) => ({
    len: readU16(row, s.start),
    text: row.toString('utf8', s.start + KEY_HEADER_BYTES, s.end - KEY_TRAILER_BYTES),
    ts: readU64(row, s.end - 16),
    phy: s.phyOffset,
  }));
}

describe('IndexBatchBuilder', () => {
  it('encodes each entry as [segmentLen][len][topic#key][ts][phy], skipping empty keys', () => {
    const builder = new IndexBatchBuilder();
    builder.append('k1', at(100, 5));
    builder.append('', at(200));
    builder.append('ключ', at(300, 7));
    expect(builder.entries).toBe(2);
    const batch = builder.take()!;
    expect(batch.entries).toBe(2);
    expect(batch.minPhyOffset).toBe(100);
    expect(batch.maxPhyOffset).toBe(300);
    expect(batch.longValues).toBeUndefined();
    expect(decodeRow(batch.row)).toEqual([
      { len: Buffer.byteLength('TopicA#k1'), text: 'TopicA#k1', ts: 5, phy: 100 },
      { len: Buffer.byteLength('TopicA#ключ'), text: 'TopicA#ключ', ts: 7, phy: 300 },
    ]);
    expect(batch.row[SEGMENT_HEADER_BYTES + KEY_HEADER_BYTES + 'TopicA'.length]).toBe(HASH_BYTE);
  });

  it('writes keys and topics as UTF-8 whether they are ASCII, start so, or are long', () => {
    const builder = new IndexBatchBuilder();
    const keys = [
      'plain',
      'order-ü-1',
      `${'a'.repeat(64)}ß`,
      'b'.repeat(65),
      'emoji-\u{1F600}',
      '\u0000x',
    ];
    for (const [i, key] of keys.entries()) builder.append(key, { ...at(i), topic: 'Tö' });
    expect(decodeRow(builder.take()!.row).map((entry) => entry.text)).toEqual(
      keys.map((key) => `Tö#${key}`),
    );
  });

  it('hands out rows that own their whole ArrayBuffer, and starts afresh after take()', () => {
    const builder = new IndexBatchBuilder();
    builder.append('a', at(1));
    const first = builder.take()!;
    expect(first.row.byteOffset).toBe(0);
    expect(first.row.buffer.byteLength).toBeGreaterThanOrEqual(first.row.length);
    expect(builder.take()).toBeUndefined();
    builder.append('b', at(2));
    const second = builder.take()!;
    expect(second.row.buffer).not.toBe(first.row.buffer);
    expect(decodeRow(second.row).map((e) => e.text)).toEqual(['TopicA#b']);
    expect(second.minPhyOffset).toBe(2);
  });

  it('grows past its first capacity without losing entries', () => {
    const builder = new IndexBatchBuilder();
    const count = 5_000;
    for (let i = 0; i < count; i++) builder.append(`key-${i}-${'x'.repeat(i % 40)}`, at(i * 10));
    const batch = builder.take()!;
    const entries = decodeRow(batch.row);
    expect(entries).toHaveLength(count);
    expect(entries[4_321]!.text).toBe(`TopicA#key-4321-${'x'.repeat(4_321 % 40)}`);
    expect(entries[4_321]!.phy).toBe(43_210);
  });

  it('truncates keys too long for lmdb and keeps their full text beside the row', () => {
    const builder = new IndexBatchBuilder();
    const long = 'é'.repeat(MAX_INLINE_KEY_BYTES);
    builder.append(long, at(42));
    builder.append('short', at(43));
    const batch = builder.take()!;
    const full = Buffer.from(`TopicA#${long}`, 'utf8');
    expect(batch.longValues).toEqual([full]);
    const [truncated, short] = decodeRowRaw(batch.row);
    expect(truncated!.len).toBe(TRUNCATED_LEN);
    expect(truncated!.text.equals(full.subarray(0, MAX_INLINE_KEY_BYTES))).toBe(true);
    expect(short!.text.toString()).toBe('TopicA#short');
  });

  it('refuses unsafe or negative integers without adding anything', () => {
    const builder = new IndexBatchBuilder();
    expect(builder.append('k', at(-1))).toBe(false);
    expect(builder.append('k', at(1, Number.MAX_SAFE_INTEGER + 2))).toBe(false);
    expect(builder.entries).toBe(0);
    expect(builder.take()).toBeUndefined();
  });
});

function decodeRowRaw(row: Buffer): { len: number; text: Buffer }[] {
  return rowSegments(row).map((s) => ({
    len: readU16(row, s.start),
    text: row.subarray(s.start + KEY_HEADER_BYTES, s.end - KEY_TRAILER_BYTES),
  }));
}
