import type { CommandSpec } from '../../cli/command-spec.js';
import { CommandError, intOption, requiredOption } from '../../cli/command-spec.js';
import { topicOption } from '../option-specs.js';
import { BODY_FORMAT_OPTION, MESSAGE_NOT_FOUND, printMessageDetail } from './message-lookup.js';

/**
 * `queryMsgByOffset -t <topic> -b <brokerName> -i <queueId> -o <offset>` (QueryMsgByOffsetSubCommand, 4.9.8):
 * pulls the one message at that consume-queue offset (group TOOLS_CONSUMER) and prints it as queryMsgById does,
 * MessageTrack lines included. `-f <charset>` (5.x) also prints the body. No message there fails with
 * `Message not found!` (4.9.8 prints nothing).
 */
export const queryMsgByOffsetCommand: CommandSpec = {
  name: 'queryMsgByOffset',
  description: 'Query Message by offset',
  options: [
    topicOption(),
    { short: 'b', long: 'brokerName', description: 'Broker Name', required: true },
    { short: 'i', long: 'queueId', description: 'Queue Id', required: true },
    { short: 'o', long: 'offset', description: 'Queue Offset', required: true },
    BODY_FORMAT_OPTION,
  ],
  async run(ctx) {
    const topic = requiredOption(ctx.options, 'topic').trim();
    const brokerName = requiredOption(ctx.options, 'brokerName').trim();
    const queueId = intOption(ctx.options, 'queueId', 0);
    const offset = intOption(ctx.options, 'offset', 0);
    const admin = await ctx.admin();
    const msg = await admin.queryMessageByOffset({ topic, brokerName, queueId, offset });
    if (msg === undefined) {
      throw new CommandError(
        `${MESSAGE_NOT_FOUND} no message at offset ${offset} of queue ${queueId} of topic ${topic} on broker ${brokerName}`,
      );
    }
    await printMessageDetail(ctx, msg, { withOffsetId: true });
  },
};
