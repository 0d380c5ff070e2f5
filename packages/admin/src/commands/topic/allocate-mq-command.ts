import { AllocateMessageQueueAveragely, topicRouteToSubscribeInfo } from '@rocketmq-ts/client';
import { writeFastjson } from '@rocketmq-ts/protocol';
import type { MessageQueue } from '@rocketmq-ts/protocol';
import type { CommandSpec } from '../../cli/command-spec.js';
import { CommandError, requiredOption } from '../../cli/command-spec.js';
import { topicOption } from '../option-specs.js';
import { unlessTopicMissing } from './topic-not-found.js';

/** Consumer group name Java's AllocateMQSubCommand passes to the strategy (it is not used for averaging). */
const PREVIEW_GROUP = 'aa';

/**
 * How the averaging strategy spreads `queues` over `clientIds` (Java `AllocateMessageQueueAveragely`), as the
 * RebalanceResult JSON Java prints: `{"result":{"<ip>":[{"brokerName":…,"queueId":…,"topic":…},…],…}}` with the
 * clients in the order given (Java's HashMap order is arbitrary) and the queues sorted.
 */
export function formatAllocation(
  queues: readonly MessageQueue[],
  clientIds: readonly string[],
): string {
  const strategy = new AllocateMessageQueueAveragely();
  const result = new Map<string, MessageQueue[]>();
  for (const currentCID of clientIds) {
    result.set(
      currentCID,
      strategy.allocate({
        consumerGroup: PREVIEW_GROUP,
        currentCID,
        mqAll: queues,
        cidAll: clientIds,
      }),
    );
  }
  return writeFastjson({ result });
}

/**
 * `allocateMQ -t topic -i ip1,ip2,…` (Java 4.9.8 `AllocateMQSubCommand`): previews how the topic's readable queues
 * would be spread over consumers with these client ids by the averaging strategy, as one line of JSON.
 */
export const allocateMQCommand: CommandSpec = {
  name: 'allocateMQ',
  description: 'Allocate MQ',
  options: [topicOption(), { short: 'i', long: 'ipList', description: 'ipList', required: true }],
  async run(ctx) {
    const topic = requiredOption(ctx.options, 'topic').trim();
    const ips = requiredOption(ctx.options, 'ipList')
      .split(',')
      .map((ip) => ip.trim());
    if (ips.some((ip) => ip === '')) {
      throw new CommandError(
        'option --ipList must be a comma-separated list of client ips, e.g. 10.0.0.1,10.0.0.2',
      );
    }
    const admin = await ctx.admin();
    const route = await unlessTopicMissing(topic, admin.topicRoute(topic));
    const queues = topicRouteToSubscribeInfo(topic, route);
    if (queues.length === 0) throw new CommandError(`topic ${topic} has no readable queues`);
    ctx.print(formatAllocation(queues, ips));
  },
};
