import type { MessageExt, MQAdmin } from '@rocketmq-ts/client';
import { parseOffsetMessageId } from '@rocketmq-ts/protocol';
import type { CommandContext } from '../../cli/command-spec.js';
import { optionalOption } from '../../cli/command-spec.js';
import { errorText } from '../failure-list.js';
import { decodeBody, messageDetailLines, messageTrackLines } from './message-printer.js';
import { writeMessageBodyFile } from './message-body-file.js';

/** What RocketMQ prints for an id it cannot find (QueryMsgByIdSubCommand.printMsg). */
export const MESSAGE_NOT_FOUND = 'Message not found!';

/** The `-f / --bodyFormat` option (RocketMQ 5.x; absent in 4.9.8): print the body decoded with this charset. */
export const BODY_FORMAT_OPTION = {
  short: 'f',
  long: 'bodyFormat',
  description: 'print message body by the specified format (charset, e.g. UTF-8)',
} as const;

/**
 * True when `id` decodes as an offset message id (store host, port, commit-log offset) whose port is a port: a
 * producer's unique key has the process id where the port would be, so it rarely passes.
 */
export function isOffsetMessageId(id: string): boolean {
  try {
    const parsed = parseOffsetMessageId(id);
    return parsed.storeHost.port > 0 && parsed.storeHost.port <= 65535 && parsed.phyOffset >= 0;
  } catch {
    return false;
  }
}

/** A message found by id, or why not. */
export type LookupResult = { msg: MessageExt } | { msg: undefined; reason: string };

/**
 * Finds a message by offset message id (VIEW_MESSAGE_BY_ID at the broker the id names, as 4.9.8's queryMsgById),
 * falling back, when `topic` is given, to the unique key (UNIQ_KEY) lookup RocketMQ 5.x does with its `-t`.
 */
export async function lookupMessage(
  admin: MQAdmin,
  id: string,
  topic: string | undefined,
): Promise<LookupResult> {
  const offsetId = isOffsetMessageId(id);
  let viewFailure: string | undefined;
  if (offsetId) {
    try {
      return { msg: await admin.viewMessage(id) };
    } catch (error) {
      viewFailure = errorText(error);
    }
  }
  if (topic !== undefined) {
    const [msg] = await admin.queryMessageByUniqueKey(topic, id);
    if (msg !== undefined) return { msg };
    const byKey = `no message with unique key ${id} in topic ${topic}`;
    return {
      msg: undefined,
      reason: viewFailure === undefined ? byKey : `${viewFailure}; ${byKey}`,
    };
  }
  return {
    msg: undefined,
    reason:
      viewFailure ??
      'not an offset message id: pass -t <topic> to look it up as a unique key (producer msgId)',
  };
}

/** Options of {@link printMessageDetail}. */
export interface PrintMessageDetailOptions {
  /** `OffsetID:` line (queryMsgById, queryMsgByOffset). */
  withOffsetId: boolean;
  /** Suffix index of the body file (queryMsgByUniqueKey -a). Default 0. */
  index?: number;
  /** Print the MessageTrack lines (every detail command in 4.9.8 does). Default true. */
  withTracks?: boolean;
}

/**
 * Prints the shared detail block of one message (writing its body to the body directory; with the command's
 * {@link BODY_FORMAT_OPTION}, the body too), then which groups consumed it (MQAdmin.consumeStatusOfMessage). A failed
 * track lookup prints a WARN line instead, as Java prints the exception and carries on.
 */
export async function printMessageDetail(
  ctx: CommandContext,
  msg: MessageExt,
  options: PrintMessageDetailOptions,
): Promise<void> {
  const bodyFormat = optionalOption(ctx.options, BODY_FORMAT_OPTION.long);
  const body =
    bodyFormat === undefined ? undefined : decodeBody(msg.body, bodyFormat, BODY_FORMAT_OPTION);
  const bodyPath = await writeMessageBodyFile(msg.msgId, msg.body, options.index ?? 0);
  for (const line of messageDetailLines(msg, {
    withOffsetId: options.withOffsetId,
    bodyPath,
    ...(body === undefined ? {} : { body }),
  })) {
    ctx.print(line);
  }
  if (options.withTracks === false) return;
  const admin = await ctx.admin();
  try {
    for (const line of messageTrackLines(await admin.consumeStatusOfMessage(msg))) ctx.print(line);
  } catch (error) {
    ctx.print('');
    ctx.print('');
    ctx.print(`WARN: cannot tell who consumed it: ${errorText(error)}`);
  }
}
