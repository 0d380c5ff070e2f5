import { ProtocolError, RocketMQError } from '../errors.js';
import { ResponseCode } from '../codes/response-code.js';
import { checkInt32 } from './int64.js';
import { decodeMessageProperties, propertiesToWire } from './properties.js';
import type { MessagePropertiesInput } from './properties.js';

/**
 * SEND_BATCH_MESSAGE request body (remoting-protocol.md §6.6; Java `MessageDecoder.encodeMessages` /
 * `decodeMessages`): entries back to back, one per message.
 *
 * ```
 * TOTALSIZE        int32   22 + n + p (this entry, this field included)
 * MAGICCODE        int32   0 (ignored)
 * BODYCRC          int32   0 (ignored)
 * FLAG             int32   the message's user flag
 * BODYLENGTH, BODY int32 + n
 * PROPERTIESLENGTH int16 + p  that message's own properties string (UTF-8)
 * ```
 */

/** Fixed bytes of a batch entry: TOTALSIZE, MAGICCODE, BODYCRC, FLAG, BODYLENGTH, PROPERTIESLENGTH. */
export const BATCH_ENTRY_OVERHEAD = 22;

/** One message of a batch, as encoded by {@link encodeBatchBody}. */
export interface BatchMessageInput {
  readonly body: Uint8Array;
  /** User flag; default 0. */
  readonly flag?: number;
  /** An encoded properties string (written as is) or properties to encode; default none. */
  readonly properties?: string | MessagePropertiesInput;
}

/** One decoded batch entry. */
export interface BatchMessageEntry {
  readonly flag: number;
  /** The body: a view into the decoded buffer, not a copy. */
  readonly body: Buffer;
  /** Properties decoded with Java semantics. */
  readonly properties: Map<string, string>;
  /** The properties string exactly as sent (the broker appends the header's properties to it). */
  readonly propertiesString: string;
  /** Bytes of this entry in the batch body. */
  readonly size: number;
}

/**
 * Encodes messages into a SEND_BATCH_MESSAGE body (MAGICCODE and BODYCRC written as 0, as Java does).
 *
 * @param messages - the batch, in order.
 * @returns the body.
 * @throws RocketMQError (MESSAGE_ILLEGAL) for a flag outside int32, properties longer than 32767 bytes or a
 *   property name/value containing a separator, or a body too large for the format.
 */
export function encodeBatchBody(messages: readonly BatchMessageInput[]): Buffer {
  const props = messages.map((m) => propertiesToWire(m.properties));
  let total = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as BatchMessageInput;
    checkInt32('flag', m.flag ?? 0);
    total += BATCH_ENTRY_OVERHEAD + m.body.length + (props[i]?.byteLength ?? 0);
  }
  if (total > 0x7fffffff) {
    throw new RocketMQError(
      `batch body of ${total} bytes is too large`,
      ResponseCode.MESSAGE_ILLEGAL,
    );
  }
  const buf = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as BatchMessageInput;
    const p = props[i] ?? { text: '', byteLength: 0 };
    const size = BATCH_ENTRY_OVERHEAD + m.body.length + p.byteLength;
    buf.writeInt32BE(size, at);
    buf.writeInt32BE(0, at + 4);
    buf.writeInt32BE(0, at + 8);
    buf.writeInt32BE(m.flag ?? 0, at + 12);
    buf.writeInt32BE(m.body.length, at + 16);
    buf.set(m.body, at + 20);
    const propsAt = at + 20 + m.body.length;
    buf.writeInt16BE(p.byteLength, propsAt);
    if (p.byteLength > 0) buf.write(p.text, propsAt + 2, p.byteLength, 'utf8');
    at += size;
  }
  return buf;
}

/**
 * Decodes a SEND_BATCH_MESSAGE body. Every entry's TOTALSIZE must equal 22 + body + properties and every length
 * must stay inside the body.
 *
 * @param buf - the request body; an empty body gives `[]`.
 * @returns the entries in order (bodies are views into `buf`).
 * @throws ProtocolError naming the offset for a truncated entry, a negative length, or a TOTALSIZE that differs
 *   from the entry's computed size.
 */
export function decodeBatchBody(buf: Buffer): BatchMessageEntry[] {
  const entries: BatchMessageEntry[] = [];
  let at = 0;
  while (at < buf.length) {
    if (buf.length - at < BATCH_ENTRY_OVERHEAD) {
      throw new ProtocolError(
        `batch entry at offset ${at} is truncated: ${buf.length - at} bytes left`,
        { offset: at },
      );
    }
    const size = buf.readInt32BE(at);
    if (size < BATCH_ENTRY_OVERHEAD || size > buf.length - at) {
      throw new ProtocolError(
        `batch entry size ${size} at offset ${at} does not fit the ${buf.length - at} bytes left`,
        { offset: at },
      );
    }
    const end = at + size;
    const flag = buf.readInt32BE(at + 12);
    const bodyLength = buf.readInt32BE(at + 16);
    const bodyAt = at + 20;
    if (bodyLength < 0 || bodyLength > end - bodyAt - 2) {
      throw new ProtocolError(
        `batch entry body length ${bodyLength} at offset ${at + 16} runs past the entry end ${end}`,
        { offset: at + 16 },
      );
    }
    const propsLengthAt = bodyAt + bodyLength;
    const propsLength = buf.readInt16BE(propsLengthAt);
    if (propsLength < 0 || propsLengthAt + 2 + propsLength !== end) {
      throw new ProtocolError(
        `batch entry size ${size} at offset ${at} differs from its computed size ${propsLengthAt + 2 + Math.max(propsLength, 0) - at}`,
        { offset: at },
      );
    }
    const propertiesString = propsLength === 0 ? '' : buf.toString('utf8', propsLengthAt + 2, end);
    entries.push({
      flag,
      body: buf.subarray(bodyAt, bodyAt + bodyLength),
      properties: decodeMessageProperties(propertiesString),
      propertiesString,
      size,
    });
    at = end;
  }
  return entries;
}
