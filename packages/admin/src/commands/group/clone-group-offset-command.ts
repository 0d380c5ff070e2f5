import type { CommandSpec } from '../../cli/command-spec.js';
import { boolOption, requiredOption } from '../../cli/command-spec.js';
import { topicOption } from '../option-specs.js';

/**
 * `cloneGroupOffset -s <srcGroup> -d <destGroup> -t <topic> [-o offline]` (CloneGroupOffsetCommand, 4.9.8): the
 * destination group takes the source group's committed offsets on the topic (CLONE_GROUP_OFFSET on each broker of
 * the source group and topic; Java 4.9.8 copies them one queue at a time with UPDATE_CONSUMER_OFFSET), then prints
 * `clone group offset success. srcGroup[S], destGroup=[D], topic[T]` (with a newline, which 4.9.8 leaves out).
 * `-o true` also copies when the source group no longer subscribes to the topic (4.9.8 accepts and ignores it).
 */
export const cloneGroupOffsetCommand: CommandSpec = {
  name: 'cloneGroupOffset',
  description: 'clone offset from other group.',
  options: [
    { short: 's', long: 'srcGroup', description: 'set source consumer group', required: true },
    {
      short: 'd',
      long: 'destGroup',
      description: 'set destination consumer group',
      required: true,
    },
    topicOption('set the topic'),
    { short: 'o', long: 'offline', description: 'the group or the topic is offline' },
  ],
  async run(ctx) {
    const srcGroup = requiredOption(ctx.options, 'srcGroup').trim();
    const destGroup = requiredOption(ctx.options, 'destGroup').trim();
    const topic = requiredOption(ctx.options, 'topic').trim();
    const offline = boolOption(ctx.options, 'offline', false);
    const admin = await ctx.admin();
    // As Java reads the source's consume stats first: a source without offsets fails with one line naming it.
    await admin.consumeStats(srcGroup, topic);
    await admin.cloneGroupOffset({ srcGroup, destGroup, topic, offline });
    ctx.print(
      `clone group offset success. srcGroup[${srcGroup}], destGroup=[${destGroup}], topic[${topic}]`,
    );
  },
};
