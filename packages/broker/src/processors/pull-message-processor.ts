import { totalmem } from 'node:os';
import {
  PullSysFlag,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  SUB_ALL,
  decodePullMessageRequestHeader,
  encodePullMessageResponseHeader,
  hasPullSysFlag,
  parseSubscriptionExpression,
  readRecordPhyOffset,
} from '@rocketmq-ts/protocol';
import type { PullMessageRequestHeader, SubscriptionGroupConfig } from '@rocketmq-ts/protocol';
import type { RequestContext, RequestProcessor } from '@rocketmq-ts/remoting';
import type { GetMessageResult, GetMessageStatus } from '@rocketmq-ts/store';
import type { BrokerContext } from '../broker-context.js';
import type { PullRequestHoldService } from '../long-polling/pull-request-hold-service.js';
import { sql92FilterCacheOf, sqlFilterOf } from '../filter/sql92-filter.js';
import type { Sql92Filter, Sql92FilterCache } from '../filter/sql92-filter.js';
import { PERM_READ } from '../topic/topic-validator.js';

/** Options of {@link PullMessageProcessor}. */
export interface PullMessageProcessorOptions {
  context: BrokerContext;
  /** Where pulls that found nothing wait for new messages. */
  holdService: PullRequestHoldService;
  /** Physical memory the far-behind threshold is a share of, in bytes. Default `os.totalmem()`. */
  totalMemoryBytes?: number;
  /**
   * Compiled SQL92 filters by group, topic and expression. Default the context's own cache
   * ({@link sql92FilterCacheOf}), which CHECK_CLIENT_CONFIG of the same broker fills too.
   */
  sqlFilterCache?: Sql92FilterCache;
}

/**
 * The filter of one pull: a tag filter on the consume queue's tags code (undefined for "everything") and, for an
 * SQL92 subscription, the expression evaluated on each record's properties after the store lookup.
 */
interface PullFilter {
  tags?: (tagsCode: number) => boolean;
  sql?: Sql92Filter;
}

/**
 * Most store lookups one SQL92 pull makes while every record read is filtered out (each advances the queue offset),
 * before answering NO_MATCHED_MESSAGE so the client pulls again from the new offset.
 */
const MAX_SQL_LOOKUPS_PER_PULL = 8;

/**
 * Handles PULL_MESSAGE (11) as RocketMQ 4.9.8's `PullMessageProcessor` (remoting-protocol.md §4.3): permission,
 * group, topic and queue checks; the tag filter from the request (subscription bit, as ali-ons always sends) or else
 * from the pulling member's own heartbeat; the store lookup mapped to 0/19/20/21 with all four response header
 * fields; long polling (a would-be 19 with the suspend bit waits up to the client's suspend time and is answered as
 * soon as its queue grows); the commit offset carried in the pull stored after the lookup.
 * The pulling member's own subscription is used, never another member's, so members of one group with different
 * tags are each filtered correctly (the tag pitfall guard). SQL92 subscriptions need `enablePropertyFilter` (else
 * SYSTEM_ERROR as Java); their expression is evaluated on each record's properties after the store lookup: records
 * that do not match are left out but still advance `nextBeginOffset`, and a lookup whose records all fail is retried
 * a few times from the new offset, then answered NO_MATCHED_MESSAGE (PULL_RETRY_IMMEDIATELY) as Java does.
 *
 * Master/slave (store-format.md §8.5): `suggestWhichBrokerId` is 0 unless `slaveReadEnable`; then it is the group's
 * `whichBrokerWhenConsumeSlowly` when the pull is far behind (commit-log max offset minus the phyOffset of the last
 * record examined exceeds `accessMessageInMemoryMaxRatio` % of physical memory), else the group's `brokerId`. A slave
 * with `slaveReadEnable=false` serves the pull and suggests 0 (the master) for the next one: what 4.9.8 does in
 * effect (it sets PULL_RETRY_IMMEDIATELY, then its status switch overwrites the code), and what lets consumers keep
 * consuming from a slave while the master is down. A slave never stores the commit offset a pull carries, and without `offsetCheckInSlave` answers "offset
 * moved" as PULL_RETRY_IMMEDIATELY suggesting the group's `brokerId` (it may only be behind its master).
 */
export class PullMessageProcessor implements RequestProcessor {
  private readonly ctx: BrokerContext;
  private readonly holdService: PullRequestHoldService;
  private readonly totalMemoryBytes: number;
  private readonly sqlFilters: Sql92FilterCache;

