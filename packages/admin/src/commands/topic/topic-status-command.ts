import type { TopicQueueStats } from '@rocketmq-ts/client';
import type { CommandSpec } from '../../cli/command-spec.js';
import { requiredOption } from '../../cli/command-spec.js';
import { formatHumanTime } from '../human-time.js';
import { topicOption } from '../option-specs.js';
import { formatRow, frontStringAtLeast } from '../text-columns.js';
import { unlessTopicMissing } from './topic-not-found.js';

/**
 * The topicStatus table (Java 4.9.8 `TopicStatusSubCommand`, `%-32s  %-4s  %-20s  %-20s    %s`): `#Broker Name`,
 * `#QID`, `#Min Offset`, `#Max Offset`, `#Last Updated` (local `yyyy-MM-dd HH:mm:ss,SSS`, empty for an empty
 * queue), one row per queue in broker-name then queue-id order. 4.9.8 prints nothing after the rows (the 5.x
 * `Topic Put TPS:` line does not exist in 4.x).
 */
export function formatTopicStatus(queues: readonly TopicQueueStats[]): string[] {
  const line = (cells: readonly (string | number)[]): string =>
    formatRow('%-32s  %-4s  %-20s  %-20s    %s', cells);
  return [
    line(['#Broker Name', '#QID', '#Min Offset', '#Max Offset', '#Last Updated']),
    ...queues.map((q) =>
      line([
        frontStringAtLeast(q.mq.brokerName, 32),
        q.mq.queueId,
        q.minOffset,
        q.maxOffset,
        q.lastUpdateTimestamp > 0 ? formatHumanTime(q.lastUpdateTimestamp) : '',
      ]),
    ),
  ];
}

/**
 * `topicStatus -t topic`: per queue min and max offset and the store time of the last message, from every broker
 * set of the topic's route. `--json` prints `[{brokerName, queueId, minOffset, maxOffset, lastUpdateTimestamp}]`
 * (timestamp in ms since the epoch, 0 for an empty queue).
 */
export const topicStatusCommand: CommandSpec = {
  name: 'topicStatus',
  description: 'Examine topic Status info',
  json: true,
  options: [topicOption()],
  async run(ctx) {
    const topic = requiredOption(ctx.options, 'topic').trim();
    const admin = await ctx.admin();
    const queues = await unlessTopicMissing(topic, admin.topicStats(topic));
    if (ctx.json) {
      ctx.print(
        JSON.stringify(
          queues.map((q) => ({
            brokerName: q.mq.brokerName,
            queueId: q.mq.queueId,
            minOffset: q.minOffset,
            maxOffset: q.maxOffset,
            lastUpdateTimestamp: q.lastUpdateTimestamp,
          })),
        ),
      );
      return;
    }
    for (const line of formatTopicStatus(queues)) ctx.print(line);
  },
};
