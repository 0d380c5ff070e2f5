import {
  MAX_PROPERTIES_BYTES,
  MessageConst,
  NAME_VALUE_SEPARATOR,
  PROPERTY_SEPARATOR,
  ResponseCode,
  compressBody,
  encodeBatchBody,
} from '@rocketmq-ts/protocol';
import { MQClientError } from '../errors.js';
import type { Message } from '../message/message.js';
import { RETRY_GROUP_TOPIC_PREFIX } from '../retry-topic.js';
import { checkBodyLength, checkSendTopic } from './validators.js';

/*
 * Turns user messages into what goes on the wire: the properties string (remoting-protocol.md §6.4–6.5), the body
 * (zlib-compressed over the threshold, sysFlag bits 0x1 | 0x300 as the 4.9.8 Java producer sets them), and for
 * batches the SEND_BATCH_MESSAGE body (§6.6). Pure: no I/O, no clock.
 */

/**
 * Property names only RocketMQ may set (Java 4.9.8 `MessageConst.STRING_HASH_SET`); a user property with one of
 * them is refused, as Java's `putUserProperty` refuses it.
 */
export const RESERVED_PROPERTY_NAMES: ReadonlySet<string> = new Set([
  'TRACE_ON',
  'MSG_REGION',
  'KEYS',
  'TAGS',
  'WAIT',
  'DELAY',
  'RETRY_TOPIC',
  'REAL_TOPIC',
  'REAL_QID',
  'TRAN_MSG',
  'PGROUP',
  'MIN_OFFSET',
  'MAX_OFFSET',
  'BUYER_ID',
  'ORIGIN_MESSAGE_ID',
  'TRANSFER_FLAG',
  'CORRECTION_FLAG',
  'MQ2_FLAG',
  'RECONSUME_TIME',
  'UNIQ_KEY',
  'MAX_RECONSUME_TIMES',
  'CONSUME_START_TIME',
  'INSTANCE_ID',
  'CORRELATION_ID',
  'REPLY_TO_CLIENT',
  'TTL',
  'ARRIVE_TIME',
  'PUSH_REPLY_TIME',
  'CLUSTER',
  'MSG_TYPE',
  'INNER_MULTI_QUEUE_OFFSET',
]);

// Name + separator pieces of the properties every message carries, concatenated once instead of per send.
const TAGS_PREFIX = MessageConst.PROPERTY_TAGS + NAME_VALUE_SEPARATOR;
const WAIT_TRUE = append('', MessageConst.PROPERTY_WAIT_STORE_MSG_OK, 'true');
const WAIT_FALSE = append('', MessageConst.PROPERTY_WAIT_STORE_MSG_OK, 'false');
const UNIQ_KEY_PREFIX = MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX + NAME_VALUE_SEPARATOR;

/** A message ready to be put in a send request; the same for every attempt of one send. */
export interface OutgoingMessage {
  readonly topic: string;
  /** The body to send (compressed when `sysFlag` says so), or the batch body. */
  readonly body: Buffer;
  /** Header `sysFlag`: the compressed bit and zlib type bits, else 0. */
  readonly sysFlag: number;
  /** Header `flag`: the user flag (0 for a batch). */
  readonly flag: number;
  /** Header `properties`: the encoded properties string. */
  readonly properties: string;
  /** The UNIQ_KEY of each message: one for a single message, one per message for a batch. */
  readonly msgIds: readonly string[];
  /** True for SEND_BATCH_MESSAGE. */
  readonly batch: boolean;
}

/** Options of {@link prepareMessage} and {@link prepareBatch}. */
export interface PrepareOptions {
  /** Largest body (batch body for a batch), bytes. */
  readonly maxMessageSize: number;
  /** Bodies of at least this many bytes are compressed; batches never are. */
  readonly compressMsgBodyOverHowmuch: number;
  /** Makes UNIQ_KEY values. */
  readonly nextMsgId: () => string;
}

/** A body as bytes: strings as UTF-8; a Uint8Array is viewed, not copied. */
export function bodyToBuffer(body: Message['body']): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new MQClientError(
    'the message body must be a Buffer, a Uint8Array or a string',
    ResponseCode.MESSAGE_ILLEGAL,
  );
}

