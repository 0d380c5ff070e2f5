import { RocketMQError } from '../errors.js';
import { ResponseCode } from '../codes/response-code.js';

const TWO_POW_32 = 2 ** 32;

/**
 * Reads a big-endian int64 as a JS number: `hi * 2^32 + lo`. Exact for |value| < 2^53 (every offset and
 * timestamp RocketMQ writes); larger values lose precision but never throw.
 *
 * @param buf - source bytes.
 * @param offset - byte position of the int64; the caller has checked that 8 bytes are there.
 * @returns the value as a number.
 */
export function readInt64(buf: Buffer, offset: number): number {
  return buf.readInt32BE(offset) * TWO_POW_32 + buf.readUInt32BE(offset + 4);
}

/**
 * Writes a safe integer as a big-endian int64 (two's complement for negative values).
 *
 * @param buf - target bytes; the caller has checked that 8 bytes fit at `offset`.
 * @param value - an integer with |value| ≤ 2^53 − 1.
 * @param offset - byte position.
 * @throws RocketMQError (MESSAGE_ILLEGAL) when `value` is not a safe integer.
 */
export function writeInt64(buf: Buffer, value: number, offset: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new RocketMQError(
      `int64 value ${value} is not a safe integer`,
      ResponseCode.MESSAGE_ILLEGAL,
    );
  }
  const hi = Math.floor(value / TWO_POW_32);
  buf.writeInt32BE(hi, offset);
  buf.writeUInt32BE(value - hi * TWO_POW_32, offset + 4);
}

/**
 * Throws unless `value` is an integer in the int32 range; used by encoders before writing a field.
 *
 * @param field - the field name, for the error message.
 * @param value - the value to check.
 * @throws RocketMQError (MESSAGE_ILLEGAL) naming the field and the value.
 */
export function checkInt32(field: string, value: number): void {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new RocketMQError(`${field} ${value} is not an int32`, ResponseCode.MESSAGE_ILLEGAL);
  }
}

/**
 * Throws unless `value` is a safe integer (what an int64 field can carry as a JS number).
 *
 * @param field - the field name, for the error message.
 * @param value - the value to check.
 * @throws RocketMQError (MESSAGE_ILLEGAL) naming the field and the value.
 */
export function checkInt64(field: string, value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new RocketMQError(
      `${field} ${value} is not a safe integer`,
      ResponseCode.MESSAGE_ILLEGAL,
    );
  }
}
