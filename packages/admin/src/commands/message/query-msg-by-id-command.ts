import type { CommandSpec } from '../../cli/command-spec.js';
import {
  CommandError,
  boolOption,
  optionalOption,
  requiredOption,
} from '../../cli/command-spec.js';
import { MSG_ID_OPTION, topicOption } from '../option-specs.js';
import { CONSUME_DIRECTLY_OPTIONS, consumeDirectlyWhenAsked } from './consume-directly.js';
import {
  BODY_FORMAT_OPTION,
  MESSAGE_NOT_FOUND,
  lookupMessage,
  printMessageDetail,
} from './message-lookup.js';
import { formatSendResult } from './message-printer.js';
import { startToolProducer } from './tool-producer.js';

/** Java's producer group for `-s true` (QueryMsgByIdSubCommand). */
const RESEND_PRODUCER_GROUP = 'ReSendMsgById';

/**
 * `queryMsgById -i <id>[,<id>…]` (QueryMsgByIdSubCommand, 4.9.8): for each id, the message's detail block (body
 * written to the body directory) and one `MessageTrack [...]` line per group consuming its topic. With `-g` and
 * `-d` the message is instead handed to that push client to consume now (CONSUME_MESSAGE_DIRECTLY) and the result
 * printed; with `-s true` it is re-sent with producer group ReSendMsgById.
 *
 * 4.9.8 takes offset message ids only. From 5.x we take `-t` (optional here; required there): with it, ids that are
 * not offset ids, or not found as one, are looked up as unique keys (the producer's msgId). And `-f <charset>`
 * (5.x) also prints the body. An id that is not found fails the command (exit 1) with `Message not found!`, after
 * the others were printed.
 */
export const queryMsgByIdCommand: CommandSpec = {
  name: 'queryMsgById',
  description: 'Query Message by Id',
  options: [
    MSG_ID_OPTION,
    ...CONSUME_DIRECTLY_OPTIONS,
    { short: 's', long: 'sendMessage', description: 'resend message' },
    { short: 'u', long: 'unitName', description: 'unit name' },
    topicOption('topic name (look ids up as unique keys too)', false),
    BODY_FORMAT_OPTION,
  ],
  async run(ctx) {
    const ids = requiredOption(ctx.options, 'msgId')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
    if (ids.length === 0) throw new CommandError('option -i/--msgId: no message id given');
    const topic = optionalOption(ctx.options, 'topic')?.trim();
    const admin = await ctx.admin();
    if (await consumeDirectlyWhenAsked(ctx, admin, { msgIds: ids, topic })) return;

    if (ctx.options.has('sendMessage')) {
      if (!boolOption(ctx.options, 'sendMessage', false)) return;
      const unitName = optionalOption(ctx.options, 'unitName')?.trim();
      const producer = await startToolProducer(ctx, {
        producerGroup: RESEND_PRODUCER_GROUP,
        ...(unitName === undefined ? {} : { unitName }),
      });
      try {
        for (const msgId of ids) {
          const found = await lookupMessage(admin, msgId, topic);
          if (found.msg === undefined) {
            ctx.print(`no message. msgId=${msgId}`);
            continue;
          }
          const { msg } = found;
          ctx.print(`prepare resend msg. originalMsgId=${msgId}`);
          // Java re-sends every property; the producer here refuses RocketMQ's own (UNIQ_KEY, …), so the copy
          // carries body, tags, keys and flag and gets a new unique key.
          const result = await producer.send({
            topic: msg.topic,
            body: msg.body,
            flag: msg.flag,
            ...(msg.tags === undefined ? {} : { tags: msg.tags }),
            ...(msg.keys === undefined ? {} : { keys: msg.keys }),
          });
          ctx.print(formatSendResult(result));
        }
      } finally {
        await producer.shutdown();
      }
      return;
    }

    const missing: string[] = [];
    for (const [i, msgId] of ids.entries()) {
      const found = await lookupMessage(admin, msgId, topic);
      if (found.msg === undefined) {
        missing.push(ids.length === 1 ? `msgId ${msgId}: ${found.reason}` : msgId);
        continue;
      }
      if (i > 0) ctx.print('');
      await printMessageDetail(ctx, found.msg, { withOffsetId: true });
    }
    if (missing.length > 0) throw new CommandError(`${MESSAGE_NOT_FOUND} ${missing.join(', ')}`);
  },
};
