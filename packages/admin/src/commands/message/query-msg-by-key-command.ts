import type { CommandSpec } from '../../cli/command-spec.js';
import { CommandError, intOption, requiredOption } from '../../cli/command-spec.js';
import { optionalTimeOption } from '../human-time.js';
import { beginTimestampOption, endTimestampOption, topicOption } from '../option-specs.js';
import { formatRow } from '../text-columns.js';

const BEGIN = beginTimestampOption('b', ', default 0');
const END = endTimestampOption(', default no end');

/**
 * `queryMsgByKey -t <topic> -k <key>` (QueryMsgByKeySubCommand, 4.9.8): the index lookup on every broker set of the
 * topic, one row per message carrying the key: `#Message ID` (L50), `#QID` (R4), `#Offset` (R40). RocketMQ 5.x's
 * `-b`/`-e` store-time window and `-m` maximum (64 per broker) are taken too. No match prints the header only (4.9.8
 * fails with "query message by key finished, but no message"). `--json`: an array of the messages found.
 */
export const queryMsgByKeyCommand: CommandSpec = {
  name: 'queryMsgByKey',
  description: 'Query Message by Key',
  json: true,
  options: [
    topicOption(),
    { short: 'k', long: 'msgKey', description: 'Message Key', required: true },
    BEGIN,
    END,
    {
      short: 'm',
      long: 'maxNum',
      description: 'The maximum number of messages returned, default 64',
    },
  ],
  async run(ctx) {
    const topic = requiredOption(ctx.options, 'topic').trim();
    const key = requiredOption(ctx.options, 'msgKey').trim();
    const maxNum = intOption(ctx.options, 'maxNum', 64);
    if (maxNum <= 0) throw new CommandError(`option -m/--maxNum must be positive, got ${maxNum}`);
    const beginTimestamp = optionalTimeOption(ctx.options, BEGIN);
    const endTimestamp = optionalTimeOption(ctx.options, END);
    const admin = await ctx.admin();
    const found = await admin.queryMessageByKey({
      topic,
      key,
      maxNum,
      ...(beginTimestamp === undefined ? {} : { beginTimestamp }),
      ...(endTimestamp === undefined ? {} : { endTimestamp }),
    });
    if (ctx.json) {
      ctx.print(
        JSON.stringify(
          found.map((m) => ({
            msgId: m.msgId,
            offsetMsgId: m.offsetMsgId,
            topic: m.topic,
            brokerName: m.brokerName,
            queueId: m.queueId,
            queueOffset: m.queueOffset,
            tags: m.tags ?? null,
            keys: m.keys ?? null,
            storeTimestamp: m.storeTimestamp,
          })),
        ),
      );
      return;
    }
    const format = '%-50s %4s %40s';
    ctx.print(formatRow(format, ['#Message ID', '#QID', '#Offset']));
    for (const m of found) ctx.print(formatRow(format, [m.msgId, m.queueId, m.queueOffset]));
  },
};
