import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import {
  COMPRESS_MSG_BODY_OVER_HOWMUCH_DEFAULT,
  compressBody,
  decompressBody,
} from './compression.js';
import { MessageSysFlag } from './message-sys-flag.js';

const big = Buffer.from('hello rocketmq '.repeat(400));

describe('compression', () => {
  it('leaves bodies below the 4 KiB threshold untouched', () => {
    const small = Buffer.alloc(COMPRESS_MSG_BODY_OVER_HOWMUCH_DEFAULT - 1, 7);
    const out = compressBody(small, 0x4);
    expect(out.body).toBe(small);
    expect(out.sysFlag).toBe(0x4);
  });

  it('deflates bodies at the threshold and marks only the compressed bit by default', () => {
    const out = compressBody(big, MessageSysFlag.TRANSACTION_PREPARED_TYPE);
    expect(out.sysFlag).toBe(
      MessageSysFlag.TRANSACTION_PREPARED_TYPE | MessageSysFlag.COMPRESSED_FLAG,
    );
    expect(out.body.length).toBeLessThan(big.length);
    expect(out.body[0]).toBe(0x78); // RFC 1950 zlib header, as java.util.zip.Deflater writes
    expect(decompressBody(out.body, out.sysFlag)).toEqual(big);
  });

  it('adds the zlib type bits when asked, as Java clients since 4.9.4 do', () => {
    const out = compressBody(big, 0, { typeBits: true, level: 9 });
    expect(out.sysFlag).toBe(0x301);
    expect(decompressBody(out.body, out.sysFlag)).toEqual(big);
  });

  it('returns an uncompressed body as is', () => {
    expect(decompressBody(big, 0x300)).toBe(big);
  });

  it('inflates a zlib body whose sysFlag has no type bits', () => {
    expect(decompressBody(deflateSync(big), 0x1)).toEqual(big);
  });

  it('refuses lz4, zstd and unknown compression types with a ProtocolError', () => {
    expect(() => decompressBody(big, 0x101)).toThrow(/lz4.*not supported/);
    expect(() => decompressBody(big, 0x201)).toThrow(/zstd.*not supported/);
    expect(() => decompressBody(big, 0x501)).toThrow(ProtocolError);
  });

  it('turns a body that is not a zlib stream into a ProtocolError', () => {
    expect(() => decompressBody(Buffer.from('not zlib'), 0x1)).toThrow(ProtocolError);
  });

  it('stops inflating beyond maxBytes', () => {
    const { body, sysFlag } = compressBody(big, 0);
    expect(() => decompressBody(body, sysFlag, { maxBytes: 100 })).toThrow(ProtocolError);
    expect(decompressBody(body, sysFlag, { maxBytes: big.length }).length).toBe(big.length);
  });
});
