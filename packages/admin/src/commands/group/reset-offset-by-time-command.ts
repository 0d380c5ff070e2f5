import type { QueueOffset } from '@rocketmq-ts/client';
import type { CommandSpec, OptionSpec } from '../../cli/command-spec.js';
import { boolOption, requiredOption } from '../../cli/command-spec.js';
import { parseTimeArgument } from '../human-time.js';
import { groupOption, topicOption } from '../option-specs.js';
import { formatRow, frontStringAtLeast } from '../text-columns.js';

const TIMESTAMP: OptionSpec = {
  short: 's',
  long: 'timestamp',
  description: 'set the timestamp[now|currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]',
  required: true,
};

/** The header and rows of the reset table: `#brokerName`, `#queueId`, `#offset`, each L40. */
export function resetOffsetLines(offsets: readonly QueueOffset[]): string[] {
  const format = '%-40s  %-40s  %-40s';
  return [
    formatRow(format, ['#brokerName', '#queueId', '#offset']),
    ...offsets.map((o) =>
      formatRow(format, [frontStringAtLeast(o.mq.brokerName, 32), o.mq.queueId, o.offset]),
    ),
  ];
}

/**
 * `resetOffsetByTime -g <group> -t <topic> -s <now|ms|yyyy-MM-dd#HH:mm:ss:SSS> [-f force] [-c]`
 * (ResetOffsetByTimeCommand, 4.9.8): moves the group's offsets on the topic to the first message stored at or after
 * the time (`now`: the end of each queue); online clients are told by the broker. Prints 4.9.8's
 * `rollback consumer offset by specified group[G], topic[T], force[F], timestamp(string)[S], timestamp(long)[N]`
 * (5.x: `start reset consumer offset by specified, …`) and `#brokerName` `#queueId` `#offset` (L40 each).
 *
 * `-c` is 4.9.8's `--cplus` flag (reset a C++ client), accepted and ignored: the broker tells every client kind the
 * same way here (5.x reuses `-c` for `--cluster`). When a 4.9.8 broker answers "consumer not online", MQAdmin
 * rewrites the offsets itself (Java's resetOffsetByTimeOld path); the result prints in this same table instead of
 * the old command's six-column one.
 */
export const resetOffsetByTimeCommand: CommandSpec = {
  name: 'resetOffsetByTime',
  description: 'Reset consumer offset by timestamp(without client restart).',
  options: [
    groupOption('group', 'set the consumer group', true),
    topicOption('set the topic'),
    TIMESTAMP,
    {
      short: 'f',
      long: 'force',
      description: 'set the force rollback by timestamp switch[true|false]',
    },
    { short: 'c', long: 'cplus', description: 'reset c++ client offset', hasArg: false },
  ],
  async run(ctx) {
    const group = requiredOption(ctx.options, 'group').trim();
    const topic = requiredOption(ctx.options, 'topic').trim();
    const text = requiredOption(ctx.options, TIMESTAMP.long).trim();
    const timestamp = parseTimeArgument(TIMESTAMP, text, { allowNow: true });
    const force = boolOption(ctx.options, 'force', true);
    const admin = await ctx.admin();
    const offsets = await admin.resetOffsetByTime({
      consumerGroup: group,
      topic,
      timestamp,
      force,
    });
    ctx.print(
      `rollback consumer offset by specified group[${group}], topic[${topic}], force[${force}], timestamp(string)[${text}], timestamp(long)[${timestamp}]`,
    );
    for (const line of resetOffsetLines(offsets)) ctx.print(line);
  },
};
