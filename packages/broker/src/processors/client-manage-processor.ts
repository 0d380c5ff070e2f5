import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  decodeGetConsumerListByGroupRequestHeader,
  decodeHeartbeatData,
  decodeUnregisterClientRequestHeader,
  encodeGetConsumerListByGroupResponseBody,
  encodeNotifyConsumerIdsChangedRequestHeader,
} from '@rocketmq-ts/protocol';
import type { ConsumerData } from '@rocketmq-ts/protocol';
import type { RemotingChannel, RequestContext, RequestProcessor } from '@rocketmq-ts/remoting';
import type { BrokerContext } from '../broker-context.js';
import type { ClientChannelInfo } from '../client/client-channel.js';
import { decodeCheckClientRequestBody } from '../filter/check-client-body.js';
import { sql92FilterCacheOf, sqlFilterOf } from '../filter/sql92-filter.js';
import type { Sql92FilterCache } from '../filter/sql92-filter.js';
import { retryTopicOf } from '../topic/topic-validator.js';

/** Options of {@link ClientManageProcessor}. */
export interface ClientManageProcessorOptions {
  context: BrokerContext;
  /** Clock, ms since the epoch (tests). Default `Date.now`. */
  now?: () => number;
  /**
   * Compiled SQL92 filters by group, topic and expression, shared with the pull processor so an expression checked
   * here is not parsed again by the first pull. Default the context's own cache ({@link sql92FilterCacheOf}), which
   * the pull processor of the same broker uses too.
   */
  sqlFilterCache?: Sql92FilterCache;
}

/**
 * Handles HEART_BEAT (34), UNREGISTER_CLIENT (35), GET_CONSUMER_LIST_BY_GROUP (38) and CHECK_CLIENT_CONFIG (46)
 * (Java `ClientManageProcessor` and `ConsumerManageProcessor`, remoting-protocol.md §4.6). A consumer heartbeat
 * auto-creates the group's config and its `%RETRY%<group>` topic (registered with the name servers through the
 * topic table's change listener), records the member with its own subscriptions and, when a member joined or
 * changed its subscriptions, sends NOTIFY_CONSUMER_IDS_CHANGED to every member of the group.
 */
export class ClientManageProcessor implements RequestProcessor {
  private readonly ctx: BrokerContext;
  private readonly now: () => number;
  private readonly sqlFilters: Sql92FilterCache;

  constructor(options: ClientManageProcessorOptions) {
    this.ctx = options.context;
    this.now = options.now ?? Date.now;
    this.sqlFilters = options.sqlFilterCache ?? sql92FilterCacheOf(options.context);
  }

  /** Answers one request of code 34, 35, 38 or 46. */
  async process(request: RemotingCommand, rc: RequestContext): Promise<RemotingCommand> {
    switch (request.code) {
      case RequestCode.HEART_BEAT:
        return this.heartbeat(request, rc);
      case RequestCode.UNREGISTER_CLIENT:
        return this.unregister(request, rc);
      case RequestCode.GET_CONSUMER_LIST_BY_GROUP:
        return this.consumerList(request);
      case RequestCode.CHECK_CLIENT_CONFIG:
        return this.checkClientConfig(request);
      default:
        throw new RocketMQError(
          `request code ${request.code} is not handled by ClientManageProcessor`,
          ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
        );
    }
  }

  /**
   * CHECK_CLIENT_CONFIG as Java 4.9.8: TAG subscriptions pass; an SQL92 one needs `enablePropertyFilter`
   * (SYSTEM_ERROR "The broker does not support consumer to filter message by SQL92") and must compile
   * (SUBSCRIPTION_PARSE_FAILED with the parser's message, which names the expression and the position).
   */
  private checkClientConfig(request: RemotingCommand): RemotingCommand {
    const body = decodeCheckClientRequestBody(request.body);
    const sub = body.subscriptionData;
    if (sub === undefined) return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
    try {
      sqlFilterOf({
        enablePropertyFilter: this.ctx.config.enablePropertyFilter,
        expressionType: sub.expressionType,
        expression: sub.subString,
        group: body.group ?? '',
        topic: sub.topic,
        cache: this.sqlFilters,
        invalidCode: ResponseCode.SUBSCRIPTION_PARSE_FAILED,
      });
    } catch (error) {
      if (!(error instanceof RocketMQError)) throw error;
      this.ctx.logger.warn('client filter expression refused', {
        clientId: body.clientId,
        group: body.group,
        topic: sub.topic,
        error: error.message,
      });
      return RemotingCommand.responseTo(request, error.code, { remark: error.message });
    }
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
  }

