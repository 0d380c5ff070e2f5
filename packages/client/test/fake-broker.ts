/**
 * A fake broker of a master/slave set for the client's failover tests: a {@link RemotingServer} on 127.0.0.1 that
 * answers the requests a Producer, PushConsumer or LitePullConsumer sends, records each one, and can be told to
 * suggest another broker id or to refuse reads with PULL_RETRY_IMMEDIATELY — which real brokers do not do on demand.
 */
import {
  PullSysFlag,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeHeartbeatData,
  decodeLockBatchRequestBody,
  decodePullMessageRequestHeader,
  decodeQueryConsumerOffsetRequestHeader,
  decodeSendMessageRequestHeader,
  decodeUpdateConsumerOffsetRequestHeader,
  encodeGetConsumerListByGroupResponseBody,
  encodeGetMaxOffsetResponseHeader,
  encodeLockBatchResponseBody,
  encodeMessageRecord,
  encodePullMessageResponseHeader,
  encodeQueryConsumerOffsetResponseHeader,
  encodeSendMessageResponseHeader,
} from '@rocketmq-ts/protocol';
import { ProcessorTable, RemotingServer } from '@rocketmq-ts/remoting';

/** The one topic the fake brokers serve (one queue, id 0, per broker set). */
export const FAILOVER_TOPIC = 'FailoverTopic';

/** The consumer group whose members the fake brokers track from heartbeats. */
export const FAILOVER_GROUP = 'failover-cg';

/** How long a fake broker holds a pull that finds nothing (its long polling), ms. */
export const PULL_HOLD_MS = 100;

/** One request a fake broker received. */
export interface Received {
  code: number;
  /** ms since the epoch. */
  at: number;
  queueOffset?: number;
  sysFlag?: number;
  commitOffset?: number;
  /** PULL_MESSAGE: the code answered. */
  answered?: number;
}

/** What a broker set stores: the bodies of its one queue, the same on master and slave (replicated). */
export interface SetStore {
  bodies: string[];
}

/** Whether a received pull asked the broker to commit the consumer offset (PullSysFlag.COMMIT_OFFSET). */
export const hasCommitFlag = (r: Received): boolean =>
  ((r.sysFlag ?? 0) & PullSysFlag.COMMIT_OFFSET) !== 0;

/** Answers one request: a bare response code, or a whole response. */
type Answer = (request: RemotingCommand) => number | RemotingCommand;

/** A broker of a set (id 0 = master). Its offset table is its own, as on real brokers. */
export class FakeBroker {
  /** Every request answered so far, oldest first. */
  readonly received: Received[] = [];
  /** Committed consumer offsets by `topic:queueId`. */
  readonly offsets = new Map<string, number>();
  /** Client ids of the members of {@link FAILOVER_GROUP} that heart-beat here. */
  readonly consumerIds = new Set<string>();
  /** How PULL_MESSAGE is answered: with messages (or held), or with PULL_RETRY_IMMEDIATELY "go to the master". */
  pullAnswer: 'serve' | 'retry-to-master' = 'serve';
  /** suggestWhichBrokerId of the pulls it serves. */
  suggest = 0;
  private readonly server: RemotingServer;
  private readonly holds = new Set<() => void>();

  /** A master when `brokerId` is 0, a slave otherwise; `store` is shared with the other brokers of its set. */
  constructor(
    readonly brokerId: number,
    private readonly store: SetStore,
  ) {
    const processors = new ProcessorTable().on(RequestCode.PULL_MESSAGE, {
      process: (r) => this.pull(r),
    });
    for (const [code, answer] of this.answers()) {
      processors.on(code, {
        process: (request) => {
          const out = answer(request);
          this.received.push({ code: request.code, at: Date.now() });
          if (request.isOneway) return Promise.resolve(null);
          const response = typeof out === 'number' ? RemotingCommand.responseTo(request, out) : out;
          return Promise.resolve(response);
        },
      });
    }
    this.server = new RemotingServer({ listenPort: 0, host: '127.0.0.1', processors });
  }

  /** `127.0.0.1:<port>`; valid once started. */
  get addr(): string {
    return `127.0.0.1:${this.server.port}`;
  }

  /** Listens on an ephemeral port. */
  start(): Promise<void> {
    return this.server.start();
  }

  /** Answers every held pull, then closes the server. Safe to call twice. */
  async close(): Promise<void> {
    for (const release of [...this.holds]) release();
    await this.server.close();
  }

  /** How many requests with `code` (and passing `filter`) it has answered. */
  count(code: number, filter: (r: Received) => boolean = () => true): number {
    return this.received.filter((r) => r.code === code && filter(r)).length;
  }

