import { Producer } from '@rocketmq-ts/client';
import type { CommandContext } from '../../cli/command-spec.js';
import { missingNamesrvError } from '../../cli/command-spec.js';

/**
 * Starts a producer for the command's NameServers, with its own instance name (as RocketMQ's tools set
 * `currentTimeMillis`) so it never shares a client instance with anything else in the process.
 * @throws CommandError without a NameServer address; the producer's errors otherwise.
 */
export async function startToolProducer(
  ctx: Pick<CommandContext, 'namesrvAddr' | 'now'>,
  options: { producerGroup: string; unitName?: string },
): Promise<Producer> {
  if (ctx.namesrvAddr === undefined) throw missingNamesrvError();
  const producer = new Producer({
    producerGroup: options.producerGroup,
    namesrvAddr: ctx.namesrvAddr,
    instanceName: `mqadmin-${process.pid}-${ctx.now()}`,
    ...(options.unitName === undefined ? {} : { unitName: options.unitName }),
  });
  await producer.start();
  return producer;
}
