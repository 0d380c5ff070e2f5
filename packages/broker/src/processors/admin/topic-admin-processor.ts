import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  decodeCreateTopicRequestHeader,
  decodeDeleteTopicRequestHeader,
  encodeTopicConfigSerializeWrapper,
  encodeTopicList,
} from '@rocketmq-ts/protocol';
import type { CreateTopicRequestHeader, TopicConfig, TopicFilterType } from '@rocketmq-ts/protocol';
import type { RequestProcessor } from '@rocketmq-ts/remoting';
import type { BrokerContext } from '../../broker-context.js';
import {
  SYSTEM_TOPIC_LIST,
  isSystemTopic,
  validateTopicName,
} from '../../topic/topic-validator.js';
import { notHandledBy, refuseOnSlave } from './admin-request-guards.js';

/** The codes {@link TopicAdminProcessor} answers. */
export const TOPIC_ADMIN_CODES: readonly number[] = [
  RequestCode.UPDATE_AND_CREATE_TOPIC,
  RequestCode.DELETE_TOPIC_IN_BROKER,
  RequestCode.GET_ALL_TOPIC_CONFIG,
  RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER,
  RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE,
];

const FILTER_TYPES: readonly string[] = ['SINGLE_TAG', 'MULTI_TAG'] satisfies TopicFilterType[];

/**
 * Topic administration (Java `AdminBrokerProcessor`, remoting-protocol.md §4.12):
 * - UPDATE_AND_CREATE_TOPIC (17): validates the name (§7.3), refuses system topics and the cluster name
 *   (SYSTEM_ERROR with Java's remark) and slaves, stores the config, then asks for an immediate re-registration.
 *   A request without `order` is read as `order=false`, as Java's header default does.
 * - DELETE_TOPIC_IN_BROKER (215): deletes the config and every consumer offset of the topic (as 5.x does), then
 *   re-registers. The topic's consume-queue and commit-log data stay on disk until retention removes them: the store
 *   has no per-topic delete yet; a topic created again with the same name sees its old queue offsets.
 * - GET_ALL_TOPIC_CONFIG (21): TopicConfigSerializeWrapper of the whole table.
 * - GET_SYSTEM_TOPIC_LIST_FROM_BROKER (305): TopicList of RocketMQ's system topic names.
 * - CLEAN_EXPIRED_CONSUMEQUEUE (306): runs one ordinary retention pass of the store (the only cleanup it has;
 *   consume queues are trimmed to the commit-log minimum whenever segments go) and answers SUCCESS.
 */
export class TopicAdminProcessor implements RequestProcessor {
  /** Codes to register this processor for. */
  static readonly CODES = TOPIC_ADMIN_CODES;

  constructor(private readonly ctx: BrokerContext) {}

  /** Answers one request; throws RocketMQError (see the class comment) for refusals. */
  async process(request: RemotingCommand): Promise<RemotingCommand> {
    switch (request.code) {
      case RequestCode.UPDATE_AND_CREATE_TOPIC:
        return this.createOrUpdate(request);
      case RequestCode.DELETE_TOPIC_IN_BROKER:
        return this.delete(request);
      case RequestCode.GET_ALL_TOPIC_CONFIG:
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
          body: encodeTopicConfigSerializeWrapper(this.ctx.topics.buildSerializeWrapper()),
        });
      case RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER:
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
          body: encodeTopicList({ topicList: [...SYSTEM_TOPIC_LIST] }),
        });
      case RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE:
        return this.cleanExpired(request);
      default:
        throw notHandledBy(request, 'TopicAdminProcessor');
    }
  }

  private async createOrUpdate(request: RemotingCommand): Promise<RemotingCommand> {
    refuseOnSlave(this.ctx);
    const header = decodeCreateHeader(request);
    if (!FILTER_TYPES.includes(header.topicFilterType)) {
      throw new RocketMQError(
        `topicFilterType must be SINGLE_TAG or MULTI_TAG: ${header.topicFilterType}`,
        ResponseCode.SYSTEM_ERROR,
      );
    }
    const config: TopicConfig = {
      topicName: header.topic,
      readQueueNums: header.readQueueNums,
      writeQueueNums: header.writeQueueNums,
      perm: header.perm,
      topicFilterType: header.topicFilterType as TopicFilterType,
      topicSysFlag: header.topicSysFlag ?? 0,
      order: header.order,
    };
    // Kept across updates: 5.x attributes this 4.x header cannot carry.
    const attributes = this.ctx.topics.get(header.topic)?.attributes;
    if (attributes !== undefined) config.attributes = attributes;
    await this.ctx.topics.createOrUpdate(config, { admin: true });
    this.ctx.logger.info('topic created or updated by admin', {
      topic: header.topic,
      readQueueNums: header.readQueueNums,
      writeQueueNums: header.writeQueueNums,
      perm: header.perm,
    });
    this.ctx.requestRegistration();
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
  }

  private async delete(request: RemotingCommand): Promise<RemotingCommand> {
    refuseOnSlave(this.ctx);
    const { topic } = decodeDeleteTopicRequestHeader(request.extFields ?? {});
    validateTopicName(topic);
    if (isSystemTopic(topic)) {
      throw new RocketMQError(
        `The topic[${topic}] is conflict with system topic.`,
        ResponseCode.SYSTEM_ERROR,
      );
    }
    const existed = await this.ctx.topics.delete(topic);
    const offsets = await this.ctx.store.metadata.deleteTopicConsumerOffsets(topic);
    this.ctx.logger.info('topic deleted by admin', { topic, existed, offsets });
    this.ctx.requestRegistration();
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
  }

  private async cleanExpired(request: RemotingCommand): Promise<RemotingCommand> {
    const report = await this.ctx.store.cleanExpiredFiles();
    this.ctx.logger.info('clean expired consume queues requested', {
      deletedSegments: report.deletedSegments.length,
      reason: report.reason,
    });
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
  }
}

/** Decodes a create-topic header; a missing `order` reads as false (Java's field default). */
function decodeCreateHeader(request: RemotingCommand): CreateTopicRequestHeader {
  const ext = request.extFields ?? {};
  return decodeCreateTopicRequestHeader(ext.order === undefined ? { ...ext, order: 'false' } : ext);
}
