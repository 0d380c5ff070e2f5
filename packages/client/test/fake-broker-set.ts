/**
 * The harness of the client's failover tests (src/broker-set-failover-*.test.ts): a fake NameServer and fake broker
 * sets (master id 0 + slave id 1 sharing one store) on 127.0.0.1, the client options those tests share, and
 * starters for the producer and consumers under test. Fakes, because the tests need the far side to misbehave on
 * demand — a master expiring from the route, a master suggesting a slave, a slave refusing reads with
 * PULL_RETRY_IMMEDIATELY; real master/slave processes are exercised in tests/integration (ha-master-slave.test.ts).
 *
 * Importing this module registers one `afterEach` in the importing test file: it stops everything started through
 * {@link started} during the test, last started first.
 */
import { NOOP_LOGGER, ResponseCode } from '@rocketmq-ts/protocol';
import { afterEach } from 'vitest';
import type {
  MessageListenerConcurrently,
  MessageListenerOrderly,
} from '../src/consumer/message-listener.js';
import { PushConsumer } from '../src/consumer/push-consumer.js';
import type { PushConsumerInit } from '../src/consumer/push-consumer.js';
import type { LitePullConsumerConfigInput } from '../src/lite-pull/lite-pull-config.js';
import { LitePullConsumer } from '../src/lite-pull/lite-pull-consumer.js';
import { FAILOVER_GROUP, FAILOVER_TOPIC, FakeBroker } from './fake-broker.js';
import type { Received, SetStore } from './fake-broker.js';
import { FakeNamesrv } from './fake-name-server.js';

/** How long the harness waits for a condition (or for polled messages) before giving up, ms. */
const WAIT_TIMEOUT_MS = 10_000;
/** Pause between two checks of {@link waitFor}, ms. */
const WAIT_INTERVAL_MS = 20;

const cleanups: (() => Promise<unknown>)[] = [];
/** Makes each test's client instance name unique, so no two tests share an MQClientInstance. */
let instanceSeq = 0;

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts `thing` and has it stopped with `stop` after the test. */
export async function started<T extends { start(): Promise<void> }>(
  thing: T,
  stop: (t: T) => Promise<unknown>,
): Promise<T> {
  await thing.start();
  cleanups.push(() => stop(thing));
  return thing;
}

/**
 * Polls `check` every 20 ms until it holds (an async check is awaited before the next).
 * @throws Error after `timeoutMs` (default 10 s) naming `what`.
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = WAIT_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, WAIT_INTERVAL_MS));
  }
}

/** `count` message bodies `<prefix>-0`, `<prefix>-1`, … */
export function bodies(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}

/** The pulls `broker` refused with PULL_RETRY_IMMEDIATELY, oldest first. */
export function refusedPulls(broker: FakeBroker): Received[] {
  return broker.received.filter((r) => r.answered === ResponseCode.PULL_RETRY_IMMEDIATELY);
}

/** A started fake NameServer (no route until setRoute). */
export function startFakeNamesrv(): Promise<FakeNamesrv> {
  return started(new FakeNamesrv(), (n) => n.close());
}

/** A started broker set: its master, its slave, and the store they share. */
export interface FakeBrokerSet {
  master: FakeBroker;
  slave: FakeBroker;
  store: SetStore;
}

/** Starts a master (id 0) and a slave (id 1) sharing a store that holds `storedBodies`. */
export async function startBrokerSet(storedBodies: string[] = []): Promise<FakeBrokerSet> {
  const store: SetStore = { bodies: storedBodies };
  const master = await started(new FakeBroker(0, store), (b) => b.close());
  const slave = await started(new FakeBroker(1, store), (b) => b.close());
  return { master, slave, store };
}

/**
 * A name server and one broker set `broker-a` holding `storedBodies`, routed with both brokers listed or, as after
 * the master expired from the route, only the slave (the master still runs, unlisted).
 */
export async function startRoutedBrokerSet(
  storedBodies: string[],
  listed: 'master-and-slave' | 'slave-only',
): Promise<FakeBrokerSet & { namesrv: FakeNamesrv }> {
  const namesrv = await startFakeNamesrv();
  const set = await startBrokerSet(storedBodies);
  const brokers = listed === 'slave-only' ? [set.slave] : [set.master, set.slave];
  namesrv.setRoute([{ brokerName: 'broker-a', brokers }]);
  return { namesrv, ...set };
}

/** Client options the failover tests share: fast route polls, heartbeats and commits; quick retries after a failure. */
export interface FailoverClientOptions {
  namesrvAddr: string;
  instanceName: string;
  clientIP: string;
  pollNameServerInterval: number;
  heartbeatBrokerInterval: number;
  persistConsumerOffsetInterval: number;
  pullTimeDelayMillsWhenException: number;
  logger: typeof NOOP_LOGGER;
}

/** {@link FailoverClientOptions} against `namesrv`, with a fresh instance name. */
export function failoverClientOptions(namesrv: FakeNamesrv): FailoverClientOptions {
  return {
    namesrvAddr: namesrv.addr,
    instanceName: `failover-${process.pid}-${instanceSeq++}`,
    clientIP: '127.0.0.1',
    pollNameServerInterval: 100,
    heartbeatBrokerInterval: 200,
    persistConsumerOffsetInterval: 100,
    pullTimeDelayMillsWhenException: 100,
    logger: NOOP_LOGGER,
  };
}

/** A concurrent listener handing each body to `onBody`, then CONSUME_SUCCESS. */
export function concurrentListener(onBody: (body: string) => unknown): MessageListenerConcurrently {
  return (msgs) => {
    for (const m of msgs) onBody(m.body.toString());
    return Promise.resolve('CONSUME_SUCCESS');
  };
}

/** An orderly listener appending each body to `seen`, then SUCCESS. */
export function orderlyListener(seen: string[]): MessageListenerOrderly {
  return (msgs) => {
    for (const m of msgs) seen.push(m.body.toString());
    return Promise.resolve('SUCCESS');
  };
}

/**
 * A started PushConsumer of {@link FAILOVER_GROUP} subscribed to all of {@link FAILOVER_TOPIC}, consuming from the
 * first offset unless `init` says otherwise.
 */
export function startPushConsumer(
  namesrv: FakeNamesrv,
  init: Omit<PushConsumerInit, 'consumerGroup'>,
): Promise<PushConsumer> {
  const consumer = new PushConsumer({
    consumerGroup: FAILOVER_GROUP,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    ...init,
    ...failoverClientOptions(namesrv),
  });
  consumer.subscribe(FAILOVER_TOPIC, '*');
  return started(consumer, (c) => c.shutdown());
}

/** A started LitePullConsumer of {@link FAILOVER_GROUP} subscribed to all of {@link FAILOVER_TOPIC}. */
export async function startLitePullConsumer(
  namesrv: FakeNamesrv,
  options: Omit<LitePullConsumerConfigInput, 'consumerGroup'>,
): Promise<LitePullConsumer> {
  const consumer = new LitePullConsumer({
    consumerGroup: FAILOVER_GROUP,
    ...options,
    ...failoverClientOptions(namesrv),
  });
  await consumer.subscribe(FAILOVER_TOPIC, '*');
  return started(consumer, (c) => c.shutdown());
}

/** Polls `consumer` (200 ms a poll) until it has at least `count` bodies or 10 s passed; returns them in order. */
export async function pollBodies(consumer: LitePullConsumer, count: number): Promise<string[]> {
  const polled: string[] = [];
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  while (polled.length < count && Date.now() < deadline) {
    for (const m of await consumer.poll(200)) polled.push(m.body.toString());
  }
  return polled;
}
