import type { TopicConfig } from '@rocketmq-ts/protocol';
import type { CommandSpec, OptionSpec } from '../../cli/command-spec.js';
import { CommandError, boolOption, requiredOption } from '../../cli/command-spec.js';
import { clusterTargets, targetBrokerAddr } from '../broker-targets.js';
import { brokerNameOfAddr, clusterBrokerNames } from '../cluster-targets.js';
import { targetOptions, topicOption } from '../option-specs.js';
import { queueNumsOption } from '../queue-nums-option.js';
import { permOption } from './perm-name.js';
import { buildTopicSysFlag, formatTopicConfig } from './topic-config-text.js';

/** `-b` / `-c` and `-t` as updateTopic declares them; updateTopicPerm copies them (as its Java class does). */
export const TOPIC_TARGET_OPTIONS: readonly OptionSpec[] = [
  ...targetOptions('create topic to which broker', 'create topic to which cluster'),
  topicOption(),
];

/** updateTopic's own queue-count default (the TopicConfig class default is 16). */
const DEFAULT_QUEUE_NUMS = 8;

/**
 * `updateTopic (-b addr | -c cluster) -t topic [-r 8] [-w 8] [-p 6] [-o false] [-u false] [-s false]`
 * (Java 4.9.8 `UpdateTopicSubCommand`, mqadmin-and-config.md §1.2): creates or updates the topic on one broker or
 * on every master of a cluster; `-b` wins when both are given. Prints `create topic to <addr> success.` per broker
 * and the 4.x `TopicConfig [...]` line. With `-o true` it also writes the NameServer KV
 * `ORDER_TOPIC_CONFIG/<topic>` = `brokerName:writeQueueNums[;…]`: with `-c` replacing the value with every broker
 * set of the cluster, with `-b` merging that broker's entry, and prints the `set … orderConf` line. Java prints that
 * line and the TopicConfig without a line break after them; here every message ends its line.
 */
export const updateTopicCommand: CommandSpec = {
  name: 'updateTopic',
  description: 'Update or create topic',
  options: [
    ...TOPIC_TARGET_OPTIONS,
    { short: 'r', long: 'readQueueNums', description: 'set read queue nums' },
    { short: 'w', long: 'writeQueueNums', description: 'set write queue nums' },
    {
      short: 'p',
      long: 'perm',
      description: "set topic's permission(2|4|6), intro[2:W 4:R; 6:RW]",
    },
    { short: 'o', long: 'order', description: "set topic's order(true|false)" },
    { short: 'u', long: 'unit', description: 'is unit topic (true|false)' },
    { short: 's', long: 'hasUnitSub', description: 'has unit sub (true|false)' },
  ],
  async run(ctx) {
    const { options } = ctx;
    const order = boolOption(options, 'order', false);
    const config: TopicConfig = {
      topicName: requiredOption(options, 'topic').trim(),
      readQueueNums: queueNumsOption(options, 'readQueueNums', DEFAULT_QUEUE_NUMS),
      writeQueueNums: queueNumsOption(options, 'writeQueueNums', DEFAULT_QUEUE_NUMS),
      perm: permOption(options, 'perm', 6),
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: buildTopicSysFlag(
        boolOption(options, 'unit', false),
        boolOption(options, 'hasUnitSub', false),
      ),
      order,
    };
    if (config.topicName === '') throw new CommandError('option --topic must not be empty');
    const brokerAddr = targetBrokerAddr(options);
    const admin = await ctx.admin();
    if (brokerAddr !== undefined) {
      await admin.createOrUpdateTopic(brokerAddr, config);
      if (order) {
        const brokerName = brokerNameOfAddr(await admin.clusterInfo(), brokerAddr);
        if (brokerName === undefined) {
          throw new CommandError(
            `topic created on ${brokerAddr}, but the NameServer does not know that broker, so no orderConf was written: check -b and -n`,
          );
        }
        const orderConf = `${brokerName}:${config.writeQueueNums}`;
        await admin.updateOrderConf(config.topicName, orderConf, { merge: true });
        ctx.print(`set broker orderConf. isOrder=${order}, orderConf=[${orderConf}]`);
      }
      ctx.print(`create topic to ${brokerAddr} success.`);
      ctx.print(formatTopicConfig(config));
      return;
    }
    const { clusterName, info, brokers } = await clusterTargets(admin, options, 'masters');
    for (const master of brokers) {
      await admin.createOrUpdateTopic(master.addr, config);
      ctx.print(`create topic to ${master.addr} success.`);
    }
    if (order) {
      const orderConf = clusterBrokerNames(info, clusterName)
        .map((name) => `${name}:${config.writeQueueNums}`)
        .join(';');
      await admin.updateOrderConf(config.topicName, orderConf);
      ctx.print(`set cluster orderConf. isOrder=${order}, orderConf=[${orderConf}]`);
    }
    ctx.print(formatTopicConfig(config));
  },
};
