import {
  MessageConst,
  MessageSysFlag,
  NAME_VALUE_SEPARATOR,
  PROPERTY_SEPARATOR,
} from '@rocketmq-ts/protocol';
import type { Message } from '../message/message.js';
import { prepareMessage } from '../producer/outgoing-message.js';
import type { OutgoingMessage } from '../producer/outgoing-message.js';
import { Producer } from '../producer/producer.js';
import type { SendResult } from '../producer/send-result.js';

/**
 * Turns a prepared message into its half-message form (Java `sendMessageInTransaction` + `sendKernelImpl`):
 * properties `TRAN_MSG=true` and `PGROUP=<producerGroup>` appended, sysFlag transaction bits = PREPARED. Applied
 * after `prepareMessage` validated the user's message, so the reserved-property check still refuses a user's
 * own `TRAN_MSG`; the result is sent by the Producer's ordinary send path.
 */
export function toHalfOutgoing(out: OutgoingMessage, producerGroup: string): OutgoingMessage {
  const sep = (name: string, value: string) =>
    `${name}${NAME_VALUE_SEPARATOR}${value}${PROPERTY_SEPARATOR}`;
  return {
    ...out,
    properties:
      out.properties +
      sep(MessageConst.PROPERTY_TRANSACTION_PREPARED, 'true') +
      sep(MessageConst.PROPERTY_PRODUCER_GROUP, producerGroup),
    sysFlag: out.sysFlag | MessageSysFlag.TRANSACTION_PREPARED_TYPE,
  };
}

/**
 * The Producer under a TransactionProducer: a plain {@link Producer} that can also send half messages, through
 * the same queue selection, retries and budget as its user sends.
 */
export class HalfMessageProducer extends Producer {
  /**
   * Validates `message` as a user message (a `delayTimeLevel` is dropped: transactional messages cannot be
   * delayed), turns it into a half message and sends it synchronously.
   * @returns the send result of the broker that stored it.
   * @throws MQClientError when not started, for an invalid message, or when every attempt failed; MQBrokerError
   *   for a non-retriable broker refusal.
   */
  sendHalf(message: Message): Promise<SendResult> {
    return this.sendPrepared((prepareOptions) =>
      toHalfOutgoing(
        prepareMessage({ ...message, delayTimeLevel: undefined }, prepareOptions),
        this.config.producerGroup,
      ),
    );
  }
}
