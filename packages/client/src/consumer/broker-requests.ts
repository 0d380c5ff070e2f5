import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeMessageRecord,
  decodeResetOffsetBody,
  decodeResetOffsetRequestHeader,
} from '@rocketmq-ts/protocol';
import type { MessageQueue } from '@rocketmq-ts/protocol';
import { splitAddrs } from '../config.js';
import { messageExtFromRecord } from '../message/message.js';
import { compareMessageQueues } from '../route/topic-route-info.js';
import {
  ConsumerRunningInfoProps,
  encodeConsumeMessageDirectlyResult,
  encodeConsumerRunningInfo,
} from '../running-info/consumer-running-info.js';
import type { ConsumerRunningInfo } from '../running-info/consumer-running-info.js';
import type { ConsumeService, ConsumerRuntime, QueueEntry } from './consumer-runtime.js';

/** What the broker-request handlers need from the consumer. */
export interface BrokerRequestTarget {
  readonly runtime: ConsumerRuntime;
  readonly service: ConsumeService;
  /** The queues held now. */
  entries(): QueueEntry[];
  /** When start() completed, ms since the epoch. */
  readonly startTimestamp: number;
  /** Moves a held queue to `offset` (see RebalancePush.restartQueue). */
  restartQueue(mq: MessageQueue, offset: number): Promise<boolean>;
}

/**
 * Answers the broker-initiated requests addressed to a push consumer (Java `ClientRemotingProcessor`):
 * RESET_CONSUMER_CLIENT_OFFSET (220, oneway: held queues of the topic restart from the new offsets),
 * GET_CONSUMER_RUNNING_INFO (307: Java's `ConsumerRunningInfo` JSON) and CONSUME_MESSAGE_DIRECTLY (309: the listener
 * runs once on the record in the body; answer `ConsumeMessageDirectlyResult` JSON).
 * @returns the response, or null for the oneway reset.
 */
export async function handleConsumerBrokerRequest(
  target: BrokerRequestTarget,
  request: RemotingCommand,
): Promise<RemotingCommand | null> {
  switch (request.code) {
    case RequestCode.RESET_CONSUMER_CLIENT_OFFSET:
      await resetOffset(target, request);
      return null;
    case RequestCode.GET_CONSUMER_RUNNING_INFO:
      return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
        body: encodeConsumerRunningInfo(consumerRunningInfo(target)),
      });
    case RequestCode.CONSUME_MESSAGE_DIRECTLY:
      return consumeMessageDirectly(target, request);
    default:
      return RemotingCommand.responseTo(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, {
        remark: `request code ${request.code} is not handled by the push consumer`,
      });
  }
}

async function resetOffset(target: BrokerRequestTarget, request: RemotingCommand): Promise<void> {
  const { logger } = target.runtime;
  const header = decodeResetOffsetRequestHeader(request.extFields ?? {});
  const body = decodeResetOffsetBody(request.body ?? Buffer.from('{}'));
  const moved: { queueId: number; offset: number }[] = [];
  for (const [mq, offset] of body.offsetTable) {
    if (mq.topic !== header.topic) continue;
    if (await target.restartQueue(mq, offset)) moved.push({ queueId: mq.queueId, offset });
  }
  logger.info('consumer offsets reset by the broker', {
    topic: header.topic,
    group: header.group,
    moved,
  });
}

/** Java `DefaultMQPushConsumerImpl.consumerRunningInfo` + `MQClientInstance.consumerRunningInfo`. */
export function consumerRunningInfo(target: BrokerRequestTarget): ConsumerRunningInfo {
  const { config, offsetStore } = target.runtime;
  const properties = new Map<string, string>();
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      properties.set(key, String(value));
    }
  }
  properties.set('allocateMessageQueueStrategy', config.allocateMessageQueueStrategy.getName());
  properties.set(ConsumerRunningInfoProps.PROP_CONSUME_ORDERLY, String(target.service.orderly));
  properties.set(
    ConsumerRunningInfoProps.PROP_THREADPOOL_CORE_SIZE,
    String(config.consumeThreadMax),
  );
  properties.set(
    ConsumerRunningInfoProps.PROP_CONSUMER_START_TIMESTAMP,
    String(target.startTimestamp),
  );
  properties.set(
    ConsumerRunningInfoProps.PROP_NAMESERVER_ADDR,
    splitAddrs(config.namesrvAddr)
      .map((a) => `${a};`)
      .join(''),
  );
  properties.set(ConsumerRunningInfoProps.PROP_CONSUME_TYPE, 'CONSUME_PASSIVELY');
  // Java `MQVersion.getVersionDesc(CURRENT_VERSION)` of the version this client reports (CLIENT_VERSION).
  properties.set(ConsumerRunningInfoProps.PROP_CLIENT_VERSION, 'V4_9_8');

  const entries = target.entries().sort((a, b) => compareMessageQueues(a.mq, b.mq));
  const subscriptionSet = [...target.runtime.subscriptions.values()].sort((a, b) =>
    a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0,
  );
  return {
    properties,
    subscriptionSet,
    mqTable: entries.map(({ mq, pq }) => [
      mq,
      { ...pq.snapshot(), commitOffset: offsetStore.memoryOffset(mq) ?? -1 },
    ]),
    // Consumption statistics are not sampled by this client: zeros, in Java's shape.
    statusTable: new Map(
      subscriptionSet.map((sub) => [
        sub.topic,
        {
          pullRT: 0,
          pullTPS: 0,
          consumeRT: 0,
          consumeOKTPS: 0,
          consumeFailedTPS: 0,
          consumeFailedMsgs: 0,
        },
      ]),
    ),
  };
}

async function consumeMessageDirectly(
  target: BrokerRequestTarget,
  request: RemotingCommand,
): Promise<RemotingCommand> {
  const ext = request.extFields ?? {};
  const brokerName = ext.brokerName ?? '';
  const decoded =
    request.body === undefined || request.body.length === 0
      ? undefined
      : decodeMessageRecord(request.body);
  if (decoded === undefined || decoded.kind !== 'message') {
    return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, {
      remark: 'CONSUME_MESSAGE_DIRECTLY carries no message record',
    });
  }
  const msg = messageExtFromRecord(decoded.record, brokerName);
  const result = await target.service.consumeDirectly(msg, brokerName);
  return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
    body: encodeConsumeMessageDirectlyResult(result),
  });
}
