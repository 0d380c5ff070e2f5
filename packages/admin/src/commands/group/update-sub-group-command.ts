import type { SubscriptionGroupConfig } from '@rocketmq-ts/protocol';
import type { CommandSpec } from '../../cli/command-spec.js';
import { CommandError, boolOption, intOption, requiredOption } from '../../cli/command-spec.js';
import { brokerTargets } from '../broker-targets.js';
import { groupOption, targetOptions } from '../option-specs.js';

/** The config mqadmin sends: Java's SubscriptionGroupConfig defaults, with `-m` and `-d` false unless given. */
export function subGroupConfigFromOptions(
  options: Parameters<typeof boolOption>[0],
): SubscriptionGroupConfig {
  const groupName = requiredOption(options, 'groupName').trim();
  const config: SubscriptionGroupConfig = {
    groupName,
    consumeEnable: boolOption(options, 'consumeEnable', true),
    // UpdateSubGroupSubCommand sets these two to false before reading the options (the class default is true).
    consumeFromMinEnable: boolOption(options, 'consumeFromMinEnable', false),
    consumeBroadcastEnable: boolOption(options, 'consumeBroadcastEnable', false),
    retryQueueNums: intOption(options, 'retryQueueNums', 1),
    retryMaxTimes: intOption(options, 'retryMaxTimes', 16),
    brokerId: intOption(options, 'brokerId', 0),
    whichBrokerWhenConsumeSlowly: intOption(options, 'whichBrokerWhenConsumeSlowly', 1),
    notifyConsumerIdsChangedEnable: boolOption(options, 'notifyConsumerIdsChanged', true),
  };
  if (config.retryQueueNums < 0) {
    throw new CommandError(
      `option -q/--retryQueueNums must not be negative, got ${config.retryQueueNums}`,
    );
  }
  return config;
}

/** Java `SubscriptionGroupConfig.toString()` (4.9.8 fields). */
export function subGroupConfigString(c: SubscriptionGroupConfig): string {
  return (
    `SubscriptionGroupConfig [groupName=${c.groupName}, consumeEnable=${c.consumeEnable}, ` +
    `consumeFromMinEnable=${c.consumeFromMinEnable}, consumeBroadcastEnable=${c.consumeBroadcastEnable}, ` +
    `retryQueueNums=${c.retryQueueNums}, retryMaxTimes=${c.retryMaxTimes}, brokerId=${c.brokerId}, ` +
    `whichBrokerWhenConsumeSlowly=${c.whichBrokerWhenConsumeSlowly}, ` +
    `notifyConsumerIdsChangedEnable=${c.notifyConsumerIdsChangedEnable}]`
  );
}

/**
 * `updateSubGroup (-b <brokerAddr> | -c <cluster>) -g <group> [-s -m -d -q -r -i -w -a]` (UpdateSubGroupSubCommand,
 * 4.9.8): creates or replaces the group's config on one broker or on every master of the cluster (`-b` wins),
 * printing `create subscription group to <addr> success.` per broker, then the config (Java's toString). Boolean
 * options take `true`/`false` values. Neither `-b` nor `-c` is a parse error (usage, exit 1; Java prints the usage
 * and exits 0); a broker that refuses fails the command (Java prints the trace and goes on with the next).
 */
export const updateSubGroupCommand: CommandSpec = {
  name: 'updateSubGroup',
  description: 'Update or create subscription group',
  options: [
    ...targetOptions(
      'create subscription group to which broker',
      'create subscription group to which cluster',
    ),
    groupOption('groupName', 'consumer group name', true),
    { short: 's', long: 'consumeEnable', description: 'consume enable' },
    { short: 'm', long: 'consumeFromMinEnable', description: 'from min offset' },
    { short: 'd', long: 'consumeBroadcastEnable', description: 'broadcast' },
    { short: 'q', long: 'retryQueueNums', description: 'retry queue nums' },
    { short: 'r', long: 'retryMaxTimes', description: 'retry max times' },
    { short: 'i', long: 'brokerId', description: 'consumer from which broker id' },
    {
      short: 'w',
      long: 'whichBrokerWhenConsumeSlowly',
      description: 'which broker id when consume slowly',
    },
    { short: 'a', long: 'notifyConsumerIdsChanged', description: 'notify consumerId changed' },
  ],
  async run(ctx) {
    const config = subGroupConfigFromOptions(ctx.options);
    const admin = await ctx.admin();
    const { addrs } = await brokerTargets(admin, ctx.options, 'masters');
    for (const addr of addrs) {
      await admin.createOrUpdateSubscriptionGroup(addr, config);
      ctx.print(`create subscription group to ${addr} success.`);
    }
    ctx.print(subGroupConfigString(config));
  },
};