/**
 * The properties string of a message (Java `MessageDecoder.messageProperties2String` of the properties
 * `Message`'s constructor and setters put): TAGS when non-empty, KEYS joined with a space, WAIT (`true` unless
 * `waitStoreMsgOK` is false: Java's constructors always write it), DELAY when > 0, the user properties, UNIQ_KEY.
 *
 * @throws MQClientError (MESSAGE_ILLEGAL) for a reserved, blank or separator-carrying user property, a bad delay
 *   level or tag, or a string over 32767 bytes.
 */
export function buildMessageProperties(message: Message, uniqKey: string): string {
  let out = '';
  if (message.tags !== undefined && message.tags !== '') {
    out += TAGS_PREFIX + checkValue('tags', message.tags) + PROPERTY_SEPARATOR;
  }
  if (message.keys !== undefined) {
    const keys: unknown = message.keys;
    const joined =
      typeof keys === 'string'
        ? keys
        : Array.isArray(keys)
          ? keys.map((k) => checkValue('keys', k)).join(MessageConst.KEY_SEPARATOR)
          : checkValue('keys', keys);
    if (joined !== '') out = append(out, MessageConst.PROPERTY_KEYS, checkValue('keys', joined));
  }
  out += message.waitStoreMsgOK === false ? WAIT_FALSE : WAIT_TRUE;
  if (message.delayTimeLevel !== undefined) {
    const level = message.delayTimeLevel;
    if (!Number.isSafeInteger(level) || level < 0 || level > 0x7fffffff) {
      throw new MQClientError(
        `delayTimeLevel ${String(level)} is not a level 1..18 (0: no delay)`,
        ResponseCode.MESSAGE_ILLEGAL,
      );
    }
    if (level > 0) out = append(out, MessageConst.PROPERTY_DELAY_TIME_LEVEL, String(level));
  }
  if (message.properties !== undefined) {
    for (const name of Object.keys(message.properties)) {
      const value: unknown = message.properties[name];
      if (RESERVED_PROPERTY_NAMES.has(name)) {
        throw new MQClientError(
          `the property ${name} is reserved by RocketMQ; use another name`,
          ResponseCode.MESSAGE_ILLEGAL,
        );
      }
      if (name.trim() === '' || typeof value !== 'string' || value.trim() === '') {
        throw new MQClientError(
          `user property ${JSON.stringify(name)}: names and values must be non-blank strings`,
          ResponseCode.MESSAGE_ILLEGAL,
        );
      }
      out = append(out, checkValue('property name', name), checkValue(`property ${name}`, value));
    }
  }
  out = out + UNIQ_KEY_PREFIX + uniqKey + PROPERTY_SEPARATOR;
  // Cheap upper bound first: UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (out.length * 3 > MAX_PROPERTIES_BYTES) {
    const bytes = Buffer.byteLength(out, 'utf8');
    if (bytes > MAX_PROPERTIES_BYTES) {
      throw new MQClientError(
        `the properties of a message for topic ${message.topic} take ${bytes} bytes, over ${MAX_PROPERTIES_BYTES}`,
        ResponseCode.MESSAGE_ILLEGAL,
      );
    }
  }
  return out;
}

/**
 * Validates one message and makes its wire form: topic and body checks (Java `Validators.checkMessage`), a new
 * UNIQ_KEY, properties, compression.
 *
 * @throws MQClientError (MESSAGE_ILLEGAL, or NO_PERMISSION for a system topic) when the message is refused.
 */
export function prepareMessage(message: Message, options: PrepareOptions): OutgoingMessage {
  if (message === null || typeof message !== 'object') {
    throw new MQClientError('the message is missing', ResponseCode.MESSAGE_ILLEGAL);
  }
  checkSendTopic(message.topic);
  const body = bodyToBuffer(message.body);
  checkBodyLength(body.length, { maxMessageSize: options.maxMessageSize, topic: message.topic });
  const flag = checkFlag(message.flag);
  const msgId = options.nextMsgId();
  const properties = buildMessageProperties(message, msgId);
  // compressBody returns small bodies unchanged with sysFlag 0; asked only for the large ones, which it compresses.
  if (body.length < options.compressMsgBodyOverHowmuch) {
    return {
      topic: message.topic,
      body,
      sysFlag: 0,
      flag,
      properties,
      msgIds: [msgId],
      batch: false,
    };
  }
  const compressed = compressBody(body, 0, {
    thresholdBytes: options.compressMsgBodyOverHowmuch,
    typeBits: true,
  });
  return {
    topic: message.topic,
    body: compressed.body,
    sysFlag: compressed.sysFlag,
    flag,
    properties,
    msgIds: [msgId],
    batch: false,
  };
}

