/**
 * The broker bench's workloads over one RemotingClient connection: create a topic, produce with SEND_MESSAGE_V2 and
 * a sliding window, drain the backlog with PULL_MESSAGE. Message bodies count as MB (10^6 bytes); protocol
 * overhead does not.
 */
import { setTimeout as delay } from 'node:timers/promises';
import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  buildPullSysFlag,
  decodePullMessageResponseHeader,
  encodeCreateTopicRequestHeader,
  encodeGetRouteInfoRequestHeader,
  encodePullMessageRequestHeader,
  encodeSendMessageRequestHeaderV2,
  responseCodeName,
} from '@rocketmq-ts/protocol';
import type { RemotingClient } from '@rocketmq-ts/remoting';
import { startCpuMeter } from './machine-load.js';
import type { CpuUsage } from './machine-load.js';

/** Timeout of every request, in ms. */
const REQUEST_TIMEOUT_MS = 10_000;
const PRODUCER_GROUP = 'bench-producer';
const CONSUMER_GROUP = 'bench-consumer';

/** A response other than the expected one, for setup requests. */
export class BenchRequestError extends Error {
  override name = 'BenchRequestError';
  constructor(
    readonly request: string,
    readonly code: number,
    readonly remark: string | undefined,
  ) {
    super(`${request} answered ${code} (${responseCodeName(code) ?? 'unknown'}): ${remark ?? ''}`);
  }
}

/** Where and what the workloads send. */
export interface Target {
  readonly client: RemotingClient;
  /** The broker (or reference server), `host:port`. */
  readonly addr: string;
  readonly topic: string;
  /** Write and read queue count; sends go round-robin over them. */
  readonly queues: number;
  /** Processes whose CPU time counts as the server's. */
  readonly serverPids: readonly number[];
}

/**
 * UPDATE_AND_CREATE_TOPIC (17) with `queues` read and write queues, perm 6, SINGLE_TAG, not ordered.
 *
 * @throws {@link BenchRequestError} when the broker refuses.
 */
export async function createTopic(target: Target): Promise<void> {
  const response = await target.client.invoke(
    target.addr,
    RemotingCommand.request(
      RequestCode.UPDATE_AND_CREATE_TOPIC,
      encodeCreateTopicRequestHeader({
        topic: target.topic,
        defaultTopic: 'TBW102',
        readQueueNums: target.queues,
        writeQueueNums: target.queues,
        perm: 6,
        topicFilterType: 'SINGLE_TAG',
        topicSysFlag: 0,
        order: false,
      }),
    ),
    { timeoutMs: REQUEST_TIMEOUT_MS },
  );
  if (response.code !== ResponseCode.SUCCESS) {
    throw new BenchRequestError(
      `UPDATE_AND_CREATE_TOPIC ${target.topic}`,
      response.code,
      response.remark,
    );
  }
}

/**
 * Polls GET_ROUTEINFO_BY_TOPIC (105) on `namesrvAddr` every 100 ms until the topic has a route, for clients that
 * look routes up (ali-ons).
 *
 * @throws Error when there is none after `timeoutMs`.
 */
export async function waitForRoute(options: {
  client: RemotingClient;
  namesrvAddr: string;
  topic: string;
  timeoutMs: number;
}): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    const response = await options.client.invoke(
      options.namesrvAddr,
      RemotingCommand.request(
        RequestCode.GET_ROUTEINFO_BY_TOPIC,
        encodeGetRouteInfoRequestHeader({ topic: options.topic }),
      ),
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
    if (response.code === ResponseCode.SUCCESS) return;
    await delay(100);
  }
  throw new Error(
    `no route for ${options.topic} on ${options.namesrvAddr} after ${options.timeoutMs} ms`,
  );
}

