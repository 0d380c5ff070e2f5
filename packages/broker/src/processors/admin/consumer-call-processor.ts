import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  decodeConsumeMessageDirectlyResultRequestHeader,
  decodeGetConsumerRunningInfoRequestHeader,
  parseOffsetMessageId,
} from '@rocketmq-ts/protocol';
import { RemotingTimeoutError } from '@rocketmq-ts/remoting';
import type { RequestProcessor } from '@rocketmq-ts/remoting';
import type { BrokerContext } from '../../broker-context.js';
import type { ConsumerMember } from '../../client/consumer-manager.js';
import { notHandledBy } from './admin-request-guards.js';

/** The codes {@link ConsumerCallProcessor} answers. */
export const CONSUMER_CALL_CODES: readonly number[] = [
  RequestCode.GET_CONSUMER_RUNNING_INFO,
  RequestCode.CONSUME_MESSAGE_DIRECTLY,
];

/** Java `Broker2Client.callClient`: how long the broker waits for the consumer's answer, in ms. */
export const CONSUMER_CALL_TIMEOUT_MS = 10_000;

/** Options of {@link ConsumerCallProcessor}. */
export interface ConsumerCallProcessorOptions {
  /** Wait for the consumer's answer, in ms. Default {@link CONSUMER_CALL_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/**
 * Relays mqadmin calls to one consumer client (Java `AdminBrokerProcessor.callConsumer`, remoting-protocol.md §2.2):
 * - GET_CONSUMER_RUNNING_INFO (307): the request's header and body, unchanged, to the member of `consumerGroup`
 *   whose clientId is `clientId`.
 * - CONSUME_MESSAGE_DIRECTLY (309): the same, with extField `brokerName` set to this broker and the body replaced by
 *   the stored record `msgId` (an offset message id) points at, when it decodes and is found.
 * The client's answer comes back as is (code, remark, extFields, body). No such member: SYSTEM_ERROR
 * `The Consumer <group> <clientId> not online`; no answer in time: CONSUME_MSG_TIMEOUT; a failed call (connection
 * closed): SYSTEM_ERROR `invoke consumer <group> <clientId> Exception: …` (Java's remarks). Java also refuses
 * clients older than V3_1_8; this broker does not check versions.
 */
export class ConsumerCallProcessor implements RequestProcessor {
  /** Codes to register this processor for. */
  static readonly CODES = CONSUMER_CALL_CODES;
  private readonly timeoutMs: number;

  constructor(
    private readonly ctx: BrokerContext,
    options: ConsumerCallProcessorOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? CONSUMER_CALL_TIMEOUT_MS;
  }

  /** Relays one request; throws RocketMQError (see the class comment) when the client cannot answer. */
  async process(request: RemotingCommand): Promise<RemotingCommand> {
    switch (request.code) {
      case RequestCode.GET_CONSUMER_RUNNING_INFO: {
        const h = decodeGetConsumerRunningInfoRequestHeader(request.extFields ?? {});
        return this.call(request, { group: h.consumerGroup, clientId: h.clientId });
      }
      case RequestCode.CONSUME_MESSAGE_DIRECTLY: {
        const ext = request.extFields ?? {};
        const h = decodeConsumeMessageDirectlyResultRequestHeader(ext);
        const body = h.msgId === undefined ? undefined : await this.storedRecord(h.msgId);
        const relayed = RemotingCommand.request(
          request.code,
          { ...ext, brokerName: this.ctx.config.brokerName },
          body ?? request.body,
        );
        return this.call(relayed, { group: h.consumerGroup, clientId: h.clientId ?? '' }, request);
      }
      default:
        throw notHandledBy(request, 'ConsumerCallProcessor');
    }
  }

  private async call(
    relayed: RemotingCommand,
    target: { group: string; clientId: string },
    original: RemotingCommand = relayed,
  ): Promise<RemotingCommand> {
    const { group, clientId } = target;
    const member = this.findMember(group, clientId);
    if (member === undefined) {
      throw new RocketMQError(
        `The Consumer <${group}> <${clientId}> not online`,
        ResponseCode.SYSTEM_ERROR,
      );
    }
    // A fresh request: the transport gives it its own opaque on the client's connection.
    const outgoing = RemotingCommand.request(
      relayed.code,
      relayed.extFields && { ...relayed.extFields },
      relayed.body,
    );
    let answer: RemotingCommand;
    try {
      answer = await member.channel.invoke(outgoing, { timeoutMs: this.timeoutMs });
    } catch (error) {
      if (error instanceof RemotingTimeoutError) {
        throw new RocketMQError(
          `consumer <${group}> <${clientId}> Timeout: ${error.message}`,
          ResponseCode.CONSUME_MSG_TIMEOUT,
          { cause: error },
        );
      }
      throw new RocketMQError(
        `invoke consumer <${group}> <${clientId}> Exception: ${String(error)}`,
        ResponseCode.SYSTEM_ERROR,
        { cause: error },
      );
    }
    return RemotingCommand.responseTo(original, answer.code, {
      remark: answer.remark,
      extFields: answer.extFields,
      body: answer.body,
    });
  }

  private findMember(group: string, clientId: string): ConsumerMember | undefined {
    const info = this.ctx.consumers.group(group);
    if (info === undefined) return undefined;
    for (const member of info.members.values()) {
      if (member.clientId === clientId && !member.channel.isClosed) return member;
    }
    return undefined;
  }

  /** The record an offset message id points at on this broker, or undefined (Java ignores a bad id too). */
  private async storedRecord(msgId: string): Promise<Buffer | undefined> {
    let phyOffset: number;
    try {
      phyOffset = parseOffsetMessageId(msgId).phyOffset;
    } catch {
      return undefined;
    }
    return this.ctx.store.lookMessageByOffset(phyOffset);
  }
}
