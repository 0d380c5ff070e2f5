import type { CommandSpec } from '../../cli/command-spec.js';
import { CommandError, requiredOption } from '../../cli/command-spec.js';
import { MSG_ID_OPTION, topicOption } from '../option-specs.js';
import { CONSUME_DIRECTLY_OPTIONS, consumeDirectlyWhenAsked } from './consume-directly.js';
import { MESSAGE_NOT_FOUND, printMessageDetail } from './message-lookup.js';

/** Java's cap on `-a`: the unique-key query asks for at most 32 copies. */
const SHOW_ALL_LIMIT = 32;

/**
 * `queryMsgByUniqueKey -i <msgId> -t <topic> [-a]` (QueryMsgByUniqueKeySubCommand, 4.9.8): the message with that
 * unique key (the producer's msgId), earliest copy first, as the detail block without `OffsetID:` followed by the
 * MessageTrack lines (4.9.8 prints them here too; the reference's "no track list" is 5.x). `-a` prints every copy
 * (re-sends, retries; body files get `_<n>` suffixes). With `-g` and `-d` the message is handed to that push client
 * to consume now and the ConsumeMessageDirectlyResult printed. Nothing found fails with `Message not found!` (4.9.8
 * prints nothing).
 */
export const queryMsgByUniqueKeyCommand: CommandSpec = {
  name: 'queryMsgByUniqueKey',
  description: 'Query Message by Unique key',
  options: [
    MSG_ID_OPTION,
    ...CONSUME_DIRECTLY_OPTIONS,
    topicOption('The topic of msg'),
    {
      short: 'a',
      long: 'showAll',
      description: 'Print all message, the limit is 32',
      hasArg: false,
    },
  ],
  async run(ctx) {
    const msgId = requiredOption(ctx.options, 'msgId').trim();
    const topic = requiredOption(ctx.options, 'topic').trim();
    const admin = await ctx.admin();
    if (await consumeDirectlyWhenAsked(ctx, admin, { msgIds: [msgId], topic })) return;
    const found = await admin.queryMessageByUniqueKey(topic, msgId);
    if (found.length === 0) {
      throw new CommandError(
        `${MESSAGE_NOT_FOUND} no message with unique key ${msgId} in topic ${topic}`,
      );
    }
    const shown = ctx.options.has('showAll') ? found.slice(0, SHOW_ALL_LIMIT) : found.slice(0, 1);
    for (const [index, msg] of shown.entries()) {
      if (index > 0) ctx.print('');
      await printMessageDetail(ctx, msg, { withOffsetId: false, index });
    }
  },
};
