import { encodeFastjson } from '../json/fastjson-write.js';
import { parseJsonObject, readString, readStringArray } from '../json/json-read.js';

/*
 * TopicList (remoting-protocol.md §5.6; Java `common/protocol/body/TopicList.java`):
 *   {"topicList":["a","b"],"brokerAddr":"…"}        brokerAddr optional
 * Answers GET_ALL_TOPIC_LIST_FROM_NAMESERVER (206), GET_TOPICS_BY_CLUSTER (224), GET_SYSTEM_TOPIC_LIST_* and others.
 */

/** A list of topic names, optionally with the broker address they came from. */
export interface TopicList {
  /** Topic names (a Java Set). */
  topicList: string[];
  /** Broker address; omitted when undefined. */
  brokerAddr?: string;
}

/** Encodes a TopicList body. */
export function encodeTopicList(value: TopicList): Buffer {
  return encodeFastjson({ brokerAddr: value.brokerAddr, topicList: value.topicList });
}

/**
 * Decodes a TopicList body; a missing list is empty.
 * @throws ProtocolError on malformed JSON or wrong property types.
 */
export function decodeTopicList(buf: Buffer | string): TopicList {
  const o = parseJsonObject(buf, 'topicList');
  const out: TopicList = { topicList: readStringArray(o, 'topicList', 'topicList') };
  const brokerAddr = readString(o, 'brokerAddr', 'topicList');
  if (brokerAddr !== undefined) out.brokerAddr = brokerAddr;
  return out;
}
