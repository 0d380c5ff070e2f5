import { ProtocolError } from '../errors.js';
import { messageBodyCrc } from './body-crc.js';
import { formatIpAddress } from './host-address.js';
import { readInt64 } from './int64.js';
import type { MessageRecord } from './message-record.js';
import { MessageSysFlag } from './message-sys-flag.js';
import { decodeMessageProperties } from './properties.js';
import {
  BLANK_MAGIC_CODE,
  MESSAGE_MAGIC_CODE_V1,
  MESSAGE_MAGIC_CODE_V2,
  RecordPosition,
} from './record-fields.js';

/**
 * Decoder of stored message records (remoting-protocol.md §6.1) with the validation of Java
 * `CommitLog.checkMessageAndReturnSize`: magic, every length inside the record, TOTALSIZE equal to the size
 * computed from the fields, optionally the body CRC. Layout in `record-fields.ts`.
 */

/** Options of {@link decodeMessageRecord} and {@link decodeMessageRecords}. */
export interface DecodeMessageRecordOptions {
  /** Recompute the body CRC and compare with BODYCRC (Java `checkCRCOnRecover`); default false. */
  readonly verifyBodyCrc?: boolean;
}

/** What {@link decodeMessageRecord} found at an offset. */
export type DecodedRecordEntry =
  | {
      readonly kind: 'message';
      readonly record: MessageRecord;
      /** Bytes the record occupies (its TOTALSIZE). */
      readonly size: number;
    }
  | {
      /** The commit-log end-of-file filler ({@link BLANK_MAGIC_CODE}): not a message. */
      readonly kind: 'blank';
      /** Its TOTALSIZE: the bytes left in the segment file from the filler's offset. */
      readonly size: number;
    };

function corrupt(message: string, offset: number): ProtocolError {
  return new ProtocolError(message, { offset });
}

const MIN_RECORD_SIZE = 91;

/**
 * Decodes the record at `offset`, checking the magic, every length against the record's end and TOTALSIZE
 * against the size computed from the fields (as Java `checkMessageAndReturnSize`). A commit-log blank filler is
 * reported as `{ kind: 'blank' }` (only its 8 header bytes need to be present).
 *
 * @param buf - bytes holding the record.
 * @param offset - position of the record's first byte; default 0.
 * @param options - see {@link DecodeMessageRecordOptions}.
 * @returns the record (its body a view into `buf`) and its size, or the blank filler's size.
 * @throws ProtocolError naming the offset for truncated input, an unknown magic code, a negative or out-of-record
 *   length, a TOTALSIZE that differs from the computed size, or (with `verifyBodyCrc`) a CRC mismatch.
 */
