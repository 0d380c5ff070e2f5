import { buildPullSysFlag } from '@rocketmq-ts/protocol';
import type { Logger, SubscriptionData } from '@rocketmq-ts/protocol';
import type { MQClientInstance } from '../client-instance.js';
import type { ConsumerTimers } from '../consumer/consumer-runtime.js';
import { findSubscribeBroker } from '../consumer/find-broker.js';
import type { OffsetStore } from '../consumer/offset-store.js';
import {
  PULL_TIME_DELAY_MILLS_WHEN_CACHE_FLOW_CONTROL,
  pullFailureDelayMs,
  pullMessage,
} from '../consumer/pull-api.js';
import type { PullResult } from '../consumer/pull-api.js';
import { computePullFromWhere } from '../consumer/pull-from-where.js';
import { RetryImmediatelyPacer } from '../consumer/retry-immediately-pacer.js';
import type { ConsumeRequestQueue } from './consume-request-queue.js';
import type { LitePullConsumerConfig } from './lite-pull-config.js';
import type { ConsumeRequest, OwnedQueue } from './owned-queue.js';

/** Java `PULL_TIME_DELAY_MILLS_WHEN_PAUSE`: how often a paused queue checks whether it was resumed, ms. */
export const PULL_DELAY_WHEN_PAUSE_MS = 1_000;
/** Java `PULL_TIME_DELAY_MILLS_ON_EXCEPTION`: pause after the start offset could not be read, ms. */
export const PULL_DELAY_ON_OFFSET_EXCEPTION_MS = 3_000;

/** Pull `sysFlag` of the lite consumer: long polling, subscription in the request, lite-pull bit (as Java 4.9.8). */
const LITE_PULL_SYS_FLAG = buildPullSysFlag({ suspend: true, subscription: true, litePull: true });

const MIB = 1024 * 1024;

/** What the pull loops need from their consumer. */
export interface QueuePullerDeps {
  readonly config: Readonly<LitePullConsumerConfig>;
  readonly instance: MQClientInstance;
  readonly offsetStore: OffsetStore;
  readonly requests: ConsumeRequestQueue<ConsumeRequest>;
  readonly timers: ConsumerTimers;
  readonly logger: Logger;
  /** The subscription a topic is pulled with. */
  subscriptionOf(topic: string): SubscriptionData;
  /** True while the consumer runs and still owns `queue`. */
  isActive(queue: OwnedQueue): boolean;
}

/**
 * The per-queue pull loops of the lite pull consumer (Java `DefaultLitePullConsumerImpl.PullTaskImpl`): each owned
 * queue pulls with long polling into its cache and queues the batches for poll(), pausing while the queue is paused
 * or a cache threshold is exceeded, and after failures. Each pull goes to the broker the last answer suggested
 * (`suggestWhichBrokerId`, the master at first), or any broker of the set when that one is not in the routes (a
 * slave while the master is gone); after PULL_RETRY_IMMEDIATELY it pulls again at once, paced when such answers
 * repeat without progress ({@link RetryImmediatelyPacer}). The lite consumer never commits offsets by pull.
 */
export class QueuePuller {
  constructor(private readonly deps: QueuePullerDeps) {}

  /** Starts the loop of the queue's current generation; it ends when the generation changes or the queue goes. */
  start(queue: OwnedQueue): void {
    const { generation } = queue;
    const live = (): boolean => queue.generation === generation && this.deps.isActive(queue);
    this.loop(queue, live).catch((error: unknown) => {
      this.deps.logger.error('lite pull loop failed', { ...queue.mq, error: String(error) });
    });
  }

  private async loop(queue: OwnedQueue, live: () => boolean): Promise<void> {
    const pacer = new RetryImmediatelyPacer();
    while (live()) {
      const delayMs = await this.step(queue, { live, pacer });
      if (delayMs > 0 && live()) await this.deps.timers.sleep(delayMs);
    }
  }

