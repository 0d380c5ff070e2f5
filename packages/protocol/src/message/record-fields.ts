import { ProtocolError } from '../errors.js';
import { readInt64, writeInt64 } from './int64.js';
import { MessageSysFlag } from './message-sys-flag.js';

/**
 * Field positions of a stored message record (remoting-protocol.md §6.1) and cheap readers/writers that touch one
 * field of a raw record without decoding it, for the store's hot paths. `offset` is always the position of the
 * record's first byte (its TOTALSIZE) in `buf`.
 *
 * ```
 * pos (IPv4 hosts)  field                         size
 *   0  TOTALSIZE                                     4
 *   4  MAGICCODE                                     4
 *   8  BODYCRC                                       4
 *  12  QUEUEID                                       4
 *  16  FLAG                                          4
 *  20  QUEUEOFFSET                                   8
 *  28  PHYSICALOFFSET                                8
 *  36  SYSFLAG                                       4
 *  40  BORNTIMESTAMP                                 8
 *  48  BORNHOST (addr 4|16, port 4)              8|20
 *  56  STORETIMESTAMP                                8   (+12 when the born host is IPv6)
 *  64  STOREHOST (addr 4|16, port 4)             8|20
 *  72  RECONSUMETIMES                                4   (+12 per IPv6 host from here on)
 *  76  PREPARED TRANSACTION OFFSET                   8
 *  84  BODYLENGTH, BODY                          4 + n
 *      TOPICLENGTH (1 byte V1, 2 bytes V2), TOPIC
 *      PROPERTIESLENGTH (2), PROPERTIES
 * ```
 *
 * Readers check that the field lies inside `buf` and throw ProtocolError otherwise; they do not validate the
 * record (use `decodeMessageRecord` for that).
 */
export const RecordPosition = {
  TOTAL_SIZE: 0,
  MAGIC_CODE: 4,
  BODY_CRC: 8,
  QUEUE_ID: 12,
  FLAG: 16,
  QUEUE_OFFSET: 20,
  PHYSICAL_OFFSET: 28,
  SYS_FLAG: 36,
  BORN_TIMESTAMP: 40,
  BORN_HOST: 48,
} as const;

/** Magic code of a V1 record (`0xDAA320A7`, Java `MessageDecoder.MESSAGE_MAGIC_CODE`): 1-byte topic length. */
export const MESSAGE_MAGIC_CODE_V1 = 0xdaa320a7 | 0;

/** Magic code of a V2 record (`0xDAA320AB`, 5.x `MESSAGE_MAGIC_CODE_V2`): 2-byte topic length. */
export const MESSAGE_MAGIC_CODE_V2 = 0xdaa320ab | 0;

/**
 * Magic code of the commit-log end-of-file filler (`0xCBD43194`, Java `CommitLog.BLANK_MAGIC_CODE`): not a
 * message; its TOTALSIZE is the number of bytes left in the segment file.
 */
export const BLANK_MAGIC_CODE = 0xcbd43194 | 0;

/** Bytes of a host field (address + int32 port) for the given address length. */
function hostFieldLength(v6: boolean): number {
  return v6 ? 20 : 8;
}

/**
 * Bytes of the BORNHOST field (8 for IPv4, 20 for IPv6) for a sysFlag.
 *
 * @param sysFlag - the record's sysFlag.
 * @returns 8 or 20.
 */
export function bornHostLength(sysFlag: number): number {
  return hostFieldLength((sysFlag & MessageSysFlag.BORNHOST_V6_FLAG) !== 0);
}

/**
 * Bytes of the STOREHOST field (8 for IPv4, 20 for IPv6) for a sysFlag.
 *
 * @param sysFlag - the record's sysFlag.
 * @returns 8 or 20.
 */
export function storeHostLength(sysFlag: number): number {
  return hostFieldLength((sysFlag & MessageSysFlag.STOREHOSTADDRESS_V6_FLAG) !== 0);
}

/**
 * Position of STORETIMESTAMP relative to the record start (56 with an IPv4 born host, 68 with IPv6).
 *
 * @param sysFlag - the record's sysFlag.
 * @returns the relative byte position.
 */