  constructor(options: PullMessageProcessorOptions) {
    this.ctx = options.context;
    this.holdService = options.holdService;
    this.totalMemoryBytes = options.totalMemoryBytes ?? totalmem();
    this.sqlFilters = options.sqlFilterCache ?? sql92FilterCacheOf(options.context);
  }

  /** Answers one pull, after parking it when it found nothing and may wait. */
  async process(request: RemotingCommand, rc: RequestContext): Promise<RemotingCommand> {
    if (request.code !== RequestCode.PULL_MESSAGE) {
      throw new RocketMQError(
        `request code ${request.code} is not handled by PullMessageProcessor`,
        ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
      );
    }
    const header = decodePullMessageRequestHeader(request.extFields ?? {});
    const { filter, group } = await this.check(header, rc);
    let result = await this.lookup(header, filter);
    let code = responseCode(result.status, header.queueOffset);
    this.commitCarriedOffset(header);
    if (
      code === ResponseCode.PULL_NOT_FOUND &&
      hasPullSysFlag(header.sysFlag, PullSysFlag.SUSPEND)
    ) {
      const holdMs = this.ctx.config.longPollingEnable
        ? header.suspendTimeoutMillis
        : this.ctx.config.shortPollingTimeMills;
      const parked = this.holdService.park({
        topic: header.topic,
        queueId: header.queueId,
        queueOffset: header.queueOffset,
        holdMs,
        channelId: rc.channel.id,
      });
      // A message dispatched between the lookup and the park notified nobody; without this check the pull would
      // wait out its whole hold time (Java's hold service re-checks parked pulls every 5 s for the same reason).
      this.holdService.notifyMessageArriving(
        header.topic,
        header.queueId,
        this.ctx.store.getMaxOffsetInQueue(header.topic, header.queueId),
      );
      const reason = await parked;
      // After a shutdown the answer is the one found before parking; after the connection closed nobody reads it.
      if (reason === 'arrived' || reason === 'timeout') {
        result.release();
        result = await this.lookup(header, filter);
        code = responseCode(result.status, header.queueOffset);
      }
    }
    let suggestWhichBrokerId = this.suggestBrokerId(result, group);
    if (
      code === ResponseCode.PULL_OFFSET_MOVED &&
      this.ctx.config.brokerRole === 'SLAVE' &&
      !this.ctx.config.offsetCheckInSlave
    ) {
      // Java: a slave may just lag its master, so the offset is not corrected there.
      code = ResponseCode.PULL_RETRY_IMMEDIATELY;
      suggestWhichBrokerId = group.brokerId;
    }
    const response = RemotingCommand.responseTo(request, code, {
      remark: result.status,
      extFields: encodePullMessageResponseHeader({
        suggestWhichBrokerId,
        nextBeginOffset: result.nextBeginOffset,
        minOffset: result.minOffset,
        maxOffset: result.maxOffset,
      }),
      body: result.status === 'FOUND' ? result.recordBytes : undefined,
    });
    // The body is the store's memory, sent as it is: given back for the next pull once the socket has written it (a
    // copy per pull, ~37 KB outside the V8 heap, made a fast drain run a full GC every ~50 ms).
    if (response.body === undefined) result.release();
    else response.onWritten = result.release;
    return response;
  }

  /** Java `PullMessageProcessor`: where the consumer should pull this queue next. */
  private suggestBrokerId(result: GetMessageResult, group: SubscriptionGroupConfig): number {
    if (!this.ctx.config.slaveReadEnable) return 0;
    return this.farBehind(result) ? group.whichBrokerWhenConsumeSlowly : group.brokerId;
  }

  /**
   * Java `DefaultMessageStore.getMessage` `suggestPullingFromSlave`: the bytes between the last entry examined and the
   * commit log's end exceed `accessMessageInMemoryMaxRatio` % of physical memory. When that entry is the last record
   * returned, its own phyOffset is used, as Java does; when it was filtered out, the end of it stands in (one record
   * off at most).
   */
  private farBehind(result: GetMessageResult): boolean {
    const last = result.messages[result.messages.length - 1];
    const lastPhyOffset = last === undefined ? undefined : readRecordPhyOffset(last, 0);
    let examinedPhyOffset: number;
    if (
      last !== undefined &&
      lastPhyOffset !== undefined &&
      lastPhyOffset + last.length >= result.maxPhyOffsetPulled
    ) {
      examinedPhyOffset = lastPhyOffset;
    } else if (result.maxPhyOffsetPulled > 0) {
      examinedPhyOffset = result.maxPhyOffsetPulled;
    } else {
      return false;
    }
    const behindBytes = this.ctx.store.getMaxPhyOffset() - examinedPhyOffset;
    const inMemoryBytes =
      (this.totalMemoryBytes * this.ctx.config.accessMessageInMemoryMaxRatio) / 100;
    return behindBytes > inMemoryBytes;
  }

