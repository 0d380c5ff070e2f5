import { MessageConst } from '@rocketmq-ts/protocol';
import type { MessageQueue } from '@rocketmq-ts/protocol';
import type { MessageExt } from '../message/message.js';
import { messageQueueKey } from '../route/topic-route-info.js';
import { consumeMessageDirectly } from './consume-directly.js';
import { effectiveMaxReconsumeTimes, resetRetryTopic } from './consumer-runtime.js';
import type { ConsumeMessageDirectlyResult } from '../running-info/consumer-running-info.js';
import type { ConsumeService, ConsumerRuntime, QueueEntry } from './consumer-runtime.js';
import type {
  ConsumeOrderlyContext,
  ConsumeOrderlyStatus,
  MessageListenerOrderly,
} from './message-listener.js';
import { REBALANCE_LOCK_INTERVAL_MS } from './process-queue.js';

/** Java `MAX_TIME_CONSUME_CONTINUOUSLY`: one queue's run yields after this long, ms. */
const MAX_TIME_CONSUME_CONTINUOUSLY_MS = 60_000;

/** Options of {@link ConsumeMessageOrderlyService}. */
export interface ConsumeOrderlyServiceOptions {
  runtime: ConsumerRuntime;
  listener: MessageListenerOrderly;
  /** Locks one queue on its broker (Java `RebalanceImpl.lock`); true when held. */
  lockOne: (mq: MessageQueue) => Promise<boolean>;
  /** Renews every held queue's lock (Java `RebalanceImpl.lockAll`). */
  lockAll: () => Promise<void>;
}

/**
 * Consumes with an orderly listener (Java `ConsumeMessageOrderlyService`): each queue is consumed by one run at a
 * time, batch after batch in offset order, and in clustering mode only while this client holds the queue's lock on
 * the broker (renewed every 20 s; a lock older than 30 s is not trusted). Runs of one queue are chained, so a
 * queue handed back and re-assigned never has two listener calls at once. SUSPEND_CURRENT_QUEUE_A_MOMENT puts the
 * batch back and retries it after `suspendCurrentQueueTimeMillis`, counting each message's local reconsumeTimes;
 * a message that reaches `maxReconsumeTimes` goes to `%DLQ%<group>` and the queue moves on.
 */
export class ConsumeMessageOrderlyService implements ConsumeService {
  readonly orderly = true;
  private readonly rt: ConsumerRuntime;
  private readonly listener: MessageListenerOrderly;
  private readonly lockOne: (mq: MessageQueue) => Promise<boolean>;
  private readonly lockAll: () => Promise<void>;
  /** Queue key → the tail of that queue's chain of runs (Java `MessageQueueLock`). */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly maxReconsumeTimes: number;

  constructor(options: ConsumeOrderlyServiceOptions) {
    this.rt = options.runtime;
    this.listener = options.listener;
    this.lockOne = options.lockOne;
    this.lockAll = options.lockAll;
    this.maxReconsumeTimes = effectiveMaxReconsumeTimes(this.rt.config.maxReconsumeTimes, true);
  }

  private get clustering(): boolean {
    return this.rt.config.messageModel === 'CLUSTERING';
  }

  start(): void {
    if (!this.clustering) return;
    this.rt.timers.every(
      REBALANCE_LOCK_INTERVAL_MS,
      () => this.lockAll(),
      (error) => this.rt.logger.warn('queue lock renewal failed', { error: String(error) }),
    );
  }

  submit(_msgs: MessageExt[], entry: QueueEntry, dispatch: boolean): void {
    if (dispatch) this.run(entry);
  }

  consumeDirectly(msg: MessageExt, brokerName: string): Promise<ConsumeMessageDirectlyResult> {
    return consumeMessageDirectly({
      msg,
      brokerName,
      group: this.rt.config.consumerGroup,
      orderly: true,
      call: (msgs, mq) => this.listener(msgs, newContext(mq)),
      success: 'SUCCESS',
      later: 'SUSPEND_CURRENT_QUEUE_A_MOMENT',
    });
  }

  idle(mq: MessageQueue): Promise<void> {
    return this.chains.get(messageQueueKey(mq)) ?? Promise.resolve();
  }

  shutdown(): void {
    // Timers are the runtime's; runs stop at their next check of `stopping`.
  }

  /** Appends a run of `entry` to its queue's chain. */
  private run(entry: QueueEntry): void {
    const key = messageQueueKey(entry.mq);
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.consumeRun(entry))
      .catch((error: unknown) => {
        this.rt.logger.error('orderly consume run failed', {
          topic: entry.mq.topic,
          queueId: entry.mq.queueId,
          error: String(error),
        });
      });
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  private runLater(entry: QueueEntry, delayMs: number): void {
    let ms = delayMs === -1 ? this.rt.config.suspendCurrentQueueTimeMillis : delayMs;
    ms = Math.min(Math.max(ms, 10), 30_000);
    this.rt.timers.schedule(
      ms,
      () => this.run(entry),
      (error) => this.rt.logger.error('orderly resubmit failed', { error: String(error) }),
    );
  }

