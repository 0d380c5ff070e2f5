/**
 * SEND_MESSAGE (10), SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320) headers
 * (Java `SendMessageRequestHeader`, `SendMessageRequestHeaderV2`, `SendMessageResponseHeader`).
 *
 * Request, code 10 uses the long keys, codes 310 and 320 the one-letter keys only:
 *
 * | V1 key                | V2 | type    | required |
 * |-----------------------|----|---------|----------|
 * | producerGroup         | a  | String  | yes      |
 * | topic                 | b  | String  | yes      |
 * | defaultTopic          | c  | String  | yes      |
 * | defaultTopicQueueNums | d  | int     | yes      |
 * | queueId               | e  | int     | yes      |
 * | sysFlag               | f  | int     | yes      |
 * | bornTimestamp         | g  | long    | yes      |
 * | flag                  | h  | int     | yes      |
 * | properties            | i  | String  | no       |
 * | reconsumeTimes        | j  | int     | no       |
 * | unitMode              | k  | boolean | no       |
 * | maxReconsumeTimes     | l  | int     | no       |
 * | batch                 | m  | boolean | no       |
 * | bname                 | n  | String  | no       |
 *
 * Response (`SendMessageResponseHeader`): msgId String yes; queueId int yes; queueOffset long yes;
 * transactionId String no; batchUniqId String no (5.x); recallHandle String no (5.x); plus the extra keys the
 * Java broker adds to every send response: MSG_REGION String no; TRACE_ON boolean no.
 */
import { RequestCode } from '../codes/request-code.js';
import { HeaderFieldError, ProtocolError } from '../errors.js';
import type { ExtFields } from '../ext-fields.js';
import {
  formatJavaInt,
  formatJavaLong,
  readOptionalBoolean,
  readOptionalInt,
  readOptionalString,
  readRequiredInt,
  readRequiredLong,
  readRequiredString,
} from './header-fields.js';
import {
  defineHeaderCodec,
  optionalBoolean,
  optionalInt,
  optionalString,
  requiredInt,
  requiredLong,
  requiredString,
} from './header-codec.js';

/** Header of a send request, with the long (V1) field names. Numbers are Java ints unless noted. */
export interface SendMessageRequestHeader {
  producerGroup: string;
  topic: string;
  /** Template topic for auto-creation, normally `TBW102`. */
  defaultTopic: string;
  /** Queue count to use when the topic is auto-created (Java default 4). */
  defaultTopicQueueNums: number;
  /** Target queue; negative lets the broker pick a writable queue. */
  queueId: number;
  /** Message sysFlag (compression, transaction type bits). */
  sysFlag: number;
  /** Client send time, ms since the epoch (long). */
  bornTimestamp: number;
  /** User flag stored in the record's FLAG field. */
  flag: number;
  /** Encoded properties string (name U+0001 value U+0002 …). */
  properties?: string;
  reconsumeTimes?: number;
  /** Absent means false. */
  unitMode?: boolean;
  maxReconsumeTimes?: number;
  /** True for SEND_BATCH_MESSAGE; absent means false. */
  batch?: boolean;
  /** Broker name the client targeted (Java `RpcRequestHeader.bname`; V2 key `n`); informational. */
  bname?: string;
}

/** Header of a send request with the one-letter V2 keys; see {@link SendMessageRequestHeader} for meanings. */
export interface SendMessageRequestHeaderV2 {
  /** producerGroup */
  a: string;
  /** topic */
  b: string;
  /** defaultTopic */
  c: string;
  /** defaultTopicQueueNums */
  d: number;
  /** queueId */
  e: number;
  /** sysFlag */
  f: number;
  /** bornTimestamp (ms, long) */
  g: number;
  /** flag */
  h: number;
  /** properties */
  i?: string;
  /** reconsumeTimes */
  j?: number;
  /** unitMode */
  k?: boolean;
  /** maxReconsumeTimes */
  l?: number;
  /** batch */
  m?: boolean;
  /** broker name */
  n?: string;
}

/**
 * Header of a successful (0, 10, 11, 12) send response. `MSG_REGION` and `TRACE_ON` are not header fields in
 * Java but extra extFields the broker always adds; the 4.9.8 Java client needs a non-empty extFields map.
 */
