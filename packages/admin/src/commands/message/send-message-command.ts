import type { SendResult } from '@rocketmq-ts/client';
import type { CommandSpec } from '../../cli/command-spec.js';
import {
  CommandError,
  boolOption,
  intOption,
  optionalOption,
  requiredOption,
} from '../../cli/command-spec.js';
import { topicOption } from '../option-specs.js';
import { formatRow } from '../text-columns.js';
import { startToolProducer } from './tool-producer.js';

/**
 * `sendMessage -t <topic> -p <body> [-k keys] [-c tag] [-b brokerName [-i queueId]]` (SendMessageCommand, 4.9.8):
 * sends one UTF-8 message and prints `#Broker Name` (L32), `#QID` (L4), `#Send Result` (L20), `#MsgId` and the
 * result row (`Unknown Unknown Failed None` when no result came back). With `-b` and `-i` it goes to that queue;
 * `-b` alone picks the broker's queues in turn (4.9.8 ignores `-b` without `-i`). `-i` without `-b` fails with
 * RocketMQ's "Broker name must be set if the queue is chosen!". `-m` (message trace) is accepted and ignored: this
 * client has no trace hook.
 */
export const sendMessageCommand: CommandSpec = {
  name: 'sendMessage',
  description: 'Send a message',
  options: [
    topicOption('Topic name'),
    {
      short: 'p',
      long: 'body',
      description: 'UTF-8 string format of the message body',
      required: true,
    },
    { short: 'k', long: 'key', description: 'Message keys' },
    { short: 'c', long: 'tags', description: 'Message tags' },
    { short: 'b', long: 'broker', description: 'Send message to target broker' },
    { short: 'i', long: 'qid', description: 'Send message to target queue' },
    {
      short: 'm',
      long: 'msgTraceEnable',
      description: 'Message Trace Enable, Default: false',
    },
  ],
  async run(ctx) {
    const topic = requiredOption(ctx.options, 'topic').trim();
    const body = requiredOption(ctx.options, 'body').trim();
    const keys = optionalOption(ctx.options, 'key')?.trim();
    const tags = optionalOption(ctx.options, 'tags')?.trim();
    const brokerName = optionalOption(ctx.options, 'broker')?.trim();
    if (ctx.options.has('qid') && brokerName === undefined) {
      throw new CommandError('Broker name must be set if the queue is chosen!');
    }
    const queueId = ctx.options.has('qid') ? intOption(ctx.options, 'qid', 0) : undefined;
    boolOption(ctx.options, 'msgTraceEnable', false);

    // Java names the producer group after the current time.
    const producer = await startToolProducer(ctx, { producerGroup: String(ctx.now()) });
    let result: SendResult | undefined;
    try {
      const message = {
        topic,
        body: Buffer.from(body, 'utf8'),
        ...(tags === undefined ? {} : { tags }),
        ...(keys === undefined ? {} : { keys }),
      };
      if (brokerName === undefined) {
        result = await producer.send(message);
      } else if (queueId !== undefined) {
        result = await producer.send(message, { queue: { topic, brokerName, queueId } });
      } else {
        result = await producer.send(message, {
          selector: (queues) => {
            const own = queues.filter((q) => q.brokerName === brokerName);
            if (own.length === 0) {
              throw new CommandError(
                `broker ${brokerName} has no writable queue of topic ${topic}`,
              );
            }
            return own[Math.floor(Math.random() * own.length)]!;
          },
        });
      }
    } finally {
      await producer.shutdown();
    }
    const row = (cells: readonly (string | number)[]): string =>
      formatRow('%-32s  %-4s  %-20s    %s', cells);
    ctx.print(row(['#Broker Name', '#QID', '#Send Result', '#MsgId']));
    ctx.print(
      result === undefined
        ? row(['Unknown', 'Unknown', 'Failed', 'None'])
        : row([
            result.messageQueue.brokerName,
            result.messageQueue.queueId,
            result.sendStatus,
            result.msgId,
          ]),
    );
  },
};