  /** The checks of §4.3 in Java's order. @returns the group's config and the tag filter to apply. */
  private async check(
    header: PullMessageRequestHeader,
    rc: RequestContext,
  ): Promise<{ filter: PullFilter; group: SubscriptionGroupConfig }> {
    const { config, runtimeConfig, subscriptionGroups, topics, consumers } = this.ctx;
    if ((runtimeConfig.brokerPermission & PERM_READ) === 0) {
      throw new RocketMQError(
        `the broker[${config.brokerIP1}] pulling message is forbidden`,
        ResponseCode.NO_PERMISSION,
      );
    }
    const group = await subscriptionGroups.findOrCreate(header.consumerGroup);
    if (group === undefined) {
      throw new RocketMQError(
        `subscription group [${header.consumerGroup}] does not exist — create it with mqadmin updateSubGroup or enable autoCreateSubscriptionGroup`,
        ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
      );
    }
    if (!group.consumeEnable) {
      throw new RocketMQError(
        `subscription group no permission, ${header.consumerGroup}`,
        ResponseCode.NO_PERMISSION,
      );
    }
    const topicConfig = topics.get(header.topic);
    if (topicConfig === undefined) {
      throw new RocketMQError(
        `topic[${header.topic}] not exist, apply first please!`,
        ResponseCode.TOPIC_NOT_EXIST,
      );
    }
    if ((topicConfig.perm & PERM_READ) === 0) {
      throw new RocketMQError(
        `the topic[${header.topic}] pulling message is forbidden`,
        ResponseCode.NO_PERMISSION,
      );
    }
    if (header.queueId < 0 || header.queueId >= topicConfig.readQueueNums) {
      throw new RocketMQError(
        `queueId[${header.queueId}] is illegal, topic:[${header.topic}] topicConfig.readQueueNums:[${topicConfig.readQueueNums}] consumer:[${rc.remoteAddr}]`,
        ResponseCode.SYSTEM_ERROR,
      );
    }
    if (hasPullSysFlag(header.sysFlag, PullSysFlag.SUBSCRIPTION)) {
      const carried = { expressionType: header.expressionType, expression: header.subscription };
      const filter = this.filterOf(header, carried, {
        code: ResponseCode.SUBSCRIPTION_PARSE_FAILED,
        remark: "parse the consumer's subscription failed",
      });
      return { filter, group };
    }
    const info = consumers.group(header.consumerGroup);
    if (info === undefined) {
      throw new RocketMQError(
        `the consumer's group info not exist, group: ${header.consumerGroup}`,
        ResponseCode.SUBSCRIPTION_NOT_EXIST,
      );
    }
    if (info.messageModel === 'BROADCASTING' && !group.consumeBroadcastEnable) {
      throw new RocketMQError(
        `the consumer group[${header.consumerGroup}] can not consume by broadcast way`,
        ResponseCode.NO_PERMISSION,
      );
    }
    const subscription = consumers.subscriptionOf(header.consumerGroup, header.topic, rc.channel);
    if (subscription === undefined) {
      throw new RocketMQError(
        `the consumer's subscription not exist, group: ${header.consumerGroup} topic: ${header.topic}`,
        ResponseCode.SUBSCRIPTION_NOT_EXIST,
      );
    }
    if (subscription.subVersion < header.subVersion) {
      throw new RocketMQError(
        `the consumer's subscription not latest, group: ${header.consumerGroup}`,
        ResponseCode.SUBSCRIPTION_NOT_LATEST,
      );
    }
    const own = { expressionType: subscription.expressionType, expression: subscription.subString };
    const filter = this.filterOf(header, own, {
      code: ResponseCode.FILTER_DATA_NOT_EXIST,
      remark: "The broker's consumer filter data is not exist!Your expression may be wrong!",
    });
    return { filter, group };
  }

