import type { CommandSpec, OptionSpec } from '../../cli/command-spec.js';
import {
  CommandError,
  boolOption,
  optionalOption,
  requiredOption,
} from '../../cli/command-spec.js';
import { decodeBody, messageQueueString, printMsgLine } from './message-printer.js';
import { readQueue } from './queue-reader.js';
import type { ReadQueueEvent } from './queue-reader.js';
import { parseTimeArgument } from './time-argument.js';
import { ToolsClient } from './tools-client.js';

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
const BEGIN: OptionSpec = {
  short: 'b',
  long: 'beginTimestamp',
  description: 'Begin timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]',
};
const END: OptionSpec = {
  short: 'e',
  long: 'endTimestamp',
  description: 'End timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]',
};
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
  options: [
    { short: 't', long: 'topic', description: 'topic name', required: true },
    CHARSET,
    SUB_EXPRESSION,
    BEGIN,
    END,
    PRINT_BODY,
  ],
  async run(ctx) {
    const topic = requiredOption(ctx.options, 'topic').trim();
    const charset = optionalOption(ctx.options, CHARSET.long)?.trim() ?? 'UTF-8';
    const subExpression = optionalOption(ctx.options, SUB_EXPRESSION.long)?.trim() ?? '*';
    const printBody = boolOption(ctx.options, PRINT_BODY.long, true);
    const beginText = optionalOption(ctx.options, BEGIN.long);
    const endText = optionalOption(ctx.options, END.long);
    const begin = beginText === undefined ? undefined : parseTimeArgument(BEGIN, beginText);
    const end = endText === undefined ? undefined : parseTimeArgument(END, endText);
    decodeBody(Buffer.alloc(0), charset, CHARSET); // refuse an unknown charset before reading anything

    const client = ToolsClient.open(ctx.namesrvAddr);
    const failures: string[] = [];
    try {
      for (const mq of await client.subscribeQueues(topic)) {
        const minOffset =
          begin === undefined ? await client.minOffset(mq) : await client.searchOffset(mq, begin);
        const maxOffset =
          end === undefined ? await client.maxOffset(mq) : await client.searchOffset(mq, end);
        const mqText = messageQueueString(mq);
        ctx.print(`minOffset=${minOffset}, maxOffset=${maxOffset}, ${mqText}`);
        const onEvent = (event: ReadQueueEvent): void => {
          switch (event.kind) {
            case 'found':
              for (const pulled of event.messages) {
                const body = printBody ? decodeBody(pulled.msg.body, charset, CHARSET) : undefined;
                ctx.print(printMsgLine(pulled.msg, pulled, body));
              }
              break;
            case 'no-matched':
              ctx.print(`${mqText} no matched msg. status=NO_MATCHED_MSG, offset=${event.offset}`);
              break;
            case 'finished':
              ctx.print(
                `${mqText} print msg finished. status=${event.status}, offset=${event.offset}`,
              );
              break;
          }
        };
        try {
          await readQueue(client, { mq, from: minOffset, to: maxOffset, subExpression, onEvent });
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          ctx.print(`${mqText} pull failed: ${reason}`);
          failures.push(`${mq.brokerName}/${mq.queueId}: ${reason}`);
        }
        ctx.print(QUEUE_SEPARATOR);
      }
    } finally {
      await client.close();
    }
    if (failures.length > 0) {
      throw new CommandError(`could not read every queue of ${topic}: ${failures.join('; ')}`);
    }
  },
};
