/**
 * Message property keys, by the names of `org.apache.rocketmq.common.message.MessageConst` (5.x, a superset of
 * 4.9.8). Values are the strings written into the properties string of a message (remoting-protocol.md §6.5).
 */
export const MessageConst = {
  /** Business keys, separated by {@link MessageConst.KEY_SEPARATOR}; indexed by the broker. */
  PROPERTY_KEYS: 'KEYS',
  /** One tag; its Java hash code is the consume-queue tags code. */
  PROPERTY_TAGS: 'TAGS',
  /** `"true"`/`"false"`: answer only once flushed/replicated (absent counts as true). */
  PROPERTY_WAIT_STORE_MSG_OK: 'WAIT',
  /** Delay level 1–18. */
  PROPERTY_DELAY_TIME_LEVEL: 'DELAY',
  /** Original topic of a retried message. */
  PROPERTY_RETRY_TOPIC: 'RETRY_TOPIC',
  /** Real destination topic of a delayed or half message. */
  PROPERTY_REAL_TOPIC: 'REAL_TOPIC',
  /** Real destination queue id of a delayed or half message. */
  PROPERTY_REAL_QUEUE_ID: 'REAL_QID',
  /** `"true"` marks a transactional (half) message. */
  PROPERTY_TRANSACTION_PREPARED: 'TRAN_MSG',
  /** Producer group of a transactional message, for check-back. */
  PROPERTY_PRODUCER_GROUP: 'PGROUP',
  /** Added client-side after a pull (queue's min offset); never stored. */
  PROPERTY_MIN_OFFSET: 'MIN_OFFSET',
  /** Added client-side after a pull (queue's max offset); never stored. */
  PROPERTY_MAX_OFFSET: 'MAX_OFFSET',
  PROPERTY_BUYER_ID: 'BUYER_ID',
  /** Id of the first delivery of a retried message. */
  PROPERTY_ORIGIN_MESSAGE_ID: 'ORIGIN_MESSAGE_ID',
  PROPERTY_TRANSFER_FLAG: 'TRANSFER_FLAG',
  PROPERTY_CORRECTION_FLAG: 'CORRECTION_FLAG',
  PROPERTY_MQ2_FLAG: 'MQ2_FLAG',
  /** Reconsume count carried by a client-side re-send to `%RETRY%`. */
  PROPERTY_RECONSUME_TIME: 'RECONSUME_TIME',
  PROPERTY_MSG_REGION: 'MSG_REGION',
  PROPERTY_TRACE_SWITCH: 'TRACE_ON',
  /** Client-generated unique id (UNIQ_KEY); Java's user-facing msgId. */
  PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX: 'UNIQ_KEY',
  PROPERTY_EXTEND_UNIQ_INFO: 'EXTEND_UNIQ_INFO',
  PROPERTY_MAX_RECONSUME_TIMES: 'MAX_RECONSUME_TIMES',
  PROPERTY_CONSUME_START_TIMESTAMP: 'CONSUME_START_TIME',
  PROPERTY_INNER_NUM: 'INNER_NUM',
  PROPERTY_INNER_BASE: 'INNER_BASE',
  DUP_INFO: 'DUP_INFO',
  PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS: 'CHECK_IMMUNITY_TIME_IN_SECONDS',
  PROPERTY_TRANSACTION_PREPARED_QUEUE_OFFSET: 'TRAN_PREPARED_QUEUE_OFFSET',
  PROPERTY_TRANSACTION_ID: '__transactionId__',
  PROPERTY_TRANSACTION_CHECK_TIMES: 'TRANSACTION_CHECK_TIMES',
  PROPERTY_INSTANCE_ID: 'INSTANCE_ID',
  PROPERTY_CORRELATION_ID: 'CORRELATION_ID',
  PROPERTY_MESSAGE_REPLY_TO_CLIENT: 'REPLY_TO_CLIENT',
  PROPERTY_MESSAGE_TTL: 'TTL',
  PROPERTY_REPLY_MESSAGE_ARRIVE_TIME: 'ARRIVE_TIME',
  PROPERTY_PUSH_REPLY_TIME: 'PUSH_REPLY_TIME',
  /** Broker cluster name; the 4.9.8 broker adds it to every stored message. */
  PROPERTY_CLUSTER: 'CLUSTER',
  PROPERTY_MESSAGE_TYPE: 'MSG_TYPE',
  PROPERTY_POP_CK: 'POP_CK',
  PROPERTY_POP_CK_OFFSET: 'POP_CK_OFFSET',
  PROPERTY_FIRST_POP_TIME: '1ST_POP_TIME',
  PROPERTY_SHARDING_KEY: '__SHARDINGKEY',
  PROPERTY_FORWARD_QUEUE_ID: 'PROPERTY_FORWARD_QUEUE_ID',
  PROPERTY_REDIRECT: 'REDIRECT',
  PROPERTY_INNER_MULTI_DISPATCH: 'INNER_MULTI_DISPATCH',
  PROPERTY_INNER_MULTI_QUEUE_OFFSET: 'INNER_MULTI_QUEUE_OFFSET',
  PROPERTY_TRACE_CONTEXT: 'TRACE_CONTEXT',
  PROPERTY_TIMER_DELAY_SEC: 'TIMER_DELAY_SEC',
  PROPERTY_TIMER_DELAY_MS: 'TIMER_DELAY_MS',
  PROPERTY_TIMER_DELIVER_MS: 'TIMER_DELIVER_MS',
  PROPERTY_TIMER_ENQUEUE_MS: 'TIMER_ENQUEUE_MS',
  PROPERTY_TIMER_DEQUEUE_MS: 'TIMER_DEQUEUE_MS',
  PROPERTY_TIMER_ROLL_TIMES: 'TIMER_ROLL_TIMES',
  PROPERTY_TIMER_OUT_MS: 'TIMER_OUT_MS',
  PROPERTY_TIMER_DEL_UNIQKEY: 'TIMER_DEL_UNIQKEY',
  PROPERTY_TIMER_DEL_MS: 'TIMER_DEL_MS',
  PROPERTY_TIMER_DELAY_LEVEL: 'TIMER_DELAY_LEVEL',
  PROPERTY_BORN_HOST: '__BORNHOST',
  PROPERTY_BORN_TIMESTAMP: 'BORN_TIMESTAMP',
  PROPERTY_CRC32: '__CRC32#',
  PROPERTY_DLQ_ORIGIN_TOPIC: 'DLQ_ORIGIN_TOPIC',
  PROPERTY_DLQ_ORIGIN_MESSAGE_ID: 'DLQ_ORIGIN_MESSAGE_ID',
  /** Properties whose name starts with this prefix are transient: never stored by a 5.x broker. */
  PROPERTY_TRANSIENT_PREFIX: '__RMQ.TRANSIENT.',
  PROPERTY_TRANSIENT_TOPIC_CONFIG: '__RMQ.TRANSIENT.TOPIC_SYS_FLAG',
  PROPERTY_TRANSIENT_GROUP_CONFIG: '__RMQ.TRANSIENT.GROUP_SYS_FLAG',
  /** Separator between the keys in {@link MessageConst.PROPERTY_KEYS}: a single space. */
  KEY_SEPARATOR: ' ',
} as const;
