import {
  BrokerResponseError,
  NOOP_LOGGER,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeRegisterBrokerResponseHeader,
  encodeRegisterBrokerBody,
  encodeRegisterBrokerRequestHeader,
  encodeUnRegisterBrokerRequestHeader,
  messageBodyCrc,
} from '@rocketmq-ts/protocol';
import type { Logger, TopicConfigSerializeWrapper } from '@rocketmq-ts/protocol';
import type { RemotingClient } from '@rocketmq-ts/remoting';
import type { BrokerConfig } from '../config.js';
import { splitNamesrvAddr } from '../config.js';
import type { TopicConfigManager } from '../topic/topic-config-manager.js';
import { PERM_READ, PERM_WRITE } from '../topic/topic-validator.js';

/*
 * Registration with name servers (remoting-protocol.md §4.11; Java `BrokerController.registerBrokerAll` and
 * `BrokerOuterAPI.registerBrokerAll`): REGISTER_BROKER (103) to every name server in parallel, at start, every
 * registerNameServerPeriod and after every topic change; UNREGISTER_BROKER (104) on shutdown.
 */

/** The BrokerConfig keys the registrar reads. */
export type NameServerRegistrarConfig = Pick<
  BrokerConfig,
  | 'brokerClusterName'
  | 'brokerName'
  | 'brokerId'
  | 'brokerIP1'
  | 'brokerIP2'
  | 'listenPort'
  | 'haListenPort'
  | 'namesrvAddr'
  | 'registerNameServerPeriod'
  | 'registerBrokerTimeoutMills'
  | 'brokerPermission'
>;

/** Options of {@link NameServerRegistrar}. */
export interface NameServerRegistrarOptions {
  /** Client the requests go through; not closed by the registrar. */
  client: RemotingClient;
  /** A resolved broker config. */
  config: Readonly<NameServerRegistrarConfig>;
  /** The topic table to register; its changes trigger a re-registration. */
  topics: TopicConfigManager;
  /** Default no-op. */
  logger?: Logger;
  /** Timeout of each request, in ms. Default `config.registerBrokerTimeoutMills`. */
  timeoutMs?: number;
  /** Re-registration period, in ms. Default `config.registerNameServerPeriod` (tests pass a short one). */
  periodMs?: number;
  /** Wait after a topic change before re-registering, so bursts register once, in ms. Default 50. */
  debounceMs?: number;
  /** Address clients use. Default `brokerIP1:listenPort`; pass the bound port when listenPort was 0. */
  brokerAddr?: string;
  /** HA address. Default `brokerIP2:haListenPort`. */
  haServerAddr?: string;
  /**
   * Called with the results of every REGISTER_BROKER round (start, period, topic changes, `registerAll`): a slave
   * learns its master's addresses from them. Exceptions are logged.
   */
  onRegistered?: (results: readonly NameServerResult[]) => void;
}

/** Outcome of one request to one name server. */
export type NameServerResult =
  | {
      /** Name server `host:port`. */
      namesrvAddr: string;
      ok: true;
      /** For a slave: its master's address (REGISTER_BROKER only). */
      masterAddr?: string;
      /** For a slave: the master's HA address (REGISTER_BROKER only). */
      haServerAddr?: string;
    }
  | {
      /** Name server `host:port`. */
      namesrvAddr: string;
      ok: false;
      /** Why it failed: a remoting error or BrokerResponseError. */
      error: Error;
    };

/**
 * Keeps a broker registered with every name server of `namesrvAddr`. A name server that is down or refuses is
 * logged and does not stop the others. Registrations run one after another, so a name server never sees an older
 * topic table after a newer one.
 */
export class NameServerRegistrar {
  private readonly client: RemotingClient;
  private readonly config: Readonly<NameServerRegistrarConfig>;
  private readonly topics: TopicConfigManager;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly periodMs: number;
  private readonly debounceMs: number;
  private readonly namesrvAddrs: readonly string[];
  private readonly onRegistered: ((results: readonly NameServerResult[]) => void) | undefined;
  /** `ip:port` registered for clients. */
  readonly brokerAddr: string;
  /** `ip:port` registered for HA. */
  readonly haServerAddr: string;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private closed = false;

  constructor(options: NameServerRegistrarOptions) {
    const c = options.config;
    this.client = options.client;
    this.config = c;
    this.topics = options.topics;
    this.logger = options.logger ?? NOOP_LOGGER;
    this.timeoutMs = options.timeoutMs ?? c.registerBrokerTimeoutMills;
    this.periodMs = options.periodMs ?? c.registerNameServerPeriod;
    this.debounceMs = options.debounceMs ?? 50;
    this.namesrvAddrs = splitNamesrvAddr(c.namesrvAddr);
    this.onRegistered = options.onRegistered;
    this.brokerAddr = options.brokerAddr ?? `${c.brokerIP1}:${c.listenPort}`;
    this.haServerAddr = options.haServerAddr ?? `${c.brokerIP2}:${c.haListenPort}`;
  }

