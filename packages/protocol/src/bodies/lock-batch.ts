import { encodeFastjson } from '../json/fastjson-write.js';
import { parseJsonObject, readArray, readBoolean, readString } from '../json/json-read.js';
import type { JsonObject } from '../json/fastjson-parse.js';
import { messageQueueFromJson, messageQueueToJson } from './message-queue.js';
import type { MessageQueue } from './message-queue.js';

/*
 * LOCK_BATCH_MQ (41) / UNLOCK_BATCH_MQ (42) bodies (remoting-protocol.md §4.9; Java
 * `common/protocol/body/LockBatchRequestBody.java`, `LockBatchResponseBody.java`, `UnlockBatchRequestBody.java`):
 *   request  {"clientId":…,"consumerGroup":…,"mqSet":[{"brokerName":…,"queueId":0,"topic":…},…],"onlyThisBroker":false}
 *   response {"lockOKMQSet":[…same objects…]}
 * Unlock uses the request shape; its response has no body.
 */

/** LOCK_BATCH_MQ request body. */
export interface LockBatchRequestBody {
  /** Consumer group. */
  consumerGroup: string;
  /** Client asking for the locks. */
  clientId: string;
  /** Lock only on the broker receiving the request (5.x proxy use); default false. */
  onlyThisBroker: boolean;
  /** Queues to lock (a Java Set). */
  mqSet: MessageQueue[];
}

/** LOCK_BATCH_MQ response body: the queues now held by the client. */
export interface LockBatchResponseBody {
  /** Locked queues (a Java Set). */
  lockOKMQSet: MessageQueue[];
}

/** UNLOCK_BATCH_MQ request body (same shape as the lock request). */
export type UnlockBatchRequestBody = LockBatchRequestBody;

function mqSetFromJson(o: JsonObject, key: string, path: string): MessageQueue[] {
  return (readArray(o, key, path) ?? []).map((m, i) =>
    messageQueueFromJson(m, `${path}.${key}[${i}]`),
  );
}

function encodeBatchRequest(value: LockBatchRequestBody): Buffer {
  return encodeFastjson({
    clientId: value.clientId,
    consumerGroup: value.consumerGroup,
    mqSet: value.mqSet.map(messageQueueToJson),
    onlyThisBroker: value.onlyThisBroker,
  });
}

function decodeBatchRequest(buf: Buffer | string, path: string): LockBatchRequestBody {
  const o = parseJsonObject(buf, path);
  return {
    consumerGroup: readString(o, 'consumerGroup', path) ?? '',
    clientId: readString(o, 'clientId', path) ?? '',
    onlyThisBroker: readBoolean(o, 'onlyThisBroker', path) ?? false,
    mqSet: mqSetFromJson(o, 'mqSet', path),
  };
}

/** Encodes a LockBatchRequestBody. */
export function encodeLockBatchRequestBody(value: LockBatchRequestBody): Buffer {
  return encodeBatchRequest(value);
}

/**
 * Decodes a LockBatchRequestBody; a missing mqSet is empty.
 * @throws ProtocolError on malformed JSON, a malformed queue, or wrong property types.
 */
export function decodeLockBatchRequestBody(buf: Buffer | string): LockBatchRequestBody {
  return decodeBatchRequest(buf, 'lockBatchRequestBody');
}

/** Encodes an UnlockBatchRequestBody. */
export function encodeUnlockBatchRequestBody(value: UnlockBatchRequestBody): Buffer {
  return encodeBatchRequest(value);
}

/**
 * Decodes an UnlockBatchRequestBody; a missing mqSet is empty.
 * @throws ProtocolError on malformed JSON, a malformed queue, or wrong property types.
 */
export function decodeUnlockBatchRequestBody(buf: Buffer | string): UnlockBatchRequestBody {
  return decodeBatchRequest(buf, 'unlockBatchRequestBody');
}

/** Encodes a LockBatchResponseBody. */
export function encodeLockBatchResponseBody(value: LockBatchResponseBody): Buffer {
  return encodeFastjson({ lockOKMQSet: value.lockOKMQSet.map(messageQueueToJson) });
}

/**
 * Decodes a LockBatchResponseBody; a missing set is empty.
 * @throws ProtocolError on malformed JSON or a malformed queue.
 */
export function decodeLockBatchResponseBody(buf: Buffer | string): LockBatchResponseBody {
  const path = 'lockBatchResponseBody';
  return { lockOKMQSet: mqSetFromJson(parseJsonObject(buf, path), 'lockOKMQSet', path) };
}