/** Options of {@link produce}. */
export interface ProduceOptions {
  readonly body: Buffer;
  /** Requests in flight. */
  readonly window: number;
  /** Messages sent and acknowledged before measuring (not counted). */
  readonly warmup: number;
  /** The measured part stops after this many messages … */
  readonly count: number;
  /** … or this long, in ms, whichever comes first. */
  readonly durationMs: number;
}

/** Figures of the measured part of {@link produce}. */
export interface ProduceResult {
  /** Acknowledged with SUCCESS. */
  readonly acked: number;
  /** Answered otherwise or failed, by response code name or error name. */
  readonly failures: ReadonlyMap<string, number>;
  readonly seconds: number;
  readonly messagesPerSecond: number;
  /** Send → SUCCESS response, nearest rank, in ms. */
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly cpu: CpuUsage;
  /** SUCCESS answers including the warm-up: what a consumer will find. */
  readonly storedTotal: number;
}

/**
 * One connection, SEND_MESSAGE_V2 (310) with the a..k header a Java producer sends (properties UNIQ_KEY, WAIT=true,
 * TAGS), queueId round-robin, `window` requests in flight (a new one as soon as any answer arrives).
 */
export async function produce(target: Target, options: ProduceOptions): Promise<ProduceResult> {
  let seq = 0;
  let storedTotal = 0;
  const failures = new Map<string, number>();
  const fail = (what: string): void => void failures.set(what, (failures.get(what) ?? 0) + 1);
  // 32 hex digits like a Java client's message id: a fixed 24-digit prefix, then the sequence number.
  const uniqPrefix = `7F000001${process.pid.toString(16).padStart(4, '0').slice(-4)}${Date.now().toString(16).padStart(12, '0').slice(-12)}`;

  const request = (): RemotingCommand => {
    const n = seq++;
    return RemotingCommand.request(
      RequestCode.SEND_MESSAGE_V2,
      encodeSendMessageRequestHeaderV2({
        a: PRODUCER_GROUP,
        b: target.topic,
        c: 'TBW102',
        d: target.queues,
        e: n % target.queues,
        f: 0,
        g: Date.now(),
        h: 0,
        i: `UNIQ_KEY\u0001${uniqPrefix}${(n >>> 0).toString(16).padStart(8, '0')}\u0002WAIT\u0001true\u0002TAGS\u0001TagA\u0002`,
        j: 0,
        k: false,
      }),
      options.body,
    );
  };

  const runPhase = async (count: number, deadline: number, latencies?: Float64Array) => {
    let started = 0;
    let acked = 0;
    const lane = async (): Promise<void> => {
      while (started < count && performance.now() < deadline) {
        started++;
        const t0 = performance.now();
        try {
          const response = await target.client.invoke(target.addr, request(), {
            timeoutMs: REQUEST_TIMEOUT_MS,
          });
          if (response.code === ResponseCode.SUCCESS) {
            if (latencies) latencies[acked] = performance.now() - t0;
            acked++;
            storedTotal++;
          } else {
            fail(responseCodeName(response.code) ?? String(response.code));
          }
        } catch (error) {
          fail(error instanceof Error ? error.name : 'unknown error');
        }
      }
    };
    await Promise.all(Array.from({ length: options.window }, () => lane()));
    return acked;
  };

  await runPhase(options.warmup, performance.now() + options.durationMs);
  failures.clear();
  const latencies = new Float64Array(options.count);
  const meter = startCpuMeter(target.serverPids);
  const t0 = performance.now();
  const acked = await runPhase(options.count, t0 + options.durationMs, latencies);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = meter.stop();
  const sorted = latencies.subarray(0, acked).sort();
  return {
    acked,
    failures,
    seconds,
    messagesPerSecond: acked / seconds,
    latencyP50Ms: nearestRank(sorted, 50),
    latencyP99Ms: nearestRank(sorted, 99),
    cpu,
    storedTotal,
  };
}

function nearestRank(sorted: Float64Array, percentile: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(0, Math.ceil((percentile / 100) * sorted.length) - 1)]!;
}

