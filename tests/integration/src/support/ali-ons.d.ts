/**
 * The part of ali-ons 3.12.0 (plain JavaScript, no bundled types) that the integration tests use. Written from its
 * sources (`ali-ons/lib`); see remoting-protocol.md §8 for what the client does on the wire.
 */
declare module 'ali-ons' {
  /** ali-ons logs through `info`/`warn`/`error`/`debug` with printf-style arguments. */
  export interface OnsLogger {
    info(...args: unknown[]): void;
    warn(...args: unknown[]): void;
    error(...args: unknown[]): void;
    debug(...args: unknown[]): void;
  }

  /** Only used to look up name servers at `onsAddr`; never called when `nameSrv` is given. */
  export interface OnsHttpClient {
    request(url: string, options?: unknown): Promise<unknown>;
  }

  /** Options shared by producers and consumers (`lib/client_config.js`). */
  export interface ClientOptions {
    httpclient: OnsHttpClient;
    /** Name server address(es), `host:port`. */
    nameSrv: string | readonly string[];
    /** The IP in the client id (`clientIP@instanceName`); default this host's first address. */
    clientIP?: string;
    /** Default `DEFAULT` (a clustering consumer or a producer then uses the PID). Clients sharing an id share one connection set. */
    instanceName?: string;
    logger?: OnsLogger;
    /** Route refresh period, ms (sic). Default 30 000. */
    pollNameServerInteval?: number;
    /** Default 30 000 ms. */
    heartbeatBrokerInterval?: number;
    /** Default 5 000 ms. */
    persistConsumerOffsetInterval?: number;
    /** Default 10 000 ms. */
    rebalanceInterval?: number;
  }

  export interface ProducerOptions extends ClientOptions {
    producerGroup: string;
    /** Per-request timeout, ms. Default 3000. */
    sendMsgTimeout?: number;
    /** Default 3. */
    retryTimesWhenSendFailed?: number;
  }

  export type ConsumeFromWhere =
    'CONSUME_FROM_LAST_OFFSET' | 'CONSUME_FROM_FIRST_OFFSET' | 'CONSUME_FROM_TIMESTAMP';

  export interface ConsumerOptions extends ClientOptions {
    consumerGroup: string;
    consumeFromWhere?: ConsumeFromWhere;
    /** BROADCASTING when true; default false (CLUSTERING). ali-ons has no `messageModel` option. */
    isBroadcast?: boolean;
    /** Pause after a failed pull, ms. Default 3000. */
    pullTimeDelayMillsWhenException?: number;
    /** Long-poll suspend time asked of the broker, ms. Default 15 000. */
    brokerSuspendMaxTimeMillis?: number;
    /** Pull response timeout, ms (must exceed brokerSuspendMaxTimeMillis). Default 30 000. */
    consumerTimeoutMillisWhenSuspend?: number;
    /** Default 16. */
    maxReconsumeTimes?: number;
  }

  export class Message {
    constructor(topic: string, tags: string | null, body: string | Buffer);
    topic: string;
    body: Buffer;
    flag: number;
    /** Property `TAGS`; `null` when the stored message has none. */
    get tags(): string | null;
    set tags(value: string | null);
    /** Property `KEYS` (keys joined with a space); set it from a list. */
    get keys(): string | undefined;
    set keys(value: readonly string[]);
    /** Every property; the decoder adds an empty-named one from the trailing separator. */
    properties: Record<string, string>;
    /** Set on received messages: the offset id (store host, port, commit-log offset in hex). */
    msgId: string;
    queueId: number;
    queueOffset: number;
    commitLogOffset: number;
    /** Set on received messages: the record's sysFlag (bit 0: the body was compressed; it is inflated already). */
    sysFlag: number;
    reconsumeTimes: number;
    storeHost: string;
    bornHost: string;
    /** Property `RETRY_TOPIC`: the original topic of a re-delivered message. */
    readonly retryTopic: string | undefined;
    /** Property `ORIGIN_MESSAGE_ID`: the first delivery's msgId, on a re-delivered message. */
    readonly originMessageId: string | undefined;
  }

  export interface SendResult {
    sendStatus: 'SEND_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE';
    /** The broker's offset message id. */
    msgId: string;
    /** `queueId` is the string from the response header. */
    messageQueue: { topic: string; brokerName: string; queueId: string };
    queueOffset: number;
  }

  /** sdk-base: `ready()` resolves once started, rejects when start-up failed. */
  interface Client {
    ready(): Promise<void>;
    close(): Promise<void>;
    on(event: 'error', listener: (error: Error) => void): this;
  }

  export class Producer implements Client {
    constructor(options: ProducerOptions);
    /** The process-wide `CLIENT_INNER_PRODUCER` a consumer re-sends failed messages with; never closed by ali-ons. */
    static defaultProducer: Producer | undefined;
    send(message: Message): Promise<SendResult>;
    ready(): Promise<void>;
    close(): Promise<void>;
    on(event: 'error', listener: (error: Error) => void): this;
  }

  /** One entry of a consumer's process-queue table, keyed by `[topic="…", brokerName="…", queueId="…"]`. */
  export interface ProcessQueueEntry {
    messageQueue: { topic: string; brokerName: string; queueId: number | string; key: string };
  }

  export class Consumer implements Client {
    constructor(options: ConsumerOptions);
    /** Returned by a handler to ask for a retry without throwing. */
    static ACTION_RETRY: symbol;
    /** `subExpression` is `*` or `TagA || TagB`. One handler per topic. */
    subscribe(
      topic: string,
      subExpression: string,
      handler: (message: Message) => Promise<symbol | undefined | void>,
    ): void;
    /** The queues this consumer currently pulls (its rebalance result), retry topic included. */
    readonly processQueueTable: ReadonlyMap<string, ProcessQueueEntry>;
    ready(): Promise<void>;
    close(): Promise<void>;
    on(event: 'error', listener: (error: Error) => void): this;
  }
}
