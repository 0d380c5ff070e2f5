import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  decodeCloneGroupOffsetRequestHeader,
  decodeResetOffsetRequestHeader,
  encodeConsumerOffsetTable,
  encodeDelayOffsetTable,
  encodeResetOffsetBody,
  encodeResetOffsetRequestHeader,
} from '@rocketmq-ts/protocol';
import type { MessageQueueEntries, ResetOffsetRequestHeader } from '@rocketmq-ts/protocol';
import type { RequestProcessor } from '@rocketmq-ts/remoting';
import type { BrokerContext } from '../../broker-context.js';
import { brokerQueue, notHandledBy } from './admin-request-guards.js';

/** The codes {@link OffsetAdminProcessor} answers. */
export const OFFSET_ADMIN_CODES: readonly number[] = [
  RequestCode.GET_ALL_CONSUMER_OFFSET,
  RequestCode.GET_ALL_DELAY_OFFSET,
  RequestCode.INVOKE_BROKER_TO_RESET_OFFSET,
  RequestCode.CLONE_GROUP_OFFSET,
];

/**
 * Consumer-offset administration (Java `AdminBrokerProcessor`, `Broker2Client.resetOffset`, remoting-protocol.md
 * §4.13):
 * - GET_ALL_CONSUMER_OFFSET (43): the whole table in consumerOffset.json's shape (quoted queue-id keys).
 * - GET_ALL_DELAY_OFFSET (45): delay level → offset, in delayOffset.json's shape.
 * - INVOKE_BROKER_TO_RESET_OFFSET (222): for each write queue of the topic (or only `queueId`, 5.x), the target is
 *   the offset by store time (`timestamp` −1: the max offset; 5.x `offset` when given for one queue); it is taken
 *   when `isForce` or when smaller than the committed offset. Unlike Java 4.9.8, which only tells online clients,
 *   the broker commits the new offsets itself, so the reset also holds for a group with no client online (Java
 *   answers CONSUMER_NOT_ONLINE there and mqadmin then rewrites the offsets on its own). Online members then get
 *   RESET_CONSUMER_CLIENT_OFFSET (220) oneway with the same header and a ResetOffsetBody, so they drop their cached
 *   positions. Answer: ResetOffsetBody of the offsets now in effect. SYSTEM_ERROR for an unknown topic or a group
 *   without a committed offset on some queue (Java's remarks).
 * - CLONE_GROUP_OFFSET (314): copies `srcGroup`'s offsets on `topic` (or on every topic it has offsets for) to
 *   `destGroup`, replacing the destination's offsets on that topic. Without `offline`, topics the live source group
 *   does not subscribe to are skipped, as in Java.
 */
export class OffsetAdminProcessor implements RequestProcessor {
  /** Codes to register this processor for. */
  static readonly CODES = OFFSET_ADMIN_CODES;

  constructor(private readonly ctx: BrokerContext) {}

