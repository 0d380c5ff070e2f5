/**
 * Requests the integration tests send to real brokers and name servers with @rocketmq-ts/remoting: create a topic
 * (UPDATE_AND_CREATE_TOPIC) and wait for its route, read a route, look messages up by key or offset id, read a
 * committed consumer offset. ali-ons cannot create topics, so every ali-ons test starts with {@link createTopic}.
 */
import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeMessageRecords,
  decodeQueryConsumerOffsetResponseHeader,
  decodeTopicRouteData,
  encodeCreateTopicRequestHeader,
  encodeGetRouteInfoRequestHeader,
  encodeQueryConsumerOffsetRequestHeader,
  encodeQueryMessageRequestHeader,
  encodeViewMessageRequestHeader,
  responseCodeName,
} from '@rocketmq-ts/protocol';
import type { MessageRecord, TopicRouteData } from '@rocketmq-ts/protocol';
import type { RemotingClient } from '@rocketmq-ts/remoting';
import { waitFor } from '@rocketmq-ts/testkit';

/** Per-request timeout of these helpers, in milliseconds. */
export const ADMIN_REQUEST_TIMEOUT_MS = 3000;

/** A response other than the expected code: names the request, the code and the remark. */
export class UnexpectedResponseError extends Error {
  override name = 'UnexpectedResponseError';
  constructor(
    readonly request: string,
    readonly code: number,
    readonly remark: string | undefined,
  ) {
    super(
      `${request} answered ${code} (${responseCodeName(code) ?? 'unknown'}): ${remark ?? '(no remark)'}`,
    );
  }
}

async function call(
  client: RemotingClient,
  addr: string,
  request: RemotingCommand,
): Promise<RemotingCommand> {
  return client.invoke(addr, request, { timeoutMs: ADMIN_REQUEST_TIMEOUT_MS });
}

/** Options of {@link createTopic}. */
export interface CreateTopicOptions {
  readonly client: RemotingClient;
  /** The broker (master) to create the topic on, `host:port`. */
  readonly brokerAddr: string;
  /** Name servers the broker registers with, `;`-separated; the route is awaited on each. */
  readonly namesrvAddr: string;
  readonly topic: string;
  /** Read and write queue count. */
  readonly queueNums: number;
  /** Deadline for the route to show the topic on this broker, in ms. Default 10 000. */
  readonly routeTimeoutMs?: number;
}

/**
 * Creates (or updates) `topic` on one broker with UPDATE_AND_CREATE_TOPIC (17; perm 6, SINGLE_TAG, not ordered) and
 * waits until GET_ROUTEINFO_BY_TOPIC (105) on every name server lists it on that broker with `queueNums` queues.
 *
 * @returns the route from the first name server once it includes the broker.
 * @throws {@link UnexpectedResponseError} when the broker refuses the creation.
 * @throws `WaitForTimeoutError` when the route does not appear in time.
 */
export async function createTopic(options: CreateTopicOptions): Promise<TopicRouteData> {
  const { client, brokerAddr, topic, queueNums } = options;
  const response = await call(
    client,
    brokerAddr,
    RemotingCommand.request(
      RequestCode.UPDATE_AND_CREATE_TOPIC,
      encodeCreateTopicRequestHeader({
        topic,
        defaultTopic: 'TBW102',
        readQueueNums: queueNums,
        writeQueueNums: queueNums,
        perm: 6,
        topicFilterType: 'SINGLE_TAG',
        topicSysFlag: 0,
        order: false,
      }),
    ),
  );
  if (response.code !== ResponseCode.SUCCESS) {
    throw new UnexpectedResponseError(
      `UPDATE_AND_CREATE_TOPIC ${topic} to ${brokerAddr}`,
      response.code,
      response.remark,
    );
  }
  const namesrvs = options.namesrvAddr.split(';').filter((addr) => addr !== '');
  const routes = await waitFor(
    async () => {
      const found = await Promise.all(namesrvs.map((ns) => queryRoute(client, ns, topic)));
      return found.every((route) => hostsQueues({ route, brokerAddr, queueNums })) && found;
    },
    {
      description: `the route of ${topic} to list ${brokerAddr} with ${queueNums} queues`,
      timeoutMs: options.routeTimeoutMs ?? 10_000,
      intervalMs: 100,
    },
  );
  return routes[0]!;
}

