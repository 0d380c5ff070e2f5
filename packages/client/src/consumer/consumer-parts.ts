import type { Logger, SubscriptionData } from '@rocketmq-ts/protocol';
import type { MQClientInstance } from '../client-instance.js';
import { ConsumeMessageConcurrentlyService } from './consume-concurrently-service.js';
import { ConsumeMessageOrderlyService } from './consume-orderly-service.js';
import { ConsumeSlots } from './consume-slots.js';
import { effectiveMaxReconsumeTimes } from './consumer-runtime.js';
import type { ConsumeService, ConsumerRuntime, ConsumerTimers } from './consumer-runtime.js';
import { MessageBackSender } from './message-back.js';
import type { MessageListener } from './message-listener.js';
import type { OffsetStore } from './offset-store.js';
import type { PushConsumerConfig } from './push-consumer-config.js';
import { QueuePuller } from './queue-puller.js';
import { RebalancePush } from './rebalance-push.js';

/** The started parts of a push consumer. */
export interface ConsumerParts {
  instance: MQClientInstance;
  runtime: ConsumerRuntime;
  offsetStore: OffsetStore;
  slots: ConsumeSlots;
  timers: ConsumerTimers;
  service: ConsumeService;
  rebalancer: RebalancePush;
}

/** Inputs of {@link createConsumerParts}. */
export interface ConsumerPartsOptions {
  config: Readonly<PushConsumerConfig>;
  instance: MQClientInstance;
  listener: MessageListener;
  offsetStore: OffsetStore;
  timers: ConsumerTimers;
  subscriptions: ReadonlyMap<string, SubscriptionData>;
  logger: Logger;
  /** True once the consumer is stopping. */
  isStopping: () => boolean;
}

/**
 * Wires a started push consumer: the shared runtime, the consume service of the listener's kind, the rebalance
 * and the pull loops (which refer to each other through callbacks).
 */
export function createConsumerParts(options: ConsumerPartsOptions): ConsumerParts {
  const { config, instance, listener, offsetStore, timers, logger, isStopping } = options;
  const slots = new ConsumeSlots(config.consumeThreadMax);
  const runtime: ConsumerRuntime = {
    config,
    instance,
    logger,
    offsetStore,
    slots,
    timers,
    subscriptions: options.subscriptions,
    messageBack: new MessageBackSender({
      instance,
      group: config.consumerGroup,
      maxReconsumeTimes: effectiveMaxReconsumeTimes(
        config.maxReconsumeTimes,
        listener.kind === 'orderly',
      ),
      logger,
    }),
    get stopping(): boolean {
      return isStopping();
    },
  };
  const rebalancer = new RebalancePush({
    runtime,
    startPulling: (entry, offset) => puller.start(entry, offset),
    service: () => service,
  });
  const service: ConsumeService =
    listener.kind === 'orderly'
      ? new ConsumeMessageOrderlyService({
          runtime,
          listener: listener.listener,
          lockOne: (mq) => rebalancer.locks.lockOne(mq),
          lockAll: () => rebalancer.locks.lockAll(),
        })
      : new ConsumeMessageConcurrentlyService({
          runtime,
          listener: listener.listener,
          entries: () => rebalancer.processQueueTable.values(),
        });
  const puller = new QueuePuller({
    runtime,
    service,
    restartQueue: (mq, offset) => rebalancer.restartQueue(mq, offset),
    computePullFromWhere: (mq) => rebalancer.computePullFromWhere(mq),
  });
  return { instance, runtime, offsetStore, slots, timers, service, rebalancer };
}
