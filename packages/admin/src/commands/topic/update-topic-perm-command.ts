import type { QueueData, TopicConfig } from '@rocketmq-ts/protocol';
import type { CommandSpec } from '../../cli/command-spec.js';
import { CommandError, requiredOption } from '../../cli/command-spec.js';
import { clusterTargets, targetBrokerAddr } from '../broker-targets.js';
import { permOption } from './perm-name.js';
import { formatTopicConfig } from './topic-config-text.js';
import { unlessTopicMissing } from './topic-not-found.js';
import { TOPIC_TARGET_OPTIONS } from './update-topic-command.js';

/** The TopicConfig that updateTopicPerm sends: the broker set's queue counts and sys flag, the new perm. */
function permConfig(topic: string, queue: QueueData, perm: number): TopicConfig {
  return {
    topicName: topic,
    readQueueNums: queue.readQueueNums,
    writeQueueNums: queue.writeQueueNums,
    perm,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: queue.topicSysFlag,
    order: false,
  };
}

/**
 * `updateTopicPerm -t topic -p perm (-b masterAddr | -c cluster)` (Java 4.9.8 `UpdateTopicPermSubCommand`): rewrites
 * the topic's perm on one master, or on every master of a cluster, keeping its queue counts. With `-b` it prints
 * `new perm equals to the old one!` when nothing changes, else `update topic perm from <old> to <new> in <addr>
 * success.` and the `TopicConfig [...].` line; with `-c` the success line per master. Differences from 4.9.8:
 * each broker keeps its own queue counts (Java copies the first broker set's counts to every target), and one of
 * `-b` / `-c` is required (Java prints the usage and exits 0).
 */
export const updateTopicPermCommand: CommandSpec = {
  name: 'updateTopicPerm',
  description: 'Update topic perm',
  options: [
    ...TOPIC_TARGET_OPTIONS,
    {
      short: 'p',
      long: 'perm',
      description: "set topic's permission(2|4|6), intro[2:W; 4:R; 6:RW]",
      required: true,
    },
  ],
  async run(ctx) {
    const topic = requiredOption(ctx.options, 'topic').trim();
    const perm = permOption(ctx.options, 'perm', 6);
    const admin = await ctx.admin();
    const route = await unlessTopicMissing(topic, admin.topicRoute(topic));
    const queueOf = (brokerName: string): QueueData | undefined =>
      route.queueDatas.find((q) => q.brokerName === brokerName);
    const brokerAddr = targetBrokerAddr(ctx.options);
    if (brokerAddr !== undefined) {
      const broker = route.brokerDatas.find((b) => b.brokerAddrs.get(0) === brokerAddr);
      const queue = broker === undefined ? undefined : queueOf(broker.brokerName);
      if (queue === undefined) {
        throw new CommandError(
          `broker ${brokerAddr} is not a master holding topic ${topic}: pass a master address from mqadmin topicRoute -t ${topic} -l`,
        );
      }
      if (queue.perm === perm) {
        ctx.print('new perm equals to the old one!');
        return;
      }
      const config = permConfig(topic, queue, perm);
      await admin.createOrUpdateTopic(brokerAddr, config);
      ctx.print(`update topic perm from ${queue.perm} to ${perm} in ${brokerAddr} success.`);
      ctx.print(`${formatTopicConfig(config)}.`);
      return;
    }
    const first = route.queueDatas[0];
    if (first === undefined) throw new CommandError(`topic ${topic} has no queues in its route`);
    for (const master of (await clusterTargets(admin, ctx.options, 'masters')).brokers) {
      // A master without the topic gets it with the first broker set's counts, as in Java.
      const queue = queueOf(master.brokerName) ?? first;
      await admin.createOrUpdateTopic(master.addr, permConfig(topic, queue, perm));
      ctx.print(`update topic perm from ${queue.perm} to ${perm} in ${master.addr} success.`);
    }
  },
};
