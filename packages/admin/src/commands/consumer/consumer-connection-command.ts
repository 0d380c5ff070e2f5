import type { ConsumerConnectionInfo, SubscriptionMismatch } from '@rocketmq-ts/client';
import type { CommandSpec } from '../../cli/command-spec.js';
import { optionalOption, requiredOption } from '../../cli/command-spec.js';
import { ToolsClient } from '../message/tools-client.js';
import { mqVersionDesc } from './mq-version.js';

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
  options: [
    { short: 'g', long: 'consumerGroup', description: 'consumer group name', required: true },
    { short: 'b', long: 'brokerAddr', description: 'broker address' },
  ],
  async run(ctx) {
    const group = requiredOption(ctx.options, 'consumerGroup').trim();
    const brokerAddr = optionalOption(ctx.options, 'brokerAddr')?.trim();
    let cc: ConsumerConnectionInfo;
    if (brokerAddr === undefined) {
      cc = await (await ctx.admin()).consumerConnection(group);
    } else {
      const client = ToolsClient.open(ctx.namesrvAddr);
      try {
        cc = await client.consumerConnection(brokerAddr, group);
      } finally {
        await client.close();
      }
    }
    if (ctx.json) {
      ctx.print(JSON.stringify(consumerConnectionJson(group, cc)));
      return;
    }
    for (const line of consumerConnectionLines(group, cc)) ctx.print(line);
  },
};

/** The text output described on {@link consumerConnectionCommand}. */
export function consumerConnectionLines(group: string, cc: ConsumerConnectionInfo): string[] {
  const row = ([a, b, c, d]: [string, string, string, string]): string =>
    `${a.padEnd(36)} ${b.padEnd(22)} ${c.padEnd(10)} ${d}`;
  const lines = [row(['#ClientId', '#ClientAddr', '#Language', '#Version'])];
  for (const c of cc.connectionSet) {
    lines.push(row([c.clientId, c.clientAddr, c.language, mqVersionDesc(c.version)]));
  }
  lines.push('', 'Below is subscription:', `${'#Topic'.padEnd(20)} #SubExpression`);
  for (const sd of cc.subscriptionTable.values()) {
    lines.push(`${sd.topic.padEnd(20)} ${sd.subString}`);
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
