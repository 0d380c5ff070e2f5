/**
 * ROCKETMQ binary header (serializeType 1), big-endian (RocketMQSerializable):
 *
 *   code:int16 | language:uint8 | version:int16 | opaque:int32 | flag:int32
 *   | remarkLength:int32 | remark:utf8 | extFieldsLength:int32
 *   | repeated { keyLength:int16 | key:utf8 | valueLength:int32 | value:utf8 }
 *
 * A zero remark length means "no remark"; entries with a null key or value are not written and a zero-length key
 * or value reads back as absent. Codes above 32767 (5.x POP codes) cannot be represented.
 */
import { ProtocolError } from '../errors.js';
import type { ExtFields } from '../ext-fields.js';
import { languageCodeName, languageCodeNumber } from './language-code.js';
import { RemotingCommand, SerializeType } from './remoting-command.js';

/** Bytes of the fixed part: 2 + 1 + 2 + 4 + 4 + 4 + 4. */
export const BINARY_HEADER_FIXED_BYTES = 21;

/** Decodes a binary header. Throws ProtocolError when a length runs past the header. */
export function decodeBinaryHeader(header: Buffer, body: Buffer | undefined): RemotingCommand {
  if (header.length < BINARY_HEADER_FIXED_BYTES) {
    throw new ProtocolError(`binary header of ${header.length} bytes is shorter than 21`);
  }
  const code = header.readInt16BE(0);
  const language = languageCodeName(header.readUInt8(2));
  const version = header.readInt16BE(3);
  const opaque = header.readInt32BE(5);
  const flag = header.readInt32BE(9);
  const remarkLength = header.readInt32BE(13);
  let pos = 17;
  if (remarkLength < 0 || pos + remarkLength + 4 > header.length) {
    throw new ProtocolError(`binary header remark length ${remarkLength} runs past the header`, {
      offset: 13,
    });
  }
  const remark = remarkLength > 0 ? header.toString('utf8', pos, pos + remarkLength) : undefined;
  pos += remarkLength;
  const extLength = header.readInt32BE(pos);
  pos += 4;
  if (extLength < 0 || pos + extLength > header.length) {
    throw new ProtocolError(`binary header extFields length ${extLength} runs past the header`, {
      offset: pos - 4,
    });
  }
  const extFields = extLength > 0 ? decodeEntries(header, pos, pos + extLength) : undefined;
  return new RemotingCommand({
    code,
    language,
    version,
    opaque,
    flag,
    remark,
    extFields,
    body,
    serializeType: SerializeType.ROCKETMQ,
  });
}

function decodeEntries(header: Buffer, start: number, end: number): ExtFields {
  const fields: ExtFields = {};
  let pos = start;
  while (pos < end) {
    if (pos + 2 > end) throw entryError(pos);
    const keyLength = header.readInt16BE(pos);
    pos += 2;
    if (keyLength < 0 || pos + keyLength + 4 > end) throw entryError(pos - 2);
    const key = header.toString('utf8', pos, pos + keyLength);
    pos += keyLength;
    const valueLength = header.readInt32BE(pos);
    pos += 4;
    if (valueLength < 0 || pos + valueLength > end) throw entryError(pos - 4);
    if (keyLength > 0 && valueLength > 0) {
      fields[key] = header.toString('utf8', pos, pos + valueLength);
    }
    pos += valueLength;
  }
  return fields;
}

function entryError(offset: number): ProtocolError {
  return new ProtocolError(`binary header extFields entry at byte ${offset} runs past its map`, {
    offset,
  });
}

/** Byte length of `cmd`'s binary header. Throws ProtocolError for a code that does not fit int16. */
export function binaryHeaderLength(cmd: RemotingCommand): number {
  if (cmd.code < -0x8000 || cmd.code > 0x7fff) {
    throw new ProtocolError(`code ${cmd.code} does not fit the ROCKETMQ binary header; use JSON`);
  }
  let length = BINARY_HEADER_FIXED_BYTES;
  if (cmd.remark) length += Buffer.byteLength(cmd.remark, 'utf8');
  if (cmd.extFields) {
    for (const key in cmd.extFields) {
      const keyBytes = Buffer.byteLength(key, 'utf8');
      if (keyBytes > 0x7fff) {
        throw new ProtocolError(`extFields key of ${keyBytes} bytes does not fit int16`);
      }
      length += 6 + keyBytes + Buffer.byteLength(cmd.extFields[key]!, 'utf8');
    }
  }
  return length;
}

/** Writes `cmd`'s binary header into `target` at `offset`; returns the offset after it. */
export function writeBinaryHeader(cmd: RemotingCommand, target: Buffer, offset: number): number {
  let pos = target.writeInt16BE(cmd.code, offset);
  pos = target.writeUInt8(languageCodeNumber(cmd.language), pos);
  pos = target.writeInt16BE(cmd.version, pos);
  pos = target.writeInt32BE(cmd.opaque, pos);
  pos = target.writeInt32BE(cmd.flag, pos);
  if (cmd.remark) {
    const written = target.write(cmd.remark, pos + 4, 'utf8');
    target.writeInt32BE(written, pos);
    pos += 4 + written;
  } else {
    pos = target.writeInt32BE(0, pos);
  }
  const extStart = pos + 4;
  pos = extStart;
  if (cmd.extFields) {
    for (const key in cmd.extFields) {
      const keyBytes = target.write(key, pos + 2, 'utf8');
      target.writeInt16BE(keyBytes, pos);
      pos += 2 + keyBytes;
      const valueBytes = target.write(cmd.extFields[key]!, pos + 4, 'utf8');
      target.writeInt32BE(valueBytes, pos);
      pos += 4 + valueBytes;
    }
  }
  target.writeInt32BE(pos - extStart, extStart - 4);
  return pos;
}
