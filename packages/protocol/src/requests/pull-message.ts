/**
 * PULL_MESSAGE (11) headers (Java `PullMessageRequestHeader`, `PullMessageResponseHeader`) and the pull
 * `sysFlag` bits (Java `PullSysFlag`). LITE_PULL_MESSAGE (361, 5.x) uses the same headers.
 *
 * Request:
 *
 * | key                  | type   | required |
 * |----------------------|--------|----------|
 * | consumerGroup        | String | yes      |
 * | topic                | String | yes      |
 * | queueId              | int    | yes      |
 * | queueOffset          | long   | yes      |
 * | maxMsgNums           | int    | yes      |
 * | sysFlag              | int    | yes      |
 * | commitOffset         | long   | yes      |
 * | suspendTimeoutMillis | long   | yes      |
 * | subscription         | String | no       |
 * | subVersion           | long   | yes      |
 * | expressionType       | String | no       |
 * | maxMsgBytes          | int    | no (5.x) |
 * | requestSource        | int    | no (5.x) |
 * | proxyFrowardClientId | String | no (5.x, sic) |
 *
 * Response (codes 0, 19, 20, 21): suggestWhichBrokerId long yes; nextBeginOffset long yes; minOffset long
 * yes; maxOffset long yes; offsetDelta long no (5.x); topicSysFlag int no (5.x); groupSysFlag int no (5.x);
 * forbiddenType int no (5.x).
 */
import type { ExtFields } from '../ext-fields.js';
import {
  defineHeaderCodec,
  optionalInt,
  optionalLong,
  optionalString,
  requiredInt,
  requiredLong,
  requiredString,
} from './header-codec.js';

/** Header of a PULL_MESSAGE request. Offsets are consume-queue offsets; numbers are ints unless noted. */
export interface PullMessageRequestHeader {
  consumerGroup: string;
  topic: string;
  queueId: number;
  /** First consume-queue offset wanted (long). */
  queueOffset: number;
  /** Most messages to return (Java default 32). */
  maxMsgNums: number;
  /** {@link PullSysFlag} bits. */
  sysFlag: number;
  /** Offset to commit for this queue when the COMMIT_OFFSET bit is set (long). */
  commitOffset: number;
  /** Long-poll hold time in ms when the SUSPEND bit is set (long; Java 15000). */
  suspendTimeoutMillis: number;
  /** Filter expression (`*`, `A || B`, SQL92), used when the SUBSCRIPTION bit is set. */
  subscription?: string;
  /** Subscription version, a client timestamp (long). */
  subVersion: number;
  /** `TAG` (the default when absent) or `SQL92`. */
  expressionType?: string;
  /** 5.x only. */
  maxMsgBytes?: number;
  /** 5.x only. */
  requestSource?: number;
  /** 5.x only; spelled as in RocketMQ. */
  proxyFrowardClientId?: string;
}

/** Header of a PULL_MESSAGE response; the four 4.x fields are required for codes 0, 19, 20 and 21. */
export interface PullMessageResponseHeader {
  /** Broker id to pull this queue from next (0 = master; long). */
  suggestWhichBrokerId: number;
  /** Offset for the next pull (long). */
  nextBeginOffset: number;
  /** Queue min offset (long). */
  minOffset: number;
  /** Queue max offset, one past the last message (long). */
  maxOffset: number;
  /** 5.x only (long). */
  offsetDelta?: number;
  /** 5.x only. */
  topicSysFlag?: number;
  /** 5.x only. */
  groupSysFlag?: number;
  /** 5.x only. */
  forbiddenType?: number;
}

/** Bits of the pull request `sysFlag` (Java `PullSysFlag`). */
export const PullSysFlag = {
  /** Store `commitOffset` for the group (ignored by a slave). */
  COMMIT_OFFSET: 0x1,
  /** Allow long polling for `suspendTimeoutMillis`. */
  SUSPEND: 0x2,
  /** Filter with this request's `subscription`/`expressionType` rather than the heartbeat's. */
  SUBSCRIPTION: 0x4,
  /** Filter-server class filter (obsolete). */
  CLASS_FILTER: 0x8,
  /** Lite pull consumer (5.x). */
  LITE_PULL: 0x10,
} as const;

