import type { JsonValue } from '../json/fastjson-parse.js';
import { encodeFastjson } from '../json/fastjson-write.js';
import { expectObject, parseJsonObject, readInteger } from '../json/json-read.js';
import { messageQueueEntriesToJson, readMessageQueueEntries } from './message-queue.js';
import type { MessageQueueEntries } from './message-queue.js';

/*
 * TopicStatsTable, the GET_TOPIC_STATS_INFO (202) response body (remoting-protocol.md §5.8; Java
 * `common/admin/TopicStatsTable.java`, `TopicOffset.java`). Object keys (§5.0), exactly as fastjson writes them:
 *   {"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"TopicTest"}:
 *     {"lastUpdateTimestamp":1700000000000,"maxOffset":42,"minOffset":0},…}}
 */

/** Offsets of one queue. */
export interface TopicOffset {
  /** Smallest queue offset still stored. */
  minOffset: number;
  /** Queue offset the next message will get. */
  maxOffset: number;
  /** Store time of the last message, ms since the epoch (0 when empty). */
  lastUpdateTimestamp: number;
}

/** Per-queue offsets of a topic on one broker (one entry per write queue). */
export interface TopicStatsTable {
  /** Queue → offsets, in output order. */
  offsetTable: MessageQueueEntries<TopicOffset>;
}

function topicOffsetFromJson(value: JsonValue, path: string): TopicOffset {
  const o = expectObject(value, path);
  return {
    minOffset: readInteger(o, 'minOffset', path) ?? 0,
    maxOffset: readInteger(o, 'maxOffset', path) ?? 0,
    lastUpdateTimestamp: readInteger(o, 'lastUpdateTimestamp', path) ?? 0,
  };
}

/** Encodes a TopicStatsTable body in fastjson's object-key form (for Java mqadmin). */
export function encodeTopicStatsTable(value: TopicStatsTable): Buffer {
  return encodeFastjson({
    offsetTable: messageQueueEntriesToJson(value.offsetTable, (t) => ({
      lastUpdateTimestamp: t.lastUpdateTimestamp,
      maxOffset: t.maxOffset,
      minOffset: t.minOffset,
    })),
  });
}

/**
 * Decodes a TopicStatsTable body (object keys; `{}` = empty).
 * @throws ProtocolError on malformed JSON, a key that is not a MessageQueue, or wrong property types.
 */
export function decodeTopicStatsTable(buf: Buffer | string): TopicStatsTable {
  const path = 'topicStatsTable';
  return {
    offsetTable: readMessageQueueEntries(parseJsonObject(buf, path), 'offsetTable', {
      path,
      value: topicOffsetFromJson,
    }),
  };
}