/** Options of {@link drain}. */
export interface DrainOptions {
  /** Pulls in flight, each on its own queue (at most one per queue). */
  readonly inFlight: number;
  /** maxMsgNums of each pull. */
  readonly maxMsgNums: number;
  /** Stop pulling after this long, in ms, even if queues are not empty. */
  readonly timeoutMs: number;
}

/** Figures of {@link drain}. */
export interface DrainResult {
  readonly messages: number;
  readonly pulls: number;
  readonly seconds: number;
  readonly messagesPerSecond: number;
  readonly cpu: CpuUsage;
  /** False when `timeoutMs` ended the drain before every queue answered PULL_NOT_FOUND. */
  readonly complete: boolean;
}

/**
 * Reads every queue from offset 0 to its end with PULL_MESSAGE (11): subscription `*` carried in the request
 * (the SUBSCRIPTION sysFlag bit, as ali-ons sends), no long polling, no offset commit, the next offset from
 * `nextBeginOffset`. Messages are counted by walking the records' TOTALSIZE fields; bodies are not decoded.
 *
 * @throws {@link BenchRequestError} on an answer other than FOUND, NO_NEW_MSG, RETRY_IMMEDIATELY or OFFSET_MOVED.
 */
export async function drain(target: Target, options: DrainOptions): Promise<DrainResult> {
  const queueIds = Array.from({ length: target.queues }, (_, i) => i);
  const sysFlag = buildPullSysFlag({ subscription: true });
  let messages = 0;
  let pulls = 0;
  let complete = true;
  const meter = startCpuMeter(target.serverPids);
  const t0 = performance.now();
  const deadline = t0 + options.timeoutMs;

  const drainQueue = async (queueId: number): Promise<void> => {
    let queueOffset = 0;
    for (;;) {
      if (performance.now() > deadline) {
        complete = false;
        return;
      }
      pulls++;
      const response = await target.client.invoke(
        target.addr,
        RemotingCommand.request(
          RequestCode.PULL_MESSAGE,
          encodePullMessageRequestHeader({
            consumerGroup: CONSUMER_GROUP,
            topic: target.topic,
            queueId,
            queueOffset,
            maxMsgNums: options.maxMsgNums,
            sysFlag,
            commitOffset: 0,
            suspendTimeoutMillis: 0,
            subscription: '*',
            subVersion: 0,
            expressionType: 'TAG',
          }),
        ),
        { timeoutMs: REQUEST_TIMEOUT_MS },
      );
      switch (response.code) {
        case ResponseCode.SUCCESS:
          messages += countRecords(response.body);
          break;
        case ResponseCode.PULL_NOT_FOUND:
          return;
        case ResponseCode.PULL_RETRY_IMMEDIATELY:
        case ResponseCode.PULL_OFFSET_MOVED:
          break;
        default:
          throw new BenchRequestError(
            `PULL_MESSAGE queue ${queueId}`,
            response.code,
            response.remark,
          );
      }
      queueOffset = decodePullMessageResponseHeader(response.extFields ?? {}).nextBeginOffset;
    }
  };
  const lane = async (): Promise<void> => {
    for (let queueId = queueIds.shift(); queueId !== undefined; queueId = queueIds.shift()) {
      await drainQueue(queueId);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(options.inFlight, target.queues) }, () => lane()),
  );
  const seconds = (performance.now() - t0) / 1000;
  return {
    messages,
    pulls,
    seconds,
    messagesPerSecond: messages / seconds,
    cpu: meter.stop(),
    complete,
  };
}

/** Records in a pull body: `[TOTALSIZE:int32][…]` back to back. */
function countRecords(body: Buffer | undefined): number {
  if (body === undefined) return 0;
  let count = 0;
  for (let pos = 0; pos + 4 <= body.length; count++) {
    const size = body.readInt32BE(pos);
    if (size <= 0) break;
    pos += size;
  }
  return count;
}
