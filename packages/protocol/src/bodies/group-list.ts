import { encodeFastjson } from '../json/fastjson-write.js';
import { parseJsonObject, readStringArray } from '../json/json-read.js';

/*
 * GroupList (remoting-protocol.md §5.6; Java `common/protocol/body/GroupList.java`):
 *   {"groupList":["g1"]}
 * Answers QUERY_TOPIC_CONSUME_BY_WHO (300).
 */

/** A list of consumer group names. */
export interface GroupList {
  /** Group names (a Java Set). */
  groupList: string[];
}

/** Encodes a GroupList body. */
export function encodeGroupList(value: GroupList): Buffer {
  return encodeFastjson({ groupList: value.groupList });
}

/**
 * Decodes a GroupList body; a missing list is empty.
 * @throws ProtocolError on malformed JSON or wrong property types.
 */
export function decodeGroupList(buf: Buffer | string): GroupList {
  return {
    groupList: readStringArray(parseJsonObject(buf, 'groupList'), 'groupList', 'groupList'),
  };
}
