import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeGetConsumerListByGroupResponseBody,
  decodeGetMaxOffsetResponseHeader,
  decodeGetMinOffsetResponseHeader,
  decodeLockBatchResponseBody,
  decodeQueryConsumerOffsetResponseHeader,
  decodeSearchOffsetResponseHeader,
  decodeTopicRouteData,
  encodeConsumerSendMsgBackRequestHeader,
  encodeGetConsumerListByGroupRequestHeader,
  encodeGetMaxOffsetRequestHeader,
  encodeGetMinOffsetRequestHeader,
  encodeGetRouteInfoRequestHeader,
  encodeHeartbeatData,
  encodeLockBatchRequestBody,
  encodeQueryConsumerOffsetRequestHeader,
  encodeSearchOffsetRequestHeader,
  encodeUnlockBatchRequestBody,
  encodeUnregisterClientRequestHeader,
  encodeUpdateConsumerOffsetRequestHeader,
} from '@rocketmq-ts/protocol';
import type {
  ConsumerSendMsgBackRequestHeader,
  HeartbeatData,
  LockBatchRequestBody,
  MessageQueue,
  TopicRouteData,
  UnregisterClientRequestHeader,
} from '@rocketmq-ts/protocol';
import type { RemotingClient } from '@rocketmq-ts/remoting';
import { MQBrokerError, MQClientError } from '../errors.js';

/** Options of {@link MQClientAPI}. */
export interface MQClientAPIOptions {
  /** The transport; shared by everything of one client instance and closed by its owner. */
  remoting: RemotingClient;
  /** NameServer addresses, tried in turn. */
  namesrvAddrs: readonly string[];
  /** Timeout of each call unless a call says otherwise, ms. */
  timeoutMs: number;
  /** Frame header `language`. */
  language: string;
}

/** A consumer group's position on one queue. */
export interface QueueOffsetRef {
  group: string;
  topic: string;
  queueId: number;
}

/** Client `version` in frame headers: V4_9_8 (409), as the 4.9.8 Java client sends (routes then come with quoted keys). */
export const CLIENT_VERSION = 409;

/**
 * The RocketMQ requests a client makes (Java `MQClientAPIImpl`), each a typed method over the shared remoting
 * client. Errors: an error response becomes {@link MQBrokerError} carrying its code; transport failures are the
 * remoting errors (RemotingTimeoutError, RemotingConnectError, ConnectionClosedError).
 */
export class MQClientAPI {
  private readonly remoting: RemotingClient;
  private readonly namesrvAddrs: readonly string[];
  private readonly timeoutMs: number;
  private readonly language: string;
  private namesrvIndex = Math.floor(Math.random() * 1024);

  constructor(options: MQClientAPIOptions) {
    this.remoting = options.remoting;
    this.namesrvAddrs = options.namesrvAddrs;
    this.timeoutMs = options.timeoutMs;
    this.language = options.language;
  }

  /** Stamps a request with this client's language and version. */
  stamp(request: RemotingCommand): RemotingCommand {
    request.language = this.language;
    request.version = CLIENT_VERSION;
    return request;
  }

  /** Sends a request to a broker and resolves with its response, whatever its code. */
  invoke(
    addr: string,
    request: RemotingCommand,
    timeoutMs = this.timeoutMs,
  ): Promise<RemotingCommand> {
    return this.remoting.invoke(addr, this.stamp(request), { timeoutMs });
  }

  /** Sends a oneway request to a broker. */
  invokeOneway(addr: string, request: RemotingCommand): Promise<void> {
    return this.remoting.invokeOneway(addr, this.stamp(request));
  }

  /**
   * Sends a request to one address (a broker, or a NameServer named by the caller) and resolves with its response.
   * @throws MQBrokerError unless the response code is SUCCESS.
   */
  async invokeExpectingSuccess(
    addr: string,
    request: RemotingCommand,
    timeoutMs = this.timeoutMs,
  ): Promise<RemotingCommand> {
    const response = await this.invoke(addr, request, timeoutMs);
    expectCode(response, addr, [ResponseCode.SUCCESS]);
    return response;
  }

