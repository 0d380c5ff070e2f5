import { RequestCode } from '@rocketmq-ts/protocol';
import { ProcessorTable } from '@rocketmq-ts/remoting';
import { parseMessageDelayLevel } from '@rocketmq-ts/store';
import type { BrokerContext } from './broker-context.js';
import type { PullRequestHoldService } from './long-polling/pull-request-hold-service.js';
import { RebalanceLockManager } from './lock/rebalance-lock-manager.js';
import { BrokerRuntimeStats } from './processors/admin/broker-runtime-stats.js';
import { ConfigAdminProcessor } from './processors/admin/config-admin-processor.js';
import { ConnectionAdminProcessor } from './processors/admin/connection-admin-processor.js';
import { ConsumerCallProcessor } from './processors/admin/consumer-call-processor.js';
import { GroupAdminProcessor } from './processors/admin/group-admin-processor.js';
import { OffsetAdminProcessor } from './processors/admin/offset-admin-processor.js';
import { RuntimeInfoProcessor } from './processors/admin/runtime-info-processor.js';
import { StatsAdminProcessor } from './processors/admin/stats-admin-processor.js';
import { TopicAdminProcessor } from './processors/admin/topic-admin-processor.js';
import { ClientManageProcessor } from './processors/client-manage-processor.js';
import { ConsumerManageProcessor } from './processors/consumer-manage-processor.js';
import { LockProcessor } from './processors/lock-processor.js';
import { PullMessageProcessor } from './processors/pull-message-processor.js';
import { QueryMessageProcessor } from './processors/query-message-processor.js';
import { QueueOffsetProcessor } from './processors/queue-offset-processor.js';
import { SendBackProcessor } from './processors/send-back-processor.js';
import { SendMessageProcessor } from './processors/send-message-processor.js';
import { SlaveRefusalProcessor } from './processors/slave-refusal-processor.js';
import { ScheduleMessageService } from './schedule/schedule-message-service.js';
import { toScheduleMessage } from './schedule/to-schedule-message.js';
import { EndTransactionProcessor } from './transaction/end-transaction-processor.js';
import { TimerMessageService } from './timer/timer-message-service.js';
import { timerRewriterOf } from './timer/to-timer-message.js';
import { TransactionCheckService } from './transaction/transaction-check-service.js';

/** Services the processors use besides the context, owned by the controller. */
export interface BrokerServices {
  /** Parked long-poll pulls. */
  holdService: PullRequestHoldService;
}

/** The broker's processor table and the background services that come with its processors. */
export interface BuiltProcessors {
  /** Every request code the broker answers, mapped to its processor (STYLE §6: the one place). */
  table: ProcessorTable;
  /** Starts background services (delayed and timer delivery, transaction check-back). Called once the server listens. */
  start(): Promise<void>;
  /** Stops them; idempotent. */
  close(): Promise<void>;
}

/** Builds the broker's processor table. */
export function brokerProcessors(ctx: BrokerContext, services: BrokerServices): BuiltProcessors {
  const levels = parseMessageDelayLevel(ctx.store.config.messageDelayLevel);
  const schedule = new ScheduleMessageService({
    store: ctx.store,
    levels,
    storeHost: () => ctx.storeHost(),
    logger: ctx.logger.child({ component: 'schedule' }),
  });
  const timer = new TimerMessageService({
    store: ctx.store,
    storeHost: () => ctx.storeHost(),
    precisionMs: ctx.config.timerPrecisionMs,
    logger: ctx.logger.child({ component: 'timer' }),
  });
  const runtimeStats = new BrokerRuntimeStats({ store: ctx.store });
  const table = new ProcessorTable()
    .on(
      [RequestCode.SEND_MESSAGE, RequestCode.SEND_MESSAGE_V2, RequestCode.SEND_BATCH_MESSAGE],
      new SendMessageProcessor({
        context: ctx,
        scheduleRewriter: (input) => toScheduleMessage(input, levels.length),
        // Always: with the wheel disabled, a delivery time is refused rather than ignored.
        timerRewriter: timerRewriterOf(ctx.config),
      }),
    )
    .on(
      RequestCode.CONSUMER_SEND_MSG_BACK,
      new SendBackProcessor({ context: ctx, maxDelayLevel: levels.length }),
    )
    .on(
      RequestCode.PULL_MESSAGE,
      new PullMessageProcessor({ context: ctx, holdService: services.holdService }),
    )
    .on(
      [
        RequestCode.HEART_BEAT,
        RequestCode.UNREGISTER_CLIENT,
        RequestCode.GET_CONSUMER_LIST_BY_GROUP,
        RequestCode.CHECK_CLIENT_CONFIG,
      ],
      new ClientManageProcessor({ context: ctx }),
    )
    .on(
      [RequestCode.QUERY_CONSUMER_OFFSET, RequestCode.UPDATE_CONSUMER_OFFSET],
      new ConsumerManageProcessor(ctx.offsets),
    )
    .on(
      [
        RequestCode.SEARCH_OFFSET_BY_TIMESTAMP,
        RequestCode.GET_MAX_OFFSET,
        RequestCode.GET_MIN_OFFSET,
        RequestCode.GET_EARLIEST_MSG_STORETIME,
      ],
      new QueueOffsetProcessor(ctx.store),
    )
    .on(
      [RequestCode.LOCK_BATCH_MQ, RequestCode.UNLOCK_BATCH_MQ],
      new LockProcessor({ locks: new RebalanceLockManager({ logger: ctx.logger }) }),
    )
    .on(
      [RequestCode.QUERY_MESSAGE, RequestCode.VIEW_MESSAGE_BY_ID],
      new QueryMessageProcessor({ store: ctx.store }),
    )
    .on(TopicAdminProcessor.CODES, new TopicAdminProcessor(ctx))
    .on(GroupAdminProcessor.CODES, new GroupAdminProcessor(ctx))
    .on(StatsAdminProcessor.CODES, new StatsAdminProcessor(ctx))
    .on(ConnectionAdminProcessor.CODES, new ConnectionAdminProcessor(ctx))
    .on(ConsumerCallProcessor.CODES, new ConsumerCallProcessor(ctx))
    .on(ConfigAdminProcessor.CODES, new ConfigAdminProcessor(ctx))
    .on(OffsetAdminProcessor.CODES, new OffsetAdminProcessor(ctx))
    .on(RuntimeInfoProcessor.CODES, new RuntimeInfoProcessor(ctx, runtimeStats));
  const isSlave = ctx.config.brokerRole === 'SLAVE';
  if (isSlave) {
    table.on(SlaveRefusalProcessor.CODES, new SlaveRefusalProcessor());
  } else {
    table.on(RequestCode.END_TRANSACTION, new EndTransactionProcessor({ context: ctx }));
  }
  const transactionCheck = new TransactionCheckService({ context: ctx });
  return {
    table,
    start: () => {
      // Java delivers delayed messages on the master only; a slave replicates the master's deliveries.
      if (!isSlave) {
        schedule.start();
        transactionCheck.start();
        if (ctx.config.timerWheelEnable) timer.start();
      }
      runtimeStats.start();
      return Promise.resolve();
    },
    close: async () => {
      runtimeStats.close();
      await transactionCheck.close();
      await timer.close();
      await schedule.close();
    },
  };
}
