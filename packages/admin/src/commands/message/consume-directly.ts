import type { MQAdmin } from '@rocketmq-ts/client';
import type { CommandContext, OptionSpec } from '../../cli/command-spec.js';
import { optionalOption } from '../../cli/command-spec.js';
import { clientIdOption, groupOption } from '../option-specs.js';
import { formatConsumeMessageDirectlyResult } from './message-printer.js';

/** `-g <consumerGroup> -d <clientId>` of queryMsgById and queryMsgByUniqueKey. */
export const CONSUME_DIRECTLY_OPTIONS: readonly OptionSpec[] = [
  groupOption('consumerGroup'),
  clientIdOption('d'),
];

/**
 * With both `-g` and `-d`: hands each message to that push client to consume now (CONSUME_MESSAGE_DIRECTLY) and
 * prints Java's `ConsumeMessageDirectlyResult [...]` line per message, then returns true. Without them it does
 * nothing and returns false.
 * @throws the admin's errors (a client that does not answer, a message not found).
 */
export async function consumeDirectlyWhenAsked(
  ctx: Pick<CommandContext, 'options' | 'print'>,
  admin: MQAdmin,
  messages: { msgIds: readonly string[]; topic: string | undefined },
): Promise<boolean> {
  const consumerGroup = optionalOption(ctx.options, 'consumerGroup')?.trim();
  const clientId = optionalOption(ctx.options, 'clientId')?.trim();
  if (consumerGroup === undefined || clientId === undefined) return false;
  const { topic } = messages;
  for (const msgId of messages.msgIds) {
    const result = await admin.consumeMessageDirectly({
      consumerGroup,
      clientId,
      msgId,
      ...(topic === undefined ? {} : { topic }),
    });
    ctx.print(formatConsumeMessageDirectlyResult(result));
  }
  return true;
}