  /**
   * Sends a request to the NameServers, starting with the next in turn and moving on after a transport failure
   * (as Java's `invokeSync` on the NameServer channel does), so one NameServer down costs one timeout at most.
   */
  async invokeNamesrv(
    request: RemotingCommand,
  ): Promise<{ response: RemotingCommand; addr: string }> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.namesrvAddrs.length; attempt++) {
      const addr = this.namesrvAddrs[this.namesrvIndex++ % this.namesrvAddrs.length]!;
      try {
        return { response: await this.invoke(addr, request), addr };
      } catch (error) {
        lastError = error;
      }
    }
    throw new MQClientError(
      `no NameServer reachable (${this.namesrvAddrs.join(';')}): ${errorText(lastError)} — check namesrvAddr / NAMESRV_ADDR and that mqnamesrv is running`,
      ResponseCode.SYSTEM_ERROR,
      { cause: lastError },
    );
  }

  /** The route of a topic, or undefined when the NameServer has none (TOPIC_NOT_EXIST). */
  async getTopicRouteInfo(topic: string): Promise<TopicRouteData | undefined> {
    const { response, addr } = await this.invokeNamesrv(
      RemotingCommand.request(
        RequestCode.GET_ROUTEINFO_BY_TOPIC,
        encodeGetRouteInfoRequestHeader({ topic }),
      ),
    );
    if (response.code === ResponseCode.TOPIC_NOT_EXIST) return undefined;
    expectCode(response, addr, [ResponseCode.SUCCESS]);
    if (response.body === undefined) return undefined;
    return decodeTopicRouteData(response.body);
  }

  /** HEART_BEAT to one broker. */
  async heartbeat(addr: string, data: HeartbeatData): Promise<void> {
    await this.invokeExpectingSuccess(
      addr,
      RemotingCommand.request(RequestCode.HEART_BEAT, {}, encodeHeartbeatData(data)),
    );
  }

  /** UNREGISTER_CLIENT from one broker. */
  async unregisterClient(addr: string, header: UnregisterClientRequestHeader): Promise<void> {
    await this.invokeExpectingSuccess(
      addr,
      RemotingCommand.request(
        RequestCode.UNREGISTER_CLIENT,
        encodeUnregisterClientRequestHeader(header),
      ),
    );
  }

  /** The client ids of a consumer group's live members, as one broker sees them. */
  async getConsumerIdList(addr: string, group: string): Promise<string[]> {
    const response = await this.invokeExpectingSuccess(
      addr,
      RemotingCommand.request(
        RequestCode.GET_CONSUMER_LIST_BY_GROUP,
        encodeGetConsumerListByGroupRequestHeader({ consumerGroup: group }),
      ),
    );
    return response.body === undefined
      ? []
      : decodeGetConsumerListByGroupResponseBody(response.body).consumerIdList;
  }

  /** The committed offset of a group on a queue, or undefined when the broker has none (QUERY_NOT_FOUND). */
  async queryConsumerOffset(addr: string, ref: QueueOffsetRef): Promise<number | undefined> {
    const response = await this.invoke(
      addr,
      RemotingCommand.request(
        RequestCode.QUERY_CONSUMER_OFFSET,
        encodeQueryConsumerOffsetRequestHeader({
          consumerGroup: ref.group,
          topic: ref.topic,
          queueId: ref.queueId,
        }),
      ),
    );
    if (response.code === ResponseCode.QUERY_NOT_FOUND) return undefined;
    expectCode(response, addr, [ResponseCode.SUCCESS]);
    return decodeQueryConsumerOffsetResponseHeader(response.extFields ?? {}).offset;
  }

  /** Commits a group's offset on a queue (oneway, as the Java client does). */
  updateConsumerOffsetOneway(
    addr: string,
    ref: QueueOffsetRef & { offset: number },
  ): Promise<void> {
    return this.invokeOneway(addr, updateConsumerOffsetRequest(ref));
  }

  /** Commits a group's offset on a queue and waits for the broker's answer. */
  async updateConsumerOffset(
    addr: string,
    ref: QueueOffsetRef & { offset: number },
  ): Promise<void> {
    await this.invokeExpectingSuccess(addr, updateConsumerOffsetRequest(ref));
  }

  /** One past the last message of a queue. */
  async getMaxOffset(addr: string, mq: Pick<MessageQueue, 'topic' | 'queueId'>): Promise<number> {
    const response = await this.invokeExpectingSuccess(
      addr,
      RemotingCommand.request(
        RequestCode.GET_MAX_OFFSET,
        encodeGetMaxOffsetRequestHeader({ topic: mq.topic, queueId: mq.queueId }),
      ),
    );
    return decodeGetMaxOffsetResponseHeader(response.extFields ?? {}).offset;
  }

  /** The first offset still stored in a queue. */
  async getMinOffset(addr: string, mq: Pick<MessageQueue, 'topic' | 'queueId'>): Promise<number> {
    const response = await this.invokeExpectingSuccess(
      addr,
      RemotingCommand.request(
        RequestCode.GET_MIN_OFFSET,
        encodeGetMinOffsetRequestHeader({ topic: mq.topic, queueId: mq.queueId }),
      ),
    );
    return decodeGetMinOffsetResponseHeader(response.extFields ?? {}).offset;
  }

  /** The queue offset whose message was stored nearest `timestamp` (ms). */
  async searchOffset(
    addr: string,
    query: Pick<MessageQueue, 'topic' | 'queueId'> & { timestamp: number },
  ): Promise<number> {
    const response = await this.invokeExpectingSuccess(
      addr,
      RemotingCommand.request(
        RequestCode.SEARCH_OFFSET_BY_TIMESTAMP,
        encodeSearchOffsetRequestHeader({
          topic: query.topic,
          queueId: query.queueId,
          timestamp: query.timestamp,
        }),
      ),
    );
    return decodeSearchOffsetResponseHeader(response.extFields ?? {}).offset;
  }

  /**
   * CONSUMER_SEND_MSG_BACK: the broker re-delivers the message later through `%RETRY%<group>`.
   * @param timeoutMs - default the client's timeout; Java's consumers pass 5 000.
   */
  async consumerSendMessageBack(
    addr: string,
    header: ConsumerSendMsgBackRequestHeader,
    timeoutMs = this.timeoutMs,
  ): Promise<void> {
    await this.invokeExpectingSuccess(
      addr,
      RemotingCommand.request(
        RequestCode.CONSUMER_SEND_MSG_BACK,
        encodeConsumerSendMsgBackRequestHeader(header),
      ),
      timeoutMs,
    );
  }

  /** LOCK_BATCH_MQ: the queues of `body.mqSet` now locked by this client on that broker. */
  async lockBatchMQ(addr: string, body: LockBatchRequestBody): Promise<MessageQueue[]> {
    const response = await this.invokeExpectingSuccess(
      addr,
      RemotingCommand.request(RequestCode.LOCK_BATCH_MQ, {}, encodeLockBatchRequestBody(body)),
    );
    return response.body === undefined
      ? []
      : decodeLockBatchResponseBody(response.body).lockOKMQSet;
  }

  /** UNLOCK_BATCH_MQ. */
  async unlockBatchMQ(addr: string, body: LockBatchRequestBody): Promise<void> {
    await this.invokeExpectingSuccess(
      addr,
      RemotingCommand.request(RequestCode.UNLOCK_BATCH_MQ, {}, encodeUnlockBatchRequestBody(body)),
    );
  }
}

/**
 * Throws {@link MQBrokerError} unless the response has one of `codes`.
 */
export function expectCode(
  response: RemotingCommand,
  addr: string,
  codes: readonly number[],
): void {
  if (!codes.includes(response.code)) {
    throw new MQBrokerError({ code: response.code, remark: response.remark, addr });
  }
}

/** UPDATE_CONSUMER_OFFSET, sent oneway or awaited. */
function updateConsumerOffsetRequest(ref: QueueOffsetRef & { offset: number }): RemotingCommand {
  return RemotingCommand.request(
    RequestCode.UPDATE_CONSUMER_OFFSET,
    encodeUpdateConsumerOffsetRequestHeader({
      consumerGroup: ref.group,
      topic: ref.topic,
      queueId: ref.queueId,
      commitOffset: ref.offset,
    }),
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
