import {
  MessageConst,
  MessageSysFlag,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  decodeBatchBody,
  decodeMessageProperties,
  decodeSendMessageRequestHeader,
  encodeMessageProperties,
  encodeSendMessageResponseHeader,
  getTransactionValue,
} from '@rocketmq-ts/protocol';
import type { HostAddress, SendMessageRequestHeader, TopicConfig } from '@rocketmq-ts/protocol';
import type { RequestContext, RequestProcessor } from '@rocketmq-ts/remoting';
import type { PutMessageInput, PutMessageResult } from '@rocketmq-ts/store';
import type { BrokerContext } from '../broker-context.js';
import {
  OFFSET_MOVED_EVENT,
  PERM_WRITE,
  RETRY_GROUP_TOPIC_PREFIX,
  SCHEDULE_TOPIC,
  SELF_TEST_TOPIC,
  TRANS_CHECK_MAX_TIME_TOPIC,
  TRANS_HALF_TOPIC,
  TRANS_OP_HALF_TOPIC,
  validateTopicName,
} from '../topic/topic-validator.js';
import { parseRemoteAddr } from './remote-addr.js';
import { plainSendProperties } from './send-properties.js';
import { putStatusToResponse } from './put-status.js';
import { redirectToDeadLetterIfExhausted } from './retry-topic.js';
import { TIMER_TOPIC } from '../timer/to-timer-message.js';
import type { TimerRewriter } from '../timer/to-timer-message.js';
import { toHalfMessage } from '../transaction/half-message.js';

const EMPTY_BODY = Buffer.alloc(0);
/** Distinct client addresses whose parsed BORNHOST is kept; past it the cache starts over. */
const MAX_REMEMBERED_BORN_HOSTS = 4096;

/** Topics clients may never send to (Java `TopicValidator.NOT_ALLOWED_SEND_TOPIC_SET`). */
const NOT_ALLOWED_SEND_TOPICS: ReadonlySet<string> = new Set([
  SCHEDULE_TOPIC,
  TRANS_HALF_TOPIC,
  TRANS_OP_HALF_TOPIC,
  TRANS_CHECK_MAX_TIME_TOPIC,
  SELF_TEST_TOPIC,
  OFFSET_MOVED_EVENT,
  TIMER_TOPIC,
]);

/** Rewrites a message with a delay level for the schedule topic (the schedule service delivers it later). */
export type ScheduleRewriter = (input: PutMessageInput, delayLevel: number) => PutMessageInput;

/** Options of {@link SendMessageProcessor}. */
export interface SendMessageProcessorOptions {
  /** The broker's shared state. */
  context: BrokerContext;
  /** Routes messages with a `DELAY` property through the schedule topic; without it, delays are refused. */
  scheduleRewriter?: ScheduleRewriter;
  /**
   * Routes messages with a delivery time (`__STARTDELIVERTIME`, `TIMER_DELIVER_MS`, `TIMER_DELAY_SEC`,
   * `TIMER_DELAY_MS`) through the timer topic; throws MESSAGE_ILLEGAL for a bad one. Without it they go out at once.
   */
  timerRewriter?: TimerRewriter;
  /** Clock, ms since the epoch (tests). Default `Date.now`. */
  now?: () => number;
}

/** One message of a send request, ready for the store. */
interface PreparedSend {
  inputs: PutMessageInput[];
  topicConfig: TopicConfig;
  queueId: number;
}

/** Java `Message.isWaitStoreMsgOK`: wait for flush and slaves unless `WAIT` is set and not `true` (any case). */
function waitStoreMsgOkOf(properties: ReadonlyMap<string, string>): boolean {
  const wait = properties.get(MessageConst.PROPERTY_WAIT_STORE_MSG_OK);
  return wait === undefined || wait.toLowerCase() === 'true';
}

