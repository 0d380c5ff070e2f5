/**
 * END_TRANSACTION (37) and the broker-to-producer CHECK_TRANSACTION_STATE (39) headers (Java
 * `EndTransactionRequestHeader`, `CheckTransactionStateRequestHeader`); neither response has a header.
 *
 * | header                | key                  | type    | required |
 * |-----------------------|----------------------|---------|----------|
 * | end transaction (37)  | producerGroup        | String  | yes      |
 * |                       | tranStateTableOffset | long    | yes      |
 * |                       | commitLogOffset      | long    | yes      |
 * |                       | commitOrRollback     | int     | yes      |
 * |                       | fromTransactionCheck | Boolean | no       |
 * |                       | msgId                | String  | yes      |
 * |                       | transactionId        | String  | no       |
 * |                       | topic                | String  | no (5.x) |
 * | check state (39)      | tranStateTableOffset | long    | yes      |
 * |                       | commitLogOffset      | long    | yes      |
 * |                       | msgId                | String  | no       |
 * |                       | transactionId        | String  | no       |
 * |                       | offsetMsgId          | String  | no       |
 * |                       | topic                | String  | no (5.x) |
 */
import type { ExtFields } from '../ext-fields.js';
import {
  defineHeaderCodec,
  optionalBoolean,
  optionalString,
  requiredInt,
  requiredLong,
  requiredString,
} from './header-codec.js';

/**
 * Values of `commitOrRollback` (Java `MessageSysFlag.TRANSACTION_*_TYPE`, the transaction bits of a message
 * sysFlag). The broker ignores NOT_TYPE ("unknown") and any other value, and sends no response for it.
 */
export const TransactionCommitType = {
  TRANSACTION_NOT_TYPE: 0,
  TRANSACTION_COMMIT_TYPE: 0x8,
  TRANSACTION_ROLLBACK_TYPE: 0xc,
} as const;

/** One of the {@link TransactionCommitType} values. */
export type TransactionCommitTypeValue =
  (typeof TransactionCommitType)[keyof typeof TransactionCommitType];

/** Header of END_TRANSACTION (37): commit or roll back a half message. */
export interface EndTransactionRequestHeader {
  /** Must equal the half message's `PGROUP` property. */
  producerGroup: string;
  /** Queue offset of the half message (the send result's `queueOffset`; long). */
  tranStateTableOffset: number;
  /** Commit-log offset of the half message (long). */
  commitLogOffset: number;
  /** A {@link TransactionCommitType} value; other numbers are carried as they are. */
  commitOrRollback: number;
  /** True when answering CHECK_TRANSACTION_STATE; absent means false. */
  fromTransactionCheck?: boolean;
  /** The message's `UNIQ_KEY`. */
  msgId: string;
  transactionId?: string;
  /** 5.x only. */
  topic?: string;
}

/** Header of CHECK_TRANSACTION_STATE (39); the body is the half message record. */
export interface CheckTransactionStateRequestHeader {
  /** Queue offset of the half message (long). */
  tranStateTableOffset: number;
  /** Commit-log offset of the half message (long). */
  commitLogOffset: number;
  /** The message's `UNIQ_KEY`. */
  msgId?: string;
  /** The message's `UNIQ_KEY` as well, in the Java broker. */
  transactionId?: string;
  /** Offset message id of the half message. */
  offsetMsgId?: string;
  /** 5.x only. */
  topic?: string;
}

const endCodec = defineHeaderCodec<EndTransactionRequestHeader>({
  producerGroup: requiredString(),
  tranStateTableOffset: requiredLong(),
  commitLogOffset: requiredLong(),
  commitOrRollback: requiredInt(),
  fromTransactionCheck: optionalBoolean(),
  msgId: requiredString(),
  transactionId: optionalString(),
  topic: optionalString(),
});

const checkCodec = defineHeaderCodec<CheckTransactionStateRequestHeader>({
  tranStateTableOffset: requiredLong(),
  commitLogOffset: requiredLong(),
  msgId: optionalString(),
  transactionId: optionalString(),
  offsetMsgId: optionalString(),
  topic: optionalString(),
});

/** Encodes an END_TRANSACTION request header. Throws HeaderFieldError on a missing or bad field. */
export function encodeEndTransactionRequestHeader(h: EndTransactionRequestHeader): ExtFields {
  return endCodec.encode(h);
}
/** Decodes an END_TRANSACTION request header. Throws HeaderFieldError on a missing or bad key. */
export function decodeEndTransactionRequestHeader(ext: ExtFields): EndTransactionRequestHeader {
  return endCodec.decode(ext);
}
/** Encodes a CHECK_TRANSACTION_STATE request header. Throws HeaderFieldError on a missing or bad field. */
export function encodeCheckTransactionStateRequestHeader(
  h: CheckTransactionStateRequestHeader,
): ExtFields {
  return checkCodec.encode(h);
}
/** Decodes a CHECK_TRANSACTION_STATE request header. Throws HeaderFieldError on a missing or bad key. */
export function decodeCheckTransactionStateRequestHeader(
  ext: ExtFields,
): CheckTransactionStateRequestHeader {
  return checkCodec.decode(ext);
}