  private async heartbeat(request: RemotingCommand, rc: RequestContext): Promise<RemotingCommand> {
    const data = decodeHeartbeatData(request.body ?? Buffer.from('{}'));
    const info: ClientChannelInfo = {
      channel: rc.channel,
      clientId: data.clientID,
      language: request.language,
      version: request.version,
      lastUpdateMs: this.now(),
    };
    for (const consumer of data.consumerDataSet) {
      if (consumer.groupName === '') continue;
      await this.registerConsumer(info, consumer);
    }
    for (const producer of data.producerDataSet) {
      if (producer.groupName === '') continue;
      this.ctx.producers.register(producer.groupName, info);
    }
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
  }

  private async registerConsumer(info: ClientChannelInfo, consumer: ConsumerData): Promise<void> {
    const groupConfig = await this.ctx.subscriptionGroups.findOrCreate(consumer.groupName);
    let notify = true;
    if (groupConfig !== undefined) {
      notify = groupConfig.notifyConsumerIdsChangedEnable;
      const retryTopic = retryTopicOf(consumer.groupName);
      if (this.ctx.topics.get(retryTopic) === undefined) {
        await this.ctx.topics.createRetryTopicIfAbsent(
          consumer.groupName,
          groupConfig.retryQueueNums,
        );
        // Clients read the retry topic's route right after this heartbeat (Java registers it before answering);
        // without waiting, a new group's retries would wait for the client's next route poll.
        await this.ctx.registerNow();
      }
    }
    const change = this.ctx.consumers.register(info, consumer);
    if (notify && (change.memberAdded || change.subscriptionsChanged)) {
      this.notifyConsumerIdsChanged(consumer.groupName);
    }
  }

  private unregister(request: RemotingCommand, rc: RequestContext): RemotingCommand {
    const header = decodeUnregisterClientRequestHeader(request.extFields ?? {});
    if (header.producerGroup !== undefined && header.producerGroup !== '') {
      this.ctx.producers.unregister(header.producerGroup, rc.channel);
    }
    if (header.consumerGroup !== undefined && header.consumerGroup !== '') {
      // Members left: the controller's listener notifies the remaining ones.
      this.ctx.consumers.unregister(header.consumerGroup, rc.channel);
    }
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
  }

  private consumerList(request: RemotingCommand): RemotingCommand {
    const header = decodeGetConsumerListByGroupRequestHeader(request.extFields ?? {});
    const ids = this.ctx.consumers.clientIds(header.consumerGroup);
    if (ids.length === 0) {
      throw new RocketMQError(
        `no consumer for this group, ${header.consumerGroup}`,
        ResponseCode.SYSTEM_ERROR,
      );
    }
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
      body: encodeGetConsumerListByGroupResponseBody({ consumerIdList: ids }),
    });
  }

  /** Sends NOTIFY_CONSUMER_IDS_CHANGED (oneway) to every live member of `group`. */
  notifyConsumerIdsChanged(group: string): void {
    const info = this.ctx.consumers.group(group);
    if (info === undefined) return;
    const channels: RemotingChannel[] = [...info.members.values()].map((m) => m.channel);
    notifyChannels(channels, group);
  }
}

/** Sends NOTIFY_CONSUMER_IDS_CHANGED oneway to `channels`; closed ones are skipped. */
export function notifyChannels(channels: readonly RemotingChannel[], group: string): void {
  for (const channel of channels) {
    if (channel.isClosed) continue;
    try {
      channel.invokeOneway(
        RemotingCommand.oneway(
          RequestCode.NOTIFY_CONSUMER_IDS_CHANGED,
          encodeNotifyConsumerIdsChangedRequestHeader({ consumerGroup: group }),
        ),
      );
    } catch {
      // The channel closed meanwhile; its member is dropped by the close listener, and clients rebalance on
      // their own every 20 s anyway, so a lost notification only delays a rebalance.
    }
  }
}
