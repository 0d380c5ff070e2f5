import { encodeMessageProperties } from '@rocketmq-ts/protocol';
import type { PutMessageInput } from '@rocketmq-ts/store';

/** Options of {@link keyedTestMessage}. */
export interface KeyedTestMessageOptions {
  topic: string;
  queueId: number;
  /** Names the message: `KEYS` = key, `UNIQ_KEY` = `UNIQ-<key>`, body `body-<key>`. */
  key: string;
  flag: number;
  reconsumeTimes: number;
  /** Properties after `TAGS` (TagA), `KEYS` and `UNIQ_KEY`. */
  extraProperties?: readonly (readonly [string, string])[];
}

/**
 * A message with every field set to a value a test can check after a round trip through a system topic: fixed
 * born time and hosts, the given flag, reconsume times and properties encoded as a string.
 */
export function keyedTestMessage(options: KeyedTestMessageOptions): PutMessageInput {
  const { key } = options;
  return {
    topic: options.topic,
    queueId: options.queueId,
    body: Buffer.from(`body-${key}`),
    flag: options.flag,
    properties: encodeMessageProperties(
      new Map([
        ['TAGS', 'TagA'],
        ['KEYS', key],
        ['UNIQ_KEY', `UNIQ-${key}`],
        ...(options.extraProperties ?? []),
      ]),
    ),
    bornTimestamp: 1_700_000_000_000,
    bornHost: { host: '10.0.0.9', port: 50000 },
    storeHost: { host: '127.0.0.1', port: 10911 },
    reconsumeTimes: options.reconsumeTimes,
  };
}
