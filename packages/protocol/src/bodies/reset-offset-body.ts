import { encodeFastjson } from '../json/fastjson-write.js';
import { parseJsonObject, toInteger } from '../json/json-read.js';
import { messageQueueEntriesToJson, readMessageQueueEntries } from './message-queue.js';
import type { MessageQueueEntries } from './message-queue.js';

/*
 * ResetOffsetBody, the RESET_CONSUMER_CLIENT_OFFSET (220) request body and INVOKE_BROKER_TO_RESET_OFFSET (222)
 * response body (remoting-protocol.md §5.11, §4.13; Java `common/protocol/body/ResetOffsetBody.java`):
 *   {"offsetTable":{{"brokerName":"b","queueId":0,"topic":"t"}:123,…}}
 */

/** New consumer offsets per queue. */
export interface ResetOffsetBody {
  /** Queue → queue offset to resume from. */
  offsetTable: MessageQueueEntries<number>;
}

/** Encodes a ResetOffsetBody in fastjson's object-key form. */
export function encodeResetOffsetBody(value: ResetOffsetBody): Buffer {
  return encodeFastjson({ offsetTable: messageQueueEntriesToJson(value.offsetTable, (n) => n) });
}

/**
 * Decodes a ResetOffsetBody (object keys; `{}` = empty).
 * @throws ProtocolError on malformed JSON, a key that is not a MessageQueue, or an offset that is not an integer.
 */
export function decodeResetOffsetBody(buf: Buffer | string): ResetOffsetBody {
  const path = 'resetOffsetBody';
  return {
    offsetTable: readMessageQueueEntries(parseJsonObject(buf, path), 'offsetTable', {
      path,
      value: toInteger,
    }),
  };
}
