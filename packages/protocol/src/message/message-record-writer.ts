import { RocketMQError } from '../errors.js';
import { ResponseCode } from '../codes/response-code.js';
import { messageBodyCrc } from './body-crc.js';
import { parseHostAddressBytes } from './host-address.js';
import type { HostAddress } from './host-address.js';
import { checkInt32, checkInt64, writeInt64 } from './int64.js';
import { MAX_TOPIC_BYTES_V1, MAX_TOPIC_BYTES_V2 } from './message-record.js';
import { MessageSysFlag } from './message-sys-flag.js';
import { MAX_PROPERTIES_BYTES } from './properties.js';
import { MESSAGE_MAGIC_CODE_V1, MESSAGE_MAGIC_CODE_V2, RecordPosition } from './record-fields.js';

/**
 * A message-record encoder for code that appends many records (the store's put path). It writes the same bytes as
 * `encodeMessageRecordInto`, but:
 * - hosts and topics are parsed / UTF-8 encoded once and remembered (a broker sees few distinct ones);
 * - checking and sizing ({@link MessageRecordWriter.measure}) are separate from writing, so the caller can place
 *   the record (a segment end) before a byte is written, and writing never fails half-way;
 * - no intermediate objects per record.
 */

/** Fields of one record. Integers must be safe; the writer keeps no reference to this object. */
export interface RecordFields {
  readonly topic: string;
  readonly body: Uint8Array;
  readonly queueId: number;
  readonly flag: number;
  readonly queueOffset: number;
  /** The two host-family bits are set by the writer to match the hosts. */
  readonly sysFlag: number;
  readonly bornTimestamp: number;
  readonly bornHost: HostAddress;
  readonly storeTimestamp: number;
  readonly storeHost: HostAddress;
  readonly reconsumeTimes: number;
  readonly preparedTransactionOffset: number;
  /** The encoded properties string, written as is. */
  readonly properties: string;
  /** UTF-8 length of {@link RecordFields.properties}. */
  readonly propertiesBytes: number;
  /** PHYSICALOFFSET: set by the appender once it knows where the record goes, before `write`. */
  phyOffset: number;
}

/** Distinct hosts / topics remembered; past this the caches start over (bounded memory under churn). */
const MAX_REMEMBERED = 4096;

/** IPv4 as a uint32, or the 16 bytes of an IPv6 address. */
type HostBytes = number | Uint8Array;

export class MessageRecordWriter {
  private readonly hosts = new Map<string, HostBytes>();
  private readonly topics = new Map<string, Buffer>();

  /**
   * Checks `fields` and returns the exact TOTALSIZE of their record.
   * @throws RocketMQError (MESSAGE_ILLEGAL) for an out-of-range integer, a topic or properties string too long,
   *   or a record over 2 GiB; ProtocolError for a host that is not an IP literal.
   */
  measure(fields: RecordFields): number {
    checkInt32('queueId', fields.queueId);
    checkInt32('flag', fields.flag);
    checkInt32('sysFlag', fields.sysFlag);
    checkInt32('reconsumeTimes', fields.reconsumeTimes);
    checkInt64('queueOffset', fields.queueOffset);
    checkInt64('bornTimestamp', fields.bornTimestamp);
    checkInt64('storeTimestamp', fields.storeTimestamp);
    checkInt64('preparedTransactionOffset', fields.preparedTransactionOffset);
    checkInt32('bornHost port', fields.bornHost.port);
    checkInt32('storeHost port', fields.storeHost.port);
    const topic = this.topicBytes(fields.topic);
    if (topic.length > MAX_TOPIC_BYTES_V2) {
      throw new RocketMQError(
        `topic of ${topic.length} bytes is longer than ${MAX_TOPIC_BYTES_V2}`,
        ResponseCode.MESSAGE_ILLEGAL,
      );
    }
    if (fields.propertiesBytes > MAX_PROPERTIES_BYTES) {
      throw new RocketMQError(
        `properties of ${fields.propertiesBytes} bytes exceed ${MAX_PROPERTIES_BYTES}`,
        ResponseCode.MESSAGE_ILLEGAL,
      );
    }
    const size = recordSize(fields, {
      born: this.host(fields.bornHost.host),
      store: this.host(fields.storeHost.host),
      topic,
    });
    if (size > 0x7fffffff) {
      throw new RocketMQError(`record of ${size} bytes is too large`, ResponseCode.MESSAGE_ILLEGAL);
    }
    return size;
  }

