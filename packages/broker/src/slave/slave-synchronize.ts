import {
  BrokerResponseError,
  NOOP_LOGGER,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeConsumerOffsetTable,
  decodeDelayOffsetTable,
  decodeSubscriptionGroupWrapper,
  decodeTopicConfigSerializeWrapper,
  encodeUpdateConsumerOffsetRequestHeader,
} from '@rocketmq-ts/protocol';
import type {
  Logger,
  SubscriptionGroupWrapper,
  TopicConfigSerializeWrapper,
} from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import type { BrokerContext } from '../broker-context.js';
import type { BrokerHaState } from '../ha-state/broker-ha-state.js';
import { SLAVE_SYNC_INTERVAL_MS } from '../ha-state/broker-ha-state.js';
import { ClientOffsetJournal, offsetTableKey } from './client-offset-journal.js';
import type { JournaledOffset } from './client-offset-journal.js';
import {
  masterOffsetOf,
  mergeConsumerOffsets,
  sameDataVersion,
  sameNumberMap,
  sameOffsetTable,
} from './master-tables.js';
import type { ConsumerOffsetTableMap } from './master-tables.js';

/** Wait before a slave's first metadata sync, in ms (Java `BrokerController`: 3 s after start). */
export const SLAVE_SYNC_INITIAL_DELAY_MS = 3000;

/** Timeout of each request to the master, in ms (Java `BrokerOuterAPI.getAllTopicConfig` and friends: 3 s). */
export const SLAVE_SYNC_TIMEOUT_MS = 3000;

/** Offsets sent to the master at once while handing over client commits. */
const PUSH_CONCURRENCY = 16;

/** Options of {@link SlaveSynchronize}. */
export interface SlaveSynchronizeOptions {
  /** The slave's managers and store; its `offsets` are watched for client commits from construction on. */
  context: Pick<
    BrokerContext,
    'topics' | 'subscriptionGroups' | 'store' | 'offsets' | 'brokerAddr'
  >;
  /** Where the master's address comes from and where each round's outcome goes. */
  haState: Pick<BrokerHaState, 'masterAddr' | 'recordSync'>;
  /** Wait before the first round, in ms. Default {@link SLAVE_SYNC_INITIAL_DELAY_MS}. */
  initialDelayMs?: number;
  /** Wait between rounds, in ms. Default 10 000. */
  intervalMs?: number;
  /** Timeout of each request to the master, in ms. Default {@link SLAVE_SYNC_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Time allowed to connect to the master, in ms. Default 3000. */
  connectTimeoutMs?: number;
  /** Default no-op. */
  logger?: Logger;
}

/** What one sync round did. */
export type SlaveSyncOutcome =
  | {
      ok: true;
      /** The master synced from. */
      masterAddr: string;
      /** Client commits handed to the master in this round. */
      pushedOffsets: number;
      /** Tables rewritten on the slave (unchanged tables are not written). */
      replaced: Array<'topics' | 'subscriptionGroups' | 'consumerOffsets' | 'delayOffsets'>;
    }
  | {
      ok: false;
      /** `no-master`: no address known yet (or it is this broker's own); `failed`: a request or write failed. */
      reason: 'no-master' | 'failed' | 'closed';
      error?: Error;
    };

/** The master's four tables as one round fetched them. */
interface MasterTables {
  topics: TopicConfigSerializeWrapper;
  consumerOffsets: ConsumerOffsetTableMap;
  delayOffsets: Map<number, number>;
  subscriptionGroups: SubscriptionGroupWrapper;
}

/**
 * A slave's metadata sync (Java `SlaveSynchronize`, store-format.md §8.6): after `initialDelayMs`, then every
 * `intervalMs`, it asks the master for GET_ALL_TOPIC_CONFIG (21), GET_ALL_CONSUMER_OFFSET (43), GET_ALL_DELAY_OFFSET
 * (45) and GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201) and adopts them: topics and subscription groups when their
 * DataVersion differs (topic changes re-register the slave), delay offsets as they are. Consumer offsets are not
 * overwritten blindly: offsets clients committed to the slave since the master last had them (while the master was
 * down, typically) are sent to the master with UPDATE_CONSUMER_OFFSET (15) when larger than the master's, and the
 * slave keeps the larger value; everything else takes the master's value (entries only the slave has are dropped,
 * unlike Java's putAll, so a group deleted on the master goes on its slaves too).
 * A round either completes or changes nothing; failures are logged when the state changes (not every round) and
 * retried next round. Rounds never overlap.
 */
