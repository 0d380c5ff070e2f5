import { RocketMQError } from '../errors.js';
import { ResponseCode } from '../codes/response-code.js';
import { messageBodyCrc } from './body-crc.js';
import { parseHostAddressBytes } from './host-address.js';
import type { HostAddress } from './host-address.js';
import { checkInt32, checkInt64, writeInt64 } from './int64.js';
import { MessageSysFlag } from './message-sys-flag.js';
import { propertiesToWire } from './properties.js';
import type { MessagePropertiesInput } from './properties.js';
import { MESSAGE_MAGIC_CODE_V1, MESSAGE_MAGIC_CODE_V2, RecordPosition } from './record-fields.js';

/**
 * The stored message record (remoting-protocol.md §6.1; Java `MessageDecoder`, `CommitLog.calMsgLength`,
 * `MessageExtEncoder`). Big-endian; field table in `record-fields.ts`, decoder in `message-record-decoder.ts`. The
 * same bytes are the commit log's content, the body of PULL/QUERY/VIEW responses and the HA stream.
 */

/** Longest topic, in UTF-8 bytes, that fits the V1 layout (its length byte is read as signed by Java). */
export const MAX_TOPIC_BYTES_V1 = 127;

/** Longest topic, in UTF-8 bytes, that fits the V2 layout (int16 length). */
export const MAX_TOPIC_BYTES_V2 = 32767;

/** A decoded message record. Field names follow RocketMQ's (`MessageExt`). */
export interface MessageRecord {
  /** TOTALSIZE: bytes of the whole record, this field included. */
  readonly totalSize: number;
  /** MAGICCODE: {@link MESSAGE_MAGIC_CODE_V1} or {@link MESSAGE_MAGIC_CODE_V2}. */
  readonly magicCode: number;
  /** BODYCRC: CRC-32 of the stored body `& 0x7FFFFFFF`. */
  readonly bodyCrc: number;
  readonly queueId: number;
  /** FLAG: the user flag from the send header. */
  readonly flag: number;
  /** QUEUEOFFSET: slot in the consume queue. */
  readonly queueOffset: number;
  /** PHYSICALOFFSET: byte position of this record in the commit log. */
  readonly phyOffset: number;
  /** SYSFLAG: see `MessageSysFlag`. */
  readonly sysFlag: number;
  /** BORNTIMESTAMP, ms since the epoch. */
  readonly bornTimestamp: number;
  /** BORNHOST: the producer's address. */
  readonly bornHost: HostAddress;
  /** STORETIMESTAMP, ms since the epoch. */
  readonly storeTimestamp: number;
  /** STOREHOST: the broker's address. */
  readonly storeHost: HostAddress;
  readonly reconsumeTimes: number;
  /** PREPARED TRANSACTION OFFSET: for a committed transactional message, the half message's phyOffset. */
  readonly preparedTransactionOffset: number;
  /** The body as stored (compressed when sysFlag says so). A view into the decoded buffer, not a copy. */
  readonly body: Buffer;
  readonly topic: string;
  /** Properties decoded with Java semantics (`decodeMessageProperties`). */
  readonly properties: Map<string, string>;
  /** The properties string exactly as stored, for byte-exact re-encoding. */
  readonly propertiesString: string;
}

/** Input of {@link encodeMessageRecord}. A decoded {@link MessageRecord} is a valid input. */
export interface MessageRecordInput {
  readonly topic: string;
  readonly body: Uint8Array;
  readonly queueId: number;
  /** User flag; default 0. */
  readonly flag?: number;
  /** Consume-queue slot; default 0 (the store may patch it with `writeRecordQueueOffset`). */
  readonly queueOffset?: number;
  /** Commit-log position; default 0 (the store may patch it with `writeRecordPhyOffset`). */
  readonly phyOffset?: number;
  /** sysFlag; default 0. The two host-family bits are replaced to match `bornHost` and `storeHost`. */
  readonly sysFlag?: number;
  /** ms since the epoch. */
  readonly bornTimestamp: number;
  readonly bornHost: HostAddress;
  /** ms since the epoch. */
  readonly storeTimestamp: number;
  readonly storeHost: HostAddress;
  /** Default 0. */
  readonly reconsumeTimes?: number;
  /** Default 0. */
  readonly preparedTransactionOffset?: number;
  /** An encoded properties string (written as is) or properties to encode; default none. */
  readonly properties?: string | MessagePropertiesInput;
  /** Only used when {@link MessageRecordInput.properties} is absent: the exact stored string. */
  readonly propertiesString?: string;
  /** BODYCRC to write; default: computed from `body`. */
  readonly bodyCrc?: number;
  /**
   * Magic to write; default V1, or V2 when the topic is longer than 127 UTF-8 bytes (as the 5.x broker with
   * `autoMessageVersionOnTopicLen`). 4.x clients and ali-ons only read V1.
   */
  readonly magicCode?: number;
}