/**
 * Handles SEND_MESSAGE (10), SEND_MESSAGE_V2 (310) and SEND_BATCH_MESSAGE (320) as RocketMQ 4.9.8's
 * `SendMessageProcessor` does (remoting-protocol.md §4.2): permission and topic checks, auto-creation from the
 * request's default topic, random queue for a negative queue id, `%RETRY%` topics moved to `%DLQ%` once the retries
 * are used up, `DELAY` routed through the schedule topic, `CLUSTER` added and `WAIT` dropped from the stored
 * properties, put status mapped to a response code. Every response carries extFields (`MSG_REGION`, `TRACE_ON`), as
 * the Java client requires.
 * Differences: a put that stalls (the store makes no progress for `waitTimeMillsInSendQueue`) turns new sends away
 * with SYSTEM_BUSY — the closest equivalent of Java's send-queue wait; `WAIT=false` still waits for SYNC_FLUSH.
 * A message with `TRAN_MSG=true` is stored as a half message in `RMQ_SYS_TRANS_HALF_TOPIC` (see
 * `toHalfMessage`); the response's msgId and queueOffset are the half's.
 */
export class SendMessageProcessor implements RequestProcessor {
  private readonly ctx: BrokerContext;
  private readonly scheduleRewriter: ScheduleRewriter | undefined;
  private readonly timerRewriter: TimerRewriter | undefined;
  private readonly now: () => number;
  private putsInFlight = 0;
  private readonly bornHosts = new Map<string, HostAddress>();
  /** Last time the store finished a put, or when a put started while none was in flight, ms. */
  private lastProgressMs = 0;

  constructor(options: SendMessageProcessorOptions) {
    this.ctx = options.context;
    this.scheduleRewriter = options.scheduleRewriter;
    this.timerRewriter = options.timerRewriter;
    this.now = options.now ?? Date.now;
  }

  /** True while puts are waiting and the store has finished none for `waitTimeMillsInSendQueue`. */
  isOverloaded(): boolean {
    return (
      this.putsInFlight > 0 &&
      this.now() - this.lastProgressMs > this.ctx.config.waitTimeMillsInSendQueue
    );
  }

  /** Answers one send; throws RocketMQError for refused sends (dispatch turns it into the response). */
  async process(request: RemotingCommand, rc: RequestContext): Promise<RemotingCommand> {
    if (
      request.code !== RequestCode.SEND_MESSAGE &&
      request.code !== RequestCode.SEND_MESSAGE_V2 &&
      request.code !== RequestCode.SEND_BATCH_MESSAGE
    ) {
      throw new RocketMQError(
        `request code ${request.code} is not handled by SendMessageProcessor`,
        ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
      );
    }
    try {
      const header = decodeSendMessageRequestHeader(request.extFields ?? {}, request.code);
      // The common case (known topic, plain message) stays synchronous up to the put.
      const topicConfig = this.checkKnownTopic(header) ?? (await this.createTopicForSend(header));
      this.checkQueueAndPermission(header, topicConfig);
      const prepared =
        request.code === RequestCode.SEND_BATCH_MESSAGE
          ? this.prepareBatch(header, request, { rc, topicConfig })
          : (this.preparePlain(header, request, { rc, topicConfig }) ??
            (await this.prepareSingle(header, request, { rc, topicConfig })));
      const stored = await this.put(prepared.inputs);
      // Outside put(): a slow slave must not read as a stalled store (SYSTEM_BUSY for every other send).
      const result =
        this.ctx.awaitSlaves === undefined
          ? stored
          : await this.ctx.awaitSlaves(stored, prepared.inputs[0]!.waitStoreMsgOk ?? true);
      return this.respond(request, result, prepared);
    } catch (error) {
      if (!(error instanceof RocketMQError)) throw error;
      // Refusals carry the broker's region and trace flag too, as every Java send response does.
      return RemotingCommand.responseTo(request, error.code, {
        remark: error.message,
        extFields: this.regionFields(),
      });
    }
  }

  private regionFields(): Record<string, string> {
    return { MSG_REGION: this.ctx.config.regionId, TRACE_ON: String(this.ctx.config.traceOn) };
  }

