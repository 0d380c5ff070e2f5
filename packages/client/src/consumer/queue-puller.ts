import { buildPullSysFlag } from '@rocketmq-ts/protocol';
import type { MessageQueue } from '@rocketmq-ts/protocol';
import type { ConsumeService, ConsumerRuntime, QueueEntry } from './consumer-runtime.js';
import { findSubscribeBroker } from './find-broker.js';
import {
  BROKER_SUSPEND_MAX_TIME_MILLIS,
  CONSUMER_TIMEOUT_MILLIS_WHEN_SUSPEND,
  PULL_TIME_DELAY_MILLS_WHEN_CACHE_FLOW_CONTROL,
  pullFailureDelayMs,
  pullMessage,
} from './pull-api.js';
import type { PullResult } from './pull-api.js';
import { RetryImmediatelyPacer } from './retry-immediately-pacer.js';
import { RETRY_GROUP_TOPIC_PREFIX } from '../retry-topic.js';

const MIB = 1024 * 1024;

/** Options of {@link QueuePuller}. */
export interface QueuePullerOptions {
  runtime: ConsumerRuntime;
  service: ConsumeService;
  /** OFFSET_ILLEGAL: commit `offset` and start the queue again from it. */
  restartQueue: (mq: MessageQueue, offset: number) => Promise<unknown>;
  /** Orderly: the start offset read again once the queue is locked (Java `computePullFromWhereWithException`). */
  computePullFromWhere: (mq: MessageQueue) => Promise<number>;
}

/**
 * The pull loop of each assigned queue (Java `DefaultMQPushConsumerImpl.pullMessage` and its callback): long-polls
 * the broker that the last answer's `suggestWhichBrokerId` names (the master at first), or any broker of the set
 * when that one is not in the routes — a slave while the master is gone (Java `findBrokerAddressInSubscribe(name,
 * id, false)`); pauses while the queue's cache is over its thresholds; hands found messages to the consume
 * service; follows `nextBeginOffset`, pulling again at once after PULL_RETRY_IMMEDIATELY (paced when such answers
 * repeat without progress, see {@link RetryImmediatelyPacer}). Every request carries the subscription (sysFlag bit
 * 2, like ali-ons, so the broker never depends on heartbeat timing), the suspend bit, and in clustering mode the
 * consumed offset (bit 0) when it is > 0, the target is the master and nothing of the queue is cached (Java clears
 * the bit for a slave). A loop ends when its queue is dropped or the consumer stops.
 */
export class QueuePuller {
  private readonly rt: ConsumerRuntime;
  private readonly service: ConsumeService;
  private readonly restartQueue: (mq: MessageQueue, offset: number) => Promise<unknown>;
  private readonly computePullFromWhere: (mq: MessageQueue) => Promise<number>;

  constructor(options: QueuePullerOptions) {
    this.rt = options.runtime;
    this.service = options.service;
    this.restartQueue = options.restartQueue;
    this.computePullFromWhere = options.computePullFromWhere;
  }

  /** Starts the loop of `entry` at `offset`; it runs until the queue is dropped. */
  start(entry: QueueEntry, offset: number): void {
    this.loop(entry, offset).catch((error: unknown) => {
      this.rt.logger.error('pull loop failed', {
        topic: entry.mq.topic,
        queueId: entry.mq.queueId,
        error: String(error),
      });
    });
  }

  private stopped(entry: QueueEntry): boolean {
    return entry.pq.dropped || this.rt.stopping;
  }

