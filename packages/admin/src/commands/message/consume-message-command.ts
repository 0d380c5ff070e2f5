import type { MessageQueue } from '@rocketmq-ts/protocol';
import type { CommandSpec } from '../../cli/command-spec.js';
import { CommandError, intOption, optionalOption, requiredOption } from '../../cli/command-spec.js';
import { optionalTimeOption } from '../human-time.js';
import {
  beginTimestampOption,
  endTimestampOption,
  groupOption,
  topicOption,
} from '../option-specs.js';
import { ToolsClient, usingToolsClient } from '../tools-client.js';
import { decodeBody, messageQueueString, printMsgLine } from './message-printer.js';
import { printQueue } from './queue-printer.js';
import { queueOffsetRange } from './queue-reader.js';

/** Java ConsumeMessageCommand's default `-c`. */
const DEFAULT_MESSAGE_COUNT = 128;

const BEGIN = beginTimestampOption('s');
const END = endTimestampOption();

/** consumeMessage always prints bodies as UTF-8; named for decodeBody's error, which UTF-8 never raises. */
const BODY = { short: 'c', long: 'charset' } as const;

/**
 * `consumeMessage -t <topic> [-b brokerName [-i queueId [-o offset]]] [-g group] [-s begin] [-e end] [-c count]`
 * (ConsumeMessageCommand, 4.9.8): pulls at most `-c` (128) messages, oldest first, queue by queue (or from the one
 * queue of `-b`/`-i`, from `-o`), and prints `Consume ok` then one `MSGID: … BODY: …` line per message of each
 * batch, and `<mq> print msg finished. status=…` where a queue ends. Nothing is committed: the group (default
 * TOOLS_CONSUMER) only names the pulls. Option mistakes fail with RocketMQ's own sentences ("Please set queueId
 * before offset!"…); 4.9.8 prints them and exits 0.
 *
 * Differences from 4.9.8, whose count bookkeeping is off by one per queue: `-c` is the exact number of messages
 * printed over all queues, and `-b` without `-i` reads only that broker's queues (4.9.8 ignores it).
 */
export const consumeMessageCommand: CommandSpec = {
  name: 'consumeMessage',
  description: 'Consume message',
  options: [
    topicOption('Topic name'),
    { short: 'b', long: 'brokerName', description: 'Broker name' },
    { short: 'i', long: 'queueId', description: 'Queue Id' },
    { short: 'o', long: 'offset', description: 'Queue offset' },
    groupOption('consumerGroup', 'Consumer group name'),
    BEGIN,
    END,
    { short: 'c', long: 'MessageNumber', description: 'Number of message to be consumed' },
  ],
  async run(ctx) {
    const topic = requiredOption(ctx.options, 'topic').trim();
    const count = intOption(ctx.options, 'MessageNumber', DEFAULT_MESSAGE_COUNT);
    if (count <= 0) throw new CommandError('Please input a positive messageNumber!');
    const brokerName = optionalOption(ctx.options, 'brokerName')?.trim();
    if (ctx.options.has('queueId') && brokerName === undefined) {
      throw new CommandError('Please set the brokerName before queueId!');
    }
    if (ctx.options.has('offset') && !ctx.options.has('queueId')) {
      throw new CommandError('Please set queueId before offset!');
    }
    const queueId = ctx.options.has('queueId') ? intOption(ctx.options, 'queueId', 0) : undefined;
    const offset = ctx.options.has('offset') ? intOption(ctx.options, 'offset', 0) : undefined;
    const group = optionalOption(ctx.options, 'consumerGroup')?.trim();
    const now = ctx.now();
    const begin = optionalTimeOption(ctx.options, BEGIN);
    const end = optionalTimeOption(ctx.options, END);
    if (begin !== undefined && begin > now) {
      throw new CommandError('Please set the beginTimestamp before now!');
    }
    if (end !== undefined && end > now)
      throw new CommandError('Please set the endTimestamp before now!');
    if (begin !== undefined && end !== undefined && begin > end) {
      throw new CommandError(
        'Please make sure that the beginTimestamp is less than or equal to the endTimestamp',
      );
    }

    await usingToolsClient(ToolsClient.open(ctx.namesrvAddr), async (client) => {
      let queues: MessageQueue[];
      if (brokerName !== undefined && queueId !== undefined) {
        queues = [{ topic, brokerName, queueId }];
      } else {
        queues = await client.subscribeQueues(topic);
        if (brokerName !== undefined) queues = queues.filter((q) => q.brokerName === brokerName);
        if (queues.length === 0) {
          throw new CommandError(
            `broker ${brokerName ?? ''} has no readable queue of topic ${topic}`,
          );
        }
      }
      let left = count;
      for (const mq of queues) {
        if (left === 0) break;
        let { from, to } = await queueOffsetRange(client, mq, { begin, end });
        if (offset !== undefined) {
          if (offset > to) {
            ctx.print(`${messageQueueString(mq)} no matched msg, offset=${offset}`);
            continue;
          }
          from = Math.max(from, offset);
        }
        if (to - from > left) {
          ctx.print(
            queueId === undefined
              ? `The older ${left} message of the ${mq.queueId} queue will be provided`
              : `The oldler ${left} message will be provided`, // sic, as RocketMQ prints it
          );
          to = from + left;
        }
        left -= Math.max(0, to - from);
        await printQueue(ctx, client, {
          mq,
          from,
          to,
          ...(group === undefined ? {} : { group }),
          printBatch: (messages) => {
            ctx.print('Consume ok');
            for (const pulled of messages) {
              ctx.print(
                printMsgLine(pulled.msg, pulled, decodeBody(pulled.msg.body, 'UTF-8', BODY)),
              );
            }
          },
        });
      }
    });
  },
};
