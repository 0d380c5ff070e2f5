import type { ConsumerConnectionInfo, SubscriptionMismatch } from '@rocketmq-ts/client';
import type { CommandContext, CommandSpec } from '../../cli/command-spec.js';
import { requiredOption } from '../../cli/command-spec.js';
import { targetBrokerAddr } from '../broker-targets.js';
import { brokerAddrOption, groupOption } from '../option-specs.js';
import { formatRow } from '../text-columns.js';
import { ToolsClient, usingToolsClient } from '../tools-client.js';
import { mqVersionDesc } from './mq-version.js';

/**
 * The group's live members and subscriptions, as consumerConnection and consumerStatus read them: from the broker of
 * `-b` (GET_CONSUMER_CONNECTION_LIST there), else through the admin (a broker of the group's routes).
 * @throws CommandError when the `-b` broker knows no live member; the admin's errors otherwise.
 */
export async function groupConnection(
  ctx: CommandContext,
  group: string,
): Promise<ConsumerConnectionInfo> {
  const brokerAddr = targetBrokerAddr(ctx.options);
  if (brokerAddr === undefined) return (await ctx.admin()).consumerConnection(group);
  return usingToolsClient(ToolsClient.open(ctx.namesrvAddr), (client) =>
    client.consumerConnection(brokerAddr, group),
  );
}

/**
 * `consumerConnection -g <group> [-b brokerAddr]` (ConsumerConnectionSubCommand, 4.9.8): `#ClientId` (L36),
 * `#ClientAddr` (L22), `#Language` (L10), `#Version`; a blank line, `Below is subscription:`, `#Topic` (L20)
 * `#SubExpression`; a blank line, `ConsumeType:`, `MessageModel:`, `ConsumeFromWhere:`.
 *
 * Our addition: when the broker reports that members subscribe to one topic with different expressions (the
 * rocketmq-ts broker's tag-pitfall guard), one `WARN:` line per topic follows the subscription table: messages a
 * member's tags exclude are never delivered to the other members of the group. `--json` prints the same as JSON.
 */
export const consumerConnectionCommand: CommandSpec = {
  name: 'consumerConnection',
  description: "Query consumer's socket connection, client version and subscription",
  json: true,
  options: [groupOption('consumerGroup', 'consumer group name', true), brokerAddrOption()],
  async run(ctx) {
    const group = requiredOption(ctx.options, 'consumerGroup').trim();
    const cc = await groupConnection(ctx, group);
    if (ctx.json) {
      ctx.print(JSON.stringify(consumerConnectionJson(group, cc)));
      return;
    }
    for (const line of consumerConnectionLines(group, cc)) ctx.print(line);
  },
};

/** The text output described on {@link consumerConnectionCommand}. */
export function consumerConnectionLines(group: string, cc: ConsumerConnectionInfo): string[] {
  const row = (cells: readonly string[]): string => formatRow('%-36s %-22s %-10s %s', cells);
  const subscriptionRow = (cells: readonly string[]): string => formatRow('%-20s %s', cells);
  const lines = [row(['#ClientId', '#ClientAddr', '#Language', '#Version'])];
  for (const c of cc.connectionSet) {
    lines.push(row([c.clientId, c.clientAddr, c.language, mqVersionDesc(c.version)]));
  }
  lines.push('', 'Below is subscription:', subscriptionRow(['#Topic', '#SubExpression']));
  for (const sd of cc.subscriptionTable.values()) {
    lines.push(subscriptionRow([sd.topic, sd.subString]));
  }
  for (const m of cc.subscriptionMismatches) lines.push(subscriptionMismatchWarning(group, m));
  lines.push(
    '',
    `ConsumeType: ${cc.consumeType ?? 'null'}`,
    `MessageModel: ${cc.messageModel ?? 'null'}`,
    `ConsumeFromWhere: ${cc.consumeFromWhere ?? 'null'}`,
  );
  return lines;
}

/**
 * `WARN: members of group G subscribe differently to topic T: TagA [c1], TagB [c2] — messages filtered out by one
 * member are not delivered to the others; use one subscription per group`.
 */
export function subscriptionMismatchWarning(group: string, mismatch: SubscriptionMismatch): string {
  const uses = [...mismatch.clientIdsByExpression]
    .map(([expression, clientIds]) => `${expression} [${clientIds.join(', ')}]`)
    .join(', ');
  return (
    `WARN: members of group ${group} subscribe differently to topic ${mismatch.topic}: ${uses}` +
    ' — messages filtered out by one member are not delivered to the others; use one subscription per group'
  );
}

function consumerConnectionJson(group: string, cc: ConsumerConnectionInfo): unknown {
  return {
    group,
    brokerAddr: cc.brokerAddr,
    connections: cc.connectionSet.map((c) => ({
      clientId: c.clientId,
      clientAddr: c.clientAddr,
      language: c.language,
      version: mqVersionDesc(c.version),
    })),
    subscriptions: [...cc.subscriptionTable.values()].map((sd) => ({
      topic: sd.topic,
      subExpression: sd.subString,
      expressionType: sd.expressionType,
    })),
    consumeType: cc.consumeType ?? null,
    messageModel: cc.messageModel ?? null,
    consumeFromWhere: cc.consumeFromWhere ?? null,
    subscriptionMismatches: cc.subscriptionMismatches.map((m) => ({
      topic: m.topic,
      subscriptions: Object.fromEntries(m.clientIdsByExpression),
    })),
  };
}