/** Sizes needed by {@link messageRecordSize} (Java `CommitLog.calMsgLength`). */
export interface MessageRecordSizeInput {
  /** Decides the host field widths (IPv6 bits). */
  readonly sysFlag: number;
  readonly bodyLength: number;
  /** Topic length in UTF-8 bytes. */
  readonly topicLength: number;
  /** Properties length in UTF-8 bytes. */
  readonly propertiesLength: number;
  /** V1 (default) has a 1-byte topic length, V2 a 2-byte one. */
  readonly magicCode?: number;
}

/**
 * Bytes of a record with the given field sizes (Java `CommitLog.calMsgLength`): 91 + body + topic + properties
 * for IPv4 hosts and V1, +12 per IPv6 host, +1 for V2.
 *
 * @returns the TOTALSIZE such a record must carry.
 */
export function messageRecordSize(input: MessageRecordSizeInput): number {
  const bornV6 = (input.sysFlag & MessageSysFlag.BORNHOST_V6_FLAG) !== 0;
  const storeV6 = (input.sysFlag & MessageSysFlag.STOREHOSTADDRESS_V6_FLAG) !== 0;
  return (
    RecordPosition.BORN_HOST +
    (bornV6 ? 20 : 8) +
    8 + // STORETIMESTAMP
    (storeV6 ? 20 : 8) +
    4 + // RECONSUMETIMES
    8 + // PREPARED TRANSACTION OFFSET
    4 +
    Math.max(input.bodyLength, 0) +
    (input.magicCode === MESSAGE_MAGIC_CODE_V2 ? 2 : 1) +
    input.topicLength +
    2 +
    Math.max(input.propertiesLength, 0)
  );
}

/** A parsed host: the address as a uint32 for IPv4 or 16 bytes for IPv6, and the port. */
interface HostBytes {
  readonly addr: number | Uint8Array;
  readonly port: number;
}

function hostBytes(field: string, address: HostAddress): HostBytes {
  checkInt32(`${field} port`, address.port);
  return { addr: parseHostAddressBytes(address.host), port: address.port };
}

function writeHost(buf: Buffer, at: number, host: HostBytes): number {
  if (typeof host.addr === 'number') {
    buf.writeUInt32BE(host.addr, at);
    buf.writeInt32BE(host.port, at + 4);
    return at + 8;
  }
  buf.set(host.addr, at);
  buf.writeInt32BE(host.port, at + 16);
  return at + 20;
}

/** Everything computed before writing, so sizing and writing share one pass over the strings. */
interface PreparedRecord {
  readonly input: MessageRecordInput;
  readonly born: HostBytes;
  readonly store: HostBytes;
  readonly sysFlag: number;
  readonly magicCode: number;
  readonly topicLength: number;
  readonly propertiesText: string;
  readonly propertiesLength: number;
  readonly totalSize: number;
}

function checkFields(m: MessageRecordInput): void {
  checkInt32('queueId', m.queueId);
  checkInt32('flag', m.flag ?? 0);
  checkInt32('reconsumeTimes', m.reconsumeTimes ?? 0);
  if (m.bodyCrc !== undefined) checkInt32('bodyCrc', m.bodyCrc);
  checkInt64('queueOffset', m.queueOffset ?? 0);
  checkInt64('phyOffset', m.phyOffset ?? 0);
  checkInt64('bornTimestamp', m.bornTimestamp);
  checkInt64('storeTimestamp', m.storeTimestamp);
  checkInt64('preparedTransactionOffset', m.preparedTransactionOffset ?? 0);
}

function prepare(input: MessageRecordInput): PreparedRecord {
  checkFields(input);
  const born = hostBytes('bornHost', input.bornHost);
  const store = hostBytes('storeHost', input.storeHost);
  let sysFlag = input.sysFlag ?? 0;
  checkInt32('sysFlag', sysFlag);
  sysFlag &= ~(MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG);
  if (typeof born.addr !== 'number') sysFlag |= MessageSysFlag.BORNHOST_V6_FLAG;
  if (typeof store.addr !== 'number') sysFlag |= MessageSysFlag.STOREHOSTADDRESS_V6_FLAG;

  const topicLength = Buffer.byteLength(input.topic, 'utf8');
  let magicCode = input.magicCode;
  if (magicCode === undefined) {
    magicCode = topicLength > MAX_TOPIC_BYTES_V1 ? MESSAGE_MAGIC_CODE_V2 : MESSAGE_MAGIC_CODE_V1;
  } else if (magicCode !== MESSAGE_MAGIC_CODE_V1 && magicCode !== MESSAGE_MAGIC_CODE_V2) {
    throw new RocketMQError(`magic code ${magicCode} is not a message magic code`);
  }
  const maxTopic = magicCode === MESSAGE_MAGIC_CODE_V2 ? MAX_TOPIC_BYTES_V2 : MAX_TOPIC_BYTES_V1;
  if (topicLength > maxTopic) {
    throw new RocketMQError(
      `topic of ${topicLength} bytes is longer than ${maxTopic}`,
      ResponseCode.MESSAGE_ILLEGAL,
    );
  }
  const { text, byteLength } = propertiesToWire(input.properties ?? input.propertiesString);
  const totalSize = messageRecordSize({
    sysFlag,
    bodyLength: input.body.length,
    topicLength,
    propertiesLength: byteLength,
    magicCode,
  });
  if (totalSize > 0x7fffffff) {
    throw new RocketMQError(
      `record of ${totalSize} bytes is too large`,
      ResponseCode.MESSAGE_ILLEGAL,
    );
  }
  return {
    input,
    born,
    store,
    sysFlag,
    magicCode,
    topicLength,
    propertiesText: text,
    propertiesLength: byteLength,
    totalSize,
  };
}