export function decodeMessageRecord(
  buf: Buffer,
  offset = 0,
  options?: DecodeMessageRecordOptions,
): DecodedRecordEntry {
  const available = buf.length - offset;
  if (!Number.isInteger(offset) || offset < 0 || available < 8) {
    throw corrupt(
      `record header at offset ${offset} is truncated: ${Math.max(available, 0)} bytes`,
      offset,
    );
  }
  const totalSize = buf.readInt32BE(offset);
  const magicCode = buf.readInt32BE(offset + RecordPosition.MAGIC_CODE);
  if (magicCode === BLANK_MAGIC_CODE) {
    if (totalSize < 8) {
      throw corrupt(`blank record at offset ${offset} has size ${totalSize}`, offset);
    }
    return { kind: 'blank', size: totalSize };
  }
  const v2 = magicCode === MESSAGE_MAGIC_CODE_V2;
  if (!v2 && magicCode !== MESSAGE_MAGIC_CODE_V1) {
    throw corrupt(
      `unknown magic code 0x${(magicCode >>> 0).toString(16)} at offset ${offset}`,
      offset,
    );
  }
  if (totalSize < MIN_RECORD_SIZE + (v2 ? 1 : 0)) {
    throw corrupt(`record total size ${totalSize} at offset ${offset} is too small`, offset);
  }
  if (totalSize > available) {
    throw corrupt(
      `record of ${totalSize} bytes at offset ${offset} exceeds the ${available} bytes available`,
      offset,
    );
  }
  const end = offset + totalSize;
  const sysFlag = buf.readInt32BE(offset + RecordPosition.SYS_FLAG);
  const bornLength = (sysFlag & MessageSysFlag.BORNHOST_V6_FLAG) !== 0 ? 16 : 4;
  const storeLength = (sysFlag & MessageSysFlag.STOREHOSTADDRESS_V6_FLAG) !== 0 ? 16 : 4;

  let at = offset + RecordPosition.BORN_HOST;
  const bodyLengthAt = at + bornLength + 4 + 8 + storeLength + 4 + 4 + 8;
  if (bodyLengthAt + 4 > end) {
    throw corrupt(
      `record at offset ${offset} is too short for its sysFlag 0x${(sysFlag >>> 0).toString(16)}`,
      offset,
    );
  }
  const bornHost = {
    host: formatIpAddress(buf, at, bornLength),
    port: buf.readInt32BE(at + bornLength),
  };
  at += bornLength + 4;
  const storeTimestamp = readInt64(buf, at);
  at += 8;
  const storeHost = {
    host: formatIpAddress(buf, at, storeLength),
    port: buf.readInt32BE(at + storeLength),
  };
  at += storeLength + 4;
  const reconsumeTimes = buf.readInt32BE(at);
  const preparedTransactionOffset = readInt64(buf, at + 4);

  const bodyLength = buf.readInt32BE(bodyLengthAt);
  const bodyAt = bodyLengthAt + 4;
  if (bodyLength < 0 || bodyLength > end - bodyAt) {
    throw corrupt(
      `body length ${bodyLength} at offset ${bodyLengthAt} runs past the record end ${end}`,
      bodyLengthAt,
    );
  }
  const topicLengthAt = bodyAt + bodyLength;
  const topicLengthSize = v2 ? 2 : 1;
  if (topicLengthAt + topicLengthSize > end) {
    throw corrupt(
      `topic length at offset ${topicLengthAt} runs past the record end ${end}`,
      topicLengthAt,
    );
  }
  const topicLength = v2 ? buf.readInt16BE(topicLengthAt) : buf.readInt8(topicLengthAt);
  const topicAt = topicLengthAt + topicLengthSize;
  if (topicLength < 0 || topicLength > end - topicAt - 2) {
    throw corrupt(
      `topic length ${topicLength} at offset ${topicLengthAt} runs past the record end ${end}`,
      topicLengthAt,
    );
  }
  const propertiesLengthAt = topicAt + topicLength;
  const propertiesLength = buf.readInt16BE(propertiesLengthAt);
  const propertiesAt = propertiesLengthAt + 2;
  if (propertiesLength < 0 || propertiesAt + propertiesLength !== end) {
    throw corrupt(
      `record total size ${totalSize} at offset ${offset} differs from the computed size ${propertiesAt + Math.max(propertiesLength, 0) - offset}`,
      offset,
    );
  }

  const body = buf.subarray(bodyAt, bodyAt + bodyLength);
  const bodyCrc = buf.readInt32BE(offset + RecordPosition.BODY_CRC);
  if (options?.verifyBodyCrc === true) {
    const computed = messageBodyCrc(body);
    if (computed !== bodyCrc) {
      throw corrupt(
        `body crc ${bodyCrc} of the record at offset ${offset} does not match the computed ${computed}`,
        offset,
      );
    }
  }
  const propertiesString =
    propertiesLength === 0
      ? ''
      : buf.toString('utf8', propertiesAt, propertiesAt + propertiesLength);
  const record: MessageRecord = {
    totalSize,
    magicCode,
    bodyCrc,
    queueId: buf.readInt32BE(offset + RecordPosition.QUEUE_ID),
    flag: buf.readInt32BE(offset + RecordPosition.FLAG),
    queueOffset: readInt64(buf, offset + RecordPosition.QUEUE_OFFSET),
    phyOffset: readInt64(buf, offset + RecordPosition.PHYSICAL_OFFSET),
    sysFlag,
    bornTimestamp: readInt64(buf, offset + RecordPosition.BORN_TIMESTAMP),
    bornHost,
    storeTimestamp,
    storeHost,
    reconsumeTimes,
    preparedTransactionOffset,
    body,
    topic: buf.toString('utf8', topicAt, topicAt + topicLength),
    properties: decodeMessageProperties(propertiesString),
    propertiesString,
  };
  return { kind: 'message', record, size: totalSize };
}

/**
 * Decodes back-to-back records filling `buf` (a PULL_MESSAGE / QUERY_MESSAGE response body).
 *
 * @param buf - the records; an empty buffer gives `[]`.
 * @param options - see {@link DecodeMessageRecordOptions}.
 * @returns the records in order.
 * @throws ProtocolError as {@link decodeMessageRecord}, for trailing bytes that are not a whole record, and for a
 *   commit-log blank filler (never valid in a response body).
 */
export function decodeMessageRecords(
  buf: Buffer,
  options?: DecodeMessageRecordOptions,
): MessageRecord[] {
  const records: MessageRecord[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const entry = decodeMessageRecord(buf, offset, options);
    if (entry.kind === 'blank') {
      throw corrupt(`commit-log blank filler at offset ${offset} is not a message record`, offset);
    }
    records.push(entry.record);
    offset += entry.size;
  }
  return records;
}
