/**
 * Shared support for the client's unit tests (kept out of src, so out of dist): a complete {@link MessageExt} to
 * build test messages from.
 */
import type { MessageExt } from '../src/message/message.js';

/**
 * A pulled message on queue 0 of topic `t` on broker set `b`, offset 0, empty body, no properties; `fields`
 * override any of it.
 */
export function testMessage(fields: Partial<MessageExt> = {}): MessageExt {
  return {
    topic: 't',
    body: Buffer.alloc(0),
    tags: undefined,
    keys: undefined,
    properties: new Map(),
    msgId: 'id',
    offsetMsgId: 'off',
    brokerName: 'b',
    queueId: 0,
    queueOffset: 0,
    commitLogOffset: 0,
    bornTimestamp: 0,
    storeTimestamp: 0,
    bornHost: { host: '127.0.0.1', port: 1 },
    storeHost: { host: '127.0.0.1', port: 2 },
    reconsumeTimes: 0,
    sysFlag: 0,
    flag: 0,
    bodyCRC: 0,
    ...fields,
  };
}