export function storeTimestampPosition(sysFlag: number): number {
  return RecordPosition.BORN_HOST + bornHostLength(sysFlag);
}

/**
 * Position of BODYLENGTH relative to the record start (84 with IPv4 hosts; +12 per IPv6 host).
 *
 * @param sysFlag - the record's sysFlag.
 * @returns the relative byte position.
 */
export function bodyLengthPosition(sysFlag: number): number {
  return RecordPosition.BORN_HOST + bornHostLength(sysFlag) + 8 + storeHostLength(sysFlag) + 12;
}

/** A field's name (for error messages) and its width in bytes. */
interface FieldSpan {
  readonly name: string;
  readonly bytes: number;
}

const BODY_CRC_FIELD: FieldSpan = { name: 'record body crc', bytes: 4 };
const BODY_LENGTH_FIELD: FieldSpan = { name: 'record body length', bytes: 4 };
const BORN_TIMESTAMP_FIELD: FieldSpan = { name: 'record born timestamp', bytes: 8 };
const MAGIC_CODE_FIELD: FieldSpan = { name: 'record magic code', bytes: 4 };
const PHYSICAL_OFFSET_FIELD: FieldSpan = { name: 'record physical offset', bytes: 8 };
const PROPERTIES_LENGTH_FIELD: FieldSpan = { name: 'record properties length', bytes: 2 };
const QUEUE_ID_FIELD: FieldSpan = { name: 'record queue id', bytes: 4 };
const QUEUE_OFFSET_FIELD: FieldSpan = { name: 'record queue offset', bytes: 8 };
const STORE_TIMESTAMP_FIELD: FieldSpan = { name: 'record store timestamp', bytes: 8 };
const SYSFLAG_FIELD: FieldSpan = { name: 'record sysFlag', bytes: 4 };
const TOPIC_LENGTH_FIELD: FieldSpan = { name: 'record topic length', bytes: 1 };
const TOTAL_SIZE_FIELD: FieldSpan = { name: 'record total size', bytes: 4 };

function need(buf: Buffer, at: number, field: FieldSpan): void {
  if (!Number.isInteger(at) || at < 0 || at + field.bytes > buf.length) {
    throw new ProtocolError(
      `${field.name} at offset ${at} lies outside the ${buf.length} bytes given`,
      { offset: at },
    );
  }
}

/**
 * TOTALSIZE of the record at `offset` (int32; for a blank filler, the bytes left in the segment).
 *
 * @param buf - bytes holding the record.
 * @param offset - position of the record's first byte; default 0.
 * @throws ProtocolError when fewer than 4 bytes are there.
 */
export function readRecordTotalSize(buf: Buffer, offset = 0): number {
  need(buf, offset, TOTAL_SIZE_FIELD);
  return buf.readInt32BE(offset);
}

/**
 * MAGICCODE of the record at `offset` (signed int32; compare with {@link MESSAGE_MAGIC_CODE_V1},
 * {@link MESSAGE_MAGIC_CODE_V2}, {@link BLANK_MAGIC_CODE}).
 *
 * @param buf - bytes holding the record.
 * @param offset - position of the record's first byte; default 0.
 * @throws ProtocolError when the field is outside `buf`.
 */
export function readRecordMagicCode(buf: Buffer, offset = 0): number {
  need(buf, offset + RecordPosition.MAGIC_CODE, MAGIC_CODE_FIELD);
  return buf.readInt32BE(offset + RecordPosition.MAGIC_CODE);
}

/**
 * BODYCRC of the record at `offset` (non-negative int32).
 *
 * @param buf - bytes holding the record.
 * @param offset - position of the record's first byte; default 0.
 * @throws ProtocolError when the field is outside `buf`.
 */
export function readRecordBodyCrc(buf: Buffer, offset = 0): number {
  need(buf, offset + RecordPosition.BODY_CRC, BODY_CRC_FIELD);
  return buf.readInt32BE(offset + RecordPosition.BODY_CRC);
}

/**
 * QUEUEID of the record at `offset` (int32).
 *
 * @param buf - bytes holding the record.
 * @param offset - position of the record's first byte; default 0.
 * @throws ProtocolError when the field is outside `buf`.
 */
