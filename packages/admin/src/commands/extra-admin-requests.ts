import { MQClientAPI, expectCode } from '@rocketmq-ts/client';
import type { MQAdmin } from '@rocketmq-ts/client';
import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  encodeViewBrokerStatsDataRequestHeader,
  parseJavaProperties,
} from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';

/** One window of a broker statistic (Java `BrokerStatsItem`). */
export interface BrokerStatsItem {
  /** Events in the window. */
  sum: number;
  /** Events per second. */
  tps: number;
  /** Average per event (Java `avgpt`). */
  avgpt: number;
}

/** A broker statistic over the last minute, hour and day (Java `BrokerStatsData`). */
export interface BrokerStatsData {
  statsMinute: BrokerStatsItem;
  statsHour: BrokerStatsItem;
  statsDay: BrokerStatsItem;
}

/**
 * The admin requests mqadmin needs that {@link MQAdmin} does not offer: CLEAN_EXPIRED_CONSUMEQUEUE (306),
 * VIEW_BROKER_STATS_DATA (315) and GET_NAMESRV_CONFIG (319), each one call to one named server with the admin's
 * timeout and language, over a connection pool of its own ({@link ExtraAdminRequests.close} releases it).
 * Errors: MQBrokerError carrying the response code; the remoting errors when the server does not answer.
 */
export class ExtraAdminRequests {
  private readonly remoting = new RemotingClient();
  private readonly api: MQClientAPI;

  constructor(admin: MQAdmin) {
    this.api = new MQClientAPI({
      remoting: this.remoting,
      namesrvAddrs: [],
      timeoutMs: admin.config.timeoutMs,
      language: admin.config.language,
    });
  }

  /** CLEAN_EXPIRED_CONSUMEQUEUE (306) on one broker. */
  async cleanExpiredConsumeQueue(brokerAddr: string): Promise<void> {
    const response = await this.api.invoke(
      brokerAddr,
      RemotingCommand.request(RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE),
    );
    expectCode(response, brokerAddr, [ResponseCode.SUCCESS]);
  }

  /**
   * VIEW_BROKER_STATS_DATA (315): one statistic of a broker, e.g. `TOPIC_PUT_NUMS` of a topic or `GROUP_GET_NUMS` of
   * `topic@group` (Java `BrokerStatsManager`).
   */
  async viewBrokerStatsData(
    brokerAddr: string,
    query: { statsName: string; statsKey: string },
  ): Promise<BrokerStatsData> {
    const response = await this.api.invoke(
      brokerAddr,
      RemotingCommand.request(
        RequestCode.VIEW_BROKER_STATS_DATA,
        encodeViewBrokerStatsDataRequestHeader(query),
      ),
    );
    expectCode(response, brokerAddr, [ResponseCode.SUCCESS]);
    return decodeBrokerStatsData(response.body?.toString('utf8') ?? '{}');
  }

  /** GET_NAMESRV_CONFIG (319) of one NameServer: its settings in the order it lists them. */
  async namesrvConfig(namesrvAddr: string): Promise<Map<string, string>> {
    const response = await this.api.invoke(
      namesrvAddr,
      RemotingCommand.request(RequestCode.GET_NAMESRV_CONFIG),
    );
    expectCode(response, namesrvAddr, [ResponseCode.SUCCESS]);
    return parseJavaProperties(response.body?.toString('utf8') ?? '');
  }

  /** Closes the connections; idempotent. */
  close(): Promise<void> {
    return this.remoting.close();
  }
}

/** Decodes a BrokerStatsData body; missing windows and fields read as 0. */
export function decodeBrokerStatsData(text: string): BrokerStatsData {
  const parsed: unknown = JSON.parse(text);
  const o = isRecord(parsed) ? parsed : {};
  return {
    statsMinute: item(o.statsMinute),
    statsHour: item(o.statsHour),
    statsDay: item(o.statsDay),
  };
}

function item(value: unknown): BrokerStatsItem {
  const o = isRecord(value) ? value : {};
  return { sum: num(o.sum), tps: num(o.tps), avgpt: num(o.avgpt) };
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
