/**
 * Shared support for the broker's unit tests: real stores in temp dirs, a real BrokerContext over them, a real
 * remoting server on 127.0.0.1 port 0, and the small waits and reads those tests repeat (STYLE.md §12).
 *
 * Importing this module registers one `afterEach` in the importing test file: it runs every cleanup registered
 * during the test ({@link onTestCleanup}), last registered first.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  NOOP_LOGGER,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  TOPIC_CONFIG_DEFAULTS,
  decodeMessageRecord,
  decodeRegisterBrokerRequestHeader,
  decodeUnRegisterBrokerRequestHeader,
  encodeRegisterBrokerResponseHeader,
} from '@rocketmq-ts/protocol';
import type { HostAddress, MessageRecord, TopicConfig } from '@rocketmq-ts/protocol';
import {
  ProcessorTable,
  RemotingClient,
  RemotingServer,
  dispatchRequest,
} from '@rocketmq-ts/remoting';
import type { RemotingChannel } from '@rocketmq-ts/remoting';
import { openMessageStore } from '@rocketmq-ts/store';
import type { MessageStore, OpenMessageStoreOptions } from '@rocketmq-ts/store';
import { afterEach } from 'vitest';
import type { BrokerContext } from '../src/broker-context.js';
import { BrokerController } from '../src/broker-controller.js';
import { ConsumerManager } from '../src/client/consumer-manager.js';
import { ProducerManager } from '../src/client/producer-manager.js';
import type { BrokerControllerOptions } from '../src/broker-controller.js';
import { resolveBrokerConfig } from '../src/config.js';
import type { BrokerConfigInput } from '../src/config.js';
import { BrokerHaState } from '../src/ha-state/broker-ha-state.js';
import { ConsumerOffsetManager } from '../src/offset/consumer-offset-manager.js';
import { SubscriptionGroupManager } from '../src/subscription/subscription-group-manager.js';
import { TopicConfigManager } from '../src/topic/topic-config-manager.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Registers `cleanup` to run after the current test, after every cleanup registered later. */
export function onTestCleanup(cleanup: () => unknown): void {
  cleanups.push(cleanup);
}

