import { MessageConst } from '@rocketmq-ts/protocol';
import type { MessageQueue } from '@rocketmq-ts/protocol';
import type { MessageExt } from '../message/message.js';
import { consumeMessageDirectly } from './consume-directly.js';
import { resetRetryTopic } from './consumer-runtime.js';
import type { ConsumeMessageDirectlyResult } from '../running-info/consumer-running-info.js';
import type { ConsumeService, ConsumerRuntime, QueueEntry } from './consumer-runtime.js';
import type {
  ConsumeConcurrentlyContext,
  ConsumeConcurrentlyStatus,
  MessageListenerConcurrently,
} from './message-listener.js';

/** Java: a batch whose send-back failed is consumed again locally after this long, ms. */
const LOCAL_RETRY_DELAY_MS = 5000;
/** Java `ProcessQueue.cleanExpiredMsg`: messages looked at per queue per sweep. */
const EXPIRED_SWEEP_PER_QUEUE = 16;
/** Delay level Java gives a message that outlived consumeTimeout. */
const EXPIRED_DELAY_LEVEL = 3;

/** Options of {@link ConsumeMessageConcurrentlyService}. */
export interface ConsumeConcurrentlyServiceOptions {
  runtime: ConsumerRuntime;
  listener: MessageListenerConcurrently;
  /** The queues the consumer currently holds (for the consumeTimeout sweep). */
  entries: () => Iterable<QueueEntry>;
}

/**
 * Consumes with a concurrent listener (Java `ConsumeMessageConcurrentlyService`): each pulled batch is cut into
 * calls of `consumeMessageBatchMaxSize` messages that run as consume slots free up. After a call the consumed
 * messages leave the queue's cache and the queue's offset advances to the smallest offset still cached. Failed
 * messages: clustering — given back to the broker (retry later through `%RETRY%<group>`), or, when that fails,
 * consumed again here after 5 s with `reconsumeTimes + 1`; broadcasting — dropped with a warning. Every
 * `consumeTimeout` minutes, messages whose listener call started longer ago than that are given back too.
 */
export class ConsumeMessageConcurrentlyService implements ConsumeService {
  readonly orderly = false;
  private readonly rt: ConsumerRuntime;
  private readonly listener: MessageListenerConcurrently;
  private readonly entries: () => Iterable<QueueEntry>;

  constructor(options: ConsumeConcurrentlyServiceOptions) {
    this.rt = options.runtime;
    this.listener = options.listener;
    this.entries = options.entries;
  }

  start(): void {
    const periodMs = this.rt.config.consumeTimeout * 60_000;
    this.rt.timers.every(
      periodMs,
      () => this.cleanExpiredMessages(),
      (error) => this.rt.logger.warn('expired message sweep failed', { error: String(error) }),
    );
  }

  submit(msgs: MessageExt[], entry: QueueEntry): void {
    const batchSize = this.rt.config.consumeMessageBatchMaxSize;
    for (let i = 0; i < msgs.length; i += batchSize) {
      this.consume(msgs.slice(i, i + batchSize), entry).catch((error: unknown) => {
        this.rt.logger.error('consume request failed', { error: String(error) });
      });
    }
  }

  consumeDirectly(msg: MessageExt, brokerName: string): Promise<ConsumeMessageDirectlyResult> {
    return consumeMessageDirectly({
      msg,
      brokerName,
      group: this.rt.config.consumerGroup,
      orderly: false,
      call: (msgs, mq) => this.listener(msgs, newContext(mq)),
      success: 'CONSUME_SUCCESS',
      later: 'RECONSUME_LATER',
    });
  }

  idle(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): void {
    // Timers are the runtime's; listener calls are awaited through the slots.
  }