  /**
   * Steps 2–4 of §4.2 — broker role and permission, topic name — and the topic's config when it exists.
   * @returns undefined when the topic does not exist yet (see {@link createTopicForSend}).
   */
  private checkKnownTopic(header: SendMessageRequestHeader): TopicConfig | undefined {
    const { config, runtimeConfig, topics } = this.ctx;
    if (config.brokerRole === 'SLAVE') {
      throw new RocketMQError(
        `the broker[${config.brokerIP1}] is a slave and does not accept messages; send to its master`,
        ResponseCode.SERVICE_NOT_AVAILABLE,
      );
    }
    if ((runtimeConfig.brokerPermission & PERM_WRITE) === 0) {
      throw new RocketMQError(
        `the broker[${config.brokerIP1}] sending message is forbidden`,
        ResponseCode.NO_PERMISSION,
      );
    }
    validateTopicName(header.topic);
    if (NOT_ALLOWED_SEND_TOPICS.has(header.topic)) {
      throw new RocketMQError(
        `Sending message to topic[${header.topic}] is forbidden.`,
        ResponseCode.NO_PERMISSION,
      );
    }
    return topics.get(header.topic);
  }

  /** Auto-creation from the request's default topic (or a missing `%RETRY%` topic), else TOPIC_NOT_EXIST. */
  private async createTopicForSend(header: SendMessageRequestHeader): Promise<TopicConfig> {
    const { topics } = this.ctx;
    const topicSysFlag = header.unitMode === true ? 1 : 0;
    let topicConfig = await topics.createTopicInSendMessageMethod({
      topic: header.topic,
      defaultTopic: header.defaultTopic,
      defaultTopicQueueNums: header.defaultTopicQueueNums,
      topicSysFlag,
    });
    if (topicConfig === undefined && header.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) {
      topicConfig = await topics.createRetryTopicIfAbsent(
        header.topic.slice(RETRY_GROUP_TOPIC_PREFIX.length),
        1,
      );
    }
    if (topicConfig === undefined) {
      throw new RocketMQError(
        `topic[${header.topic}] not exist, apply first please! — create it with mqadmin updateTopic or enable autoCreateTopicEnable`,
        ResponseCode.TOPIC_NOT_EXIST,
      );
    }
    return topicConfig;
  }

  /** Step 5 of §4.2: the topic is writable and the queue id within its queues. */
  private checkQueueAndPermission(
    header: SendMessageRequestHeader,
    topicConfig: TopicConfig,
  ): void {
    if ((topicConfig.perm & PERM_WRITE) === 0) {
      throw new RocketMQError(
        `the topic[${header.topic}] sending message is forbidden`,
        ResponseCode.NO_PERMISSION,
      );
    }
    const queueNums = Math.max(topicConfig.writeQueueNums, topicConfig.readQueueNums);
    if (header.queueId >= queueNums) {
      throw new RocketMQError(
        `request queueId[${header.queueId}] is illegal, topic: ${header.topic} writeQueueNums: ${topicConfig.writeQueueNums} readQueueNums: ${topicConfig.readQueueNums}`,
        ResponseCode.SYSTEM_ERROR,
      );
    }
  }

  /**
   * The common single message — not to a `%RETRY%` topic, no transaction, delay or timer property — prepared with
   * string operations on its properties (no Map). Undefined for everything else ({@link prepareSingle}).
   */
  private preparePlain(
    header: SendMessageRequestHeader,
    request: RemotingCommand,
    env: { rc: RequestContext; topicConfig: TopicConfig },
  ): PreparedSend | undefined {
    if (header.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) return undefined;
    const plain = plainSendProperties(header.properties ?? '', this.ctx.config.brokerClusterName);
    if (plain === undefined) return undefined;
    const { topicConfig } = env;
    const queueId = this.pickQueue(header.queueId, topicConfig);
    let sysFlag = header.sysFlag;
    if (topicConfig.topicFilterType === 'MULTI_TAG') sysFlag |= MessageSysFlag.MULTI_TAGS_FLAG;
    const input: PutMessageInput = {
      topic: header.topic,
      queueId,
      body: request.body ?? EMPTY_BODY,
      flag: header.flag,
      properties: plain.stored,
      sysFlag,
      bornTimestamp: header.bornTimestamp,
      bornHost: this.bornHostOf(env.rc.remoteAddr),
      storeHost: this.ctx.storeHost(),
      reconsumeTimes: header.reconsumeTimes ?? 0,
      waitStoreMsgOk: plain.waitStoreMsgOk,
    };
    return { inputs: [input], topicConfig, queueId };
  }

