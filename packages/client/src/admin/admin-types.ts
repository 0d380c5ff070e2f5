import type {
  ConsumerConnection,
  MessageQueue,
  SubscriptionGroupConfig,
  TopicConfig,
} from '@rocketmq-ts/protocol';

/** A topic to create or update: the name, and any {@link TopicConfig} field (Java TopicConfig defaults otherwise). */
export type TopicConfigInput = Pick<TopicConfig, 'topicName'> &
  Partial<Omit<TopicConfig, 'topicName' | 'attributes'>>;

/** A subscription group to create or update: the name, and any field (Java defaults otherwise). */
export type SubscriptionGroupConfigInput = Pick<SubscriptionGroupConfig, 'groupName'> &
  Partial<Omit<SubscriptionGroupConfig, 'groupName'>>;

/** One queue of a topic and its offsets, merged over the brokers of the route. */
export interface TopicQueueStats {
  mq: MessageQueue;
  /** Smallest queue offset still stored. */
  minOffset: number;
  /** Queue offset the next message gets. */
  maxOffset: number;
  /** Store time of the last message, ms since the epoch; 0 when the queue is empty. */
  lastUpdateTimestamp: number;
}

/** A consumer group's progress on one queue. */
export interface QueueConsumeProgress {
  mq: MessageQueue;
  /** The queue's max offset (one past the last message). */
  brokerOffset: number;
  /** The group's committed offset. */
  consumerOffset: number;
  /** Messages not consumed yet: brokerOffset − consumerOffset (Java's "Diff"). */
  lag: number;
  /** Store time of the last consumed message (offset consumerOffset − 1), ms since the epoch; 0 when none. */
  lastTimestamp: number;
}

/** A consumer group's progress over every broker its topics live on (mqadmin consumerProgress). */
export interface GroupConsumeStats {
  /** One entry per queue, sorted by topic, broker name and queue id. */
  queues: QueueConsumeProgress[];
  /** Sum of the lags. */
  diffTotal: number;
  /** Messages per second consumed, summed over the brokers (0 from brokers that keep no rates). */
  consumeTps: number;
}

/**
 * Members of a consumer group that subscribe to one topic with different expressions (the broker's
 * `subscriptionMismatch` extField): each expression with the client ids using it. Messages a member's tags exclude
 * but whose queue it owns are never delivered to the other members: the group must use one expression per topic.
 */
export interface SubscriptionMismatch {
  topic: string;
  /** Expression (`<type>:<expression>` for non-TAG types) → client ids. */
  clientIdsByExpression: Map<string, string[]>;
}

/** A consumer group's live members and settings, as one broker sees them. */
export interface ConsumerConnectionInfo extends ConsumerConnection {
  /** Empty when every member subscribes alike. */
  subscriptionMismatches: SubscriptionMismatch[];
  /** The broker that answered. */
  brokerAddr: string;
}

/**
 * Whether a group consumed a message (Java `TrackType`): CONSUMED (committed offset past it), CONSUMED_BUT_FILTERED
 * (past it, but the group's tags exclude it), PULL (a pull consumer: unknown), NOT_CONSUME_YET, NOT_ONLINE (no live
 * member), CONSUME_BROADCASTING (offsets live in the clients), UNKNOWN (the lookup failed; see exceptionDesc).
 */
export type TrackType =
  | 'CONSUMED'
  | 'CONSUMED_BUT_FILTERED'
  | 'PULL'
  | 'NOT_CONSUME_YET'
  | 'NOT_ONLINE'
  | 'CONSUME_BROADCASTING'
  | 'UNKNOWN';

/** One group's consumption of a message (Java `MessageTrack`). */
export interface MessageTrack {
  consumerGroup: string;
  trackType: TrackType;
  /** Why the type is NOT_ONLINE or UNKNOWN: `CODE:<code> DESC:<message>` for error responses, as Java prints. */
  exceptionDesc?: string;
}

/** Options of {@link MQAdmin.queryMessageByKey}. */
export interface QueryMessageByKeyOptions {
  topic: string;
  /** One `KEYS` entry. */
  key: string;
  /** Most messages per broker; default 64 (mqadmin's default; brokers cap it at their maxMsgsNumBatch). */
  maxNum?: number;
  /** Store-time window start, ms since the epoch; default 0. */
  beginTimestamp?: number;
  /** Store-time window end, ms since the epoch; default: no end. */
  endTimestamp?: number;
}

/** Options of {@link MQAdmin.queryMessageByOffset}. */
export interface QueryMessageByOffsetOptions {
  topic: string;
  /** Broker set name (not an address). */
  brokerName: string;
  queueId: number;
  /** Consume-queue offset. */
  offset: number;
}

/** Options of {@link MQAdmin.consumeMessageDirectly}. */
export interface ConsumeMessageDirectlyOptions {
  consumerGroup: string;
  /** The client that should consume it (a client id from {@link MQAdmin.consumerConnection}). */
  clientId: string;
  /** An offset message id, or a unique key (UNIQ_KEY) when `topic` is given. */
  msgId: string;
  /** Needed to look a unique key up. */
  topic?: string;
}

/** Options of {@link MQAdmin.resetOffsetByTime}. */
export interface ResetOffsetByTimeOptions {
  consumerGroup: string;
  topic: string;
  /** Target store time, ms since the epoch; −1 = the end of each queue. */
  timestamp: number;
  /** Also move offsets forward (otherwise only backward). Default true (mqadmin's default). */
  force?: boolean;
}

/** Options of {@link MQAdmin.cloneGroupOffset}. */
export interface CloneGroupOffsetOptions {
  srcGroup: string;
  destGroup: string;
  /** Only this topic; default every topic the source group has offsets for. */
  topic?: string;
  /** Also copy topics the live source group no longer subscribes to. Default false. */
  offline?: boolean;
}

/** A queue and an offset in it (reset results). */
export interface QueueOffset {
  mq: MessageQueue;
  /** Queue offset. */
  offset: number;
}
