import type { CommandSpec } from '../../cli/command-spec.js';
import { requiredOption } from '../../cli/command-spec.js';
import { groupOption, topicOption } from '../option-specs.js';
import { formatRow } from '../text-columns.js';
import { mqVersionDesc } from './mq-version.js';

/**
 * `producerConnection -g <producerGroup> -t <topic>` (ProducerConnectionSubCommand, 4.9.8): no header; one row per
 * live producer of the group: 4-digit index, clientId (L32), clientAddr (L22), language (L8), version. The
 * brokers of the topic are asked in turn until one knows the group (4.9.8 asks one at random). `--json` prints the
 * connections as a JSON array.
 */
export const producerConnectionCommand: CommandSpec = {
  name: 'producerConnection',
  description: "Query producer's socket connection and client version",
  json: true,
  options: [groupOption('producerGroup', 'producer group name', true), topicOption()],
  async run(ctx) {
    const group = requiredOption(ctx.options, 'producerGroup').trim();
    const topic = requiredOption(ctx.options, 'topic').trim();
    const pc = await (await ctx.admin()).producerConnection(group, topic);
    if (ctx.json) {
      ctx.print(
        JSON.stringify(
          pc.connectionSet.map((c) => ({
            clientId: c.clientId,
            clientAddr: c.clientAddr,
            language: c.language,
            version: mqVersionDesc(c.version),
          })),
        ),
      );
      return;
    }
    pc.connectionSet.forEach((c, i) => {
      ctx.print(
        formatRow('%04d  %-32s %-22s %-8s %s', [
          i + 1,
          c.clientId,
          c.clientAddr,
          c.language,
          mqVersionDesc(c.version),
        ]),
      );
    });
  },
};
