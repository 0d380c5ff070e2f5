import type { MessageQueue } from '@rocketmq-ts/protocol';
import type { MQClientInstance } from '../client-instance.js';
import { RETRY_GROUP_TOPIC_PREFIX } from '../retry-topic.js';
import { parseConsumeTimestamp } from './consumer-config.js';
import type { CommonConsumerOptions } from './consumer-config.js';
import { findAdminAddr } from './find-broker.js';
import type { OffsetStore, ReadOffsetType } from './offset-store.js';

/** What {@link computePullFromWhere} reads. */
export interface PullFromWhereDeps {
  readonly instance: MQClientInstance;
  readonly offsetStore: OffsetStore;
  readonly config: Pick<CommonConsumerOptions, 'consumeFromWhere' | 'consumeTimestamp'>;
}

/**
 * Where a newly owned queue starts (Java `RebalancePushImpl` / `RebalanceLitePullImpl`
 * `computePullFromWhereWithException`): the committed offset read with `readType`, else LAST → the max offset
 * (retry topics: 0), FIRST → 0, TIMESTAMP → the offset nearest consumeTimestamp (retry topics: the max offset).
 * Queue offsets are asked of the master, else (unlike Java, which asks only the master and so cannot start a queue
 * of a master-less set) of a slave, which holds the same consume queue.
 * @throws when the offset store or the broker cannot be asked.
 */
export async function computePullFromWhere(
  deps: PullFromWhereDeps,
  mq: MessageQueue,
  readType: ReadOffsetType,
): Promise<number> {
  const { instance, config } = deps;
  const committed = await deps.offsetStore.readOffset(mq, readType);
  if (committed >= 0) return committed;
  const retry = mq.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX);
  switch (config.consumeFromWhere) {
    case 'CONSUME_FROM_LAST_OFFSET':
      if (retry) return 0;
      return instance.api.getMaxOffset(await findAdminAddr(instance, mq), mq);
    case 'CONSUME_FROM_FIRST_OFFSET':
      return 0;
    case 'CONSUME_FROM_TIMESTAMP': {
      const addr = await findAdminAddr(instance, mq);
      if (retry) return instance.api.getMaxOffset(addr, mq);
      // The config was checked at start, so the timestamp parses.
      const timestamp = parseConsumeTimestamp(config.consumeTimestamp) ?? Date.now();
      return instance.api.searchOffset(addr, { ...mq, timestamp });
    }
  }
}
