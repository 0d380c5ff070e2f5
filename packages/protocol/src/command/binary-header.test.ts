import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { binaryHeaderLength, decodeBinaryHeader, writeBinaryHeader } from './binary-header.js';
import { RemotingCommand, SerializeType } from './remoting-command.js';

function encode(cmd: RemotingCommand): Buffer {
  const out = Buffer.alloc(binaryHeaderLength(cmd));
  expect(writeBinaryHeader(cmd, out, 0)).toBe(out.length);
  return out;
}

describe('binary header', () => {
  it('lays out the fixed fields as RocketMQSerializable does', () => {
    const cmd = new RemotingCommand({
      code: 105,
      language: 'GO',
      version: 409,
      opaque: 0x01020304,
      flag: 1,
      serializeType: SerializeType.ROCKETMQ,
      remark: 'ok',
      extFields: { topic: 'T' },
    });
    const bytes = encode(cmd);
    expect(bytes.toString('hex')).toBe(
      [
        '0069', // code 105
        '09', // GO
        '0199', // version 409
        '01020304', // opaque
        '00000001', // flag
        '00000002',
        '6f6b', // remark "ok"
        '0000000c', // extFields bytes: 2 + 5 + 4 + 1
        '0005',
        '746f706963', // "topic"
        '00000001',
        '54', // "T"
      ].join(''),
    );
  });

  it('round-trips unicode keys and values and reads zero-length values as absent', () => {
    const cmd = new RemotingCommand({
      code: 1,
      extFields: { clé: 'valeur€', empty: '' },
      serializeType: SerializeType.ROCKETMQ,
    });
    const decoded = decodeBinaryHeader(encode(cmd), undefined);
    expect(decoded.extFields).toEqual({ clé: 'valeur€' });
    expect(decoded.remark).toBeUndefined();
  });

  it('maps unknown language numbers to OTHER', () => {
    const bytes = encode(new RemotingCommand({ code: 1, serializeType: SerializeType.ROCKETMQ }));
    bytes[2] = 99;
    expect(decodeBinaryHeader(bytes, undefined).language).toBe('OTHER');
  });

  it('rejects lengths that run past the header', () => {
    const bytes = encode(
      new RemotingCommand({ code: 1, remark: 'x', extFields: { a: 'b' }, serializeType: 1 }),
    );
    const badRemark = Buffer.from(bytes);
    badRemark.writeInt32BE(1000, 13);
    expect(() => decodeBinaryHeader(badRemark, undefined)).toThrow(ProtocolError);
    const badEntry = Buffer.from(bytes);
    badEntry.writeInt16BE(100, 26);
    expect(() => decodeBinaryHeader(badEntry, undefined)).toThrow(/runs past its map/);
    expect(() => decodeBinaryHeader(bytes.subarray(0, 20), undefined)).toThrow(/shorter than 21/);
  });
});