function writePrepared(p: PreparedRecord, buf: Buffer, offset: number): void {
  const m = p.input;
  const bodyCrc = m.bodyCrc ?? messageBodyCrc(m.body);
  buf.writeInt32BE(p.totalSize, offset);
  buf.writeInt32BE(p.magicCode, offset + RecordPosition.MAGIC_CODE);
  buf.writeInt32BE(bodyCrc, offset + RecordPosition.BODY_CRC);
  buf.writeInt32BE(m.queueId, offset + RecordPosition.QUEUE_ID);
  buf.writeInt32BE(m.flag ?? 0, offset + RecordPosition.FLAG);
  writeInt64(buf, m.queueOffset ?? 0, offset + RecordPosition.QUEUE_OFFSET);
  writeInt64(buf, m.phyOffset ?? 0, offset + RecordPosition.PHYSICAL_OFFSET);
  buf.writeInt32BE(p.sysFlag, offset + RecordPosition.SYS_FLAG);
  writeInt64(buf, m.bornTimestamp, offset + RecordPosition.BORN_TIMESTAMP);
  let at = writeHost(buf, offset + RecordPosition.BORN_HOST, p.born);
  writeInt64(buf, m.storeTimestamp, at);
  at = writeHost(buf, at + 8, p.store);
  buf.writeInt32BE(m.reconsumeTimes ?? 0, at);
  writeInt64(buf, m.preparedTransactionOffset ?? 0, at + 4);
  at += 12;
  buf.writeInt32BE(m.body.length, at);
  buf.set(m.body, at + 4);
  at += 4 + m.body.length;
  if (p.magicCode === MESSAGE_MAGIC_CODE_V2) {
    buf.writeInt16BE(p.topicLength, at);
    at += 2;
  } else {
    buf.writeInt8(p.topicLength, at);
    at += 1;
  }
  at += buf.write(m.topic, at, p.topicLength, 'utf8');
  buf.writeInt16BE(p.propertiesLength, at);
  if (p.propertiesLength > 0) buf.write(p.propertiesText, at + 2, p.propertiesLength, 'utf8');
}

/**
 * Encodes one message record. Hosts decide the layout: an IPv4 (or IPv4-mapped) address takes 8 bytes, an IPv6
 * one 20 and sets its sysFlag bit; the magic is V1 unless the topic needs V2 (or `magicCode` says so).
 *
 * @param input - the record's fields; see {@link MessageRecordInput} for defaults.
 * @returns a new buffer holding exactly the record.
 * @throws RocketMQError (MESSAGE_ILLEGAL) for a topic or properties string too long for the layout, a value
 *   outside its field's range, or a property name/value containing a separator; ProtocolError for a host that
 *   is not an IP literal.
 */
export function encodeMessageRecord(input: MessageRecordInput): Buffer {
  const p = prepare(input);
  const buf = Buffer.allocUnsafe(p.totalSize);
  writePrepared(p, buf, 0);
  return buf;
}

/**
 * Encodes one message record into `target` at `offset` (for appending into a write buffer without a copy).
 * Nothing is written when the record does not fit.
 *
 * @returns the number of bytes written (the record's TOTALSIZE).
 * @throws RocketMQError when the record does not fit in `target` from `offset`; otherwise as
 *   {@link encodeMessageRecord}.
 */
export function encodeMessageRecordInto(
  input: MessageRecordInput,
  target: Buffer,
  offset: number,
): number {
  const p = prepare(input);
  if (!Number.isInteger(offset) || offset < 0 || offset + p.totalSize > target.length) {
    throw new RocketMQError(
      `record of ${p.totalSize} bytes does not fit at offset ${offset} of a ${target.length}-byte buffer`,
    );
  }
  writePrepared(p, target, offset);
  return p.totalSize;
}
