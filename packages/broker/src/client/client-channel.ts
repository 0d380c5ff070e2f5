import type { RemotingChannel } from '@rocketmq-ts/remoting';

/** Java `ChannelExpiredTimeout`: a client silent this long (no heartbeat) is dropped, in ms. */
export const CLIENT_CHANNEL_EXPIRED_MS = 120_000;

/** One client connection as a heartbeat described it (Java `ClientChannelInfo`). */
export interface ClientChannelInfo {
  /** The connection the heartbeat came in on; the broker calls the client back on it. */
  channel: RemotingChannel;
  /** `ip@instanceName` as the client sent it. */
  clientId: string;
  /** LanguageCode name from the heartbeat frame (`JAVA`, `NODE_JS`, …). */
  language: string;
  /** Client version from the heartbeat frame. */
  version: number;
  /** Time of the last heartbeat, ms since the epoch. */
  lastUpdateMs: number;
}
