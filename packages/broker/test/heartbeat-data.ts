import type { ConsumerData } from '@rocketmq-ts/protocol';

/** Options of {@link clusteringConsumerData}. */
export interface ClusteringConsumerDataOptions {
  group: string;
  topic: string;
  /** The subscription expression: tags (`TagA || TagB`, `*`) or an SQL92 condition. */
  subString: string;
  /** Default `TAG`. */
  expressionType?: 'TAG' | 'SQL92';
  /** Default none. */
  tagsSet?: string[];
}

/**
 * The heartbeat entry of a push consumer in clustering mode from the first offset, subscribed to one topic
 * (subVersion 1), as a Java client sends it.
 */
export function clusteringConsumerData(options: ClusteringConsumerDataOptions): ConsumerData {
  return {
    groupName: options.group,
    consumeType: 'CONSUME_PASSIVELY',
    messageModel: 'CLUSTERING',
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    unitMode: false,
    subscriptionDataSet: [
      {
        topic: options.topic,
        subString: options.subString,
        tagsSet: options.tagsSet ?? [],
        codeSet: [],
        subVersion: 1,
        expressionType: options.expressionType ?? 'TAG',
        classFilterMode: false,
      },
    ],
  };
}