  /** Java `tryLockLaterAndReconsume`. */
  private tryLockLaterAndReconsume(entry: QueueEntry, delayMs: number): void {
    this.rt.timers.schedule(
      delayMs,
      async () => {
        if (entry.pq.dropped || this.rt.stopping) return;
        const locked = await this.lockOne(entry.mq);
        this.runLater(entry, locked ? 10 : 3000);
      },
      (error) => this.rt.logger.warn('queue lock retry failed', { error: String(error) }),
    );
  }

  private lockValid(entry: QueueEntry): boolean {
    return !this.clustering || (entry.pq.locked && !entry.pq.isLockExpired());
  }

  /** Java `ConsumeRequest.run`. */
  private async consumeRun(entry: QueueEntry): Promise<void> {
    const { pq, mq } = entry;
    if (pq.dropped || this.rt.stopping) return;
    if (!this.lockValid(entry)) {
      this.tryLockLaterAndReconsume(entry, 100);
      return;
    }
    const begin = Date.now();
    for (;;) {
      if (pq.dropped || this.rt.stopping) return;
      if (!this.lockValid(entry)) {
        this.tryLockLaterAndReconsume(entry, 10);
        return;
      }
      if (Date.now() - begin > MAX_TIME_CONSUME_CONTINUOUSLY_MS) {
        this.runLater(entry, 10);
        return;
      }
      const msgs = pq.takeMessages(this.rt.config.consumeMessageBatchMaxSize);
      if (msgs.length === 0) return;
      resetRetryTopic(msgs, this.rt.config.consumerGroup);
      const context = newContext(mq);
      if (!(await this.rt.slots.acquire())) {
        pq.makeMessageToConsumeAgain(msgs);
        return;
      }
      let status: ConsumeOrderlyStatus = 'SUSPEND_CURRENT_QUEUE_A_MOMENT';
      try {
        if (pq.dropped) return;
        const returned: unknown = await this.listener([...msgs], context);
        if (returned === 'SUCCESS' || returned === 'SUSPEND_CURRENT_QUEUE_A_MOMENT') {
          status = returned;
        } else {
          this.rt.logger.warn(
            'listener returned neither SUCCESS nor SUSPEND_CURRENT_QUEUE_A_MOMENT',
            {
              returned: String(returned),
              topic: mq.topic,
              queueId: mq.queueId,
            },
          );
        }
      } catch (error) {
        this.rt.logger.warn('orderly listener failed; the queue is suspended a moment', {
          topic: mq.topic,
          queueId: mq.queueId,
          error: String(error),
        });
      } finally {
        this.rt.slots.release();
      }
      if (!(await this.processConsumeResult(msgs, status, { context, entry }))) return;
    }
  }

  /**
   * Java `processConsumeResult` (auto-commit).
   * @returns whether the run goes on with the next batch.
   */
  private async processConsumeResult(
    msgs: MessageExt[],
    status: ConsumeOrderlyStatus,
    request: { context: ConsumeOrderlyContext; entry: QueueEntry },
  ): Promise<boolean> {
    const { pq, mq } = request.entry;
    let commitOffset = -1;
    let goOn = true;
    if (status === 'SUCCESS') {
      commitOffset = pq.commit();
    } else if (await this.checkReconsumeTimes(msgs)) {
      pq.makeMessageToConsumeAgain(msgs);
      this.runLater(request.entry, request.context.suspendCurrentQueueTimeMillis);
      goOn = false;
    } else {
      commitOffset = pq.commit();
    }
    if (commitOffset >= 0 && !pq.dropped) this.rt.offsetStore.updateOffset(mq, commitOffset, false);
    return goOn;
  }

  /**
   * Java `checkReconsumeTimes`: counts a failed delivery on each message; one that has reached the limit goes to
   * the dead letter queue.
   * @returns true when the batch must be consumed again.
   */
  private async checkReconsumeTimes(msgs: MessageExt[]): Promise<boolean> {
    let suspend = false;
    for (const msg of msgs) {
      if (msg.reconsumeTimes >= this.maxReconsumeTimes) {
        msg.properties.set(MessageConst.PROPERTY_RECONSUME_TIME, String(msg.reconsumeTimes));
        try {
          await this.rt.messageBack.sendMessageBack(msg, -1);
          this.rt.logger.warn(
            'orderly message exhausted its retries; sent to the dead letter queue',
            {
              msgId: msg.msgId,
              reconsumeTimes: msg.reconsumeTimes,
            },
          );
        } catch (error) {
          this.rt.logger.warn('cannot send the message to the dead letter queue; retrying it', {
            msgId: msg.msgId,
            error: String(error),
          });
          suspend = true;
          msg.reconsumeTimes++;
        }
      } else {
        suspend = true;
        msg.reconsumeTimes++;
      }
    }
    return suspend;
  }
}

function newContext(messageQueue: MessageQueue): ConsumeOrderlyContext {
  return { messageQueue, suspendCurrentQueueTimeMillis: -1 };
}