/** A fresh directory `<os tmpdir>/rmq-XXXXXX`, removed with its contents after the test. */
export async function makeTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rmq-'));
  onTestCleanup(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Store settings small enough for tests: 64 KiB commit-log segments, 100-entry consume-queue files, 16 KiB messages
 * and a disk that is always 10 % used.
 */
export const TEST_STORE_OPTIONS = {
  mappedFileSizeCommitLog: 64 * 1024,
  mappedFileSizeConsumeQueue: 20 * 100,
  maxMessageSize: 16 * 1024,
  diskUsageProbe: () => Promise.resolve(10),
} as const satisfies Partial<OpenMessageStoreOptions>;

/** A real store and its root directory. */
export interface TestStore {
  store: MessageStore;
  dir: string;
}

/**
 * Opens a real store with {@link TEST_STORE_OPTIONS} and `overrides`, closed after the test. Without
 * `overrides.storePathRootDir` it lives in a fresh {@link makeTempDir}; with it (reopening a store) the caller owns
 * the directory.
 */
export async function openTestStore(
  overrides: Partial<OpenMessageStoreOptions> = {},
): Promise<TestStore> {
  const dir = overrides.storePathRootDir ?? (await makeTempDir());
  const store = await openMessageStore({
    ...TEST_STORE_OPTIONS,
    ...overrides,
    storePathRootDir: dir,
  });
  onTestCleanup(() => store.close());
  return { store, dir };
}

/** What {@link openTestBrokerContext} builds on. */
export interface TestBrokerContextOptions {
  /** Broker config over `{ storePathRootDir: <the store dir>, listenPort: 0 }`. */
  config?: Partial<BrokerConfigInput>;
  /** Store options over {@link TEST_STORE_OPTIONS}; the store always gets a fresh temp dir. */
  store?: Omit<Partial<OpenMessageStoreOptions>, 'storePathRootDir'>;
  /** `ctx.storeHost()`; `ctx.brokerAddr()` is its `host:port`. Default 127.0.0.1:10911. */
  storeHost?: HostAddress;
  /** Topics created once the managers started, each over TOPIC_CONFIG_DEFAULTS. */
  topics?: readonly (Partial<TopicConfig> & { topicName: string })[];
}

/** A real BrokerContext over a real store, as the BrokerController builds it but without sockets. */
export interface TestBrokerContext extends TestStore {
  ctx: BrokerContext;
  /** What `ctx.masterAddr()`, `ctx.masterAvailable()` and `ctx.haStatus()` read; tests feed it directly. */
  haState: BrokerHaState;
  /** How many times `ctx.requestRegistration()` was called. */
  registrations(): number;
  /** Closes the store and removes its directory. Idempotent; also runs after the test. */
  close(): Promise<void>;
}

/**
 * Opens a store in a temp dir and builds a BrokerContext over it: topic and subscription-group managers started
 * (built-in topics and groups created), offsets, consumer and producer tables, a no-op logger, and a
 * `requestRegistration` that only counts.
 */
export async function openTestBrokerContext(
  options: TestBrokerContextOptions = {},
): Promise<TestBrokerContext> {
  const { store, dir } = await openTestStore(options.store);
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= store.close().then(() => rm(dir, { recursive: true, force: true }));
    return closing;
  };
  onTestCleanup(close);
  const config = resolveBrokerConfig({ storePathRootDir: dir, listenPort: 0, ...options.config });
  const topics = new TopicConfigManager({ metadata: store.metadata, config });
  await topics.start();
  const subscriptionGroups = new SubscriptionGroupManager({
    metadata: store.metadata,
    autoCreateSubscriptionGroup: config.autoCreateSubscriptionGroup,
  });
  await subscriptionGroups.start();
  for (const topic of options.topics ?? []) {
    await topics.createOrUpdate({ ...TOPIC_CONFIG_DEFAULTS, ...topic });
  }
  const storeHost = options.storeHost ?? { host: '127.0.0.1', port: 10911 };
  const haState = new BrokerHaState();
  let registrations = 0;
  const ctx: BrokerContext = {
    config,
    runtimeConfig: { brokerPermission: config.brokerPermission },
    logger: NOOP_LOGGER,
    store,
    topics,
    subscriptionGroups,
    offsets: new ConsumerOffsetManager({ store }),
    consumers: new ConsumerManager(),
    producers: new ProducerManager(),
    storeHost: () => storeHost,
    brokerAddr: () => `${storeHost.host}:${storeHost.port}`,
    requestRegistration: () => {
      registrations++;
    },
    registerNow: () => {
      registrations++;
      return Promise.resolve();
    },
    masterAddr: () => haState.masterAddr(),
    haServerAddrOfMaster: () => haState.haServerAddrOfMaster(),
    masterAvailable: () => haState.masterAvailable(),
    setMasterLinkProbe: (probe) => haState.setMasterLinkProbe(probe),
    setHaStatusSource: (source) => haState.setHaStatusSource(source),
    haStatus: () => haState.haStatus(),
  };
  return { ctx, haState, store, dir, registrations: () => registrations, close };
}

/**
 * Starts a real BrokerController bound to 127.0.0.1 with every port ephemeral and 8 MiB commit-log segments, its
 * store in a fresh {@link makeTempDir} (or `overrides.storePathRootDir`, owned by the caller, to restart a broker on
 * its store); `overrides` go over that config, `options` (sync and registration timings) go to the controller.
 * Closed after the test.
 */
export async function startTestBroker(
  overrides: Partial<BrokerConfigInput> = {},
  options: Omit<BrokerControllerOptions, 'config'> = {},
): Promise<BrokerController> {
  const dir = overrides.storePathRootDir ?? (await makeTempDir());
  const broker = new BrokerController({
    ...options,
    config: resolveBrokerConfig({
      listenPort: 0,
      bindAddress: '127.0.0.1',
      store: { mappedFileSizeCommitLog: 8 * 1024 * 1024 },
      ...overrides,
      storePathRootDir: dir,
    }),
  });
  await broker.start();
  onTestCleanup(() => broker.close());
  return broker;
}

/** A remoting server on 127.0.0.1 port 0 and one client connection to it, both closed after the test. */
export interface TestServer {
  /** `127.0.0.1:<port>`. */
  addr: string;
  /** Sends `request` and resolves with the response, whatever its code. */
  call(request: RemotingCommand): Promise<RemotingCommand>;
  /** Sends `request` as oneway. */
  oneway(request: RemotingCommand): Promise<void>;
}