  private async loop(entry: QueueEntry, startOffset: number): Promise<void> {
    const { mq, pq } = entry;
    const { config, timers } = this.rt;
    let nextOffset = startOffset;
    let brokerId = 0;
    const pacer = new RetryImmediatelyPacer();
    let previouslyLocked = false;
    while (!this.stopped(entry)) {
      pq.lastPullTimestamp = Date.now();
      if (
        pq.msgCount > config.pullThresholdForQueue ||
        pq.msgSize / MIB > config.pullThresholdSizeForQueue ||
        (!this.service.orderly && pq.maxSpan() > config.consumeConcurrentlyMaxSpan)
      ) {
        await timers.sleep(PULL_TIME_DELAY_MILLS_WHEN_CACHE_FLOW_CONTROL);
        continue;
      }
      if (this.service.orderly) {
        if (!pq.locked) {
          await timers.sleep(config.pullTimeDelayMillsWhenException);
          continue;
        }
        if (!previouslyLocked) {
          // The first pull after the lock: another client may have consumed this queue until just now.
          try {
            nextOffset = await this.computePullFromWhere(mq);
            previouslyLocked = true;
          } catch (error) {
            this.rt.logger.warn('compute pull offset failed', {
              topic: mq.topic,
              error: String(error),
            });
            await timers.sleep(config.pullTimeDelayMillsWhenException);
            continue;
          }
          if (this.stopped(entry)) return;
        }
      }
      const subscription = this.rt.subscriptions.get(mq.topic);
      if (subscription === undefined) {
        await timers.sleep(config.pullTimeDelayMillsWhenException);
        continue;
      }
      let result: PullResult;
      const requestedOffset = nextOffset;
      try {
        const broker = await findSubscribeBroker(this.rt.instance, mq, brokerId);
        const committed =
          config.messageModel === 'CLUSTERING' ? (this.rt.offsetStore.memoryOffset(mq) ?? 0) : 0;
        // Unlike Java, the offset rides along only while nothing of the queue is cached: then it cannot change
        // before this pull is answered, so a pull the broker handles late never rolls back a newer commit (e.g.
        // the awaited one of shutdown()).
        const commitOffset = committed > 0 && !broker.slave && pq.msgCount === 0;
        result = await pullMessage(this.rt.instance.api, {
          addr: broker.brokerAddr,
          brokerName: mq.brokerName,
          subscription,
          timeoutMs: CONSUMER_TIMEOUT_MILLIS_WHEN_SUSPEND,
          header: {
            consumerGroup: config.consumerGroup,
            topic: mq.topic,
            queueId: mq.queueId,
            queueOffset: nextOffset,
            maxMsgNums: config.pullBatchSize,
            sysFlag: buildPullSysFlag({ commitOffset, suspend: true, subscription: true }),
            commitOffset: commitOffset ? committed : 0,
            suspendTimeoutMillis: BROKER_SUSPEND_MAX_TIME_MILLIS,
            subscription: subscription.subString,
            subVersion: subscription.subVersion,
            expressionType: subscription.expressionType,
          },
        });
      } catch (error) {
        if (this.stopped(entry)) return;
        if (!mq.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) {
          this.rt.logger.warn('pull failed', {
            topic: mq.topic,
            brokerName: mq.brokerName,
            queueId: mq.queueId,
            error: String(error),
          });
        }
        await timers.sleep(pullFailureDelayMs(error, config.pullTimeDelayMillsWhenException));
        continue;
      }
      if (this.stopped(entry)) return;
      brokerId = result.suggestWhichBrokerId;
      switch (result.pullStatus) {
        case 'FOUND': {
          const previous = nextOffset;
          nextOffset = result.nextBeginOffset;
          const msgs = result.msgFoundList;
          if (msgs.length > 0) {
            const dispatch = pq.putMessages(msgs);
            this.service.submit(msgs, entry, dispatch);
            if (config.pullInterval > 0) await timers.sleep(config.pullInterval);
          }
          if (nextOffset < previous) {
            this.rt.logger.warn('[BUG] pull result went backwards', { previous, nextOffset });
          }
          break;
        }
        case 'NO_NEW_MSG':
        case 'NO_MATCHED_MSG':
          nextOffset = result.nextBeginOffset;
          // Java `correctTagsOffset`: with nothing cached, filtered-out messages count as consumed.
          if (pq.msgCount === 0) this.rt.offsetStore.updateOffset(mq, nextOffset, true);
          break;
        case 'OFFSET_ILLEGAL':
          this.rt.logger.warn('the pull request offset illegal; moving to the broker offset', {
            topic: mq.topic,
            brokerName: mq.brokerName,
            queueId: mq.queueId,
            offset: nextOffset,
            nextBeginOffset: result.nextBeginOffset,
          });
          pq.dropped = true;
          await this.restartQueue(mq, result.nextBeginOffset);
          return;
      }
      const delayMs = pacer.delayAfter(result, requestedOffset);
      if (delayMs > 0) await timers.sleep(delayMs);
    }
  }
}