  /** The answer to each request code but PULL_MESSAGE, which may be held and is recorded with its header. */
  private answers(): Map<number, Answer> {
    return new Map<number, Answer>([
      [
        RequestCode.HEART_BEAT,
        (request) => {
          const data = decodeHeartbeatData(request.body ?? Buffer.alloc(0));
          if (data.consumerDataSet.some((c) => c.groupName === FAILOVER_GROUP))
            this.consumerIds.add(data.clientID);
          return ResponseCode.SUCCESS;
        },
      ],
      [
        RequestCode.UNREGISTER_CLIENT,
        (request) => {
          this.consumerIds.delete(request.extFields?.clientID ?? '');
          return ResponseCode.SUCCESS;
        },
      ],
      [
        RequestCode.GET_CONSUMER_LIST_BY_GROUP,
        (request) =>
          RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
            body: encodeGetConsumerListByGroupResponseBody({
              consumerIdList: [...this.consumerIds],
            }),
          }),
      ],
      [RequestCode.QUERY_CONSUMER_OFFSET, (request) => this.queryOffset(request)],
      [
        RequestCode.UPDATE_CONSUMER_OFFSET,
        (request) => {
          const h = decodeUpdateConsumerOffsetRequestHeader(request.extFields ?? {});
          this.offsets.set(`${h.topic}:${h.queueId}`, h.commitOffset);
          return ResponseCode.SUCCESS;
        },
      ],
      [
        RequestCode.GET_MAX_OFFSET,
        (request) =>
          RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
            extFields: encodeGetMaxOffsetResponseHeader({ offset: this.store.bodies.length }),
          }),
      ],
      [RequestCode.SEND_MESSAGE_V2, (request) => this.sendMessage(request)],
      [
        // Grants every lock asked for (one client per test).
        RequestCode.LOCK_BATCH_MQ,
        (request) => {
          const { mqSet } = decodeLockBatchRequestBody(request.body ?? Buffer.alloc(0));
          return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
            body: encodeLockBatchResponseBody({ lockOKMQSet: mqSet }),
          });
        },
      ],
      [RequestCode.UNLOCK_BATCH_MQ, () => ResponseCode.SUCCESS],
    ]);
  }

  private queryOffset(request: RemotingCommand): RemotingCommand {
    const h = decodeQueryConsumerOffsetRequestHeader(request.extFields ?? {});
    const offset = this.offsets.get(`${h.topic}:${h.queueId}`);
    return offset === undefined
      ? RemotingCommand.responseTo(request, ResponseCode.QUERY_NOT_FOUND, { remark: 'none' })
      : RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
          extFields: encodeQueryConsumerOffsetResponseHeader({ offset }),
        });
  }

  /** Only a master takes messages, as a real slave refuses writes. */
  private sendMessage(request: RemotingCommand): RemotingCommand {
    const h = decodeSendMessageRequestHeader(request.extFields ?? {}, request.code);
    if (this.brokerId !== 0) {
      return RemotingCommand.responseTo(request, ResponseCode.SERVICE_NOT_AVAILABLE, {
        remark: 'slave',
      });
    }
    const queueOffset = this.store.bodies.push(request.body?.toString() ?? '') - 1;
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
      extFields: encodeSendMessageResponseHeader({
        msgId: `M${queueOffset}`,
        queueId: h.queueId,
        queueOffset,
      }),
    });
  }

  private async pull(request: RemotingCommand): Promise<RemotingCommand> {
    const h = decodePullMessageRequestHeader(request.extFields ?? {});
    const entry: Received = {
      code: request.code,
      at: Date.now(),
      queueOffset: h.queueOffset,
      sysFlag: h.sysFlag,
      commitOffset: h.commitOffset,
    };
    this.received.push(entry);
    const reply = (code: number, nextBeginOffset: number, body?: Buffer): RemotingCommand => {
      entry.answered = code;
      const suggestWhichBrokerId = code === ResponseCode.PULL_RETRY_IMMEDIATELY ? 0 : this.suggest;
      return RemotingCommand.responseTo(request, code, {
        extFields: encodePullMessageResponseHeader({
          suggestWhichBrokerId,
          nextBeginOffset,
          minOffset: 0,
          maxOffset: this.store.bodies.length,
        }),
        body,
      });
    };
    if (this.pullAnswer === 'retry-to-master') {
      return reply(ResponseCode.PULL_RETRY_IMMEDIATELY, h.queueOffset);
    }
    if (h.queueOffset >= this.store.bodies.length) {
      await this.hold();
      return reply(ResponseCode.PULL_NOT_FOUND, h.queueOffset);
    }
    const end = Math.min(this.store.bodies.length, h.queueOffset + h.maxMsgNums);
    const records: Buffer[] = [];
    for (let offset = h.queueOffset; offset < end; offset++) {
      records.push(
        encodeMessageRecord({
          topic: FAILOVER_TOPIC,
          body: Buffer.from(this.store.bodies[offset]!),
          queueId: h.queueId,
          queueOffset: offset,
          phyOffset: offset * 1000,
          bornTimestamp: Date.now(),
          bornHost: { host: '127.0.0.1', port: 1 },
          storeTimestamp: Date.now(),
          storeHost: { host: '127.0.0.1', port: this.server.port },
          properties: { UNIQ_KEY: `U${offset}` },
        }),
      );
    }
    return reply(ResponseCode.SUCCESS, end, Buffer.concat(records));
  }

  /** Long polling: holds a pull for {@link PULL_HOLD_MS}, as a broker would until a message arrives; close() ends it. */
  private hold(): Promise<void> {
    return new Promise<void>((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        this.holds.delete(release);
        resolve();
      };
      const timer = setTimeout(release, PULL_HOLD_MS);
      this.holds.add(release);
    });
  }
}
