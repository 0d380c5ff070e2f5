import type { CommandContext } from '../../cli/command-spec.js';
import type { PulledMessage, ToolsClient } from '../tools-client.js';
import { messageQueueString } from './message-printer.js';
import { readQueue } from './queue-reader.js';
import type { ReadQueueOptions } from './queue-reader.js';

/** Options of {@link printQueue}: what to read, and how to print a batch of messages. */
export interface PrintQueueOptions extends Omit<ReadQueueOptions, 'onEvent'> {
  /** Prints one batch of pulled messages (those past the tag filter; possibly none). */
  printBatch: (messages: readonly PulledMessage[]) => void;
}

/**
 * Reads [from, to) of one queue (see {@link readQueue}) as printMsg and consumeMessage do, printing each batch with
 * `printBatch` and RocketMQ's status lines: `<mq> no matched msg. status=NO_MATCHED_MSG, offset=<next>` for a
 * stretch the tag filter skipped, `<mq> print msg finished. status=<status>, offset=<next>` where the queue ends
 * before `to`.
 * @throws what {@link ToolsClient.pull} throws.
 */
export async function printQueue(
  ctx: Pick<CommandContext, 'print'>,
  client: ToolsClient,
  options: PrintQueueOptions,
): Promise<void> {
  const { printBatch, ...range } = options;
  const mqText = messageQueueString(range.mq);
  await readQueue(client, {
    ...range,
    onEvent: (event) => {
      switch (event.kind) {
        case 'found':
          printBatch(event.messages);
          break;
        case 'no-matched':
          ctx.print(`${mqText} no matched msg. status=NO_MATCHED_MSG, offset=${event.offset}`);
          break;
        case 'finished':
          ctx.print(`${mqText} print msg finished. status=${event.status}, offset=${event.offset}`);
          break;
      }
    },
  });
}