export class SlaveSynchronize {
  private readonly ctx: SlaveSynchronizeOptions['context'];
  private readonly haState: SlaveSynchronizeOptions['haState'];
  private readonly initialDelayMs: number;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly logger: Logger;
  private readonly client: RemotingClient;
  private readonly journal = new ClientOffsetJournal();
  private readonly abort = new AbortController();
  private readonly unsubscribe: () => void;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SlaveSyncOutcome> | undefined;
  private started = false;
  private closed = false;
  /** Last logged state, so a failure is logged once and not every round. */
  private loggedState: string | undefined;

  constructor(options: SlaveSynchronizeOptions) {
    this.ctx = options.context;
    this.haState = options.haState;
    this.initialDelayMs = options.initialDelayMs ?? SLAVE_SYNC_INITIAL_DELAY_MS;
    this.intervalMs = options.intervalMs ?? SLAVE_SYNC_INTERVAL_MS;
    this.timeoutMs = options.timeoutMs ?? SLAVE_SYNC_TIMEOUT_MS;
    this.logger = options.logger ?? NOOP_LOGGER;
    this.client = new RemotingClient({
      logger: this.logger,
      connectTimeoutMs: options.connectTimeoutMs ?? 3000,
    });
    this.unsubscribe = this.ctx.offsets.onClientCommit((commit) => this.journal.record(commit));
  }

  /** Client commits not yet confirmed by the master. */
  get pendingClientOffsets(): number {
    return this.journal.size;
  }

  /** Schedules the rounds (unref'd timers). @throws Error when called twice or after close(). */
  start(): void {
    if (this.closed) throw new Error('the slave synchronizer is closed');
    if (this.started) throw new Error('the slave synchronizer is already started');
    this.started = true;
    this.schedule(this.initialDelayMs);
  }