  /** BORNHOST of a connection's messages: parsed once per remote address. */
  private bornHostOf(remoteAddr: string): HostAddress {
    let host = this.bornHosts.get(remoteAddr);
    if (host === undefined) {
      host = parseRemoteAddr(remoteAddr);
      if (this.bornHosts.size >= MAX_REMEMBERED_BORN_HOSTS) this.bornHosts.clear();
      this.bornHosts.set(remoteAddr, host);
    }
    return host;
  }

  private async prepareSingle(
    header: SendMessageRequestHeader,
    request: RemotingCommand,
    env: { rc: RequestContext; topicConfig: TopicConfig },
  ): Promise<PreparedSend> {
    const properties = decodeMessageProperties(header.properties ?? '');
    const transactional = properties.get(MessageConst.PROPERTY_TRANSACTION_PREPARED) === 'true';
    let topic = header.topic;
    let topicConfig = env.topicConfig;
    let queueId = this.pickQueue(header.queueId, topicConfig);
    const reconsumeTimes = header.reconsumeTimes ?? 0;
    if (topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) {
      const dlq = await redirectToDeadLetterIfExhausted(this.ctx, {
        retryTopic: topic,
        reconsumeTimes,
        maxReconsumeTimes: request.version >= 121 ? header.maxReconsumeTimes : undefined,
      });
      if (dlq !== undefined) {
        topic = dlq.topicName;
        topicConfig = dlq;
        queueId = 0;
        properties.delete(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
      }
    }
    properties.set(MessageConst.PROPERTY_CLUSTER, this.ctx.config.brokerClusterName);
    // WAIT is not stored (as Java); whether to wait for flush and slaves travels beside the message instead.
    const waitStoreMsgOk = waitStoreMsgOkOf(properties);
    properties.delete(MessageConst.PROPERTY_WAIT_STORE_MSG_OK);
    let sysFlag = header.sysFlag;
    if (topicConfig.topicFilterType === 'MULTI_TAG') sysFlag |= MessageSysFlag.MULTI_TAGS_FLAG;
    let input: PutMessageInput = {
      topic,
      queueId,
      body: request.body ?? Buffer.alloc(0),
      flag: header.flag,
      properties: encodeMessageProperties(properties),
      sysFlag,
      bornTimestamp: header.bornTimestamp,
      bornHost: this.bornHostOf(env.rc.remoteAddr),
      storeHost: this.ctx.storeHost(),
      reconsumeTimes,
      waitStoreMsgOk,
    };
    const delayLevel = Number(properties.get(MessageConst.PROPERTY_DELAY_TIME_LEVEL) ?? '0');
    if (transactional) {
      // A prepared message is stored as a half message until END_TRANSACTION commits it (§4.8); no delay applies.
      return { inputs: [toHalfMessage(input)], topicConfig, queueId };
    }
    if (Number.isInteger(delayLevel) && delayLevel > 0 && getTransactionValue(sysFlag) === 0) {
      if (this.scheduleRewriter === undefined) {
        throw new RocketMQError(
          'delayed messages are not enabled on this broker',
          ResponseCode.MESSAGE_ILLEGAL,
        );
      }
      input = this.scheduleRewriter(input, delayLevel);
    } else if (this.timerRewriter !== undefined && getTransactionValue(sysFlag) === 0) {
      input = this.timerRewriter(input, properties);
    }
    return { inputs: [input], topicConfig, queueId };
  }

  private prepareBatch(
    header: SendMessageRequestHeader,
    request: RemotingCommand,
    env: { rc: RequestContext; topicConfig: TopicConfig },
  ): PreparedSend {
    if (header.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) {
      throw new RocketMQError(
        `batch request does not support retry group topic ${header.topic}`,
        ResponseCode.MESSAGE_ILLEGAL,
      );
    }
    if (getTransactionValue(header.sysFlag) !== 0) {
      throw new RocketMQError(
        'batch messages cannot be transactional',
        ResponseCode.MESSAGE_ILLEGAL,
      );
    }
    const entries = decodeBatchBody(request.body ?? Buffer.alloc(0));
    if (entries.length === 0) {
      throw new RocketMQError('the batch has no messages', ResponseCode.MESSAGE_ILLEGAL);
    }
    const queueId = this.pickQueue(header.queueId, env.topicConfig);
    // The batch header's properties (CLUSTER added, WAIT dropped) apply to every message of the batch.
    const batchProperties = decodeMessageProperties(header.properties ?? '');
    batchProperties.set(MessageConst.PROPERTY_CLUSTER, this.ctx.config.brokerClusterName);
    const waitStoreMsgOk = waitStoreMsgOkOf(batchProperties);
    batchProperties.delete(MessageConst.PROPERTY_WAIT_STORE_MSG_OK);
    const bornHost = this.bornHostOf(env.rc.remoteAddr);
    const storeHost = this.ctx.storeHost();
    let sysFlag = header.sysFlag;
    if (env.topicConfig.topicFilterType === 'MULTI_TAG') {
      sysFlag |= MessageSysFlag.MULTI_TAGS_FLAG;
    }
    const inputs = entries.map((entry): PutMessageInput => {
      const properties = new Map(entry.properties);
      if (properties.has(MessageConst.PROPERTY_DELAY_TIME_LEVEL)) {
        throw new RocketMQError(
          'batch messages cannot have a delay level',
          ResponseCode.MESSAGE_ILLEGAL,
        );
      }
      for (const [key, value] of batchProperties) properties.set(key, value);
      return {
        topic: header.topic,
        queueId,
        body: entry.body,
        flag: entry.flag,
        properties: encodeMessageProperties(properties),
        sysFlag,
        bornTimestamp: header.bornTimestamp,
        bornHost,
        storeHost,
        reconsumeTimes: header.reconsumeTimes ?? 0,
        waitStoreMsgOk,
      };
    });
    return { inputs, topicConfig: env.topicConfig, queueId };
  }

  private pickQueue(requested: number, topicConfig: TopicConfig): number {
    if (requested >= 0) return requested;
    return Math.floor(Math.random() * Math.max(1, topicConfig.writeQueueNums));
  }

  private put(inputs: PutMessageInput[]): Promise<PutMessageResult> {
    if (this.putsInFlight === 0) this.lastProgressMs = this.now();
    this.putsInFlight++;
    let stored: Promise<PutMessageResult>;
    try {
      stored =
        inputs.length === 1
          ? this.ctx.store.putMessage(inputs[0]!)
          : this.ctx.store.putMessages(inputs);
    } catch (error) {
      this.putDone();
      throw error;
    }
    return stored.then(this.putSucceeded, this.putFailed);
  }

  /** Progress for isOverloaded(): a put finished. */
  private putDone(): void {
    this.putsInFlight--;
    this.lastProgressMs = this.now();
  }

  private readonly putSucceeded = (result: PutMessageResult): PutMessageResult => {
    this.putDone();
    return result;
  };

  private readonly putFailed = (error: unknown): never => {
    this.putDone();
    throw error;
  };

  private respond(
    request: RemotingCommand,
    result: PutMessageResult,
    prepared: PreparedSend,
  ): RemotingCommand {
    const { config } = this.ctx;
    const { code, remark, withHeader } = putStatusToResponse(result, config.brokerIP1);
    const header = withHeader
      ? encodeSendMessageResponseHeader({
          msgId: result.msgIds.join(','),
          queueId: prepared.queueId,
          queueOffset: result.queueOffsets[0] ?? 0,
          MSG_REGION: config.regionId,
          TRACE_ON: config.traceOn,
        })
      : this.regionFields();
    return RemotingCommand.responseTo(request, code, { extFields: header, remark });
  }
}