function hostsQueues(options: {
  route: TopicRouteData | undefined;
  brokerAddr: string;
  queueNums: number;
}): boolean {
  const { route, brokerAddr, queueNums } = options;
  const broker = route?.brokerDatas.find((b) => b.brokerAddrs.get(0) === brokerAddr);
  if (route === undefined || broker === undefined) return false;
  return route.queueDatas.some(
    (q) =>
      q.brokerName === broker.brokerName &&
      q.writeQueueNums === queueNums &&
      q.readQueueNums === queueNums,
  );
}

/**
 * GET_ROUTEINFO_BY_TOPIC (105) on one name server.
 *
 * @returns the route, or undefined when the name server answers TOPIC_NOT_EXIST.
 * @throws {@link UnexpectedResponseError} for any other non-success code.
 */
export async function queryRoute(
  client: RemotingClient,
  namesrvAddr: string,
  topic: string,
): Promise<TopicRouteData | undefined> {
  const response = await call(
    client,
    namesrvAddr,
    RemotingCommand.request(
      RequestCode.GET_ROUTEINFO_BY_TOPIC,
      encodeGetRouteInfoRequestHeader({ topic }),
    ),
  );
  if (response.code === ResponseCode.TOPIC_NOT_EXIST) return undefined;
  if (response.code !== ResponseCode.SUCCESS || response.body === undefined) {
    throw new UnexpectedResponseError(
      `GET_ROUTEINFO_BY_TOPIC ${topic}`,
      response.code,
      response.remark,
    );
  }
  return decodeTopicRouteData(response.body);
}

/**
 * QUERY_MESSAGE (12) by a `KEYS` entry over all store times up to now.
 *
 * @returns the decoded records; empty when the broker answers QUERY_NOT_FOUND.
 * @throws {@link UnexpectedResponseError} for any other non-success code.
 */
export async function queryMessagesByKey(options: {
  client: RemotingClient;
  brokerAddr: string;
  topic: string;
  key: string;
}): Promise<MessageRecord[]> {
  const response = await call(
    options.client,
    options.brokerAddr,
    RemotingCommand.request(
      RequestCode.QUERY_MESSAGE,
      encodeQueryMessageRequestHeader({
        topic: options.topic,
        key: options.key,
        maxNum: 32,
        beginTimestamp: 0,
        endTimestamp: Date.now() + 60_000,
      }),
    ),
  );
  if (response.code === ResponseCode.QUERY_NOT_FOUND) return [];
  if (response.code !== ResponseCode.SUCCESS) {
    throw new UnexpectedResponseError(
      `QUERY_MESSAGE ${options.topic}/${options.key}`,
      response.code,
      response.remark,
    );
  }
  return decodeMessageRecords(response.body ?? Buffer.alloc(0));
}

/**
 * VIEW_MESSAGE_BY_ID (33): the record at a commit-log offset.
 *
 * @throws {@link UnexpectedResponseError} for a non-success code.
 */
export async function viewMessage(options: {
  client: RemotingClient;
  brokerAddr: string;
  phyOffset: number;
}): Promise<MessageRecord[]> {
  const response = await call(
    options.client,
    options.brokerAddr,
    RemotingCommand.request(
      RequestCode.VIEW_MESSAGE_BY_ID,
      encodeViewMessageRequestHeader({ offset: options.phyOffset }),
    ),
  );
  if (response.code !== ResponseCode.SUCCESS) {
    throw new UnexpectedResponseError(
      `VIEW_MESSAGE_BY_ID ${options.phyOffset}`,
      response.code,
      response.remark,
    );
  }
  return decodeMessageRecords(response.body ?? Buffer.alloc(0));
}

/**
 * QUERY_CONSUMER_OFFSET (14): the offset a group committed for one queue.
 *
 * @returns the offset, or undefined when the broker has none (any non-success code).
 */
export async function queryConsumerOffset(options: {
  client: RemotingClient;
  brokerAddr: string;
  consumerGroup: string;
  topic: string;
  queueId: number;
}): Promise<number | undefined> {
  const response = await call(
    options.client,
    options.brokerAddr,
    RemotingCommand.request(
      RequestCode.QUERY_CONSUMER_OFFSET,
      encodeQueryConsumerOffsetRequestHeader({
        consumerGroup: options.consumerGroup,
        topic: options.topic,
        queueId: options.queueId,
      }),
    ),
  );
  if (response.code !== ResponseCode.SUCCESS) return undefined;
  return decodeQueryConsumerOffsetResponseHeader(response.extFields ?? {}).offset;
}
