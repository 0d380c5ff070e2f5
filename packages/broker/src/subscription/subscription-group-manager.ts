import { NOOP_LOGGER, SUBSCRIPTION_GROUP_CONFIG_DEFAULTS } from '@rocketmq-ts/protocol';
import type {
  Logger,
  SubscriptionGroupConfig,
  SubscriptionGroupWrapper,
} from '@rocketmq-ts/protocol';
import type { MessageStore } from '@rocketmq-ts/store';

/** Options of {@link SubscriptionGroupManager}. */
export interface SubscriptionGroupManagerOptions {
  /** Where the table lives (lmdb metadata of the broker's store). */
  metadata: MessageStore['metadata'];
  /** Broker `autoCreateSubscriptionGroup`: create a group's config on its first heartbeat or pull. */
  autoCreateSubscriptionGroup: boolean;
  /** Default: no-op. */
  logger?: Logger;
}

/**
 * RocketMQ's built-in groups (Java `SubscriptionGroupManager.init`): tools and internal consumers that must exist
 * before anyone heartbeats, with broadcast consumption allowed for the tools group.
 */
const BUILT_IN_GROUPS = [
  'TOOLS_CONSUMER',
  'FILTERSRV_CONSUMER',
  'SELF_TEST_C_GROUP',
  'CID_ONS-HTTP-PROXY',
  'CID_ONSAPI_PULL',
  'CID_ONSAPI_PERMISSION',
  'CID_ONSAPI_OWNER',
  'CID_RMQ_SYS_TRACE',
] as const;

/**
 * The broker's subscription group table (Java `SubscriptionGroupManager`), persisted in the store's metadata
 * instead of `subscriptionGroup.json`.
 */
export class SubscriptionGroupManager {
  private readonly metadata: MessageStore['metadata'];
  private readonly autoCreate: boolean;
  private readonly logger: Logger;
  private readonly creating = new Map<string, Promise<SubscriptionGroupConfig>>();

  constructor(options: SubscriptionGroupManagerOptions) {
    this.metadata = options.metadata;
    this.autoCreate = options.autoCreateSubscriptionGroup;
    this.logger = options.logger ?? NOOP_LOGGER;
  }

  /** Creates the built-in groups that are missing. @returns their names. */
  async start(): Promise<string[]> {
    const created: string[] = [];
    for (const groupName of BUILT_IN_GROUPS) {
      if (this.metadata.getSubscriptionGroup(groupName) !== undefined) continue;
      await this.metadata.putSubscriptionGroup(defaultGroupConfig(groupName));
      created.push(groupName);
    }
    return created;
  }

  /** The config of `group`, if it exists. */
  get(group: string): SubscriptionGroupConfig | undefined {
    return this.metadata.getSubscriptionGroup(group);
  }

  /** Every group config, by name. */
  all(): Map<string, SubscriptionGroupConfig> {
    return this.metadata.subscriptionGroupTable();
  }

  /** The table's data version. */
  dataVersion(): ReturnType<MessageStore['metadata']['subscriptionGroupDataVersion']> {
    return this.metadata.subscriptionGroupDataVersion();
  }

  /**
   * The config of `group`, created with RocketMQ's defaults when missing and `autoCreateSubscriptionGroup` is on
   * (Java `findSubscriptionGroupConfig`).
   * @returns undefined when the group is missing and auto-creation is off.
   */
  async findOrCreate(group: string): Promise<SubscriptionGroupConfig | undefined> {
    const existing = this.get(group);
    if (existing !== undefined || !this.autoCreate) return existing;
    const pending = this.creating.get(group);
    if (pending !== undefined) return pending;
    const run = async (): Promise<SubscriptionGroupConfig> => {
      const config = defaultGroupConfig(group);
      await this.metadata.putSubscriptionGroup(config);
      this.logger.info('auto create a subscription group', { group });
      return config;
    };
    const promise = run().finally(() => this.creating.delete(group));
    this.creating.set(group, promise);
    return promise;
  }

  /** Creates or replaces a group's config (UPDATE_AND_CREATE_SUBSCRIPTIONGROUP). */
  async createOrUpdate(config: SubscriptionGroupConfig): Promise<void> {
    await this.metadata.putSubscriptionGroup(config);
    this.logger.info('subscription group created or updated', { group: config.groupName });
  }

  /**
   * Replaces the whole table and its DataVersion with a master's (a slave's metadata sync, Java
   * `SlaveSynchronize.syncSubscriptionGroupConfig`).
   * @throws StoreError when the store is closed or fails.
   */
  async replaceTable(wrapper: SubscriptionGroupWrapper): Promise<void> {
    await this.metadata.replaceTables({
      subscriptionGroups: {
        dataVersion: wrapper.dataVersion,
        subscriptionGroupTable: wrapper.subscriptionGroupTable,
      },
    });
    this.logger.info('subscription group table replaced', {
      groups: wrapper.subscriptionGroupTable.size,
      dataVersion: wrapper.dataVersion.counter,
    });
  }

  /** Deletes a group's config. @returns whether it existed. */
  async delete(group: string): Promise<boolean> {
    const existed = await this.metadata.deleteSubscriptionGroup(group);
    if (existed) this.logger.info('subscription group deleted', { group });
    return existed;
  }
}

/** A group config with RocketMQ 4.x defaults. */
export function defaultGroupConfig(groupName: string): SubscriptionGroupConfig {
  return { groupName, ...SUBSCRIPTION_GROUP_CONFIG_DEFAULTS };
}