export function readRecordQueueId(buf: Buffer, offset = 0): number {
  need(buf, offset + RecordPosition.QUEUE_ID, QUEUE_ID_FIELD);
  return buf.readInt32BE(offset + RecordPosition.QUEUE_ID);
}

/**
 * QUEUEOFFSET of the record at `offset`: its slot in the consume queue.
 *
 * @param buf - bytes holding the record.
 * @param offset - position of the record's first byte; default 0.
 * @throws ProtocolError when the field is outside `buf`.
 */
export function readRecordQueueOffset(buf: Buffer, offset = 0): number {
  need(buf, offset + RecordPosition.QUEUE_OFFSET, QUEUE_OFFSET_FIELD);
  return readInt64(buf, offset + RecordPosition.QUEUE_OFFSET);
}

/**
 * PHYSICALOFFSET of the record at `offset`: its byte position in the commit log.
 *
 * @param buf - bytes holding the record.
 * @param offset - position of the record's first byte; default 0.
 * @throws ProtocolError when the field is outside `buf`.
 */
export function readRecordPhyOffset(buf: Buffer, offset = 0): number {
  need(buf, offset + RecordPosition.PHYSICAL_OFFSET, PHYSICAL_OFFSET_FIELD);
  return readInt64(buf, offset + RecordPosition.PHYSICAL_OFFSET);
}

/**
 * SYSFLAG of the record at `offset` (int32, see `MessageSysFlag`).
 *
 * @param buf - bytes holding the record.
 * @param offset - position of the record's first byte; default 0.
 * @throws ProtocolError when the field is outside `buf`.
 */
export function readRecordSysFlag(buf: Buffer, offset = 0): number {
  need(buf, offset + RecordPosition.SYS_FLAG, SYSFLAG_FIELD);
  return buf.readInt32BE(offset + RecordPosition.SYS_FLAG);
}

/**
 * BORNTIMESTAMP of the record at `offset`, in ms since the epoch.
 *
 * @param buf - bytes holding the record.
 * @param offset - position of the record's first byte; default 0.
 * @throws ProtocolError when the field is outside `buf`.
 */
export function readRecordBornTimestamp(buf: Buffer, offset = 0): number {
  need(buf, offset + RecordPosition.BORN_TIMESTAMP, BORN_TIMESTAMP_FIELD);
  return readInt64(buf, offset + RecordPosition.BORN_TIMESTAMP);
}

/**
 * STORETIMESTAMP of the record at `offset`, in ms since the epoch (position depends on the born host family).
 *
 * @param buf - bytes holding the record.
 * @param offset - position of the record's first byte; default 0.
 * @throws ProtocolError when the field is outside `buf`.
 */
export function readRecordStoreTimestamp(buf: Buffer, offset = 0): number {
  const at = offset + storeTimestampPosition(readRecordSysFlag(buf, offset));
  need(buf, at, STORE_TIMESTAMP_FIELD);
  return readInt64(buf, at);
}

/**
 * Absolute position of the TOPICLENGTH field of the record at `offset` (just after the body).
 *
 * @param buf - bytes holding the record.
 * @param offset - position of the record's first byte; default 0.
 * @throws ProtocolError when BODYLENGTH is outside `buf`, negative, or points past the end of `buf`.
 */
export function recordTopicOffset(buf: Buffer, offset = 0): number {
  const lenAt = offset + bodyLengthPosition(readRecordSysFlag(buf, offset));
  need(buf, lenAt, BODY_LENGTH_FIELD);
  const bodyLength = buf.readInt32BE(lenAt);
  if (bodyLength < 0) {
    throw new ProtocolError(`negative body length ${bodyLength} at offset ${lenAt}`, {
      offset: lenAt,
    });
  }
  const at = lenAt + 4 + bodyLength;
  need(buf, at, TOPIC_LENGTH_FIELD);
  return at;
}

