import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  decodeDeleteSubscriptionGroupRequestHeader,
  decodeSubscriptionGroupConfig,
  encodeSubscriptionGroupWrapper,
} from '@rocketmq-ts/protocol';
import type { RequestProcessor } from '@rocketmq-ts/remoting';
import type { BrokerContext } from '../../broker-context.js';
import { notHandledBy, refuseOnSlave } from './admin-request-guards.js';

/** The codes {@link GroupAdminProcessor} answers. */
export const GROUP_ADMIN_CODES: readonly number[] = [
  RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
  RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG,
  RequestCode.DELETE_SUBSCRIPTIONGROUP,
];

/**
 * Subscription-group administration (Java `AdminBrokerProcessor`, remoting-protocol.md §5.9):
 * - UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200): body SubscriptionGroupConfig, stored as given (SYSTEM_ERROR when the
 *   body is missing, not JSON, or has a blank `groupName`; refused on a slave).
 * - GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201): SubscriptionGroupWrapper of the whole table with its DataVersion.
 * - DELETE_SUBSCRIPTIONGROUP (207): deletes the config; with `removeOffset` (4.9) or `cleanOffset` (5.x) also every
 *   committed offset of the group. Deleting an unknown group succeeds, as in Java.
 */
export class GroupAdminProcessor implements RequestProcessor {
  /** Codes to register this processor for. */
  static readonly CODES = GROUP_ADMIN_CODES;

  constructor(private readonly ctx: BrokerContext) {}

  /** Answers one request; throws RocketMQError (see the class comment) for refusals. */
  async process(request: RemotingCommand): Promise<RemotingCommand> {
    switch (request.code) {
      case RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP:
        return this.createOrUpdate(request);
      case RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG:
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
          body: encodeSubscriptionGroupWrapper({
            dataVersion: this.ctx.subscriptionGroups.dataVersion(),
            subscriptionGroupTable: this.ctx.subscriptionGroups.all(),
          }),
        });
      case RequestCode.DELETE_SUBSCRIPTIONGROUP:
        return this.delete(request);
      default:
        throw notHandledBy(request, 'GroupAdminProcessor');
    }
  }

  private async createOrUpdate(request: RemotingCommand): Promise<RemotingCommand> {
    refuseOnSlave(this.ctx);
    if (request.body === undefined || request.body.length === 0) {
      throw new RocketMQError(
        'UPDATE_AND_CREATE_SUBSCRIPTIONGROUP needs a SubscriptionGroupConfig body',
        ResponseCode.SYSTEM_ERROR,
      );
    }
    const config = decodeSubscriptionGroupConfig(request.body);
    if (config.groupName.trim() === '') {
      throw new RocketMQError('the subscription group name is blank', ResponseCode.SYSTEM_ERROR);
    }
    await this.ctx.subscriptionGroups.createOrUpdate(config);
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
  }

  private async delete(request: RemotingCommand): Promise<RemotingCommand> {
    refuseOnSlave(this.ctx);
    const header = decodeDeleteSubscriptionGroupRequestHeader(request.extFields ?? {});
    const group = header.groupName;
    const existed = await this.ctx.subscriptionGroups.delete(group);
    let offsets = 0;
    if (header.removeOffset === true || header.cleanOffset === true) {
      offsets = await this.ctx.store.metadata.deleteConsumerGroupOffsets(group);
    }
    this.ctx.logger.info('subscription group deleted by admin', { group, existed, offsets });
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
  }
}
