import { compareMessageQueue, messageQueueKey } from '@rocketmq-ts/protocol';
import type { ConsumeStats, TopicStatsTable } from '@rocketmq-ts/protocol';
import type { GroupConsumeStats, QueueConsumeProgress, TopicQueueStats } from './admin-types.js';

/**
 * Merges the GET_TOPIC_STATS_INFO answers of several brokers (Java `examineTopicStats`: one map, later entries
 * replace earlier ones for the same queue), sorted by topic, broker name and queue id.
 */
export function mergeTopicStats(tables: readonly TopicStatsTable[]): TopicQueueStats[] {
  const byQueue = new Map<string, TopicQueueStats>();
  for (const table of tables) {
    for (const [mq, offsets] of table.offsetTable) {
      byQueue.set(messageQueueKey(mq), { mq, ...offsets });
    }
  }
  return [...byQueue.values()].sort((a, b) => compareMessageQueue(a.mq, b.mq));
}

/**
 * Merges the GET_CONSUME_STATS answers of several brokers (Java `examineConsumeStats`): queues by key (later
 * replaces earlier), `consumeTps` summed; each queue's lag is brokerOffset − consumerOffset (Java's "Diff"),
 * `diffTotal` their sum. Queues are sorted by topic, broker name and queue id.
 */
export function mergeConsumeStats(answers: readonly ConsumeStats[]): GroupConsumeStats {
  const byQueue = new Map<string, QueueConsumeProgress>();
  let consumeTps = 0;
  for (const stats of answers) {
    consumeTps += stats.consumeTps;
    for (const [mq, w] of stats.offsetTable) {
      byQueue.set(messageQueueKey(mq), {
        mq,
        brokerOffset: w.brokerOffset,
        consumerOffset: w.consumerOffset,
        lag: w.brokerOffset - w.consumerOffset,
        lastTimestamp: w.lastTimestamp,
      });
    }
  }
  const queues = [...byQueue.values()].sort((a, b) => compareMessageQueue(a.mq, b.mq));
  return { queues, diffTotal: queues.reduce((sum, q) => sum + q.lag, 0), consumeTps };
}