  private async consume(msgs: MessageExt[], entry: QueueEntry): Promise<void> {
    const { pq, mq } = entry;
    if (pq.dropped) return;
    if (!(await this.rt.slots.acquire())) return;
    try {
      if (pq.dropped || this.rt.stopping) return;
      resetRetryTopic(msgs, this.rt.config.consumerGroup);
      const context = newContext(mq);
      const now = String(Date.now());
      for (const msg of msgs)
        msg.properties.set(MessageConst.PROPERTY_CONSUME_START_TIMESTAMP, now);
      let status: ConsumeConcurrentlyStatus = 'RECONSUME_LATER';
      try {
        const returned: unknown = await this.listener([...msgs], context);
        if (returned === 'CONSUME_SUCCESS' || returned === 'RECONSUME_LATER') status = returned;
        else {
          this.rt.logger.warn('listener returned neither CONSUME_SUCCESS nor RECONSUME_LATER', {
            returned: String(returned),
            topic: mq.topic,
            queueId: mq.queueId,
          });
        }
      } catch (error) {
        this.rt.logger.warn('listener failed; the messages will be consumed again later', {
          topic: mq.topic,
          queueId: mq.queueId,
          error: String(error),
        });
      }
      if (pq.dropped) {
        this.rt.logger.info('queue dropped while consuming; result ignored', {
          topic: mq.topic,
          brokerName: mq.brokerName,
          queueId: mq.queueId,
        });
        return;
      }
      await this.processConsumeResult(status, context, { msgs, entry });
    } finally {
      this.rt.slots.release();
    }
  }

  /** Java `processConsumeResult`. */
  private async processConsumeResult(
    status: ConsumeConcurrentlyStatus,
    context: ConsumeConcurrentlyContext,
    request: { msgs: MessageExt[]; entry: QueueEntry },
  ): Promise<void> {
    const { msgs, entry } = request;
    let ackIndex = context.ackIndex;
    if (status === 'CONSUME_SUCCESS') {
      if (ackIndex >= msgs.length) ackIndex = msgs.length - 1;
    } else {
      ackIndex = -1;
    }
    let done = msgs;
    if (this.rt.config.messageModel === 'BROADCASTING') {
      for (const msg of msgs.slice(ackIndex + 1)) {
        this.rt.logger.warn('BROADCASTING, the message consume failed, drop it', {
          msgId: msg.msgId,
          topic: msg.topic,
          queueOffset: msg.queueOffset,
        });
      }
    } else {
      const backFailed: MessageExt[] = [];
      for (const msg of msgs.slice(ackIndex + 1)) {
        try {
          await this.rt.messageBack.sendMessageBack(msg, context.delayLevelWhenNextConsume);
        } catch (error) {
          this.rt.logger.warn('cannot give the message back; consuming it again here in 5 s', {
            msgId: msg.msgId,
            error: String(error),
          });
          msg.reconsumeTimes++;
          backFailed.push(msg);
        }
      }
      if (backFailed.length > 0) {
        done = msgs.filter((m) => !backFailed.includes(m));
        this.rt.timers.schedule(
          LOCAL_RETRY_DELAY_MS,
          () => this.submit(backFailed, entry),
          (error) => this.rt.logger.error('local retry failed', { error: String(error) }),
        );
      }
    }
    const offset = entry.pq.removeMessages(done);
    if (offset >= 0 && !entry.pq.dropped) this.rt.offsetStore.updateOffset(entry.mq, offset, true);
  }

  /** Java `ProcessQueue.cleanExpiredMsg`, for every queue. */
  private async cleanExpiredMessages(): Promise<void> {
    const timeoutMs = this.rt.config.consumeTimeout * 60_000;
    for (const { pq, mq } of [...this.entries()]) {
      for (let i = 0; i < EXPIRED_SWEEP_PER_QUEUE && !pq.dropped; i++) {
        const first = pq.firstMessage();
        const started = Number(
          first?.properties.get(MessageConst.PROPERTY_CONSUME_START_TIMESTAMP),
        );
        if (first === undefined || !Number.isFinite(started) || Date.now() - started <= timeoutMs) {
          break;
        }
        try {
          await this.rt.messageBack.sendMessageBack(first, EXPIRED_DELAY_LEVEL);
          this.rt.logger.info('send expire msg back', {
            msgId: first.msgId,
            topic: mq.topic,
            queueId: mq.queueId,
            queueOffset: first.queueOffset,
          });
          if (pq.firstMessage() === first) pq.removeMessages([first]);
        } catch (error) {
          this.rt.logger.warn('send expired msg back failed', {
            msgId: first.msgId,
            error: String(error),
          });
          break;
        }
      }
    }
  }
}

function newContext(messageQueue: MessageQueue): ConsumeConcurrentlyContext {
  return { messageQueue, delayLevelWhenNextConsume: 0, ackIndex: Number.MAX_SAFE_INTEGER };
}
