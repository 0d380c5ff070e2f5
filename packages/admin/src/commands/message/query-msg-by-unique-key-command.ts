import type { CommandSpec } from '../../cli/command-spec.js';
import { CommandError, optionalOption, requiredOption } from '../../cli/command-spec.js';
import { MESSAGE_NOT_FOUND, printMessageDetail } from './message-lookup.js';
import { formatConsumeMessageDirectlyResult } from './message-printer.js';

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
    { short: 'i', long: 'msgId', description: 'Message Id', required: true },
    { short: 'g', long: 'consumerGroup', description: 'consumer group name' },
    { short: 'd', long: 'clientId', description: "The consumer's client id" },
    { short: 't', long: 'topic', description: 'The topic of msg', required: true },
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
    const group = optionalOption(ctx.options, 'consumerGroup')?.trim();
    const clientId = optionalOption(ctx.options, 'clientId')?.trim();
    const admin = await ctx.admin();
    if (group !== undefined && clientId !== undefined) {
      const result = await admin.consumeMessageDirectly({
        consumerGroup: group,
        clientId,
        msgId,
        topic,
      });
      ctx.print(formatConsumeMessageDirectlyResult(result));
      return;
    }
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