function topicLengthAt(buf: Buffer, offset: number, at: number): { size: number; length: number } {
  const v2 = readRecordMagicCode(buf, offset) === MESSAGE_MAGIC_CODE_V2;
  need(buf, at, { name: 'record topic length', bytes: v2 ? 2 : 1 });
  const length = v2 ? buf.readInt16BE(at) : buf.readInt8(at);
  if (length < 0) {
    throw new ProtocolError(`negative topic length ${length} at offset ${at}`, { offset: at });
  }
  need(buf, at + (v2 ? 2 : 1), { name: 'record topic', bytes: length });
  return { size: v2 ? 2 : 1, length };
}

/**
 * The topic of the record at `offset`, UTF-8 decoded.
 *
 * @param buf - bytes holding the record.
 * @param offset - position of the record's first byte; default 0.
 * @throws ProtocolError when a length field is negative or points outside `buf`.
 */
export function readRecordTopic(buf: Buffer, offset = 0): string {
  const at = recordTopicOffset(buf, offset);
  const { size, length } = topicLengthAt(buf, offset, at);
  return buf.toString('utf8', at + size, at + size + length);
}

/**
 * Absolute position of the PROPERTIESLENGTH field of the record at `offset` (just after the topic).
 *
 * @param buf - bytes holding the record.
 * @param offset - position of the record's first byte; default 0.
 * @throws ProtocolError when a length field is negative or points outside `buf`.
 */
export function recordPropertiesOffset(buf: Buffer, offset = 0): number {
  const at = recordTopicOffset(buf, offset);
  const { size, length } = topicLengthAt(buf, offset, at);
  const propsAt = at + size + length;
  need(buf, propsAt, PROPERTIES_LENGTH_FIELD);
  return propsAt;
}

/**
 * The raw properties string of the record at `offset` (decode it with `decodeMessageProperties`).
 *
 * @param buf - bytes holding the record.
 * @param offset - position of the record's first byte; default 0.
 * @throws ProtocolError when a length field is negative or points outside `buf`.
 */
export function readRecordPropertiesString(buf: Buffer, offset = 0): string {
  const at = recordPropertiesOffset(buf, offset);
  const length = buf.readInt16BE(at);
  if (length < 0) {
    throw new ProtocolError(`negative properties length ${length} at offset ${at}`, { offset: at });
  }
  need(buf, at + 2, { name: 'record properties', bytes: length });
  return buf.toString('utf8', at + 2, at + 2 + length);
}

/**
 * Overwrites QUEUEOFFSET of the record at `offset` (the store assigns it at append time).
 *
 * @param buf - bytes holding the record.
 * @param offset - position of the record's first byte.
 * @param value - consume-queue slot, a safe integer.
 * @throws ProtocolError when the field is outside `buf`; RocketMQError when `value` is not a safe integer.
 */
export function writeRecordQueueOffset(buf: Buffer, offset: number, value: number): void {
  need(buf, offset + RecordPosition.QUEUE_OFFSET, QUEUE_OFFSET_FIELD);
  writeInt64(buf, value, offset + RecordPosition.QUEUE_OFFSET);
}

/**
 * Overwrites PHYSICALOFFSET of the record at `offset` (the store assigns it at append time).
 *
 * @param buf - bytes holding the record.
 * @param offset - position of the record's first byte.
 * @param value - commit-log byte position, a safe integer.
 * @throws ProtocolError when the field is outside `buf`; RocketMQError when `value` is not a safe integer.
 */
export function writeRecordPhyOffset(buf: Buffer, offset: number, value: number): void {
  need(buf, offset + RecordPosition.PHYSICAL_OFFSET, PHYSICAL_OFFSET_FIELD);
  writeInt64(buf, value, offset + RecordPosition.PHYSICAL_OFFSET);
}

/**
 * Overwrites STORETIMESTAMP of the record at `offset` (the store stamps it at append time).
 *
 * @param buf - bytes holding the record.
 * @param offset - position of the record's first byte.
 * @param value - ms since the epoch.
 * @throws ProtocolError when the field is outside `buf`; RocketMQError when `value` is not a safe integer.
 */
export function writeRecordStoreTimestamp(buf: Buffer, offset: number, value: number): void {
  const at = offset + storeTimestampPosition(readRecordSysFlag(buf, offset));
  need(buf, at, STORE_TIMESTAMP_FIELD);
  writeInt64(buf, value, at);
}