  /**
   * Writes the record of `fields` (checked by {@link MessageRecordWriter.measure}) at `offset` of `target`;
   * BODYCRC is computed here. The caller has made room for the measured size.
   */
  write(target: Buffer, offset: number, fields: RecordFields): void {
    const born = this.host(fields.bornHost.host);
    const store = this.host(fields.storeHost.host);
    const topic = this.topicBytes(fields.topic);
    let sysFlag =
      fields.sysFlag & ~(MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG);
    if (typeof born !== 'number') sysFlag |= MessageSysFlag.BORNHOST_V6_FLAG;
    if (typeof store !== 'number') sysFlag |= MessageSysFlag.STOREHOSTADDRESS_V6_FLAG;
    const v2 = topic.length > MAX_TOPIC_BYTES_V1;
    target.writeInt32BE(recordSize(fields, { born, store, topic }), offset);
    target.writeInt32BE(v2 ? MESSAGE_MAGIC_CODE_V2 : MESSAGE_MAGIC_CODE_V1, offset + 4);
    target.writeInt32BE(messageBodyCrc(fields.body), offset + RecordPosition.BODY_CRC);
    target.writeInt32BE(fields.queueId, offset + RecordPosition.QUEUE_ID);
    target.writeInt32BE(fields.flag, offset + RecordPosition.FLAG);
    writeInt64(target, fields.queueOffset, offset + RecordPosition.QUEUE_OFFSET);
    writeInt64(target, fields.phyOffset, offset + RecordPosition.PHYSICAL_OFFSET);
    target.writeInt32BE(sysFlag, offset + RecordPosition.SYS_FLAG);
    writeInt64(target, fields.bornTimestamp, offset + RecordPosition.BORN_TIMESTAMP);
    let at = writeHostAddress(target, offset + RecordPosition.BORN_HOST, born);
    target.writeInt32BE(fields.bornHost.port, at);
    writeInt64(target, fields.storeTimestamp, at + 4);
    at = writeHostAddress(target, at + 12, store);
    target.writeInt32BE(fields.storeHost.port, at);
    target.writeInt32BE(fields.reconsumeTimes, at + 4);
    writeInt64(target, fields.preparedTransactionOffset, at + 8);
    at += 16;
    target.writeInt32BE(fields.body.length, at);
    target.set(fields.body, at + 4);
    at += 4 + fields.body.length;
    if (v2) {
      target.writeInt16BE(topic.length, at);
      at += 2;
    } else {
      target[at++] = topic.length;
    }
    target.set(topic, at);
    at += topic.length;
    target.writeInt16BE(fields.propertiesBytes, at);
    if (fields.propertiesBytes > 0) {
      target.write(fields.properties, at + 2, fields.propertiesBytes, 'utf8');
    }
  }

  private host(host: string): HostBytes {
    let bytes = this.hosts.get(host);
    if (bytes === undefined) {
      bytes = parseHostAddressBytes(host);
      if (this.hosts.size >= MAX_REMEMBERED) this.hosts.clear();
      this.hosts.set(host, bytes);
    }
    return bytes;
  }

  private topicBytes(topic: string): Buffer {
    let bytes = this.topics.get(topic);
    if (bytes === undefined) {
      bytes = Buffer.from(topic, 'utf8');
      if (this.topics.size >= MAX_REMEMBERED) this.topics.clear();
      this.topics.set(topic, bytes);
    }
    return bytes;
  }
}

function hostWidth(host: HostBytes): number {
  return typeof host === 'number' ? 8 : 20;
}

/** TOTALSIZE of a record of `fields` with these host and topic bytes (Java `CommitLog.calMsgLength`). */
function recordSize(
  fields: RecordFields,
  parsed: { born: HostBytes; store: HostBytes; topic: Buffer },
): number {
  return (
    RecordPosition.BORN_HOST +
    hostWidth(parsed.born) +
    8 + // STORETIMESTAMP
    hostWidth(parsed.store) +
    4 + // RECONSUMETIMES
    8 + // PREPARED TRANSACTION OFFSET
    4 +
    fields.body.length +
    (parsed.topic.length > MAX_TOPIC_BYTES_V1 ? 2 : 1) +
    parsed.topic.length +
    2 +
    fields.propertiesBytes
  );
}

/** Writes the address part of a host field (the port follows); returns where the port goes. */
function writeHostAddress(target: Buffer, at: number, host: HostBytes): number {
  if (typeof host === 'number') {
    target.writeUInt32BE(host, at);
    return at + 4;
  }
  target.set(host, at);
  return at + 16;
}
