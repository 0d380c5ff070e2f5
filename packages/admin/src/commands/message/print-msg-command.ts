import type { CommandSpec, OptionSpec } from '../../cli/command-spec.js';
import { boolOption, optionalOption, requiredOption } from '../../cli/command-spec.js';
import { FailureList, errorText } from '../failure-list.js';
import { optionalTimeOption } from '../human-time.js';
import { beginTimestampOption, endTimestampOption, topicOption } from '../option-specs.js';
import { ToolsClient, usingToolsClient } from '../tools-client.js';
import { decodeBody, messageQueueString, printMsgLine } from './message-printer.js';
import { printQueue } from './queue-printer.js';
import { queueOffsetRange } from './queue-reader.js';

/** Java's separator between queues: 56 dashes. */
const QUEUE_SEPARATOR = '-'.repeat(56);

// Upstream long names end with a space (`"charsetName "`), so only the short flags work there; we accept both.
const CHARSET: OptionSpec = {
  short: 'c',
  long: 'charsetName',
  description: 'CharsetName(eg: UTF-8,GBK)',
};
const SUB_EXPRESSION: OptionSpec = {
  short: 's',
  long: 'subExpression',
  description: 'Subscribe Expression(eg: TagA || TagB)',
};
const BEGIN = beginTimestampOption('b');
const END = endTimestampOption();
const PRINT_BODY: OptionSpec = { short: 'd', long: 'printBody', description: 'print body' };

/**
 * `printMsg -t <topic> [-c charset] [-s expr] [-b begin] [-e end] [-d printBody]` (PrintMessageSubCommand, 4.9.8):
 * for every readable queue, `minOffset=<a>, maxOffset=<b>, MessageQueue [...]` (the range narrowed by the time
 * window), one `MSGID: <id> <MessageExt.toString()> BODY: <body>` line per message matching the tag expression,
 * status lines for filtered stretches and the queue's end, then 56 dashes. Bounded by the max offsets read at the
 * start. A queue that fails to pull is reported and the command fails after the other queues (4.9.8 prints the
 * stack trace and goes on).
 */
export const printMsgCommand: CommandSpec = {
  name: 'printMsg',
  description: 'Print Message Detail',
  options: [topicOption(), CHARSET, SUB_EXPRESSION, BEGIN, END, PRINT_BODY],
  async run(ctx) {
    const topic = requiredOption(ctx.options, 'topic').trim();
    const charset = optionalOption(ctx.options, CHARSET.long)?.trim() ?? 'UTF-8';
    const subExpression = optionalOption(ctx.options, SUB_EXPRESSION.long)?.trim() ?? '*';
    const printBody = boolOption(ctx.options, PRINT_BODY.long, true);
    const begin = optionalTimeOption(ctx.options, BEGIN);
    const end = optionalTimeOption(ctx.options, END);
    decodeBody(Buffer.alloc(0), charset, CHARSET); // refuse an unknown charset before reading anything

    const failures = new FailureList();
    await usingToolsClient(ToolsClient.open(ctx.namesrvAddr), async (client) => {
      for (const mq of await client.subscribeQueues(topic)) {
        const { from, to } = await queueOffsetRange(client, mq, { begin, end });
        const mqText = messageQueueString(mq);
        ctx.print(`minOffset=${from}, maxOffset=${to}, ${mqText}`);
        try {
          await printQueue(ctx, client, {
            mq,
            from,
            to,
            subExpression,
            printBatch: (messages) => {
              for (const pulled of messages) {
                const body = printBody ? decodeBody(pulled.msg.body, charset, CHARSET) : undefined;
                ctx.print(printMsgLine(pulled.msg, pulled, body));
              }
            },
          });
        } catch (error) {
          ctx.print(`${mqText} pull failed: ${errorText(error)}`);
          failures.add(`${mq.brokerName}/${mq.queueId}`, error);
        }
        ctx.print(QUEUE_SEPARATOR);
      }
    });
    failures.throwIfAny(`could not read every queue of ${topic}: `);
  },
};