export interface SendMessageResponseHeader {
  /** Offset message id of the stored record; for a batch, the ids joined with `,`. */
  msgId: string;
  /** Queue actually written. */
  queueId: number;
  /** Consume-queue offset assigned (first message for a batch; long). */
  queueOffset: number;
  transactionId?: string;
  /** 5.x only. */
  batchUniqId?: string;
  /** 5.x only. */
  recallHandle?: string;
  /** Broker `regionId` (Java default `DefaultRegion`). */
  MSG_REGION?: string;
  /** Broker `traceOn`. */
  TRACE_ON?: boolean;
}

const v1Codec = defineHeaderCodec<SendMessageRequestHeader>({
  producerGroup: requiredString(),
  topic: requiredString(),
  defaultTopic: requiredString(),
  defaultTopicQueueNums: requiredInt(),
  queueId: requiredInt(),
  sysFlag: requiredInt(),
  bornTimestamp: requiredLong(),
  flag: requiredInt(),
  properties: optionalString(),
  reconsumeTimes: optionalInt(),
  unitMode: optionalBoolean(),
  maxReconsumeTimes: optionalInt(),
  batch: optionalBoolean(),
  bname: optionalString(),
});

const v2Codec = defineHeaderCodec<SendMessageRequestHeaderV2>({
  a: requiredString(),
  b: requiredString(),
  c: requiredString(),
  d: requiredInt(),
  e: requiredInt(),
  f: requiredInt(),
  g: requiredLong(),
  h: requiredInt(),
  i: optionalString(),
  j: optionalInt(),
  k: optionalBoolean(),
  l: optionalInt(),
  m: optionalBoolean(),
  n: optionalString(),
});

const responseCodec = defineHeaderCodec<SendMessageResponseHeader>({
  msgId: requiredString(),
  queueId: requiredInt(),
  queueOffset: requiredLong(),
  transactionId: optionalString(),
  batchUniqId: optionalString(),
  recallHandle: optionalString(),
  MSG_REGION: optionalString(),
  TRACE_ON: optionalBoolean(),
});

// A plain key loop: Object.entries allocated a pair array per field, ~3% of the broker's send path.
function omitUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = value[key];
    if (v !== undefined) out[key] = v;
  }
  return out as T;
}

/**
 * Converts a V1 send header to the one-letter V2 form, field by field (Java
 * `SendMessageRequestHeaderV2.createSendMessageRequestHeaderV2`). Lossless; undefined fields stay absent.
 */
export function toSendMessageRequestHeaderV2(
  h: SendMessageRequestHeader,
): SendMessageRequestHeaderV2 {
  return omitUndefined<SendMessageRequestHeaderV2>({
    a: h.producerGroup,
    b: h.topic,
    c: h.defaultTopic,
    d: h.defaultTopicQueueNums,
    e: h.queueId,
    f: h.sysFlag,
    g: h.bornTimestamp,
    h: h.flag,
    i: h.properties,
    j: h.reconsumeTimes,
    k: h.unitMode,
    l: h.maxReconsumeTimes,
    m: h.batch,
    n: h.bname,
  });
}

/**
 * Converts a V2 send header to the long-name V1 form, field by field (Java
 * `SendMessageRequestHeaderV2.createSendMessageRequestHeaderV1`). Lossless; undefined fields stay absent.
 */
export function fromSendMessageRequestHeaderV2(
  v2: SendMessageRequestHeaderV2,
): SendMessageRequestHeader {
  return omitUndefined<SendMessageRequestHeader>({
    producerGroup: v2.a,
    topic: v2.b,
    defaultTopic: v2.c,
    defaultTopicQueueNums: v2.d,
    queueId: v2.e,
    sysFlag: v2.f,
    bornTimestamp: v2.g,
    flag: v2.h,
    properties: v2.i,
    reconsumeTimes: v2.j,
    unitMode: v2.k,
    maxReconsumeTimes: v2.l,
    batch: v2.m,
    bname: v2.n,
  });
}

