import { NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type { Logger } from '@rocketmq-ts/protocol';
import type { RemotingChannel } from '@rocketmq-ts/remoting';
import { CLIENT_CHANNEL_EXPIRED_MS } from './client-channel.js';
import type { ClientChannelInfo } from './client-channel.js';

/** The live producers of a broker by group (Java `ProducerManager`). */
export class ProducerManager {
  private readonly groups = new Map<string, Map<number, ClientChannelInfo>>();
  private readonly logger: Logger;

  constructor(logger: Logger = NOOP_LOGGER) {
    this.logger = logger;
  }

  /** Records a producer heartbeat. */
  register(group: string, info: ClientChannelInfo): void {
    let members = this.groups.get(group);
    if (members === undefined) {
      members = new Map();
      this.groups.set(group, members);
    }
    if (!members.has(info.channel.id)) {
      this.logger.info('new producer connected', {
        group,
        clientId: info.clientId,
        remoteAddr: info.channel.remoteAddr,
      });
    }
    members.set(info.channel.id, info);
  }

  /** Forgets a producer of a group (UNREGISTER_CLIENT). */
  unregister(group: string, channel: RemotingChannel): void {
    const members = this.groups.get(group);
    if (members?.delete(channel.id) === true && members.size === 0) this.groups.delete(group);
  }

  /** Forgets every registration of a closed connection. */
  channelClosed(channel: RemotingChannel): void {
    for (const group of [...this.groups.keys()]) this.unregister(group, channel);
  }

  /** Drops producers silent for {@link CLIENT_CHANNEL_EXPIRED_MS}. @returns how many were dropped. */
  scanExpired(nowMs: number): number {
    let dropped = 0;
    for (const [group, members] of this.groups) {
      for (const [id, info] of members) {
        if (nowMs - info.lastUpdateMs <= CLIENT_CHANNEL_EXPIRED_MS) continue;
        members.delete(id);
        dropped++;
        this.logger.warn('producer channel expired', { group, clientId: info.clientId });
      }
      if (members.size === 0) this.groups.delete(group);
    }
    return dropped;
  }

  /** The live members of a group (empty when none). */
  members(group: string): ClientChannelInfo[] {
    return [...(this.groups.get(group)?.values() ?? [])];
  }

  /** One open connection of the group, for broker-initiated calls (transaction check-back). */
  availableChannel(group: string): RemotingChannel | undefined {
    const open = this.members(group).filter((m) => !m.channel.isClosed);
    if (open.length === 0) return undefined;
    return open[Math.floor(Math.random() * open.length)]!.channel;
  }

  /** Every group with its members. */
  groupTable(): ReadonlyMap<string, ReadonlyMap<number, ClientChannelInfo>> {
    return this.groups;
  }
}