  /**
   * The pull's filter from a subscription's type and expression. SQL92 without `enablePropertyFilter` is refused
   * with Java's SYSTEM_ERROR; an expression that does not compile with `onParseError` (Java answers
   * SUBSCRIPTION_PARSE_FAILED for one carried by the pull, FILTER_DATA_NOT_EXIST for one from the heartbeat).
   */
  private filterOf(
    header: PullMessageRequestHeader,
    subscription: { expressionType: string | undefined; expression: string | undefined },
    onParseError: { code: number; remark: string },
  ): PullFilter {
    const { expressionType, expression } = subscription;
    const sql = sqlFilterOf({
      enablePropertyFilter: this.ctx.config.enablePropertyFilter,
      expressionType,
      expression,
      group: header.consumerGroup,
      topic: header.topic,
      cache: this.sqlFilters,
      invalidCode: onParseError.code,
      invalidRemarkPrefix: onParseError.remark,
    });
    if (sql !== undefined) return { sql };
    const parsed = parseSubscriptionExpression(expression);
    if (parsed.subString === SUB_ALL) return {};
    const codes = new Set(parsed.codeSet);
    return { tags: (tagsCode) => codes.has(tagsCode) };
  }

  private async lookup(
    header: PullMessageRequestHeader,
    filter: PullFilter,
  ): Promise<GetMessageResult> {
    const sql = filter.sql;
    let queueOffset = header.queueOffset;
    for (let round = 1; ; round++) {
      const result = await this.ctx.store.getMessage({
        group: header.consumerGroup,
        topic: header.topic,
        queueId: header.queueId,
        queueOffset,
        maxMsgNums: header.maxMsgNums,
        filter: filter.tags,
      });
      if (sql === undefined || result.status !== 'FOUND') return result;
      const messages = result.messages.filter((record) => sql.matchesRecord(record));
      let bufferTotalSize = 0;
      for (const message of messages) bufferTotalSize += message.length;
      const filtered: GetMessageResult = {
        ...result,
        messages,
        bufferTotalSize,
        // Records left out break the run: the matched ones are copied (this path is SQL92 filtering only).
        recordBytes:
          messages.length === result.messages.length
            ? result.recordBytes
            : messages.length > 0
              ? Buffer.concat(messages, bufferTotalSize)
              : undefined,
        // Java's store reports NO_MATCHED_MESSAGE when every record it read failed the expression.
        status: messages.length > 0 ? 'FOUND' : 'NO_MATCHED_MESSAGE',
      };
      if (
        messages.length > 0 ||
        round >= MAX_SQL_LOOKUPS_PER_PULL ||
        result.nextBeginOffset <= queueOffset ||
        result.nextBeginOffset >= result.maxOffset
      ) {
        return filtered;
      }
      result.release();
      queueOffset = result.nextBeginOffset;
    }
  }

  private commitCarriedOffset(header: PullMessageRequestHeader): void {
    if (!hasPullSysFlag(header.sysFlag, PullSysFlag.COMMIT_OFFSET)) return;
    // Java: a slave never stores offsets carried by pulls (clients clear the flag for slaves anyway).
    if (this.ctx.config.brokerRole === 'SLAVE') return;
    // The pull does not wait for the write (Java keeps these in memory and persists them every few seconds).
    this.ctx.offsets.commitOffsetInBackground(
      {
        group: header.consumerGroup,
        topic: header.topic,
        queueId: header.queueId,
        offset: header.commitOffset,
      },
      (error) =>
        this.ctx.logger.warn('a consumer offset carried by a pull was not stored', {
          group: header.consumerGroup,
          topic: header.topic,
          queueId: header.queueId,
          offset: header.commitOffset,
          error: error instanceof Error ? error.message : String(error),
        }),
    );
  }
}

/** Store status → pull response code (remoting-protocol.md §4.3 table). */
export function responseCode(status: GetMessageStatus, requestedOffset: number): number {
  switch (status) {
    case 'FOUND':
      return ResponseCode.SUCCESS;
    case 'NO_MATCHED_MESSAGE':
    case 'MESSAGE_WAS_REMOVING':
      return ResponseCode.PULL_RETRY_IMMEDIATELY;
    case 'NO_MATCHED_LOGIC_QUEUE':
    case 'NO_MESSAGE_IN_QUEUE':
      return requestedOffset !== 0 ? ResponseCode.PULL_OFFSET_MOVED : ResponseCode.PULL_NOT_FOUND;
    case 'OFFSET_FOUND_NULL':
    case 'OFFSET_OVERFLOW_ONE':
      return ResponseCode.PULL_NOT_FOUND;
    case 'OFFSET_OVERFLOW_BADLY':
    case 'OFFSET_TOO_SMALL':
      return ResponseCode.PULL_OFFSET_MOVED;
  }
}