/**
 * Encodes a send header with the long V1 keys (SEND_MESSAGE, 10).
 *
 * @throws HeaderFieldError when a required field is missing or a number is out of range
 */
export function encodeSendMessageRequestHeaderV1(h: SendMessageRequestHeader): ExtFields {
  return v1Codec.encode(h);
}

/**
 * Decodes the long V1 keys (SEND_MESSAGE, 10). One-letter keys are ignored.
 *
 * @throws HeaderFieldError when a required key is missing or a number does not parse
 */
export function decodeSendMessageRequestHeaderV1(ext: ExtFields): SendMessageRequestHeader {
  return v1Codec.decode(ext);
}

/**
 * Encodes the one-letter V2 keys (SEND_MESSAGE_V2 310, SEND_BATCH_MESSAGE 320).
 *
 * @throws HeaderFieldError when a required field is missing or a number is out of range
 */
export function encodeSendMessageRequestHeaderV2(h: SendMessageRequestHeaderV2): ExtFields {
  return v2Codec.encode(h);
}

/**
 * Decodes the one-letter V2 keys (SEND_MESSAGE_V2 310, SEND_BATCH_MESSAGE 320). Long keys are ignored.
 *
 * @throws HeaderFieldError when a required key is missing or a number does not parse
 */
export function decodeSendMessageRequestHeaderV2(ext: ExtFields): SendMessageRequestHeaderV2 {
  return v2Codec.decode(ext);
}

function isV2Code(requestCode: number): boolean {
  if (requestCode === RequestCode.SEND_MESSAGE) return false;
  if (requestCode === RequestCode.SEND_MESSAGE_V2) return true;
  if (requestCode === RequestCode.SEND_BATCH_MESSAGE) return true;
  throw new ProtocolError(`request code ${requestCode} is not a send request (10, 310 or 320)`);
}

/**
 * Encodes a send header in the key set its request code uses: long V1 keys for SEND_MESSAGE (10), one-letter
 * V2 keys for SEND_MESSAGE_V2 (310) and SEND_BATCH_MESSAGE (320). Does not set `batch` by itself.
 *
 * @throws ProtocolError when `requestCode` is not 10, 310 or 320
 * @throws HeaderFieldError when a required field is missing or a number is out of range
 */
export function encodeSendMessageRequestHeader(
  h: SendMessageRequestHeader,
  requestCode: number,
): ExtFields {
  return isV2Code(requestCode) ? encodeV2FromV1(h) : v1Codec.encode(h);
}

function requiredValue<T>(key: string, value: T | undefined | null): T {
  if (value === undefined || value === null) throw new HeaderFieldError(key, 'is missing');
  return value;
}

/*
 * `v2Codec.encode(toSendMessageRequestHeaderV2(h))` in one step, with the same keys in the same order and the same
 * HeaderFieldError for a missing or out-of-range value: the producer calls it once per send, and the two
 * intermediate objects were a tenth of its allocations.
 */
function encodeV2FromV1(h: SendMessageRequestHeader): ExtFields {
  const ext: ExtFields = {
    a: requiredValue('a', h.producerGroup),
    b: requiredValue('b', h.topic),
    c: requiredValue('c', h.defaultTopic),
    d: formatJavaInt('d', requiredValue('d', h.defaultTopicQueueNums)),
    e: formatJavaInt('e', requiredValue('e', h.queueId)),
    f: formatJavaInt('f', requiredValue('f', h.sysFlag)),
    g: formatJavaLong('g', requiredValue('g', h.bornTimestamp)),
    h: formatJavaInt('h', requiredValue('h', h.flag)),
  };
  if (h.properties !== undefined && h.properties !== null) ext.i = h.properties;
  if (h.reconsumeTimes !== undefined && h.reconsumeTimes !== null) {
    ext.j = formatJavaInt('j', h.reconsumeTimes);
  }
  if (h.unitMode !== undefined && h.unitMode !== null) ext.k = h.unitMode ? 'true' : 'false';
  if (h.maxReconsumeTimes !== undefined && h.maxReconsumeTimes !== null) {
    ext.l = formatJavaInt('l', h.maxReconsumeTimes);
  }
  if (h.batch !== undefined && h.batch !== null) ext.m = h.batch ? 'true' : 'false';
  if (h.bname !== undefined && h.bname !== null) ext.n = h.bname;
  return ext;
}

