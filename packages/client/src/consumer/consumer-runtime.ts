import { MessageConst } from '@rocketmq-ts/protocol';
import type { Logger, MessageQueue, SubscriptionData } from '@rocketmq-ts/protocol';
import type { MQClientInstance } from '../client-instance.js';
import type { ConsumeMessageDirectlyResult } from '../running-info/consumer-running-info.js';
import type { MessageExt } from '../message/message.js';
import { retryTopicOf } from '../retry-topic.js';
import type { ConsumeSlots } from './consume-slots.js';
import type { MessageBackSender } from './message-back.js';
import type { OffsetStore } from './offset-store.js';
import type { ProcessQueue } from './process-queue.js';
import type { PushConsumerConfig } from './push-consumer-config.js';

/** One assigned queue and its cache. */
export interface QueueEntry {
  readonly mq: MessageQueue;
  readonly pq: ProcessQueue;
}

/** What the pull loops hand consumed-to-be messages to: the concurrent or the orderly service. */
export interface ConsumeService {
  readonly orderly: boolean;
  /** Starts the service's timers. */
  start(): void;
  /** A pull cached `msgs` in `entry`; `dispatch` is ProcessQueue.putMessages' answer. */
  submit(msgs: MessageExt[], entry: QueueEntry, dispatch: boolean): void;
  /** Runs the listener once on `msg` for mqadmin's consumeMessage (no retry, no offset change). */
  consumeDirectly(msg: MessageExt, brokerName: string): Promise<ConsumeMessageDirectlyResult>;
  /** Resolves once no listener call of `mq` is running (orderly hand-over); at once for the concurrent service. */
  idle(mq: MessageQueue): Promise<void>;
  /** Stops timers; listener calls are awaited by the consumer through the slots. */
  shutdown(): void;
}

/**
 * Timers of one consumer: unref'ed, cleared together at shutdown. A sleep resolves early when the consumer stops,
 * so loops waiting on one end promptly.
 */
export class ConsumerTimers {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Set<() => void>();
  private stopped = false;

  /** Runs `task` after `ms` unless stopped first; a rejection is logged by `onError`. */
  schedule(ms: number, task: () => Promise<void> | void, onError: (error: unknown) => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      try {
        const result = task();
        if (result instanceof Promise) result.catch(onError);
      } catch (error) {
        onError(error);
      }
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /** Runs `task` every `ms` until stopped. */
  every(ms: number, task: () => Promise<void>, onError: (error: unknown) => void): void {
    if (this.stopped) return;
    const timer = setInterval(() => {
      task().catch(onError);
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /** Resolves after `ms`, or at once when stopped. */
  sleep(ms: number): Promise<void> {
    if (this.stopped || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.sleepers.add(wake);
    });
  }

  /** Clears every timer and wakes every sleeper; later schedules do nothing. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const wake of [...this.sleepers]) wake();
  }
}

/** The state and collaborators the consumer's parts share. */
export interface ConsumerRuntime {
  readonly config: Readonly<PushConsumerConfig>;
  readonly instance: MQClientInstance;
  readonly logger: Logger;
  readonly offsetStore: OffsetStore;
  readonly slots: ConsumeSlots;
  readonly messageBack: MessageBackSender;
  readonly timers: ConsumerTimers;
  /** topic → subscription (the retry topic included in clustering mode). */
  readonly subscriptions: ReadonlyMap<string, SubscriptionData>;
  /** True from shutdown() on. */
  readonly stopping: boolean;
}

/**
 * Java `DefaultMQPushConsumerImpl.resetRetryAndNamespace`: a message pulled from `%RETRY%<group>` is shown with the
 * topic it was first sent to (its `RETRY_TOPIC` property).
 */
export function resetRetryTopic(msgs: readonly MessageExt[], group: string): void {
  const groupTopic = retryTopicOf(group);
  for (const msg of msgs) {
    const retryTopic = msg.properties.get(MessageConst.PROPERTY_RETRY_TOPIC);
    if (retryTopic !== undefined && msg.topic === groupTopic) msg.topic = retryTopic;
  }
}

/** The resolved reconsume limit: −1 means 16 for a concurrent listener and 2^31−1 for an orderly one. */
export function effectiveMaxReconsumeTimes(maxReconsumeTimes: number, orderly: boolean): number {
  if (maxReconsumeTimes !== -1) return maxReconsumeTimes;
  return orderly ? 2_147_483_647 : 16;
}