/** Starts a {@link TestServer} answering with `processors`; `call` times out after `timeoutMs` (default 5000). */
export async function startTestServer(
  processors: ProcessorTable,
  options: { timeoutMs?: number } = {},
): Promise<TestServer> {
  const server = new RemotingServer({ listenPort: 0, host: '127.0.0.1', processors });
  await server.start();
  onTestCleanup(() => server.close());
  const client = new RemotingClient();
  onTestCleanup(() => client.close());
  const addr = `127.0.0.1:${server.port}`;
  const invokeOptions = { timeoutMs: options.timeoutMs ?? 5000 };
  return {
    addr,
    call: (request) => client.invoke(addr, request, invokeOptions),
    oneway: (request) => client.invokeOneway(addr, request),
  };
}

/** A name server stand-in for master/slave tests (see {@link startTestNameServer}). */
export interface TestNameServer {
  /** `127.0.0.1:<port>`, for `namesrvAddr`. */
  addr: string;
  /** Brokers registered now: `brokerName` → brokerId → `{ brokerAddr, haServerAddr }`. */
  brokers: Map<string, Map<number, { brokerAddr: string; haServerAddr: string }>>;
}

/**
 * A name server on 127.0.0.1 that answers REGISTER_BROKER and UNREGISTER_BROKER as `@rocketmq-ts/namesrv` does for
 * master/slave sets (RouteInfoManager.registerBroker): a broker with brokerId ≠ 0 gets `masterAddr` and
 * `haServerAddr` of the registered brokerId 0 of its brokerName, when there is one. The broker package may not depend
 * on the namesrv package (STYLE.md §2), so its tests use this far side of the contract.
 */
export async function startTestNameServer(): Promise<TestNameServer> {
  const brokers: TestNameServer['brokers'] = new Map();
  const processors = new ProcessorTable()
    .on(RequestCode.REGISTER_BROKER, {
      process: (request) => {
        const h = decodeRegisterBrokerRequestHeader(request.extFields ?? {});
        let set = brokers.get(h.brokerName);
        if (set === undefined) {
          set = new Map();
          brokers.set(h.brokerName, set);
        }
        set.set(h.brokerId, { brokerAddr: h.brokerAddr, haServerAddr: h.haServerAddr });
        const master = h.brokerId === 0 ? undefined : set.get(0);
        const ext = encodeRegisterBrokerResponseHeader(
          master === undefined
            ? {}
            : { masterAddr: master.brokerAddr, haServerAddr: master.haServerAddr },
        );
        return Promise.resolve(
          RemotingCommand.responseTo(request, ResponseCode.SUCCESS, { extFields: ext }),
        );
      },
    })
    .on(RequestCode.UNREGISTER_BROKER, {
      process: (request) => {
        const h = decodeUnRegisterBrokerRequestHeader(request.extFields ?? {});
        const set = brokers.get(h.brokerName);
        if (set?.get(h.brokerId)?.brokerAddr === h.brokerAddr) set.delete(h.brokerId);
        return Promise.resolve(RemotingCommand.responseTo(request, ResponseCode.SUCCESS));
      },
    });
  const server = new RemotingServer({ listenPort: 0, host: '127.0.0.1', processors });
  await server.start();
  onTestCleanup(() => server.close());
  return { addr: `127.0.0.1:${server.port}`, brokers };
}

/**
 * Runs `request` through `table` as the remoting server would (unknown codes, thrown errors → response codes),
 * for a caller at 127.0.0.1:50000 on a channel nothing may use.
 */
export function dispatchLocally(
  table: ProcessorTable,
  request: RemotingCommand,
): Promise<RemotingCommand | null> {
  return dispatchRequest(table, request, {
    remoteAddr: '127.0.0.1:50000',
    channel: {} as RemotingChannel,
    logger: NOOP_LOGGER,
  });
}

/**
 * Resolves once `check` holds, polling every `intervalMs` (default 10); rejects after `timeoutMs` (default 5000).
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const { timeoutMs = 5000, intervalMs = 10 } = options;
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The records of one consume queue from its first offset (one getMessage batch), decoded. */
export async function readRecords(
  store: MessageStore,
  queue: { topic: string; queueId: number },
): Promise<MessageRecord[]> {
  const got = await store.getMessage({ ...queue, queueOffset: 0 });
  return got.messages.map((buffer) => {
    const decoded = decodeMessageRecord(buffer);
    if (decoded.kind !== 'message') throw new Error('not a message');
    return decoded.record;
  });
}