/**
 * Decodes a send header by request code, as the Java broker does: SEND_MESSAGE (10) reads the long V1 keys;
 * SEND_MESSAGE_V2 (310) and SEND_BATCH_MESSAGE (320) read only the one-letter V2 keys and are converted to V1.
 *
 * @throws ProtocolError when `requestCode` is not 10, 310 or 320
 * @throws HeaderFieldError when a required key is missing or a number does not parse
 */
export function decodeSendMessageRequestHeader(
  ext: ExtFields,
  requestCode: number,
): SendMessageRequestHeader {
  return isV2Code(requestCode) ? decodeV2AsV1(ext) : v1Codec.decode(ext);
}

/**
 * Encodes a send response header (including `MSG_REGION`/`TRACE_ON` when set).
 *
 * @throws HeaderFieldError when a required field is missing or a number is out of range
 */
export function encodeSendMessageResponseHeader(h: SendMessageResponseHeader): ExtFields {
  return responseCodec.encode(h);
}

/**
 * Decodes a send response header.
 *
 * @throws HeaderFieldError when `msgId`, `queueId` or `queueOffset` is missing or a number does not parse
 */
export function decodeSendMessageResponseHeader(ext: ExtFields): SendMessageResponseHeader {
  // `responseCodec.decode(ext)` written out: the producer reads one per send.
  const out: SendMessageResponseHeader = {
    msgId: readRequiredString(ext, 'msgId'),
    queueId: readRequiredInt(ext, 'queueId'),
    queueOffset: readRequiredLong(ext, 'queueOffset'),
  };
  const transactionId = readOptionalString(ext, 'transactionId');
  if (transactionId !== undefined) out.transactionId = transactionId;
  const batchUniqId = readOptionalString(ext, 'batchUniqId');
  if (batchUniqId !== undefined) out.batchUniqId = batchUniqId;
  const recallHandle = readOptionalString(ext, 'recallHandle');
  if (recallHandle !== undefined) out.recallHandle = recallHandle;
  const region = readOptionalString(ext, 'MSG_REGION');
  if (region !== undefined) out.MSG_REGION = region;
  const traceOn = readOptionalBoolean(ext, 'TRACE_ON');
  if (traceOn !== undefined) out.TRACE_ON = traceOn;
  return out;
}

/*
 * `fromSendMessageRequestHeaderV2(v2Codec.decode(ext))` in one step: the same keys read in the same order (so the
 * same HeaderFieldError for the first missing or unparsable one) into one object with the same key order. The broker
 * decodes one per send; the generic path built three objects and cost ~1.4 µs.
 */
function decodeV2AsV1(ext: ExtFields): SendMessageRequestHeader {
  const h: SendMessageRequestHeader = {
    producerGroup: readRequiredString(ext, 'a'),
    topic: readRequiredString(ext, 'b'),
    defaultTopic: readRequiredString(ext, 'c'),
    defaultTopicQueueNums: readRequiredInt(ext, 'd'),
    queueId: readRequiredInt(ext, 'e'),
    sysFlag: readRequiredInt(ext, 'f'),
    bornTimestamp: readRequiredLong(ext, 'g'),
    flag: readRequiredInt(ext, 'h'),
  };
  const properties = readOptionalString(ext, 'i');
  if (properties !== undefined) h.properties = properties;
  const reconsumeTimes = readOptionalInt(ext, 'j');
  if (reconsumeTimes !== undefined) h.reconsumeTimes = reconsumeTimes;
  const unitMode = readOptionalBoolean(ext, 'k');
  if (unitMode !== undefined) h.unitMode = unitMode;
  const maxReconsumeTimes = readOptionalInt(ext, 'l');
  if (maxReconsumeTimes !== undefined) h.maxReconsumeTimes = maxReconsumeTimes;
  const batch = readOptionalBoolean(ext, 'm');
  if (batch !== undefined) h.batch = batch;
  const bname = readOptionalString(ext, 'n');
  if (bname !== undefined) h.bname = bname;
  return h;
}