/** One of the {@link PullSysFlag} masks. */
export type PullSysFlagBit = (typeof PullSysFlag)[keyof typeof PullSysFlag];

/** Which pull `sysFlag` bits to set; every option defaults to false. */
export interface PullSysFlagOptions {
  commitOffset?: boolean;
  suspend?: boolean;
  subscription?: boolean;
  classFilter?: boolean;
  litePull?: boolean;
}

/** Builds a pull `sysFlag` from named bits (Java `PullSysFlag.buildSysFlag`). */
export function buildPullSysFlag(options: PullSysFlagOptions): number {
  let flag = 0;
  if (options.commitOffset === true) flag |= PullSysFlag.COMMIT_OFFSET;
  if (options.suspend === true) flag |= PullSysFlag.SUSPEND;
  if (options.subscription === true) flag |= PullSysFlag.SUBSCRIPTION;
  if (options.classFilter === true) flag |= PullSysFlag.CLASS_FILTER;
  if (options.litePull === true) flag |= PullSysFlag.LITE_PULL;
  return flag;
}

/** True when every bit of `bit` is set in `sysFlag` (Java `PullSysFlag.hasXxxFlag`). */
export function hasPullSysFlag(sysFlag: number, bit: PullSysFlagBit): boolean {
  return (sysFlag & bit) === bit;
}

/** `sysFlag` with the bits of `bit` cleared (Java `PullSysFlag.clearXxxFlag`). */
export function clearPullSysFlag(sysFlag: number, bit: PullSysFlagBit): number {
  return sysFlag & ~bit;
}

const requestCodec = defineHeaderCodec<PullMessageRequestHeader>({
  consumerGroup: requiredString(),
  topic: requiredString(),
  queueId: requiredInt(),
  queueOffset: requiredLong(),
  maxMsgNums: requiredInt(),
  sysFlag: requiredInt(),
  commitOffset: requiredLong(),
  suspendTimeoutMillis: requiredLong(),
  subscription: optionalString(),
  subVersion: requiredLong(),
  expressionType: optionalString(),
  maxMsgBytes: optionalInt(),
  requestSource: optionalInt(),
  proxyFrowardClientId: optionalString(),
});

const responseCodec = defineHeaderCodec<PullMessageResponseHeader>({
  suggestWhichBrokerId: requiredLong(),
  nextBeginOffset: requiredLong(),
  minOffset: requiredLong(),
  maxOffset: requiredLong(),
  offsetDelta: optionalLong(),
  topicSysFlag: optionalInt(),
  groupSysFlag: optionalInt(),
  forbiddenType: optionalInt(),
});

/**
 * Encodes a PULL_MESSAGE request header.
 *
 * @throws HeaderFieldError when a required field is missing or a number is out of range
 */
export function encodePullMessageRequestHeader(h: PullMessageRequestHeader): ExtFields {
  return requestCodec.encode(h);
}

/**
 * Decodes a PULL_MESSAGE request header.
 *
 * @throws HeaderFieldError when a required key is missing or a number does not parse
 */
export function decodePullMessageRequestHeader(ext: ExtFields): PullMessageRequestHeader {
  return requestCodec.decode(ext);
}

/**
 * Encodes a PULL_MESSAGE response header.
 *
 * @throws HeaderFieldError when a required field is missing or a number is out of range
 */
export function encodePullMessageResponseHeader(h: PullMessageResponseHeader): ExtFields {
  return responseCodec.encode(h);
}

/**
 * Decodes a PULL_MESSAGE response header (codes 0, 19, 20, 21).
 *
 * @throws HeaderFieldError when one of the four offsets is missing or does not parse
 */
export function decodePullMessageResponseHeader(ext: ExtFields): PullMessageResponseHeader {
  return responseCodec.decode(ext);
}