/**
 * Validates a batch and makes its SEND_BATCH_MESSAGE form (Java `MessageBatch.generateFromList` +
 * `DefaultMQProducer.batch`): every message checked on its own and given its own UNIQ_KEY; all on one topic, none
 * delayed, none on a `%RETRY%` topic, all with the same `waitStoreMsgOK`; the batch body at most `maxMessageSize`.
 * The header carries only WAIT; batches are never compressed.
 *
 * @throws MQClientError (MESSAGE_ILLEGAL) when the batch or one of its messages is refused.
 */
export function prepareBatch(
  messages: readonly Message[],
  options: PrepareOptions,
): OutgoingMessage {
  if (messages.length === 0) {
    throw new MQClientError('a batch needs at least one message', ResponseCode.MESSAGE_ILLEGAL);
  }
  const first = messages[0] as Message;
  const wait = first?.waitStoreMsgOK !== false;
  const entries: { body: Buffer; flag: number; properties: string }[] = [];
  const msgIds: string[] = [];
  for (const message of messages) {
    if (message === null || typeof message !== 'object') {
      throw new MQClientError('a batch holds a missing message', ResponseCode.MESSAGE_ILLEGAL);
    }
    checkSendTopic(message.topic);
    if (message.topic !== first.topic) {
      throw new MQClientError(
        `the messages of a batch must share one topic (${first.topic}, ${message.topic})`,
        ResponseCode.MESSAGE_ILLEGAL,
      );
    }
    if (message.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) {
      throw new MQClientError(
        `retry topics cannot be sent in a batch (${message.topic})`,
        ResponseCode.MESSAGE_ILLEGAL,
      );
    }
    if (message.delayTimeLevel !== undefined && message.delayTimeLevel > 0) {
      throw new MQClientError(
        'delayed messages (delayTimeLevel > 0) cannot be sent in a batch',
        ResponseCode.MESSAGE_ILLEGAL,
      );
    }
    if ((message.waitStoreMsgOK !== false) !== wait) {
      throw new MQClientError(
        'the messages of a batch must share one waitStoreMsgOK',
        ResponseCode.MESSAGE_ILLEGAL,
      );
    }
    const body = bodyToBuffer(message.body);
    checkBodyLength(body.length, { maxMessageSize: options.maxMessageSize, topic: message.topic });
    const msgId = options.nextMsgId();
    msgIds.push(msgId);
    entries.push({
      body,
      flag: checkFlag(message.flag),
      properties: buildMessageProperties(message, msgId),
    });
  }
  const body = encodeBatchBody(entries);
  if (body.length > options.maxMessageSize) {
    throw new MQClientError(
      `the batch body for topic ${first.topic} is ${body.length} bytes, over maxMessageSize ${options.maxMessageSize}; split the batch`,
      ResponseCode.MESSAGE_ILLEGAL,
    );
  }
  return {
    topic: first.topic,
    body,
    sysFlag: 0,
    flag: 0,
    properties: wait ? WAIT_TRUE : WAIT_FALSE,
    msgIds,
    batch: true,
  };
}

function append(out: string, name: string, value: string): string {
  return out + name + NAME_VALUE_SEPARATOR + value + PROPERTY_SEPARATOR;
}

function checkValue(what: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new MQClientError(`${what} must be a string`, ResponseCode.MESSAGE_ILLEGAL);
  }
  if (value.includes(NAME_VALUE_SEPARATOR) || value.includes(PROPERTY_SEPARATOR)) {
    throw new MQClientError(
      `${what} ${JSON.stringify(value)} contains a U+0001/U+0002 separator`,
      ResponseCode.MESSAGE_ILLEGAL,
    );
  }
  return value;
}

function checkFlag(flag: number | undefined): number {
  if (flag === undefined) return 0;
  if (!Number.isInteger(flag) || flag < -0x80000000 || flag > 0x7fffffff) {
    throw new MQClientError(`flag ${String(flag)} is not an int32`, ResponseCode.MESSAGE_ILLEGAL);
  }
  return flag;
}
