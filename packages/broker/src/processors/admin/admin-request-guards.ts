import { ResponseCode, RocketMQError } from '@rocketmq-ts/protocol';
import type { MessageQueue, RemotingCommand } from '@rocketmq-ts/protocol';
import type { BrokerContext } from '../../broker-context.js';

/** Remark of a change refused on a slave, word for word as RocketMQ 4.9.8 `AdminBrokerProcessor.validateSlave`. */
export const SLAVE_REFUSAL_REMARK =
  "Can't modify topic or subscription group from slave broker, please execute it from master broker.";

/**
 * Refuses a topic or subscription-group change on a slave (it takes its tables from its master).
 * @throws RocketMQError SYSTEM_ERROR with {@link SLAVE_REFUSAL_REMARK} when `brokerRole` is SLAVE.
 */
export function refuseOnSlave(ctx: Pick<BrokerContext, 'config'>): void {
  if (ctx.config.brokerRole === 'SLAVE') {
    throw new RocketMQError(SLAVE_REFUSAL_REMARK, ResponseCode.SYSTEM_ERROR);
  }
}

/** The error a processor throws for a code it was not registered for (a wiring mistake, not a client error). */
export function notHandledBy(request: RemotingCommand, processor: string): RocketMQError {
  return new RocketMQError(
    `request code ${request.code} is not handled by ${processor}`,
    ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
  );
}

/** Queue `queueId` of `topic` on this broker set, as stats and reset bodies key it. */
export function brokerQueue(
  ctx: Pick<BrokerContext, 'config'>,
  topic: string,
  queueId: number,
): MessageQueue {
  return { topic, brokerName: ctx.config.brokerName, queueId };
}
