import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  decodeGetConsumerConnectionListRequestHeader,
  decodeGetProducerConnectionListRequestHeader,
  encodeConsumerConnection,
  encodeProducerConnection,
} from '@rocketmq-ts/protocol';
import type { Connection, ExtFields } from '@rocketmq-ts/protocol';
import type { RequestProcessor } from '@rocketmq-ts/remoting';
import type { BrokerContext } from '../../broker-context.js';
import type { ClientChannelInfo } from '../../client/client-channel.js';
import type { SubscriptionMismatch } from '../../client/consumer-manager.js';
import { notHandledBy } from './admin-request-guards.js';

/** The codes {@link ConnectionAdminProcessor} answers. */
export const CONNECTION_ADMIN_CODES: readonly number[] = [
  RequestCode.GET_CONSUMER_CONNECTION_LIST,
  RequestCode.GET_PRODUCER_CONNECTION_LIST,
];

/**
 * Response extField of GET_CONSUMER_CONNECTION_LIST present only when members of the group subscribe to one topic
 * with different expressions (the "tag pitfall", see `SubscriptionMismatch`). Java clients ignore unknown response
 * extFields; our mqadmin prints a warning from it. Value: compact JSON, one entry per topic, expression → client ids:
 *   [{"topic":"TopicTest","subscriptions":{"TagA":["10.0.0.5@1"],"TagB":["10.0.0.6@1"]}}]
 * An expression of a non-TAG type is written `<type>:<expression>` (e.g. `SQL92:a > 1`).
 */
export const SUBSCRIPTION_MISMATCH_EXT_FIELD = 'subscriptionMismatch';

/**
 * Client connection listings (Java `AdminBrokerProcessor`, remoting-protocol.md §5.7):
 * - GET_CONSUMER_CONNECTION_LIST (203): ConsumerConnection of a live group (members, the group's subscription table,
 *   consume type, model, from-where), plus {@link SUBSCRIPTION_MISMATCH_EXT_FIELD} when members disagree;
 *   CONSUMER_NOT_ONLINE `the consumer group[<g>] not online` when the group has no live member.
 * - GET_PRODUCER_CONNECTION_LIST (204): ProducerConnection; SYSTEM_ERROR `the producer group[<g>] not exist` when
 *   the group has no live member.
 */
export class ConnectionAdminProcessor implements RequestProcessor {
  /** Codes to register this processor for. */
  static readonly CODES = CONNECTION_ADMIN_CODES;

  constructor(private readonly ctx: BrokerContext) {}

  /** Answers one request; throws RocketMQError (see the class comment) when the group is not online. */
  process(request: RemotingCommand): Promise<RemotingCommand> {
    switch (request.code) {
      case RequestCode.GET_CONSUMER_CONNECTION_LIST:
        return Promise.resolve(this.consumerConnections(request));
      case RequestCode.GET_PRODUCER_CONNECTION_LIST:
        return Promise.resolve(this.producerConnections(request));
      default:
        return Promise.reject(notHandledBy(request, 'ConnectionAdminProcessor'));
    }
  }

  private consumerConnections(request: RemotingCommand): RemotingCommand {
    const group = decodeGetConsumerConnectionListRequestHeader(
      request.extFields ?? {},
    ).consumerGroup;
    const info = this.ctx.consumers.group(group);
    if (info === undefined || info.members.size === 0) {
      throw new RocketMQError(
        `the consumer group[${group}] not online`,
        ResponseCode.CONSUMER_NOT_ONLINE,
      );
    }
    const body = encodeConsumerConnection({
      connectionSet: [...info.members.values()].map(connectionOf),
      subscriptionTable: this.ctx.consumers.groupSubscriptions(group),
      consumeType: info.consumeType,
      messageModel: info.messageModel,
      consumeFromWhere: info.consumeFromWhere,
    });
    const mismatches = this.ctx.consumers.subscriptionMismatches(group);
    let extFields: ExtFields | undefined;
    if (mismatches.length > 0) {
      extFields = { [SUBSCRIPTION_MISMATCH_EXT_FIELD]: encodeSubscriptionMismatches(mismatches) };
    }
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, { body, extFields });
  }

  private producerConnections(request: RemotingCommand): RemotingCommand {
    const group = decodeGetProducerConnectionListRequestHeader(
      request.extFields ?? {},
    ).producerGroup;
    const members = this.ctx.producers.members(group);
    if (members.length === 0) {
      throw new RocketMQError(`the producer group[${group}] not exist`, ResponseCode.SYSTEM_ERROR);
    }
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
      body: encodeProducerConnection({ connectionSet: members.map(connectionOf) }),
    });
  }
}

/** The compact JSON of {@link SUBSCRIPTION_MISMATCH_EXT_FIELD}. */
export function encodeSubscriptionMismatches(mismatches: readonly SubscriptionMismatch[]): string {
  return JSON.stringify(
    mismatches.map((m) => ({
      topic: m.topic,
      subscriptions: Object.fromEntries(m.clientIdsByExpression),
    })),
  );
}

function connectionOf(member: ClientChannelInfo): Connection {
  return {
    clientId: member.clientId,
    clientAddr: member.channel.remoteAddr,
    language: member.language,
    version: member.version,
  };
}