  /** Answers one request; throws RocketMQError (see the class comment) for a refused reset. */
  async process(request: RemotingCommand): Promise<RemotingCommand> {
    switch (request.code) {
      case RequestCode.GET_ALL_CONSUMER_OFFSET:
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
          body: encodeConsumerOffsetTable({
            offsetTable: this.ctx.store.metadata.consumerOffsetTable(),
          }),
        });
      case RequestCode.GET_ALL_DELAY_OFFSET:
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
          body: encodeDelayOffsetTable({ offsetTable: this.ctx.store.metadata.delayOffsetTable() }),
        });
      case RequestCode.INVOKE_BROKER_TO_RESET_OFFSET:
        return this.resetOffset(request);
      case RequestCode.CLONE_GROUP_OFFSET:
        return this.cloneOffset(request);
      default:
        throw notHandledBy(request, 'OffsetAdminProcessor');
    }
  }

  private async resetOffset(request: RemotingCommand): Promise<RemotingCommand> {
    const header = decodeResetOffsetRequestHeader(request.extFields ?? {});
    const { topic, group } = header;
    const config = this.ctx.topics.get(topic);
    if (config === undefined) {
      throw new RocketMQError(
        `[reset-offset] reset offset failed, no topic in this broker. topic=${topic}`,
        ResponseCode.SYSTEM_ERROR,
      );
    }
    const queueIds = queuesToReset(header, config.writeQueueNums);
    const offsetTable: MessageQueueEntries<number> = [];
    const changes: Array<{ queueId: number; offset: number }> = [];
    for (const queueId of queueIds) {
      const committed = this.ctx.offsets.queryOffset({ group, topic, queueId });
      if (committed === -1) {
        throw new RocketMQError(
          `THe consumer group <${group}> not exist`,
          ResponseCode.SYSTEM_ERROR,
        );
      }
      const target = Math.max(0, await this.targetOffset(header, queueId));
      const offset = header.isForce || target < committed ? target : committed;
      offsetTable.push([brokerQueue(this.ctx, topic, queueId), offset]);
      if (offset !== committed) changes.push({ queueId, offset });
    }
    for (const { queueId, offset } of changes) {
      await this.ctx.offsets.commitOffset({ group, topic, queueId, offset });
    }
    const notified = this.notifyMembers(header, offsetTable);
    this.ctx.logger.info('consumer offsets reset by admin', {
      topic,
      group,
      timestamp: header.timestamp,
      isForce: header.isForce,
      changed: changes.length,
      notified,
    });
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
      body: encodeResetOffsetBody({ offsetTable }),
    });
  }

  private async targetOffset(header: ResetOffsetRequestHeader, queueId: number): Promise<number> {
    const { store } = this.ctx;
    if (header.offset !== undefined && header.queueId !== undefined && header.queueId >= 0) {
      return header.offset;
    }
    if (header.timestamp === -1) return store.getMaxOffsetInQueue(header.topic, queueId);
    return store.getOffsetInQueueByTime(header.topic, queueId, header.timestamp);
  }

  /** Sends RESET_CONSUMER_CLIENT_OFFSET oneway to every live member; returns how many were told. */
  private notifyMembers(
    header: ResetOffsetRequestHeader,
    offsetTable: MessageQueueEntries<number>,
  ): number {
    const info = this.ctx.consumers.group(header.group);
    if (info === undefined) return 0;
    const extFields = encodeResetOffsetRequestHeader({
      topic: header.topic,
      group: header.group,
      timestamp: header.timestamp,
      isForce: header.isForce,
    });
    const body = encodeResetOffsetBody({ offsetTable });
    let notified = 0;
    for (const member of info.members.values()) {
      if (member.channel.isClosed) continue;
      try {
        member.channel.invokeOneway(
          RemotingCommand.oneway(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, { ...extFields }, body),
        );
        notified++;
      } catch (error) {
        this.ctx.logger.warn('cannot tell a consumer to reset its offsets', {
          group: header.group,
          clientId: member.clientId,
          error: String(error),
        });
      }
    }
    return notified;
  }

  private async cloneOffset(request: RemotingCommand): Promise<RemotingCommand> {
    const header = decodeCloneGroupOffsetRequestHeader(request.extFields ?? {});
    const { srcGroup, destGroup } = header;
    const { metadata } = this.ctx.store;
    const topics =
      header.topic !== undefined && header.topic.trim() !== ''
        ? [header.topic]
        : metadata.listTopicsOfConsumerGroup(srcGroup);
    const subscriptions = this.ctx.consumers.groupSubscriptions(srcGroup);
    let cloned = 0;
    for (const topic of topics) {
      if (this.ctx.topics.get(topic) === undefined) continue;
      if (header.offline !== true && subscriptions.size > 0 && !subscriptions.has(topic)) continue;
      const offsets = metadata.getConsumerOffsets({ topic, group: srcGroup });
      await metadata.deleteConsumerOffsets({ topic, group: destGroup });
      for (const [queueId, offset] of offsets) {
        await metadata.setConsumerOffset({ topic, group: destGroup, queueId, offset });
      }
      cloned += offsets.size;
    }
    this.ctx.logger.info('consumer offsets cloned by admin', { srcGroup, destGroup, cloned });
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
  }
}

/** The queues a reset covers: every write queue, or the one 5.x `queueId` names (when it exists). */
function queuesToReset(header: ResetOffsetRequestHeader, writeQueueNums: number): number[] {
  if (header.queueId !== undefined && header.queueId >= 0) {
    return header.queueId < writeQueueNums ? [header.queueId] : [];
  }
  return Array.from({ length: writeQueueNums }, (_, i) => i);
}
