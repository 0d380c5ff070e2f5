import { encodeFastjson } from '../json/fastjson-write.js';
import { parseJsonObject, readStringArray } from '../json/json-read.js';

/*
 * GetConsumerListByGroupResponseBody, the GET_CONSUMER_LIST_BY_GROUP (38) response body (remoting-protocol.md §5.6,
 * §4.6; Java `common/protocol/header/GetConsumerListByGroupResponseBody.java`):
 *   {"consumerIdList":["10.0.0.5@12345"]}
 */

/** The client ids currently in a consumer group. */
export interface GetConsumerListByGroupResponseBody {
  /** Client ids. */
  consumerIdList: string[];
}

/** Encodes a GetConsumerListByGroupResponseBody. */
export function encodeGetConsumerListByGroupResponseBody(
  value: GetConsumerListByGroupResponseBody,
): Buffer {
  return encodeFastjson({ consumerIdList: value.consumerIdList });
}

/**
 * Decodes a GetConsumerListByGroupResponseBody; a missing list is empty.
 * @throws ProtocolError on malformed JSON or wrong property types.
 */
export function decodeGetConsumerListByGroupResponseBody(
  buf: Buffer | string,
): GetConsumerListByGroupResponseBody {
  const o = parseJsonObject(buf, 'consumerListByGroup');
  return { consumerIdList: readStringArray(o, 'consumerIdList', 'consumerListByGroup') };
}