  /**
   * Registers at once, then every `periodMs` (unref'd timer) and shortly after every topic change.
   * @returns the first registration's per-name-server results.
   * @throws Error when called twice or after `close()`.
   */
  async start(): Promise<NameServerResult[]> {
    if (this.closed) throw new Error('the registrar is closed');
    if (this.unsubscribe !== undefined) throw new Error('the registrar is already started');
    this.unsubscribe = this.topics.onChange(() => this.scheduleSoon());
    const first = await this.registerAll();
    if (!this.closed) {
      this.timer = setInterval(() => this.registerInBackground(), this.periodMs);
      this.timer.unref();
    }
    return first;
  }

  /**
   * Sends REGISTER_BROKER with the current topic table to every name server in parallel. Each name server's failure
   * is logged and reported in its result; rejects only when the topic table cannot be read (store closed).
   */
  registerAll(): Promise<NameServerResult[]> {
    const run = this.queue.then(() => this.sendRegister());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Sends UNREGISTER_BROKER to every name server in parallel. Never rejects; failures are logged and returned. */
  unregisterAll(): Promise<NameServerResult[]> {
    const c = this.config;
    const ext = encodeUnRegisterBrokerRequestHeader({
      brokerName: c.brokerName,
      brokerAddr: this.brokerAddr,
      clusterName: c.brokerClusterName,
      brokerId: c.brokerId,
    });
    const run = this.queue.then(() =>
      this.sendToAll('unregister', () =>
        RemotingCommand.request(RequestCode.UNREGISTER_BROKER, ext),
      ),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Stops the timers and the topic listener and waits for a registration in flight. Idempotent. Does not
   * unregister (call {@link NameServerRegistrar.unregisterAll} first) and does not close the client.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.debounce !== undefined) clearTimeout(this.debounce);
    this.timer = undefined;
    this.debounce = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.queue;
  }

  /** The topic table as registered: every perm replaced by brokerPermission when the broker is not RW. */
  registeredTopicWrapper(): TopicConfigSerializeWrapper {
    const wrapper = this.topics.buildSerializeWrapper();
    const perm = this.config.brokerPermission;
    const rw = PERM_READ | PERM_WRITE;
    if ((perm & rw) === rw) return wrapper;
    // Java registerBrokerAll: an unwritable or unreadable broker registers each topic with brokerPermission.
    const table = new Map(
      [...wrapper.topicConfigTable].map(([name, config]) => [name, { ...config, perm }] as const),
    );
    return { ...wrapper, topicConfigTable: table };
  }

  private scheduleSoon(): void {
    if (this.closed || this.debounce !== undefined) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.registerInBackground();
    }, this.debounceMs);
    this.debounce.unref();
  }

  private registerInBackground(): void {
    if (this.closed) return;
    this.registerAll().catch((error: unknown) => {
      this.logger.error('register broker failed', { error: String(error) });
    });
  }

  private async sendRegister(): Promise<NameServerResult[]> {
    const c = this.config;
    const body = encodeRegisterBrokerBody({
      topicConfigSerializeWrapper: this.registeredTopicWrapper(),
      filterServerList: [],
    });
    const ext = encodeRegisterBrokerRequestHeader({
      brokerName: c.brokerName,
      brokerAddr: this.brokerAddr,
      clusterName: c.brokerClusterName,
      haServerAddr: this.haServerAddr,
      brokerId: c.brokerId,
      compressed: false,
      bodyCrc32: messageBodyCrc(body),
    });
    const results = await this.sendToAll('register', () =>
      RemotingCommand.request(RequestCode.REGISTER_BROKER, ext, body),
    );
    try {
      this.onRegistered?.(results);
    } catch (error) {
      this.logger.error('registration listener failed', { error: String(error) });
    }
    return results;
  }

  private sendToAll(
    what: 'register' | 'unregister',
    build: () => RemotingCommand,
  ): Promise<NameServerResult[]> {
    return Promise.all(
      this.namesrvAddrs.map(async (namesrvAddr): Promise<NameServerResult> => {
        try {
          const response = await this.client.invoke(namesrvAddr, build(), {
            timeoutMs: this.timeoutMs,
          });
          if (response.code !== ResponseCode.SUCCESS) {
            throw new BrokerResponseError(response.code, response.remark, namesrvAddr);
          }
          if (what === 'unregister') return { namesrvAddr, ok: true };
          const h = decodeRegisterBrokerResponseHeader(response.extFields ?? {});
          const result: NameServerResult = { namesrvAddr, ok: true };
          if (h.masterAddr !== undefined) result.masterAddr = h.masterAddr;
          if (h.haServerAddr !== undefined) result.haServerAddr = h.haServerAddr;
          return result;
        } catch (error) {
          const err = error instanceof Error ? error : new Error(String(error));
          this.logger.warn(`${what} broker failed`, {
            namesrvAddr,
            brokerAddr: this.brokerAddr,
            error: err.message,
          });
          return { namesrvAddr, ok: false, error: err };
        }
      }),
    );
  }
}
