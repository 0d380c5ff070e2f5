import { ORDER_TOPIC_CONFIG_NAMESPACE } from '@rocketmq-ts/client';
import type { CommandSpec } from '../../cli/command-spec.js';
import { CommandError, optionalOption, requiredOption } from '../../cli/command-spec.js';
import { topicOption } from '../option-specs.js';

/** One `brokerName:queueNums` entry of an orderConf. */
const ORDER_CONF_ENTRY = /^[^:;\s]+:\d+$/;

/**
 * Checks an orderConf value (`brokerName1:num;brokerName2:num`).
 * @throws CommandError naming the first malformed entry.
 */
export function checkOrderConf(orderConf: string): void {
  for (const entry of orderConf.split(';')) {
    if (!ORDER_CONF_ENTRY.test(entry.trim())) {
      throw new CommandError(
        `option --orderConf must look like brokerName1:num;brokerName2:num, got entry "${entry}"`,
      );
    }
  }
}

/**
 * `updateOrderConf -t topic -m put|get|delete [-v brokerName:num;…]` (Java 4.9.8 `UpdateOrderConfCommand`): reads,
 * replaces or deletes the topic's entry in the NameServer KV namespace ORDER_TOPIC_CONFIG (put and delete on every
 * NameServer of `-n`). Prints `get orderConf success. topic=[T], orderConf=[V]`, `update orderConf success.
 * topic=[T], orderConf=[V]` or `delete orderConf success. topic=[T]`; Java ends none of them with a line break and
 * the get line with a space. `get` of a topic without an entry fails (as Java's does) with one line.
 */
export const updateOrderConfCommand: CommandSpec = {
  name: 'updateOrderConf',
  description: 'Create or update or delete order conf',
  options: [
    topicOption(),
    {
      short: 'v',
      long: 'orderConf',
      description: 'set order conf [eg. brokerName1:num;brokerName2:num]',
    },
    { short: 'm', long: 'method', description: 'option type [eg. put|get|delete', required: true },
  ],
  async run(ctx) {
    const topic = requiredOption(ctx.options, 'topic').trim();
    const method = requiredOption(ctx.options, 'method').trim();
    switch (method) {
      case 'get': {
        const admin = await ctx.admin();
        const orderConf = await admin.getKVConfig(ORDER_TOPIC_CONFIG_NAMESPACE, topic);
        if (orderConf === undefined) {
          throw new CommandError(
            `topic ${topic} has no orderConf on the NameServer (KV namespace ${ORDER_TOPIC_CONFIG_NAMESPACE})`,
          );
        }
        ctx.print(`get orderConf success. topic=[${topic}], orderConf=[${orderConf}]`);
        return;
      }
      case 'put': {
        const orderConf = optionalOption(ctx.options, 'orderConf')?.trim() ?? '';
        if (orderConf === '') throw new CommandError('please set orderConf with option -v');
        checkOrderConf(orderConf);
        const admin = await ctx.admin();
        await admin.updateOrderConf(topic, orderConf);
        ctx.print(`update orderConf success. topic=[${topic}], orderConf=[${orderConf}]`);
        return;
      }
      case 'delete': {
        const admin = await ctx.admin();
        await admin.deleteKVConfig(ORDER_TOPIC_CONFIG_NAMESPACE, topic);
        ctx.print(`delete orderConf success. topic=[${topic}]`);
        return;
      }
      default:
        throw new CommandError(`option --method must be put, get or delete, got "${method}"`);
    }
  },
};