  /** Runs one round now, or joins the round in progress. Never rejects. */
  syncAll(): Promise<SlaveSyncOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'closed' });
    this.running ??= this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops the rounds, aborts the one in progress and closes the connection to the master. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.unsubscribe();
    this.abort.abort(new Error('slave synchronizer closed'));
    await this.running;
    await this.client.close();
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.syncAll().then(() => this.schedule(this.intervalMs));
    }, delayMs);
    this.timer.unref();
  }

  private async round(): Promise<SlaveSyncOutcome> {
    const masterAddr = this.haState.masterAddr();
    if (masterAddr === undefined || masterAddr === this.ctx.brokerAddr()) {
      this.logState('no-master', masterAddr);
      return { ok: false, reason: 'no-master' };
    }
    try {
      const tables = await this.fetchTables(masterAddr);
      const handed = await this.pushClientOffsets(masterAddr, tables.consumerOffsets);
      if (this.closed) return { ok: false, reason: 'closed' };
      const replaced = await this.adopt(tables);
      for (const entry of handed) this.journal.forget(entry);
      this.haState.recordSync(true);
      this.logState('ok', masterAddr);
      const pushedOffsets = handed.filter((e) => e.pushed).length;
      if (pushedOffsets > 0) {
        this.logger.info('consumer offsets committed on the slave handed to the master', {
          masterAddr,
          offsets: pushedOffsets,
        });
      }
      return { ok: true, masterAddr, pushedOffsets, replaced };
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      if (this.closed) return { ok: false, reason: 'closed', error: err };
      this.haState.recordSync(false);
      this.logState('failing', masterAddr, err);
      return { ok: false, reason: 'failed', error: err };
    }
  }

  private async fetchTables(masterAddr: string): Promise<MasterTables> {
    // Java's order: topics, consumer offsets, delay offsets, subscription groups.
    const topics = decodeTopicConfigSerializeWrapper(
      await this.fetch(masterAddr, RequestCode.GET_ALL_TOPIC_CONFIG),
    );
    const consumerOffsets = decodeConsumerOffsetTable(
      await this.fetch(masterAddr, RequestCode.GET_ALL_CONSUMER_OFFSET),
    ).offsetTable;
    const delayOffsets = decodeDelayOffsetTable(
      await this.fetch(masterAddr, RequestCode.GET_ALL_DELAY_OFFSET),
    ).offsetTable;
    const subscriptionGroups = decodeSubscriptionGroupWrapper(
      await this.fetch(masterAddr, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG),
    );
    return { topics, consumerOffsets, delayOffsets, subscriptionGroups };
  }

  /** Sends `code` with no header; resolves with the answer's body. @throws on a non-SUCCESS answer or no body. */
  private async fetch(masterAddr: string, code: number): Promise<Buffer> {
    const response = await this.client.invoke(masterAddr, RemotingCommand.request(code, {}), {
      timeoutMs: this.timeoutMs,
      signal: this.abort.signal,
    });
    if (response.code !== ResponseCode.SUCCESS || response.body === undefined) {
      throw new BrokerResponseError(response.code, response.remark ?? 'no body', masterAddr);
    }
    return response.body;
  }

  /**
   * Sends each journaled client commit larger than the master's offset (or unknown to it) to the master, and records
   * the master's new value in `masterOffsets`.
   * @returns the journal entries the master now holds (pushed, or already at least as far).
   * @throws when the master refuses or does not answer a push (nothing is forgotten then).
   */
  private async pushClientOffsets(
    masterAddr: string,
    masterOffsets: ConsumerOffsetTableMap,
  ): Promise<Array<JournaledOffset & { pushed: boolean }>> {
    const handed: Array<JournaledOffset & { pushed: boolean }> = [];
    const toPush: JournaledOffset[] = [];
    for (const entry of this.journal.list()) {
      const master = masterOffsetOf(masterOffsets, entry);
      if (master !== undefined && master >= entry.offset) handed.push({ ...entry, pushed: false });
      else toPush.push(entry);
    }
    for (let i = 0; i < toPush.length; i += PUSH_CONCURRENCY) {
      const batch = toPush.slice(i, i + PUSH_CONCURRENCY);
      await Promise.all(batch.map((entry) => this.pushOne(masterAddr, entry)));
      for (const entry of batch) {
        const key = offsetTableKey(entry.topic, entry.group);
        let queues = masterOffsets.get(key);
        if (queues === undefined) {
          queues = new Map();
          masterOffsets.set(key, queues);
        }
        queues.set(entry.queueId, entry.offset);
        handed.push({ ...entry, pushed: true });
      }
    }
    return handed;
  }

  private async pushOne(masterAddr: string, entry: JournaledOffset): Promise<void> {
    const request = RemotingCommand.request(
      RequestCode.UPDATE_CONSUMER_OFFSET,
      encodeUpdateConsumerOffsetRequestHeader({
        consumerGroup: entry.group,
        topic: entry.topic,
        queueId: entry.queueId,
        commitOffset: entry.offset,
      }),
    );
    const response = await this.client.invoke(masterAddr, request, {
      timeoutMs: this.timeoutMs,
      signal: this.abort.signal,
    });
    if (response.code !== ResponseCode.SUCCESS) {
      throw new BrokerResponseError(response.code, response.remark, masterAddr);
    }
  }

  /** Writes the master's tables where they differ from the slave's. @returns the tables rewritten. */
  private async adopt(
    tables: MasterTables,
  ): Promise<Array<'topics' | 'subscriptionGroups' | 'consumerOffsets' | 'delayOffsets'>> {
    const { topics, subscriptionGroups, store } = this.ctx;
    const replaced: Array<'topics' | 'subscriptionGroups' | 'consumerOffsets' | 'delayOffsets'> =
      [];
    if (!sameDataVersion(tables.topics.dataVersion, topics.dataVersion)) {
      await topics.replaceTable(tables.topics);
      replaced.push('topics');
    }
    if (!sameDataVersion(tables.subscriptionGroups.dataVersion, subscriptionGroups.dataVersion())) {
      await subscriptionGroups.replaceTable(tables.subscriptionGroups);
      replaced.push('subscriptionGroups');
    }
    // From the journal read to the replaceTables call nothing awaits: a client commit that arrives later is written
    // after this rewrite, and one that arrived earlier is in the journal and so in the merged table.
    const merged = mergeConsumerOffsets(tables.consumerOffsets, this.journal.list());
    const { metadata } = store;
    const rewrite: Parameters<typeof metadata.replaceTables>[0] = {};
    if (!sameOffsetTable(merged, metadata.consumerOffsetTable())) {
      rewrite.consumerOffsets = merged;
      replaced.push('consumerOffsets');
    }
    if (!sameNumberMap(tables.delayOffsets, metadata.delayOffsetTable())) {
      rewrite.delayOffsets = tables.delayOffsets;
      replaced.push('delayOffsets');
    }
    if (rewrite.consumerOffsets !== undefined || rewrite.delayOffsets !== undefined) {
      await metadata.replaceTables(rewrite);
    }
    return replaced;
  }

  private logState(state: 'ok' | 'no-master' | 'failing', masterAddr?: string, error?: Error) {
    const key = `${state}|${masterAddr ?? ''}`;
    if (key === this.loggedState) return;
    this.loggedState = key;
    if (state === 'ok') this.logger.info('metadata synchronized from the master', { masterAddr });
    else if (state === 'no-master') {
      this.logger.warn('no master address known yet; metadata sync waits for registration', {
        masterAddr,
      });
    } else {
      this.logger.warn('metadata sync from the master failed; retried every interval', {
        masterAddr,
        intervalMs: this.intervalMs,
        error: error?.message,
      });
    }
  }
}