  /** One turn of the loop. @returns the pause before the next one, ms. */
  private async step(
    queue: OwnedQueue,
    turn: { live: () => boolean; pacer: RetryImmediatelyPacer },
  ): Promise<number> {
    const { live, pacer } = turn;
    const { config, requests, logger } = this.deps;
    const { pq, mq } = queue;
    if (queue.paused) return PULL_DELAY_WHEN_PAUSE_MS;
    if (
      requests.size * config.pullBatchSize > config.pullThresholdForAll ||
      pq.msgCount > config.pullThresholdForQueue ||
      Math.floor(pq.msgSize / MIB) > config.pullThresholdSizeForQueue ||
      pq.maxSpan() > config.consumeMaxSpan
    ) {
      return PULL_TIME_DELAY_MILLS_WHEN_CACHE_FLOW_CONTROL;
    }
    let offset: number;
    try {
      offset = await this.nextPullOffset(queue);
    } catch (error) {
      logger.warn('cannot compute the lite pull start offset', { ...mq, error: String(error) });
      return PULL_DELAY_ON_OFFSET_EXCEPTION_MS;
    }
    if (!live()) return 0;
    try {
      const result = await this.pull(queue, offset);
      if (!live()) return 0;
      this.apply(queue, result);
      return pacer.delayAfter(result, offset);
    } catch (error) {
      if (!live()) return 0;
      logger.warn('lite pull failed', { ...mq, offset, error: String(error) });
      return pullFailureDelayMs(error, config.pullTimeDelayMillsWhenException);
    }
  }

  private async pull(queue: OwnedQueue, offset: number): Promise<PullResult> {
    const { config, instance } = this.deps;
    const { mq } = queue;
    const subscription = this.deps.subscriptionOf(mq.topic);
    const broker = await findSubscribeBroker(instance, mq, queue.brokerId);
    queue.lastPullTimestamp = Date.now();
    queue.pq.lastPullTimestamp = queue.lastPullTimestamp;
    return pullMessage(instance.api, {
      addr: broker.brokerAddr,
      brokerName: mq.brokerName,
      header: {
        consumerGroup: config.consumerGroup,
        topic: mq.topic,
        queueId: mq.queueId,
        queueOffset: offset,
        maxMsgNums: config.pullBatchSize,
        sysFlag: LITE_PULL_SYS_FLAG,
        commitOffset: 0,
        suspendTimeoutMillis: config.brokerSuspendMaxTimeMillis,
        subscription: subscription.subString,
        subVersion: subscription.expressionType === 'TAG' ? 0 : subscription.subVersion,
        expressionType: subscription.expressionType,
      },
      subscription,
      timeoutMs: config.consumerTimeoutMillisWhenSuspend,
    });
  }

  /** Caches and queues found messages and moves the pull offset (not while a seek is pending). */
  private apply(queue: OwnedQueue, result: PullResult): void {
    queue.brokerId = result.suggestWhichBrokerId;
    if (queue.seekOffset !== -1) return;
    const messages = result.msgFoundList;
    if (result.pullStatus === 'FOUND' && messages.length > 0) {
      queue.pq.putMessages(messages);
      this.deps.requests.push({ queue, generation: queue.generation, messages });
    } else if (result.pullStatus === 'OFFSET_ILLEGAL') {
      this.deps.logger.warn('lite pull offset illegal, moving on', {
        ...queue.mq,
        offset: queue.pullOffset,
        nextBeginOffset: result.nextBeginOffset,
      });
    } else if (queue.pq.msgCount === 0 && result.nextBeginOffset > queue.consumeOffset) {
      // Nothing is waiting for poll() and the broker skipped filtered messages: they count as consumed, so a commit
      // does not leave the group behind them (Java leaves the consumed offset where the last poll put it).
      queue.consumeOffset = result.nextBeginOffset;
    }
    queue.pullOffset = result.nextBeginOffset;
  }

  /** Java `nextPullOffset`: a pending seek, else the last pull's next offset, else from the committed offset. */
  private async nextPullOffset(queue: OwnedQueue): Promise<number> {
    if (queue.seekOffset !== -1) {
      const offset = queue.seekOffset;
      queue.consumeOffset = offset;
      queue.seekOffset = -1;
      return offset;
    }
    if (queue.pullOffset !== -1) return queue.pullOffset;
    // Java `RebalanceLitePullImpl.computePullFromWhereWithException` reads memory first.
    return computePullFromWhere(this.deps, queue.mq, 'MEMORY_FIRST_THEN_STORE');
  }
}
