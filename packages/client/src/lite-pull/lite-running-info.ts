import type { MessageQueueEntries, SubscriptionData } from '@rocketmq-ts/protocol';
import type { OffsetStore } from '../consumer/offset-store.js';
import { ConsumerRunningInfoProps } from '../running-info/consumer-running-info.js';
import type {
  ConsumerRunningInfo,
  ProcessQueueInfo,
} from '../running-info/consumer-running-info.js';
import type { LitePullConsumerConfig } from './lite-pull-config.js';
import type { OwnedQueue } from './owned-queue.js';

/** Java `MQVersion` name of the version this client reports in frame headers (409). */
const CLIENT_VERSION_DESC = 'V4_9_8';

/**
 * The GET_CONSUMER_RUNNING_INFO answer of a lite pull consumer (Java `DefaultLitePullConsumerImpl
 * .consumerRunningInfo` plus what `MQClientInstance` adds): its options as properties, its subscriptions, and, beyond
 * Java, the cache state of each owned queue.
 */
export function liteConsumerRunningInfo(input: {
  config: Readonly<LitePullConsumerConfig>;
  startTimestamp: number;
  subscriptions: readonly SubscriptionData[];
  queues: readonly OwnedQueue[];
  offsetStore: OffsetStore;
}): ConsumerRunningInfo {
  const properties = new Map<string, string>();
  for (const [key, value] of Object.entries(input.config)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      properties.set(key, String(value));
    }
  }
  properties.set(
    'allocateMessageQueueStrategy',
    input.config.allocateMessageQueueStrategy.getName(),
  );
  properties.set(ConsumerRunningInfoProps.PROP_CONSUME_TYPE, 'CONSUME_ACTIVELY');
  properties.set(ConsumerRunningInfoProps.PROP_NAMESERVER_ADDR, input.config.namesrvAddr);
  properties.set(ConsumerRunningInfoProps.PROP_CLIENT_VERSION, CLIENT_VERSION_DESC);
  properties.set(
    ConsumerRunningInfoProps.PROP_CONSUMER_START_TIMESTAMP,
    String(input.startTimestamp),
  );
  const mqTable: MessageQueueEntries<ProcessQueueInfo> = input.queues.map((q) => [
    q.mq,
    { ...q.pq.snapshot(), commitOffset: input.offsetStore.memoryOffset(q.mq) ?? -1 },
  ]);
  return {
    properties,
    subscriptionSet: [...input.subscriptions],
    mqTable,
    statusTable: new Map(),
  };
}
