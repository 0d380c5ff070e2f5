/**
 * Producer throughput of the pure-JS 4.x client ali-ons 3.12.0 against the broker: `window` concurrent
 * `producer.send()` calls (it picks queues round-robin itself and looks the route up at the name server).
 */
import { createRequire } from 'node:module';
import { format } from 'node:util';
import { startCpuMeter } from './machine-load.js';
import type { CpuUsage } from './machine-load.js';

/** The part of ali-ons used here (plain JavaScript, no bundled types; see ali-ons/lib/producer). */
interface AliOns {
  Producer: OnsProducerClass;
  Message: new (topic: string, tags: string, body: Buffer) => object;
}

interface OnsProducerClass {
  new (options: {
    httpclient: { request(url: string): Promise<never> };
    nameSrv: readonly string[];
    producerGroup: string;
    clientIP: string;
    logger: Record<'info' | 'warn' | 'error' | 'debug', (...args: unknown[]) => void>;
    sendMsgTimeout: number;
  }): OnsProducer;
  /**
   * The process-wide `CLIENT_INNER_PRODUCER` that the first producer's start creates (a consumer's fallback for
   * re-sending); ali-ons never closes it, and its timers would keep the process alive.
   */
  defaultProducer: OnsProducer | undefined;
}

interface OnsProducer {
  ready(): Promise<void>;
  send(message: object): Promise<{ sendStatus: string }>;
  close(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): void;
}

/** Deadline of ali-ons' ready() and close(), in ms. */
const LIFECYCLE_TIMEOUT_MS = 15_000;

/** Figures of {@link produceWithAliOns}'s measured part. */
export interface OnsProduceResult {
  readonly acked: number;
  /** Sends that rejected or returned a status other than SEND_OK, by error name or status. */
  readonly failures: ReadonlyMap<string, number>;
  readonly seconds: number;
  readonly messagesPerSecond: number;
  readonly cpu: CpuUsage;
  /** The last ali-ons warn/error lines, if any. */
  readonly logTail: readonly string[];
}

/**
 * Starts an ali-ons producer on `namesrvAddr`, sends `warmup` messages, then measures `count` messages or
 * `durationMs`, whichever ends first, with `window` sends in flight; closes the producer.
 *
 * @throws Error when ali-ons cannot be loaded or does not start within 15 s.
 */
export async function produceWithAliOns(options: {
  namesrvAddr: string;
  topic: string;
  body: Buffer;
  window: number;
  warmup: number;
  count: number;
  durationMs: number;
  serverPids: readonly number[];
}): Promise<OnsProduceResult> {
  const ons = createRequire(import.meta.url)('ali-ons') as AliOns;
  const logTail: string[] = [];
  const keep =
    (level: string) =>
    (...args: unknown[]) => {
      logTail.push(`${level} ${format(...args)}`);
      if (logTail.length > 20) logTail.shift();
    };
  const producer = new ons.Producer({
    // ali-ons looks name servers up over HTTP only when nameSrv is missing.
    httpclient: { request: (url) => Promise.reject(new Error(`unexpected HTTP lookup of ${url}`)) },
    nameSrv: options.namesrvAddr.split(';'),
    producerGroup: 'bench-ons-producer',
    clientIP: '127.0.0.1',
    logger: {
      info: () => undefined,
      debug: () => undefined,
      warn: keep('warn'),
      error: keep('error'),
    },
    sendMsgTimeout: 10_000,
  });
  producer.on('error', (error) => keep('error event')(error));
  try {
    await within(producer.ready(), 'ali-ons producer to start');
    const failures = new Map<string, number>();
    const runPhase = async (count: number, deadline: number): Promise<number> => {
      let started = 0;
      let acked = 0;
      const lane = async (): Promise<void> => {
        while (started < count && performance.now() < deadline) {
          started++;
          try {
            const result = await producer.send(
              new ons.Message(options.topic, 'TagA', options.body),
            );
            if (result.sendStatus === 'SEND_OK') acked++;
            else failures.set(result.sendStatus, (failures.get(result.sendStatus) ?? 0) + 1);
          } catch (error) {
            const name = error instanceof Error ? error.name : 'unknown error';
            failures.set(name, (failures.get(name) ?? 0) + 1);
          }
        }
      };
      await Promise.all(Array.from({ length: options.window }, () => lane()));
      return acked;
    };
    await runPhase(options.warmup, performance.now() + options.durationMs);
    failures.clear();
    const meter = startCpuMeter(options.serverPids);
    const t0 = performance.now();
    const acked = await runPhase(options.count, t0 + options.durationMs);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = meter.stop();
    return { acked, failures, seconds, messagesPerSecond: acked / seconds, cpu, logTail };
  } finally {
    await within(producer.close(), 'ali-ons producer to close').catch((error: unknown) =>
      keep('close')(error),
    );
    const inner = ons.Producer.defaultProducer;
    ons.Producer.defaultProducer = undefined;
    await within(inner?.close() ?? Promise.resolve(), 'ali-ons inner producer to close').catch(
      (error: unknown) => keep('close')(error),
    );
  }
}

async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out after ${LIFECYCLE_TIMEOUT_MS} ms waiting for ${what}`)),
          LIFECYCLE_TIMEOUT_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
