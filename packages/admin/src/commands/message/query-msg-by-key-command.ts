import type { CommandSpec, OptionSpec } from '../../cli/command-spec.js';
import { CommandError, intOption, optionalOption, requiredOption } from '../../cli/command-spec.js';
import { parseTimeArgument } from './time-argument.js';

const BEGIN: OptionSpec = {
  short: 'b',
  long: 'beginTimestamp',
  description: 'Begin timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS], default 0',
};
const END: OptionSpec = {
  short: 'e',
  long: 'endTimestamp',
  description: 'End timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS], default no end',
};

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
    { short: 't', long: 'topic', description: 'topic name', required: true },
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
    const begin = optionalOption(ctx.options, BEGIN.long);
    const end = optionalOption(ctx.options, END.long);
    const beginTimestamp = begin === undefined ? undefined : parseTimeArgument(BEGIN, begin);
    const endTimestamp = end === undefined ? undefined : parseTimeArgument(END, end);
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
    ctx.print(`${'#Message ID'.padEnd(50)} ${'#QID'.padStart(4)} ${'#Offset'.padStart(40)}`);
    for (const m of found) {
      ctx.print(
        `${m.msgId.padEnd(50)} ${String(m.queueId).padStart(4)} ${String(m.queueOffset).padStart(40)}`,
      );
    }
  },
};
